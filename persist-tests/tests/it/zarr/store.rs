//! Writing, importing and loading back: zarr-python opens every array lazily with the right
//! dtype, shape, values and dimension names; dask computes on it; xarray opens the group; Rust
//! reads it back; `verify` accepts it; every compression; module, package and DataSet item.

use std::path::Path;

use ndarray::{Array1, Array2, Array3, ShapeBuilder};
use num_complex::Complex;
use persist_core::{Archive, ArchiveReader, ArrayStore, DataSet, SaveOptions, ZarrOptions, verify};
use persist_tests::{run_python, save_module, save_package};

use super::{small_chunks, zarr_archive};

/// What Python must see of [`zarr_archive`] imported as `a`.
pub(super) const PY_CHECK: &str = r#"
import zarr
def same(x, expected, dtype, shape):
    assert isinstance(x, zarr.Array), type(x)
    assert x.dtype == np.dtype(dtype), (x.dtype, dtype)
    assert x.shape == shape, (x.shape, shape)
    got = x[...]
    assert isinstance(got, np.ndarray), type(got)
    assert (got == np.array(expected, dtype=dtype).reshape(shape)).all(), got
same(a.field, np.arange(1200.0).reshape((30, 40), order='F'), 'float64', (30, 40))
assert a.field.chunks != a.field.shape, a.field.chunks
assert a.field.metadata.dimension_names == ('field_0', 'field_1'), a.field.metadata.dimension_names
same(a.counts, [-2**63, -1, 0, 2**63 - 1], 'int64', (4,))
same(a.small, [-3, 0, 7], 'int8', (3,))
same(a.unsigned, [0, 1, 65535], 'uint16', (3,))
same(a.mask, [True, False, True, True], 'bool', (4,))
same(a.wave, [1.5 - 2j, complex(-0.0, 1e30)], 'complex64', (2,))
same(a.cube, [0.25] * 210, 'float32', (5, 6, 7))
# An empty array has no element above the threshold: it is written inline.
assert isinstance(a.empty, np.ndarray) and a.empty.shape == (0, 3) and a.empty.dtype == np.float64
assert a.field.read_only
assert [n for n in dir(a) if n.startswith('_') and not n.startswith('__')] == [], dir(a)
print('ok')
"#;

#[track_caller]
pub(super) fn load_back(path: &Path) {
    let reader = ArchiveReader::open(path).unwrap();
    let field: Array2<f64> = reader.read("field").unwrap();
    assert_eq!(
        field,
        Array2::from_shape_vec((30, 40).f(), (0..1200).map(f64::from).collect()).unwrap()
    );
    let counts: Array1<i64> = reader.read("counts").unwrap();
    assert_eq!(counts.to_vec(), [i64::MIN, -1, 0, i64::MAX]);
    let small: Array1<i8> = reader.read("small").unwrap();
    assert_eq!(small.to_vec(), [-3, 0, 7]);
    let unsigned: Array1<u16> = reader.read("unsigned").unwrap();
    assert_eq!(unsigned.to_vec(), [0, 1, u16::MAX]);
    let mask: Array1<bool> = reader.read("mask").unwrap();
    assert_eq!(mask.to_vec(), [true, false, true, true]);
    let wave: Array1<Complex<f32>> = reader.read("wave").unwrap();
    assert_eq!(wave[1].im, 1e30);
    assert!(wave[1].re.is_sign_negative());
    let cube: Array3<f32> = reader.read("cube").unwrap();
    assert_eq!(cube, Array3::from_elem((5, 6, 7), 0.25));
    let empty: Array2<f64> = reader.read("empty").unwrap();
    assert_eq!(empty.shape(), [0, 3]);
    // The data type and the number of dimensions are checked.
    let err = reader
        .read::<Array1<f64>>("counts")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("int64") && err.contains("_arrays.zarr"),
        "{err}"
    );
    let err = reader
        .read::<Array2<i64>>("counts")
        .unwrap_err()
        .to_string();
    assert!(err.contains("dimensions"), "{err}");
}

#[test]
fn package_and_module_archives_open_lazily_in_python_and_load_back() {
    let archive = zarr_archive(small_chunks());
    let package = save_package(&archive);
    let group = package.dir.path().join("arch/_arrays.zarr");
    assert!(group.join("zarr.json").is_file());
    assert!(group.join("field/c/0/0").is_file(), "chunked");
    assert!(
        package
            .source()
            .contains("_zarr.open_array(_arrays, path=name, mode='r', zarr_format=3)")
    );
    assert!(package.source().contains("numpy and zarr 3 are needed"));
    assert!(package.source().starts_with("# persist archive, format 4,"));
    assert_eq!(package.check(PY_CHECK).trim(), "ok");
    load_back(&package.dir.path().join("arch"));
    let report = verify(package.dir.path().join("arch"), &Default::default()).unwrap();
    assert!(report.files.contains(&group), "{:?}", report.files);

    let module = save_module(&archive);
    assert!(
        module
            .dir
            .path()
            .join("arch_arrays.zarr/field/zarr.json")
            .is_file()
    );
    assert_eq!(module.check(PY_CHECK).trim(), "ok");
    load_back(&module.dir.path().join("arch.py"));
    verify(module.dir.path().join("arch.py"), &Default::default()).unwrap();
}

