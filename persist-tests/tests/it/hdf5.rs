//! The HDF5 array store (feature `hdf5`): h5py reads every element type, shape and order; npy and
//! HDF5 archives of one value import to equal values; dataset names; compression, chunking and
//! lazy loading. Saving (layouts, determinism, atomicity, errors) is in `hdf5/save.rs`.

mod read;
mod save;

use std::collections::BTreeMap;

use ndarray::{Array, Array0, Array1, Array2, Array3, ArrayView1, ShapeBuilder, s};
use num_complex::Complex;
use persist_core::{Archive, ArrayStore, Hdf5Options, Persist, SaveOptions};
use persist_tests::{file_names, run_python, save_package};

/// An archive whose arrays (every one, the threshold is 0) go to one HDF5 file.
fn hdf5_archive<'a>(options: Hdf5Options) -> Archive<'a, dyn persist_core::Persist + 'a> {
    Archive::local()
        .with_array_threshold(0)
        .with_array_store(ArrayStore::Hdf5(options))
}

/// Python helpers for the checks: `same(x, expected, dtype)` asserts type, dtype, shape and the
/// exact bytes (so `-0.0` and NaN count); `tree(path)` lists an HDF5 file's datasets.
const PY_HELPERS: &str = r#"
import h5py

def same(x, expected, dtype):
    assert isinstance(x, np.ndarray), type(x)
    e = np.array(expected, dtype=dtype)
    assert x.dtype == e.dtype, (x.dtype, e.dtype)
    assert x.shape == e.shape, (x.shape, e.shape)
    assert x.tobytes() == e.tobytes(), (x, e)

def tree(path):
    names = []
    with h5py.File(path, 'r') as f:
        f.visititems(lambda name, obj: names.append(name) if isinstance(obj, h5py.Dataset) else None)
    return sorted(names)
"#;

/// Every element type, extreme and special values included, comes back with its dtype and exact
/// values; in the file, bool is h5py's enum and complex is h5py's `r`/`i` compound.
#[test]
fn h5py_reads_every_element_type() {
    let mut archive = hdf5_archive(Hdf5Options::default());
    let mut code = String::from(PY_HELPERS);
    macro_rules! ints {
        ($($t:ident => $dtype:literal),*) => {$(
            let values = vec![$t::MIN, 0, 1, $t::MAX / 2, $t::MAX];
            let python = format!("[{}]", values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", "));
            archive.insert(stringify!($t), Array1::from(values)).unwrap();
            code.push_str(&format!("same(a.{}, {python}, '{}')\n", stringify!($t), $dtype));
        )*};
    }
    ints!(i8 => "int8", i16 => "int16", i32 => "int32", i64 => "int64",
          u8 => "uint8", u16 => "uint16", u32 => "uint32", u64 => "uint64");
    archive
        .insert("bool", Array1::from(vec![true, false, true]))
        .unwrap();
    code.push_str("same(a.bool, [True, False, True], 'bool')\n");
    let f32s = vec![
        0.1_f32,
        -0.0,
        f32::MAX,
        f32::from_bits(1),
        f32::INFINITY,
        f32::NAN,
    ];
    let f64s = vec![0.1_f64, -0.0, f64::MAX, 5e-324, f64::NEG_INFINITY, f64::NAN];
    archive.insert("f32", Array1::from(f32s)).unwrap();
    archive.insert("f64", Array1::from(f64s)).unwrap();
    code.push_str(
        "same(a.f32, [0.1, -0.0, 3.4028234663852886e38, 1e-45, float('inf'), float('nan')], 'float32')\n\
         same(a.f64, [0.1, -0.0, 1.7976931348623157e308, 5e-324, float('-inf'), float('nan')], 'float64')\n",
    );
    let c32s = vec![
        Complex::new(1.5_f32, -2.0),
        Complex::new(-0.0, f32::INFINITY),
    ];
    let c64s = vec![Complex::new(0.1_f64, 1e300), Complex::new(f64::NAN, -0.0)];
    archive.insert("c32", Array1::from(c32s)).unwrap();
    archive.insert("c64", Array1::from(c64s)).unwrap();
    code.push_str(
        "same(a.c32, [complex(1.5, -2.0), complex(-0.0, float('inf'))], 'complex64')\n\
         same(a.c64, [complex(0.1, 1e300), complex(float('nan'), -0.0)], 'complex128')\n",
    );
    code.push_str(
        r#"
with h5py.File('arch/_data.h5', 'r') as f:
    t = f['bool'].id.get_type()
    assert t.get_class() == h5py.h5t.ENUM, t
    assert t.get_super().get_size() == 1 and t.get_super().get_sign() == h5py.h5t.SGN_2
    assert sorted((t.get_member_name(i), t.get_member_value(i)) for i in range(t.get_nmembers())) == [(b'FALSE', 0), (b'TRUE', 1)]
    for name, size in [('c32', 4), ('c64', 8)]:
        t = f[name].id.get_type()
        assert t.get_class() == h5py.h5t.COMPOUND, name
        assert [t.get_member_name(i) for i in range(t.get_nmembers())] == [b'r', b'i']
        assert all(t.get_member_type(i).get_size() == size for i in range(2))
    assert f['u16'].dtype == np.uint16 and f['c64'].dtype == np.complex128 and f['bool'].dtype == np.bool_
    assert tree('arch/_data.h5') == sorted(['i8', 'i16', 'i32', 'i64', 'u8', 'u16', 'u32', 'u64', 'bool', 'f32', 'f64', 'c32', 'c64'])
"#,
    );
    let saved = save_package(&archive);
    assert_eq!(
        file_names(&saved.dir.path().join("arch")),
        ["__init__.py", "_data.h5"]
    );
    saved.check(&code);
}

