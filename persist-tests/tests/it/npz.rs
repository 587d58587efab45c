//! The npz array store: a package and a module archive with arrays of several dtypes import in
//! Python (numpy's `NpzFile`) and load back in Rust; `verify` accepts them; hostile or corrupt
//! npz files (a huge announced shape, a link member, an absolute member name, a missing member)
//! are refused naming the item and the file; DataSet items with the npz and HDF5 stores.

use std::path::Path;

use ndarray::{Array1, Array2, Array3, ShapeBuilder};
use num_complex::Complex;
use persist_core::{Archive, ArchiveReader, ArrayStore, DataSet, SaveOptions, verify};
use persist_tests::{run_python, save_module, save_package};

/// An archive with every array (threshold 0) in one npz file.
fn npz_archive<'a>() -> Archive<'a> {
    let mut archive = Archive::new()
        .with_array_threshold(0)
        .with_array_store(ArrayStore::Npz);
    archive
        .insert(
            "field",
            Array2::from_shape_vec((3, 4).f(), (0..12).map(f64::from).collect()).unwrap(),
        )
        .unwrap();
    archive
        .insert("counts", Array1::from(vec![i32::MIN, -1, 0, i32::MAX]))
        .unwrap();
    archive
        .insert("mask", Array1::from(vec![true, false, true]))
        .unwrap();
    archive
        .insert(
            "wave",
            Array1::from(vec![Complex::new(1.5, -2.0), Complex::new(-0.0, 1e300)]),
        )
        .unwrap();
    archive
        .insert("cube", Array3::<f32>::from_elem((2, 3, 4), 0.25))
        .unwrap();
    archive
}

const PY_CHECK: &str = r#"
def same(x, expected, dtype, shape):
    assert isinstance(x, np.ndarray), type(x)
    assert x.dtype == np.dtype(dtype), (x.dtype, dtype)
    assert x.shape == shape, (x.shape, shape)
    assert (x == np.array(expected, dtype=dtype).reshape(shape)).all(), x
same(a.field, np.arange(12.0).reshape((3, 4), order='F'), 'float64', (3, 4))
assert a.field.flags.f_contiguous and not a.field.flags.c_contiguous
same(a.counts, [-2**31, -1, 0, 2**31 - 1], 'int32', (4,))
same(a.mask, [True, False, True], 'bool', (3,))
same(a.wave, [1.5 - 2j, complex(-0.0, 1e300)], 'complex128', (2,))
same(a.cube, [0.25] * 24, 'float32', (2, 3, 4))
assert [n for n in dir(a) if n.startswith('_') and not n.startswith('__')] == [], dir(a)
print('ok')
"#;

#[track_caller]
fn load_back(path: &Path) {
    let reader = ArchiveReader::open(path).unwrap();
    let field: Array2<f64> = reader.read("field").unwrap();
    assert_eq!(
        field,
        Array2::from_shape_vec((3, 4).f(), (0..12).map(f64::from).collect()).unwrap()
    );
    assert!(field.t().is_standard_layout(), "Fortran order comes back");
    let counts: Array1<i32> = reader.read("counts").unwrap();
    assert_eq!(counts.to_vec(), [i32::MIN, -1, 0, i32::MAX]);
    let mask: Array1<bool> = reader.read("mask").unwrap();
    assert_eq!(mask.to_vec(), [true, false, true]);
    let wave: Array1<Complex<f64>> = reader.read("wave").unwrap();
    assert_eq!(wave[1].im, 1e300);
    assert!(wave[1].re.is_sign_negative());
    let cube: Array3<f32> = reader.read("cube").unwrap();
    assert_eq!(cube.shape(), [2, 3, 4]);
    // The dtype and the number of dimensions are checked.
    let err = reader
        .read::<Array1<f64>>("counts")
        .unwrap_err()
        .to_string();
    assert!(err.contains("_arrays.npz"), "{err}");
    let err = reader
        .read::<Array2<i32>>("counts")
        .unwrap_err()
        .to_string();
    assert!(err.contains("dimensions"), "{err}");
}