#[test]
fn import_reads_no_chunk_and_dask_and_xarray_compute_on_the_arrays() {
    let mut archive = Archive::new().with_array_store(ArrayStore::Zarr(
        ZarrOptions::default()
            .chunk_bytes(64 << 10)
            .dimension_names("run.field", ["time", "x"]),
    ));
    let field = Array2::from_shape_fn((400, 300), |(t, x)| (t * 300 + x) as f64 * 0.5);
    let temperature = Array1::from_shape_fn(1000, |i| 300.0 + i as f64);
    let run = std::collections::BTreeMap::from([("field", field.clone())]);
    archive.insert("run", run).unwrap();
    archive.insert("temperature", temperature).unwrap();
    let saved = save_package(&archive);
    let out = saved.check(
        r#"
import builtins, dask.array as da, xarray as xr, os
# No chunk was opened by the import: zarr.Array objects are lazy.
opened = []
real_open = builtins.open
def spy(path, *args, **kwargs):
    opened.append(str(path))
    return real_open(path, *args, **kwargs)
builtins.open = spy
field = a.run['field']
assert field.shape == (400, 300) and field.nchunks > 1, (field.shape, field.nchunks)
builtins.open = real_open
assert not [p for p in opened if '/c/' in p], opened
expected = np.arange(400 * 300, dtype='float64').reshape(400, 300) * 0.5
d = da.from_zarr(field)
assert d.chunksize == field.chunks, (d.chunksize, field.chunks)
mean = d.mean().compute(scheduler='threads', num_workers=2)
assert mean == expected.mean(), (mean, expected.mean())
assert (d[::7, 3].compute() == expected[::7, 3]).all()
ds = xr.open_zarr(os.path.join(os.path.dirname(a.__file__), '_arrays.zarr'), consolidated=False)
assert sorted(ds.data_vars) == ['run.field', 'temperature'], ds.data_vars
assert ds['run.field'].dims == ('time', 'x'), ds['run.field'].dims
assert ds['temperature'].dims == ('temperature_0',), ds['temperature'].dims
assert float(ds['temperature'].mean()) == 300 + 999 / 2
print('ok')
"#,
    );
    assert_eq!(out.trim(), "ok");
    let reader = ArchiveReader::open(saved.dir.path().join("arch")).unwrap();
    let back: std::collections::BTreeMap<String, Array2<f64>> = reader.read("run").unwrap();
    assert_eq!(back["field"], field);
}

#[test]
fn every_compression_reads_back_in_python_and_rust() {
    for options in [
        ZarrOptions::default().uncompressed(),
        ZarrOptions::default().gzip(0),
        ZarrOptions::default().gzip(9),
        ZarrOptions::default().zstd(1),
        ZarrOptions::default().zstd(19),
    ] {
        let archive = zarr_archive(options.clone().chunk_bytes(512));
        let saved = save_package(&archive);
        assert_eq!(saved.check(PY_CHECK).trim(), "ok", "{options:?}");
        load_back(&saved.dir.path().join("arch"));
    }
}

#[test]
fn the_same_value_gives_the_same_files_and_another_store_replaces_the_group() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("arch");
    zarr_archive(small_chunks())
        .save(&path, SaveOptions::package())
        .unwrap();
    let first = persist_tests::snapshot(&path);
    zarr_archive(small_chunks())
        .save(&path, SaveOptions::package().overwrite(true))
        .unwrap();
    assert_eq!(first, persist_tests::snapshot(&path));
    let mut npy = Archive::new().with_array_threshold(0);
    npy.insert("x", Array1::from(vec![1.0, 2.0])).unwrap();
    npy.save(&path, SaveOptions::package().overwrite(true))
        .unwrap();
    assert!(!path.join("_arrays.zarr").exists());
    assert!(path.join("_arrays/x.npy").is_file());
}

#[test]
fn dimension_names_of_the_wrong_count_are_an_error_naming_the_array() {
    let mut archive = Archive::new()
        .with_array_threshold(0)
        .with_array_store(ArrayStore::Zarr(
            ZarrOptions::default().dimension_names("field", ["x"]),
        ));
    archive
        .insert("field", Array2::<f64>::zeros((2, 2)))
        .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let err = archive
        .save(tmp.path().join("arch"), SaveOptions::package())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("field") && err.contains("1 dimensions") && err.contains("has 2"),
        "{err}"
    );
    assert!(!tmp.path().join("arch").exists());
}

#[test]
fn dataset_items_keep_their_arrays_in_a_zarr_group() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("sweep");
    let sweep = DataSet::create(&path)
        .unwrap()
        .with_array_store(ArrayStore::Zarr(ZarrOptions::default()))
        .with_sync(false);
    let field = Array2::from_shape_fn((200, 100), |(i, j)| (i * 100 + j) as f32);
    sweep.insert("run_0", &field, &0.5).unwrap();
    assert!(path.join("run_0_data.zarr/run_0/zarr.json").is_file());
    let back: Array2<f32> = sweep.read("run_0").unwrap();
    assert_eq!(back, field);
    let out = run_python(
        tmp.path(),
        "import zarr\nfrom sweep import run_0\nassert isinstance(run_0, zarr.Array) and run_0.shape == (200, 100)\nassert run_0[199, 99] == 19999\nprint('ok')",
    );
    assert_eq!(out.trim(), "ok");
    verify(&path, &Default::default()).unwrap();
    sweep.remove("run_0").unwrap();
    assert!(!path.join("run_0_data.zarr").exists());
}
