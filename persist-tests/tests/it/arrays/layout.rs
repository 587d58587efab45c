//! Shapes and memory layouts: every dimension inline and external, Fortran arrays stay Fortran,
//! views, slices and transposes, zero-size arrays.

use ndarray::{Array0, Array1, Array2, Array3, ArrayD, IxDyn, ShapeBuilder, s};
use num_complex::Complex;
use persist_core::Archive;
use persist_tests::{file_names, save_module, save_package};

use super::arange;

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