/// 0-d, 1-d, 3-d and zero-size arrays, C and Fortran order, strided and permuted views: the same
/// values and shape in Python, Fortran order F-contiguous.
#[test]
fn every_shape_and_order_comes_back() {
    let c3 = Array3::from_shape_fn((2, 3, 4), |(i, j, k)| (i * 12 + j * 4 + k) as f64);
    let f3 = Array3::from_shape_fn((2, 3, 4).f(), |(i, j, k)| (i * 12 + j * 4 + k) as i32);
    let f2 = Array2::from_shape_fn((3, 5).f(), |(i, j)| Complex::new(i as f32, j as f32));
    let line = Array1::from_iter((0..30).map(|i| i as u16));
    let mut archive = hdf5_archive(Hdf5Options::default());
    archive
        .insert("scalar", Array0::from_elem((), 2.5_f64))
        .unwrap();
    archive
        .insert("scalar_bool", Array0::from_elem((), true))
        .unwrap();
    archive.insert("line", &line).unwrap();
    archive.insert("c3", &c3).unwrap();
    archive.insert("f3", &f3).unwrap();
    archive.insert("f2", &f2).unwrap();
    archive.insert("strided", line.slice(s![1..;3])).unwrap();
    archive.insert("reversed", line.slice(s![..;-1])).unwrap();
    archive
        .insert("sliced", c3.slice(s![.., ..;2, 1..]))
        .unwrap();
    archive
        .insert("permuted", c3.view().permuted_axes([1, 2, 0]))
        .unwrap();
    archive
        .insert("empty_2d", Array2::<f64>::zeros((0, 3)))
        .unwrap();
    archive
        .insert("empty_3d", Array3::<i64>::zeros((3, 0, 2)))
        .unwrap();
    archive
        .insert("empty_f", Array2::<u8>::zeros((0, 4).f()))
        .unwrap();
    archive
        .insert("empty_bool", Array1::<bool>::from(vec![]))
        .unwrap();
    let saved = save_package(&archive);
    saved.check(&format!(
        "{PY_HELPERS}
same(a.scalar, 2.5, 'float64')
same(a.scalar_bool, True, 'bool')
line = np.arange(30, dtype='uint16')
same(a.line, line, 'uint16')
c3 = np.arange(24.0).reshape(2, 3, 4)
same(a.c3, c3, 'float64')
assert a.c3.flags.c_contiguous
same(a.f3, c3, 'int32')
assert a.f3.flags.f_contiguous and not a.f3.flags.c_contiguous
i, j = np.indices((3, 5))
same(a.f2, i + 1j * j, 'complex64')
assert a.f2.flags.f_contiguous and not a.f2.flags.c_contiguous
same(a.strided, line[1::3], 'uint16')
same(a.reversed, line[::-1], 'uint16')
same(a.sliced, c3[:, ::2, 1:], 'float64')
same(a.permuted, c3.transpose(1, 2, 0), 'float64')
assert a.permuted.flags.c_contiguous
same(a.empty_2d, np.zeros((0, 3)), 'float64')
same(a.empty_3d, np.zeros((3, 0, 2)), 'int64')
same(a.empty_f, np.zeros((0, 4)), 'uint8')
same(a.empty_bool, [], 'bool')
"
    ));
}