#[test]
fn package_and_module_archives_import_in_python_and_load_back() {
    let archive = npz_archive();
    let package = save_package(&archive);
    assert!(package.dir.path().join("arch/_arrays.npz").is_file());
    assert!(!package.dir.path().join("arch/_arrays").exists());
    assert!(
        package
            .source()
            .contains("_np.load(_arrays, allow_pickle=False)")
    );
    assert_eq!(package.check(PY_CHECK).trim(), "ok");
    load_back(&package.dir.path().join("arch"));
    verify(package.dir.path().join("arch"), &Default::default()).unwrap();

    let module = save_module(&archive);
    assert!(module.dir.path().join("arch_arrays.npz").is_file());
    assert_eq!(module.check(PY_CHECK).trim(), "ok");
    load_back(&module.dir.path().join("arch.py"));
    let report = verify(module.dir.path().join("arch.py"), &Default::default()).unwrap();
    assert!(
        report
            .files
            .contains(&module.dir.path().join("arch_arrays.npz"))
    );
    // numpy sees exactly the archive's members.
    let members = run_python(
        module.dir.path(),
        "import numpy as np\nwith np.load('arch_arrays.npz') as f: print(sorted(f.files))",
    );
    assert_eq!(
        members.trim(),
        "['counts', 'cube', 'field', 'mask', 'wave']"
    );
}

#[test]
fn the_same_value_gives_the_same_bytes_and_another_store_replaces_the_npz() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("arch.py");
    npz_archive().save(&path, SaveOptions::module()).unwrap();
    let first = std::fs::read(tmp.path().join("arch_arrays.npz")).unwrap();
    // The overwrite writes the same bytes under the second name, and the first name goes.
    npz_archive()
        .save(&path, SaveOptions::module().overwrite(true))
        .unwrap();
    assert_eq!(
        first,
        std::fs::read(tmp.path().join("arch_arrays.2.npz")).unwrap()
    );
    assert!(!tmp.path().join("arch_arrays.npz").exists());
    // Saving with the npy store replaces the npz file, atomically like every save.
    let mut npy = Archive::new().with_array_threshold(0);
    npy.insert("x", Array1::from(vec![1.0, 2.0])).unwrap();
    npy.save(&path, SaveOptions::module().overwrite(true))
        .unwrap();
    assert!(!tmp.path().join("arch_arrays.2.npz").exists());
    assert!(tmp.path().join("arch_arrays").is_dir());
}

/// Rewrite the npz file of the package `arch` in `dir` with Python's zipfile: `members` is
/// Python code calling `put(name, shape, data, symlink=False)`.
fn forge(dir: &Path, members: &str) {
    run_python(
        dir,
        &format!(
            r#"
import zipfile
z = zipfile.ZipFile('arch/_arrays.npz', 'w', zipfile.ZIP_STORED)
def put(name, shape, data, symlink=False):
    header = "{{'descr': '<f8', 'fortran_order': False, 'shape': {{}}, }}".replace('{{}}', shape)
    header = header.ljust(117) + '\n'
    blob = b'\x93NUMPY\x01\x00' + len(header).to_bytes(2, 'little') + header.encode() + data
    info = zipfile.ZipInfo(name)
    if symlink:
        info.external_attr = 0o120777 << 16
    z.writestr(info, blob)
{members}
z.close()
"#
        ),
    );
}

fn one_array() -> persist_tests::Saved {
    let mut archive = Archive::new()
        .with_array_threshold(0)
        .with_array_store(ArrayStore::Npz);
    archive.insert("x", Array1::from(vec![1.0, 2.0])).unwrap();
    save_package(&archive)
}

#[track_caller]
fn refused(saved: &persist_tests::Saved, words: &str) {
    let arch = saved.dir.path().join("arch");
    let err = ArchiveReader::open(&arch)
        .unwrap()
        .read::<Array1<f64>>("x")
        .unwrap_err()
        .to_string();
    assert!(err.contains(words), "{err}");
    assert!(err.contains("_arrays.npz"), "names the file: {err}");
    assert!(err.contains('x'), "names the item: {err}");
    let err = verify(&arch, &Default::default()).unwrap_err().to_string();
    assert!(err.contains("_arrays.npz"), "{err}");
}

