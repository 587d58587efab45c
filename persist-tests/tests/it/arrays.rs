//! ndarray arrays: every element type, every dimension, both memory orders, views, empty arrays,
//! the inline/external threshold and the names and places of external `.npy` files.

use std::collections::BTreeMap;
use std::rc::Rc;

use ndarray::{Array, Array0, Array1, Array2, Array3, ArrayD, IxDyn, ShapeBuilder, s};
use num_complex::Complex;
use persist_core::{
    Archive, DEFAULT_ARRAY_THRESHOLD, Persist, Record, RecordKind, WriteError, Writer,
};
use persist_tests::{file_names, run_python, save_module, save_package};

/// For each element type: a 1-d inline array, a 1-d external array and a 2-d Fortran external
/// array; Python checks dtype, shape, order and the exact values.
#[test]
fn every_element_type_keeps_its_dtype_and_values() {
    let mut archive = Archive::new().with_array_threshold(4);
    let mut code = String::new();
    macro_rules! ints {
        ($($t:ident => $dtype:literal),*) => {$(
            let values: Vec<$t> = vec![$t::MIN, 0, 1, $t::MAX / 2, $t::MAX];
            let python = format!("[{}]", values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", "));
            archive.insert(concat!("inline_", stringify!($t)), Array1::from(values[..3].to_vec())).unwrap();
            archive.insert(concat!("external_", stringify!($t)), Array1::from(values.clone())).unwrap();
            let fortran = Array2::from_shape_vec((2, 3).f(), vec![values[0], values[1], values[2], values[3], values[4], values[0]]).unwrap();
            archive.insert(concat!("fortran_", stringify!($t)), fortran).unwrap();
            code.push_str(&format!(
                "check('{t}', '{dtype}', {python})\n",
                t = stringify!($t), dtype = $dtype,
            ));
        )*};
    }
    ints!(i8 => "int8", i16 => "int16", i32 => "int32", i64 => "int64",
          u8 => "uint8", u16 => "uint16", u32 => "uint32", u64 => "uint64");
    let bools = vec![true, false, true, true, false];
    archive
        .insert("inline_bool", Array1::from(bools[..3].to_vec()))
        .unwrap();
    archive
        .insert("external_bool", Array1::from(bools.clone()))
        .unwrap();
    archive
        .insert(
            "fortran_bool",
            Array2::from_shape_vec((2, 3).f(), vec![true, false, true, true, false, true]).unwrap(),
        )
        .unwrap();
    code.push_str("check('bool', 'bool', [True, False, True, True, False])\n");

    // Floats and complex numbers: compared bit for bit.
    let f32s = vec![0.1_f32, -0.0, f32::MAX, f32::from_bits(1), 1.0 / 3.0];
    let f64s = vec![0.1_f64, -0.0, f64::MAX, 5e-324, 1.0 / 3.0];
    let c32s: Vec<Complex<f32>> = f32s
        .iter()
        .zip(f32s.iter().rev())
        .map(|(&re, &im)| Complex::new(re, im))
        .collect();
    let c64s: Vec<Complex<f64>> = f64s
        .iter()
        .zip(f64s.iter().rev())
        .map(|(&re, &im)| Complex::new(re, im))
        .collect();
    archive
        .insert("inline_f32", Array1::from(f32s[..3].to_vec()))
        .unwrap();
    archive
        .insert("external_f32", Array1::from(f32s.clone()))
        .unwrap();
    archive
        .insert(
            "fortran_f32",
            Array2::from_shape_vec((2, 3).f(), fortran(&f32s)).unwrap(),
        )
        .unwrap();
    archive
        .insert("inline_f64", Array1::from(f64s[..3].to_vec()))
        .unwrap();
    archive
        .insert("external_f64", Array1::from(f64s.clone()))
        .unwrap();
    archive
        .insert(
            "fortran_f64",
            Array2::from_shape_vec((2, 3).f(), fortran(&f64s)).unwrap(),
        )
        .unwrap();
    archive
        .insert("inline_c32", Array1::from(c32s[..3].to_vec()))
        .unwrap();
    archive
        .insert("external_c32", Array1::from(c32s.clone()))
        .unwrap();
    archive
        .insert(
            "fortran_c32",
            Array2::from_shape_vec((2, 3).f(), fortran(&c32s)).unwrap(),
        )
        .unwrap();
    archive
        .insert("inline_c64", Array1::from(c64s[..3].to_vec()))
        .unwrap();
    archive
        .insert("external_c64", Array1::from(c64s.clone()))
        .unwrap();
    archive
        .insert(
            "fortran_c64",
            Array2::from_shape_vec((2, 3).f(), fortran(&c64s)).unwrap(),
        )
        .unwrap();
    let bits32 = |v: &[f32]| {
        format!(
            "[{}]",
            v.iter()
                .map(|x| x.to_bits().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let bits64 = |v: &[f64]| {
        format!(
            "[{}]",
            v.iter()
                .map(|x| x.to_bits().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let parts32: Vec<f32> = c32s.iter().flat_map(|c| [c.re, c.im]).collect();
    let parts64: Vec<f64> = c64s.iter().flat_map(|c| [c.re, c.im]).collect();
    code.push_str(&format!(
        "check('f32', 'float32', {}, lambda x: x.view(np.uint32).tolist())\n\
         check('f64', 'float64', {}, lambda x: x.view(np.uint64).tolist())\n\
         check('c32', 'complex64', {}, lambda x: x.view(np.float32).view(np.uint32).tolist())\n\
         check('c64', 'complex128', {}, lambda x: x.view(np.float64).view(np.uint64).tolist())\n",
        bits32(&f32s),
        bits64(&f64s),
        bits32(&parts32),
        bits64(&parts64),
    ));

    let saved = save_package(&archive);
    let source = saved.source();
    for t in ["i8", "u64", "bool", "f32", "c64"] {
        assert!(
            source.contains(&format!("inline_{t} = _np.array(")),
            "inline_{t} is not inline:\n{source}"
        );
        assert!(
            source.contains(&format!("external_{t} = _load(")),
            "external_{t} is not external"
        );
    }
    let prelude = "def check(t, dtype, want, raw=lambda x: x.tolist()):\n\
        \x20   n = 2 if dtype.startswith('complex') else 1\n\
        \x20   inline, external, fortran = (getattr(a, k + '_' + t) for k in ('inline', 'external', 'fortran'))\n\
        \x20   for x, shape, values in [(inline, (3,), want[:3 * n]), (external, (5,), want)]:\n\
        \x20       assert type(x) is np.ndarray, (t, type(x))\n\
        \x20       assert x.dtype == np.dtype(dtype), (t, x.dtype)\n\
        \x20       assert x.shape == shape, (t, x.shape)\n\
        \x20       assert raw(x) == values, (t, x, raw(x), values)\n\
        \x20   assert fortran.dtype == np.dtype(dtype) and fortran.shape == (2, 3), (t, fortran.dtype, fortran.shape)\n\
        \x20   assert fortran.flags['F_CONTIGUOUS'] and not fortran.flags['C_CONTIGUOUS'], (t, fortran.flags)\n\
        \x20   flat = np.concatenate([external, external[:1]])\n\
        \x20   assert raw(np.ascontiguousarray(fortran.T).reshape(-1)) == raw(flat), (t, fortran)\n";
    saved.check(&format!("{prelude}{code}"));
}

/// The five values and the first again, for a (2, 3) array in Fortran order.
fn fortran<T: Copy>(v: &[T]) -> Vec<T> {
    vec![v[0], v[1], v[2], v[3], v[4], v[0]]
}

/// `[[0, 1, ...], ...]` numbered in C order, as numpy's `arange(n).reshape(shape)`.
fn arange<D: ndarray::Dimension>(shape: D) -> Array<i64, D> {
    let n = shape.size() as i64;
    Array::from_shape_vec(shape, (0..n).collect()).unwrap()
}

#[test]
fn every_dimension_inline_and_external() {
    for threshold in [1000, 0] {
        let mut archive = Archive::new().with_array_threshold(threshold);
        archive
            .insert("d0", Array0::from_elem((), 42.5_f64))
            .unwrap();
        archive.insert("d1", arange(ndarray::Ix1(5))).unwrap();
        archive.insert("d2", arange(ndarray::Ix2(3, 4))).unwrap();
        archive.insert("d3", arange(ndarray::Ix3(2, 3, 4))).unwrap();
        archive
            .insert("dyn0", ArrayD::from_elem(IxDyn(&[]), 7_u8))
            .unwrap();
        archive
            .insert("dyn4", arange(IxDyn(&[2, 1, 3, 2])))
            .unwrap();
        archive
            .insert("dyn6", arange(IxDyn(&[1, 2, 1, 2, 1, 2])))
            .unwrap();
        let saved = save_package(&archive);
        let external = saved.dir.path().join("arch/_arrays");
        if threshold == 0 {
            assert_eq!(
                file_names(&external),
                [
                    "d0.npy", "d1.npy", "d2.npy", "d3.npy", "dyn0.npy", "dyn4.npy", "dyn6.npy"
                ]
            );
        } else {
            assert!(!external.exists(), "no array is above the threshold");
        }
        saved.check(
            "assert a.d0.shape == () and a.d0.ndim == 0 and a.d0.dtype == np.float64 and a.d0[()] == 42.5, a.d0\n\
             assert type(a.d0) is np.ndarray, type(a.d0)\n\
             assert a.dyn0.shape == () and a.dyn0.dtype == np.uint8 and a.dyn0[()] == 7, a.dyn0\n\
             for name, shape in [('d1', (5,)), ('d2', (3, 4)), ('d3', (2, 3, 4)), ('dyn4', (2, 1, 3, 2)), ('dyn6', (1, 2, 1, 2, 1, 2))]:\n\
             \x20   x = getattr(a, name)\n\
             \x20   assert type(x) is np.ndarray and x.dtype == np.int64, (name, type(x), x.dtype)\n\
             \x20   assert x.shape == shape, (name, x.shape)\n\
             \x20   assert x.flags['C_CONTIGUOUS'], (name, x.flags)\n\
             \x20   assert np.array_equal(x, np.arange(x.size).reshape(shape)), (name, x)\n",
        );
    }
}

/// Logical element `[i, j, k]` is `100 i + 10 j + k`, whatever the memory order.
fn fortran3(shape: (usize, usize, usize)) -> Array3<f64> {
    Array3::from_shape_fn(shape.f(), |(i, j, k)| (100 * i + 10 * j + k) as f64)
}

#[test]
fn fortran_arrays_stay_fortran_inline_and_external() {
    let small2 = Array2::from_shape_fn((3, 4).f(), |(i, j)| (10 * i + j) as i32);
    let big2 = Array2::from_shape_fn((20, 30).f(), |(i, j)| (10 * i + j) as i32);
    let small3 = fortran3((2, 3, 4));
    let big3 = fortran3((5, 6, 7));
    let small_dyn = small3.clone().into_dyn();
    assert!(small2.t().is_standard_layout() && !small2.is_standard_layout());
    let mut archive = Archive::new().with_array_threshold(50);
    archive.insert("small2", &small2).unwrap();
    archive.insert("big2", &big2).unwrap();
    archive.insert("small3", &small3).unwrap();
    archive.insert("big3", &big3).unwrap();
    archive.insert("small_dyn", &small_dyn).unwrap();
    archive
        .insert(
            "c_order",
            Array2::from_shape_fn((3, 4), |(i, j)| (10 * i + j) as i32),
        )
        .unwrap();
    // A 1-d array is both C and Fortran contiguous; a (3, 1) Fortran array too.
    archive
        .insert(
            "column",
            Array2::from_shape_fn((3, 1).f(), |(i, _)| i as i32),
        )
        .unwrap();
    for saved in [save_package(&archive), save_module(&archive)] {
        let source = saved.source();
        assert!(
            source.contains("small2 = _np.asfortranarray(_np.array("),
            "{source}"
        );
        assert!(source.contains("big2 = _load("), "{source}");
        saved.check(
            "def f2(shape):\n    return np.fromfunction(lambda i, j: 10 * i + j, shape)\n\
             def f3(shape):\n    return np.fromfunction(lambda i, j, k: 100 * i + 10 * j + k, shape)\n\
             for name, shape, want, dtype in [('small2', (3, 4), f2, 'int32'), ('big2', (20, 30), f2, 'int32'),\n\
             \x20                                ('small3', (2, 3, 4), f3, 'float64'), ('big3', (5, 6, 7), f3, 'float64'),\n\
             \x20                                ('small_dyn', (2, 3, 4), f3, 'float64')]:\n\
             \x20   x = getattr(a, name)\n\
             \x20   assert x.shape == shape and x.dtype == np.dtype(dtype), (name, x.shape, x.dtype)\n\
             \x20   assert x.flags['F_CONTIGUOUS'] and not x.flags['C_CONTIGUOUS'], (name, x.flags)\n\
             \x20   assert np.array_equal(x, want(shape)), (name, x)\n\
             assert a.c_order.flags['C_CONTIGUOUS'] and not a.c_order.flags['F_CONTIGUOUS'], a.c_order.flags\n\
             assert np.array_equal(a.c_order, f2((3, 4))), a.c_order\n\
             assert a.column.shape == (3, 1) and a.column[:, 0].tolist() == [0, 1, 2], a.column\n",
        );
    }
}

#[test]
fn views_slices_and_transposes() {
    let base = arange(ndarray::Ix2(5, 4));
    let big = arange(ndarray::Ix2(30, 20));
    let mut archive = Archive::new().with_array_threshold(40);
    archive.insert("base", &base).unwrap();
    archive.insert("view", base.view()).unwrap();
    archive
        .insert("strided", base.slice(s![..;2, 1..]))
        .unwrap();
    archive.insert("transposed", base.t()).unwrap();
    archive
        .insert("reversed", base.slice(s![..;-1, ..]))
        .unwrap();
    archive.insert("column", base.column(1)).unwrap();
    archive.insert("row", base.row(2)).unwrap();
    archive.insert("element", base.slice(s![1, 2])).unwrap();
    archive
        .insert("big_strided", big.slice(s![..;2, 1..]))
        .unwrap();
    archive.insert("big_transposed", big.t()).unwrap();
    archive
        .insert("big_reversed", big.slice(s![..;-3, ..;-1]))
        .unwrap();
    archive.insert("big_column", big.column(3)).unwrap();
    archive
        .insert(
            "big_permuted",
            arange(ndarray::Ix3(4, 5, 6)).permuted_axes([2, 0, 1]),
        )
        .unwrap();
    let saved = save_package(&archive);
    assert_eq!(
        file_names(&saved.dir.path().join("arch/_arrays")),
        [
            "big_permuted.npy",
            "big_reversed.npy",
            "big_strided.npy",
            "big_transposed.npy"
        ]
    );
    saved.check(
        "base = np.arange(20).reshape(5, 4)\n\
         big = np.arange(600).reshape(30, 20)\n\
         cases = {\n\
         \x20   'base': base, 'view': base, 'strided': base[::2, 1:], 'transposed': base.T,\n\
         \x20   'reversed': base[::-1, :], 'column': base[:, 1], 'row': base[2], 'element': base[1, 2],\n\
         \x20   'big_strided': big[::2, 1:], 'big_transposed': big.T, 'big_reversed': big[::-3, ::-1],\n\
         \x20   'big_column': big[:, 3], 'big_permuted': np.arange(120).reshape(4, 5, 6).transpose(2, 0, 1),\n\
         }\n\
         for name, want in cases.items():\n\
         \x20   x = getattr(a, name)\n\
         \x20   assert type(x) is np.ndarray and x.dtype == np.int64, (name, type(x))\n\
         \x20   assert x.shape == want.shape, (name, x.shape, want.shape)\n\
         \x20   assert np.array_equal(x, want), (name, x)\n\
         \x20   assert x.flags['C_CONTIGUOUS'] or x.flags['F_CONTIGUOUS'], (name, x.flags)\n\
         for name in ['transposed', 'big_transposed']:\n\
         \x20   x = getattr(a, name)\n\
         \x20   assert x.flags['F_CONTIGUOUS'] and not x.flags['C_CONTIGUOUS'], (name, x.flags)\n\
         for name in ['strided', 'reversed', 'big_strided', 'big_reversed']:\n\
         \x20   assert getattr(a, name).flags['C_CONTIGUOUS'], name\n",
    );
}

#[test]
fn zero_size_arrays() {
    let mut archive = Archive::new().with_array_threshold(0);
    archive.insert("empty1", Array1::<f64>::zeros(0)).unwrap();
    archive
        .insert("empty2", Array2::<i32>::zeros((3, 0)))
        .unwrap();
    archive
        .insert("empty2t", Array2::<u8>::zeros((0, 3)))
        .unwrap();
    archive
        .insert(
            "empty_f",
            Array2::<bool>::from_shape_vec((0, 2).f(), vec![]).unwrap(),
        )
        .unwrap();
    archive
        .insert(
            "empty_dyn",
            ArrayD::<Complex<f32>>::zeros(IxDyn(&[2, 0, 5])),
        )
        .unwrap();
    archive
        .insert(
            "empty_slice",
            arange(ndarray::Ix2(3, 3)).slice_move(s![1..1, ..]),
        )
        .unwrap();
    let saved = save_package(&archive);
    saved.check(
        "for name, shape, dtype in [('empty1', (0,), 'float64'), ('empty2', (3, 0), 'int32'),\n\
         \x20                        ('empty2t', (0, 3), 'uint8'), ('empty_f', (0, 2), 'bool'),\n\
         \x20                        ('empty_dyn', (2, 0, 5), 'complex64'), ('empty_slice', (0, 3), 'int64')]:\n\
         \x20   x = getattr(a, name)\n\
         \x20   assert type(x) is np.ndarray and x.size == 0, (name, type(x), x.size)\n\
         \x20   assert x.shape == shape and x.dtype == np.dtype(dtype), (name, x.shape, x.dtype)\n",
    );
}

#[test]
fn the_threshold_is_inclusive() {
    // Default threshold: exactly 100 elements inline, 101 external.
    let mut archive = Archive::new();
    archive
        .insert("at", Array1::from_iter(0..DEFAULT_ARRAY_THRESHOLD as i64))
        .unwrap();
    archive
        .insert(
            "over",
            Array1::from_iter(0..=DEFAULT_ARRAY_THRESHOLD as i64),
        )
        .unwrap();
    archive.insert("at2", arange(ndarray::Ix2(10, 10))).unwrap();
    archive
        .insert("over2", arange(ndarray::Ix2(1, 101)))
        .unwrap();
    let saved = save_package(&archive);
    let source = saved.source();
    assert!(source.contains("\nat = _np.array("), "{source}");
    assert!(source.contains("\nat2 = _np.array("), "{source}");
    assert!(source.contains("\nover = _load("), "{source}");
    assert!(source.contains("\nover2 = _load("), "{source}");
    // Inline arrays are readable numbers a person can edit.
    assert!(source.contains("97, 98, 99]"), "{source}");
    assert_eq!(
        file_names(&saved.dir.path().join("arch/_arrays")),
        ["over.npy", "over2.npy"]
    );
    saved.check(
        "assert a.at.tolist() == list(range(100)) and a.at.dtype == np.int64, a.at\n\
         assert a.over.tolist() == list(range(101)) and a.over.dtype == np.int64, a.over\n\
         assert np.array_equal(a.at2, np.arange(100).reshape(10, 10)), a.at2\n\
         assert np.array_equal(a.over2, np.arange(101).reshape(1, 101)), a.over2\n",
    );

    // A threshold of the archive's own.
    let mut archive = Archive::new().with_array_threshold(6);
    archive.insert("at", Array2::<f32>::ones((2, 3))).unwrap();
    archive.insert("over", Array1::<f32>::ones(7)).unwrap();
    let saved = save_package(&archive);
    let source = saved.source();
    assert!(
        source.contains("\nat = _np.array(") && source.contains("\nover = _load("),
        "{source}"
    );
    assert!(!saved.dir.path().join("arch/_arrays/at.npy").exists());
    assert!(saved.dir.path().join("arch/_arrays/over.npy").is_file());
    saved.check(
        "assert a.at.shape == (2, 3) and a.over.shape == (7,) and a.over.dtype == np.float32",
    );

    // An archive without external arrays has no arrays folder, and no loader.
    let mut archive = Archive::new();
    archive.insert("small", Array1::<u8>::zeros(3)).unwrap();
    let saved = save_package(&archive);
    assert_eq!(file_names(&saved.dir.path().join("arch")), ["__init__.py"]);
    assert!(!saved.source().contains("_load"));
}

/// A struct written by hand (this module does not depend on the derive): `Run(field=...)`.
struct Run {
    field: Array2<f64>,
    parts: Vec<Array1<u8>>,
}

impl Persist for Run {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        static RECORD: Record =
            Record::new("arrays::Run", "Run", RecordKind::Named(&["field", "parts"]));
        out.begin_record(&RECORD)?;
        out.field("field", &self.field)?;
        out.field("parts", &self.parts)?;
        out.end_record()
    }
}

#[test]
fn external_files_are_named_after_the_item_path() {
    let big = || Array1::<u8>::from_elem(5, 9);
    let run = Run {
        field: Array2::zeros((3, 3)),
        parts: vec![big(), Array1::zeros(1), big()],
    };
    let mut archive = Archive::new().with_array_threshold(4);
    archive.insert("run", &run).unwrap();
    archive.insert("field", big()).unwrap();
    archive.insert("many", vec![big(), big()]).unwrap();
    archive.insert("pair", (big(), (1, big()))).unwrap();
    archive
        .insert(
            "by_key",
            BTreeMap::from([("alpha", big()), ("beta gamma", big()), ("it's", big())]),
        )
        .unwrap();
    archive
        .insert("by_int", BTreeMap::from([(-3, big()), (7, big())]))
        .unwrap();
    archive
        .insert("nested", vec![BTreeMap::from([(7_u8, vec![big()])])])
        .unwrap();
    archive.insert("maybe", Some(Box::new(big()))).unwrap();
    let saved = save_package(&archive);
    assert_eq!(
        file_names(&saved.dir.path().join("arch/_arrays")),
        [
            "by_int.-3.npy",
            "by_int.7.npy",
            "by_key.alpha.npy",
            "by_key.beta_gamma.npy",
            "by_key.it__s.npy",
            "field.npy",
            "many.0.npy",
            "many.1.npy",
            "maybe.npy",
            "nested.0.7.0.npy",
            "pair.0.npy",
            "pair.1.1.npy",
            "run.field.npy",
            "run.parts.0.npy",
            "run.parts.2.npy",
        ]
    );
    saved.check(
        "assert type(a.run).__name__ == 'Run' and a.run.field.shape == (3, 3), a.run\n\
         assert [p.tolist() for p in a.run.parts] == [[9] * 5, [0], [9] * 5], a.run.parts\n\
         assert a.by_key['it\\'s'].tolist() == [9] * 5 and a.by_int[-3].tolist() == [9] * 5\n\
         assert a.nested[0][7][0].tolist() == [9] * 5 and a.pair[1][1].dtype == np.uint8\n\
         assert a.maybe.tolist() == [9] * 5\n",
    );
}

#[test]
fn colliding_file_names_stay_apart() {
    let mut map = BTreeMap::new();
    for (i, key) in ["a b", "a_b", "a/b", "a.b", "a_b_2", "..", "A_B"]
        .into_iter()
        .enumerate()
    {
        map.insert(key, Array1::from_elem(5, i as i32));
    }
    let mut archive = Archive::new().with_array_threshold(4);
    archive.insert("m", &map).unwrap();
    let saved = save_package(&archive);
    let files = file_names(&saved.dir.path().join("arch/_arrays"));
    assert_eq!(files.len(), map.len(), "{files:?}");
    saved.check(
        "keys = ['a b', 'a_b', 'a/b', 'a.b', 'a_b_2', '..', 'A_B']\n\
         assert sorted(a.m) == sorted(keys), list(a.m)\n\
         for i, k in enumerate(keys):\n\
         \x20   assert a.m[k].tolist() == [i] * 5, (k, a.m[k])\n",
    );
}

/// Keys that differ only in case get files whose names differ in more than case: on macOS and
/// Windows `m.a.npy` and `m.A.npy` are one file, and a copied archive would lose an array.
#[test]
fn file_names_differ_ignoring_case() {
    let map = BTreeMap::from([
        ("a", Array1::from_elem(5, 1_u8)),
        ("A", Array1::from_elem(5, 2_u8)),
    ]);
    let mut archive = Archive::new().with_array_threshold(4);
    archive.insert("m", &map).unwrap();
    archive.insert("M", Array1::from_elem(5, 3_u8)).unwrap();
    archive.insert("m_", Array1::from_elem(5, 4_u8)).unwrap();
    let saved = save_package(&archive);
    let files = file_names(&saved.dir.path().join("arch/_arrays"));
    let mut folded: Vec<String> = files.iter().map(|f| f.to_lowercase()).collect();
    folded.sort();
    folded.dedup();
    assert_eq!(
        folded.len(),
        files.len(),
        "file names that differ only in case: {files:?}"
    );
    saved.check(
        "assert a.m['a'].tolist() == [1] * 5 and a.m['A'].tolist() == [2] * 5, a.m\n\
         assert a.M.tolist() == [3] * 5 and a.m_.tolist() == [4] * 5\n",
    );
}

/// A dict key longer than a file name may be (255 bytes on most file systems) still gives its
/// array a file.
#[test]
fn a_long_dict_key_gives_a_valid_file_name() {
    let long_key = "k".repeat(300);
    let mut archive = Archive::new().with_array_threshold(4);
    archive
        .insert(
            "m",
            BTreeMap::from([(long_key.as_str(), Array1::from_elem(5, 1_i32))]),
        )
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let saved = archive.save(
        dir.path().join("arch"),
        persist_core::SaveOptions::package(),
    );
    assert!(
        saved.is_ok(),
        "an array under a 300-character key cannot be saved: {}",
        saved.unwrap_err()
    );
    let files = file_names(&dir.path().join("arch/_arrays"));
    assert!(files.len() == 1 && files[0].len() <= 255, "{files:?}");
    run_python(
        dir.path(),
        "import arch\nassert arch.m['k' * 300].tolist() == [1] * 5\n",
    );
}

#[test]
fn a_shared_array_is_written_once() {
    let shared = Rc::new(Array1::<f64>::linspace(0.0, 1.0, 11));
    let mut archive = Archive::local().with_array_threshold(10);
    archive
        .insert("x", (shared.clone(), shared.clone()))
        .unwrap();
    archive.insert("y", shared.clone()).unwrap();
    let saved = save_package(&archive);
    assert_eq!(
        file_names(&saved.dir.path().join("arch/_arrays")),
        ["x.0.npy"]
    );
    saved.check(
        "assert a.x[0] is a.x[1] is a.y, 'one array object'\n\
         assert np.allclose(a.y, np.linspace(0, 1, 11)), a.y\n",
    );
}

#[test]
fn module_archives_keep_arrays_beside_the_module() {
    let mut archive = Archive::new().with_array_threshold(4);
    archive
        .insert(
            "big",
            Array2::from_shape_fn((3, 5).f(), |(i, j)| (i * 5 + j) as u16),
        )
        .unwrap();
    archive.insert("small", Array1::<u16>::zeros(2)).unwrap();
    let saved = save_module(&archive);
    let dir = saved.dir.path();
    assert_eq!(file_names(dir), ["arch.py", "arch_arrays"]);
    assert_eq!(file_names(&dir.join("arch_arrays")), ["big.npy"]);
    // Imported from another working directory: the module finds its arrays by its own path.
    let check = "import os, sys\n\
         os.chdir('/')\n\
         import numpy as np\n\
         import arch as a\n\
         assert a.big.dtype == np.uint16 and a.big.shape == (3, 5), a.big\n\
         assert a.big.flags['F_CONTIGUOUS'], a.big.flags\n\
         assert np.array_equal(a.big, np.arange(15).reshape(3, 5)), a.big\n\
         assert a.small.tolist() == [0, 0]\n";
    run_python(dir, check);
    // Moved to another folder together with its arrays, it still imports.
    let moved = tempfile::tempdir().unwrap();
    std::fs::rename(dir.join("arch.py"), moved.path().join("arch.py")).unwrap();
    std::fs::rename(dir.join("arch_arrays"), moved.path().join("arch_arrays")).unwrap();
    run_python(moved.path(), check);

    // The same for a package.
    let saved = save_package(&archive);
    let moved = tempfile::tempdir().unwrap();
    std::fs::rename(saved.dir.path().join("arch"), moved.path().join("arch")).unwrap();
    run_python(moved.path(), check);
}