/// One value, saved once with npy and once with HDF5, imports to equal Python values: arrays
/// with equal dtype, shape, order and bytes, inside the same containers.
#[test]
fn npy_and_hdf5_archives_import_to_equal_values() {
    let big = Array2::from_shape_fn((40, 30).f(), |(i, j)| (i as f64).sin() * j as f64);
    let mut by_name = BTreeMap::new();
    by_name.insert(
        "alpha".to_owned(),
        Array1::from_iter((0..200).map(|i| i as i64 - 100)),
    );
    by_name.insert(
        "beta/gamma".to_owned(),
        Array1::from_iter((0..150).map(|i| i * 7)),
    );
    let flags = Array1::from_iter((0..300).map(|i| i % 3 == 0));
    let waves =
        Array1::from_iter((0..256).map(|i| Complex::new((i as f64).cos(), (i as f64).sin())));
    let value = (
        1.5_f64,
        vec![big.view(), big.t()],
        by_name,
        (
            flags.view(),
            waves.slice(s![..;2]),
            Array1::from(vec![1_u8, 2, 3]),
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    for (name, store) in [
        ("via_npy", ArrayStore::Npy),
        ("via_h5", ArrayStore::Hdf5(Hdf5Options::default())),
    ] {
        let mut archive = Archive::new().with_array_store(store);
        archive.insert("run", &value).unwrap();
        archive
            .save(dir.path().join(name), SaveOptions::package())
            .unwrap();
    }
    assert_eq!(
        file_names(&dir.path().join("via_npy")),
        ["__init__.py", "_arrays"]
    );
    assert_eq!(
        file_names(&dir.path().join("via_h5")),
        ["__init__.py", "_data.h5"]
    );
    run_python(
        dir.path(),
        r#"
import numpy as np
import via_npy, via_h5

def same(x, y):
    if isinstance(x, np.ndarray):
        return (isinstance(y, np.ndarray) and x.dtype == y.dtype and x.shape == y.shape
                and x.flags.c_contiguous == y.flags.c_contiguous
                and x.flags.f_contiguous == y.flags.f_contiguous and x.tobytes() == y.tobytes())
    if isinstance(x, (list, tuple)):
        return type(x) is type(y) and len(x) == len(y) and all(map(same, x, y))
    if isinstance(x, dict):
        return x.keys() == y.keys() and all(same(v, y[k]) for k, v in x.items())
    return type(x) is type(y) and x == y

assert same(via_npy.run, via_h5.run), (via_npy.run, via_h5.run)
assert via_h5.run[1][0].flags.f_contiguous and via_h5.run[1][1].flags.c_contiguous
"#,
    );
}

#[derive(Persist)]
struct Fields {
    temperature: Array2<f64>,
    pressure: Array2<f32>,
}

#[derive(Persist)]
struct Run {
    fields: Fields,
    steps: Vec<Array1<i32>>,
    label: String,
}

/// Datasets are named after the item path, in groups, and made unique; `h5py`'s tree (what
/// `h5ls -r` shows) is readable.
#[test]
fn datasets_are_named_after_the_item_path() {
    let run = Run {
        fields: Fields {
            temperature: Array2::from_elem((20, 30), 300.0),
            pressure: Array2::from_elem((20, 30), 1.0),
        },
        steps: vec![Array1::from_elem(200, 1), Array1::from_elem(200, 2)],
        label: "test".into(),
    };
    let mut keyed = BTreeMap::new();
    keyed.insert("a/b".to_owned(), Array1::from_elem(150, 0.5_f64));
    keyed.insert("..".to_owned(), Array1::from_elem(150, 1.5_f64));
    let shared = std::rc::Rc::new(Array1::from_elem(120, 7_u8));
    let mut archive = Archive::local().with_array_store(ArrayStore::Hdf5(Hdf5Options::default()));
    archive.insert("run", &run).unwrap();
    archive.insert("keyed", &keyed).unwrap();
    archive
        .insert("twice", vec![shared.clone(), shared])
        .unwrap();
    archive.insert("small", Array1::from_elem(5, 1_i8)).unwrap();
    let saved = save_package(&archive);
    let source = saved.source();
    assert!(
        source.contains("_load('run/fields/temperature')"),
        "{source}"
    );
    assert!(
        source.contains("small = _np.array([1, 1, 1, 1, 1], dtype='int8')"),
        "{source}"
    );
    saved.check(&format!(
        "{PY_HELPERS}
assert tree('arch/_data.h5') == ['keyed/__', 'keyed/a_b', 'run/fields/pressure', 'run/fields/temperature', 'run/steps/0', 'run/steps/1', 'twice/0'], tree('arch/_data.h5')
assert a.run.fields.temperature.shape == (20, 30) and (a.run.fields.temperature == 300).all()
assert a.run.steps[1].dtype == np.int32 and (a.run.steps[1] == 2).all()
assert a.keyed['a/b'][0] == 0.5 and a.keyed['..'][0] == 1.5
assert a.twice[0] is a.twice[1]
assert a.run.label == 'test'
"
    ));
}

/// gzip: a compressible 8 MB array makes a far smaller file with equal values; datasets are
/// chunked (about 1 MiB a chunk) and deflated, which plain h5py reads without plugins. A large
/// Fortran-ordered array is written in several slabs.
#[test]
fn compression_makes_a_compressible_array_much_smaller() {
    let n = 1 << 20; // 8 MiB of f64
    let ramp = Array1::from_iter((0..n).map(|i| (i % 1000) as f64));
    let fortran = Array2::from_shape_fn((1500, 1000).f(), |(i, j)| (i * 1000 + j) as f64);
    let mut sizes = Vec::new();
    for options in [
        Hdf5Options::default(),
        Hdf5Options::default().gzip(4).chunked(true),
    ] {
        let mut archive = hdf5_archive(options);
        archive.insert("ramp", &ramp).unwrap();
        archive.insert("fortran", &fortran).unwrap();
        let saved = save_package(&archive);
        let file = saved.dir.path().join("arch/_data.h5");
        let ramp_bytes = run_python(
            saved.dir.path(),
            &format!(
                "{PY_HELPERS}
import numpy as np
import arch as a
ramp = np.arange({n}) % 1000
same(a.ramp, ramp, 'float64')
same(a.fortran, np.arange(1500 * 1000).reshape(1500, 1000), 'float64')
assert a.fortran.flags.f_contiguous
with h5py.File('arch/_data.h5', 'r') as f:
    d = f['ramp']
    print(d.id.get_storage_size())
    if {compressed}:
        assert d.compression == 'gzip' and d.compression_opts == 4, d.compression
        assert d.chunks is not None and d.chunks[0] * 8 <= 1 << 20, d.chunks
        assert f['fortran'].chunks is not None and f['fortran'].attrs['fortran_order']
    else:
        assert d.compression is None and d.chunks is None
",
                compressed = if options.gzip_level().is_some() {
                    "True"
                } else {
                    "False"
                },
            ),
        );
        sizes.push((
            std::fs::metadata(&file).unwrap().len(),
            ramp_bytes.trim().parse::<u64>().unwrap(),
        ));
    }
    let (plain, gzip) = (sizes[0], sizes[1]);
    assert!(plain.1 >= 8 << 20, "{sizes:?}");
    assert!(gzip.1 * 20 < plain.1, "the ramp barely shrank: {sizes:?}");
    assert!(gzip.0 * 4 < plain.0, "the file barely shrank: {sizes:?}");
}

/// Chunking alone (no compression) is allowed and readable.
#[test]
fn chunking_without_compression() {
    let field = Array3::from_shape_fn((100, 64, 64), |(i, j, k)| (i + j + k) as f32);
    let mut archive = hdf5_archive(Hdf5Options::default().chunked(true));
    archive.insert("field", &field).unwrap();
    save_package(&archive).check(&format!(
        "{PY_HELPERS}
i, j, k = np.indices((100, 64, 64))
same(a.field, i + j + k, 'float32')
with h5py.File('arch/_data.h5', 'r') as f:
    assert f['field'].chunks == (50, 64, 64), f['field'].chunks
    assert f['field'].compression is None
"
    ));
}

/// Lazy mode: the arrays are `h5py.Dataset` objects of the right shape, dtype and values, and
/// the file stays open after import.
#[test]
fn lazy_mode_gives_h5py_datasets() {
    let field = Array2::from_shape_fn((300, 200), |(i, j)| (i * 200 + j) as i64);
    let fortran = Array2::from_shape_fn((3, 5).f(), |(i, j)| i * 5 + j);
    let mut archive = hdf5_archive(Hdf5Options::default().lazy(true).gzip(1));
    archive.insert("field", &field).unwrap();
    archive
        .insert("fortran", fortran.mapv(|v| v as u32))
        .unwrap();
    archive.insert("nested", (1, vec![field.row(3)])).unwrap();
    let saved = save_package(&archive);
    saved.check(
        r#"
import gc, h5py
gc.collect()
assert isinstance(a.field, h5py.Dataset), type(a.field)
assert a.field.shape == (300, 200) and a.field.dtype == np.int64
assert a.field.id.valid
assert (a.field[10:12, :3] == [[2000, 2001, 2002], [2200, 2201, 2202]]).all()
assert (a.field[()] == np.arange(60000).reshape(300, 200)).all()
assert isinstance(a.fortran, h5py.Dataset) and a.fortran.shape == (3, 5)
assert (a.fortran[()] == np.arange(15).reshape(3, 5)).all() and a.fortran.dtype == np.uint32
assert isinstance(a.nested[1][0], h5py.Dataset) and (a.nested[1][0][()] == np.arange(600, 800)).all()
assert not any(n.startswith('_') for n in dir(a) if not n.startswith('__')), dir(a)
"#,
    );
}

/// By default the file is read and closed at import: it can be deleted (or replaced) afterwards,
/// and h5py is imported only when the archive has HDF5 data.
#[test]
fn eager_mode_reads_and_closes_the_file() {
    let mut archive = hdf5_archive(Hdf5Options::default());
    archive.insert("x", Array1::from_elem(10, 2.0_f64)).unwrap();
    let saved = save_package(&archive);
    saved.check(
        "import gc, os, h5py
gc.collect()
assert isinstance(a.x, np.ndarray) and (a.x == 2).all()
assert not h5py.h5f.get_obj_ids(types=h5py.h5f.OBJ_FILE), 'a file is still open'
os.remove('arch/_data.h5')
assert a.x.sum() == 20
assert sorted(n for n in dir(a) if not n.startswith('__')) == ['x'], dir(a)
",
    );

    // No array above the threshold: no HDF5 file, and no h5py import.
    let mut archive = Archive::new().with_array_store(ArrayStore::Hdf5(Hdf5Options::default()));
    archive
        .insert("small", Array1::from_elem(10, 2.0_f64))
        .unwrap();
    let saved = save_package(&archive);
    assert_eq!(file_names(&saved.dir.path().join("arch")), ["__init__.py"]);
    assert!(!saved.source().contains("h5py"), "{}", saved.source());
    saved.check("import sys\nassert 'h5py' not in sys.modules\nassert a.small.sum() == 20");
}

/// The threshold still decides: arrays at or below it stay readable numbers in the source, the
/// others go to the file.
#[test]
fn the_threshold_still_decides_what_is_inline() {
    let mut archive = Archive::new()
        .with_array_threshold(10)
        .with_array_store(ArrayStore::Hdf5(Hdf5Options::default()));
    archive
        .insert("short", ArrayView1::from(&[1.0, 2.0][..]))
        .unwrap();
    archive
        .insert("long", Array::linspace(0.0, 1.0, 11))
        .unwrap();
    let saved = save_package(&archive);
    let source = saved.source();
    assert!(
        source.contains("short = _np.array([1.0, 2.0], dtype='float64')"),
        "{source}"
    );
    assert!(source.contains("long = _load('long')"), "{source}");
    saved
        .check("assert a.short.tolist() == [1.0, 2.0] and a.long[-1] == 1.0 and len(a.long) == 11");
}