#[test]
fn hostile_npz_files_are_refused_naming_the_item_and_the_file() {
    let saved = one_array();
    // The untouched archive verifies; a forged member of the right size still reads.
    verify(saved.dir.path().join("arch"), &Default::default()).unwrap();
    forge(saved.dir.path(), "put('x.npy', '(2,)', bytes(16))");
    let x: Array1<f64> = ArchiveReader::open(saved.dir.path().join("arch"))
        .unwrap()
        .read("x")
        .unwrap();
    assert_eq!(x.to_vec(), [0.0, 0.0]);
    // A huge announced shape over 16 bytes of data: refused before any allocation.
    forge(
        saved.dir.path(),
        "put('x.npy', '(1000000000000,)', bytes(16))",
    );
    refused(&saved, "announces shape [1000000000000]");
    // A member that is a symbolic link.
    forge(
        saved.dir.path(),
        "put('x.npy', '(2,)', bytes(16), symlink=True)",
    );
    refused(&saved, "link");
    // Only an absolute name: the member `x.npy` is missing, and verify refuses the name.
    forge(saved.dir.path(), "put('/etc/x.npy', '(2,)', bytes(16))");
    refused(&saved, "no member `x.npy`");
    let err = verify(saved.dir.path().join("arch"), &Default::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`/etc/x.npy` is not a plain `.npy` file name"),
        "{err}"
    );
    // A missing member.
    forge(saved.dir.path(), "put('y.npy', '(2,)', bytes(16))");
    refused(&saved, "no member `x.npy`");
    // Not a zip file at all.
    std::fs::write(saved.dir.path().join("arch/_arrays.npz"), b"not a zip").unwrap();
    refused(&saved, "not an npz (zip) file");
}

/// The store is what the source binds: an npz path with the npy store's `_load` is refused.
#[test]
fn the_load_helper_and_the_path_must_be_the_same_stores() {
    let saved = one_array();
    let init = saved.dir.path().join("arch/__init__.py");
    let source = std::fs::read_to_string(&init).unwrap();
    let npy_load =
        "def _load(name):\n    return _np.load(_os.path.join(_arrays, name), allow_pickle=False)\n";
    let npz_load = "def _load(name):\n    with _np.load(_arrays, allow_pickle=False) as f:\n        return f[name]\n";
    assert!(source.contains(npz_load), "{source}");
    std::fs::write(&init, source.replace(npz_load, npy_load)).unwrap();
    let err = ArchiveReader::open(saved.dir.path().join("arch"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("an archive uses one store"), "{err}");
}

#[test]
fn data_set_items_use_the_npz_store() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = DataSet::create(tmp.path().join("sweep"))
        .unwrap()
        .with_array_threshold(0)
        .with_array_store(ArrayStore::Npz)
        .with_sync(false);
    sweep
        .insert("run_0", &Array1::from(vec![1.5, 2.5]), &0.5)
        .unwrap();
    assert!(tmp.path().join("sweep/run_0_data.npz").is_file());
    let x: Array1<f64> = sweep.read("run_0").unwrap();
    assert_eq!(x.to_vec(), [1.5, 2.5]);
    let out = run_python(
        tmp.path(),
        "from sweep import run_0\nassert run_0.tolist() == [1.5, 2.5], run_0\nprint('ok')",
    );
    assert_eq!(out.trim(), "ok");
    verify(tmp.path().join("sweep"), &Default::default()).unwrap();
    sweep.remove("run_0").unwrap();
    assert!(!tmp.path().join("sweep/run_0_data.npz").exists());
}

/// A DataSet item with the HDF5 store: `ITEM_data.h5`, imported with h5py, read in Rust.
#[cfg(feature = "hdf5")]
#[test]
fn data_set_items_use_the_hdf5_store() {
    use persist_core::Hdf5Options;
    let tmp = tempfile::tempdir().unwrap();
    let sweep = DataSet::create(tmp.path().join("sweep"))
        .unwrap()
        .with_array_threshold(0)
        .with_array_store(ArrayStore::Hdf5(Hdf5Options::default()))
        .with_sync(false);
    let field = Array2::from_shape_vec((2, 3).f(), vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap();
    sweep.insert("run_0", &field, &0.5).unwrap();
    assert!(tmp.path().join("sweep/run_0_data.h5").is_file());
    assert!(!tmp.path().join("sweep/run_0_data").exists());
    let back: Array2<f64> = sweep.read("run_0").unwrap();
    assert_eq!(back, field);
    let out = run_python(
        tmp.path(),
        "import numpy as np\nfrom sweep import run_0\nassert run_0.dtype == np.float64 and run_0.shape == (2, 3)\nassert run_0.tolist() == [[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]], run_0\nassert run_0.flags.f_contiguous\nprint('ok')",
    );
    assert_eq!(out.trim(), "ok");
    let report = verify(tmp.path().join("sweep"), &Default::default()).unwrap();
    assert!(
        report
            .files
            .contains(&tmp.path().join("sweep/run_0_data.h5"))
    );
}
