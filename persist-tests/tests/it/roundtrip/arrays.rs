//! Round trips of ndarray arrays: every element type, 0 to 3 (and dynamic) dimensions, standard,
//! Fortran and strided layouts, inline and external; arrays inside records; `load` and opening a
//! module archive by name.

use std::fmt::Debug;

use ndarray::{
    Array, Array0, Array1, Array2, Array3, ArrayD, Dimension, Ix0, Ix1, Ix2, Ix3, IxDyn,
    ShapeBuilder, arr0, array, s,
};
use num_complex::Complex;
use persist_core::{Archive, ArchiveReader, Persist, SaveOptions, load};
use proptest::collection::vec;
use proptest::prelude::*;

use super::{Same, any_f32, any_f64, config, read_back};

/// Fewer cases for the array properties: each case writes 12 archives (`.npy` files too).
fn array_config() -> ProptestConfig {
    ProptestConfig {
        cases: 16,
        ..config()
    }
}

/// The memory order of an array, as numpy would report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    /// Standard (C) layout; also every array that is both C and Fortran (1-d, empty, ...).
    C,
    /// Fortran layout, and not C.
    Fortran,
    /// Neither: a non-contiguous view.
    Strided,
}

fn order<S: ndarray::Data, D: Dimension>(a: &ndarray::ArrayBase<S, D>) -> Order {
    if a.is_standard_layout() {
        Order::C
    } else if a.t().is_standard_layout() {
        Order::Fortran
    } else {
        Order::Strided
    }
}

/// The array `value` (owned, a view, Fortran or strided) written and read back as an owned
/// `Array<A, D>`, inline (a threshold above its size) and external (threshold 0: every
/// non-empty array goes to a `.npy` file): the same shape and elements, and the same memory
/// order (a strided view comes back in standard order).
#[track_caller]
fn array_round_trip<A, S, D>(value: &ndarray::ArrayBase<S, D>)
where
    A: Same + Debug + Clone,
    S: ndarray::Data<Elem = A>,
    D: Dimension,
    ndarray::ArrayBase<S, D>: Persist,
    Array<A, D>: Persist,
{
    let expected_order = match order(value) {
        Order::Strided => Order::C,
        other => other,
    };
    for threshold in [usize::MAX, 0] {
        let placement = if threshold == 0 { "external" } else { "inline" };
        for (way, back) in read_back::<Array<A, D>, _>(value, threshold) {
            assert!(
                back.shape() == value.shape()
                    && back.iter().zip(value.iter()).all(|(a, b)| a.same(b)),
                "{placement} array read back through {way}:\n  wrote {value:?}\n  read  {back:?}"
            );
            assert_eq!(
                order(&back),
                expected_order,
                "{placement} array read back through {way}: memory order of {back:?}"
            );
        }
    }
}

/// A shape of 0 to 3 dimensions of length 0 to 3 each, elements for it, and whether to lay it
/// out in Fortran order.
fn shaped<A: Debug + Clone>(
    element: impl Strategy<Value = A> + Clone,
) -> impl Strategy<Value = (Vec<usize>, Vec<A>, bool)> {
    vec(0usize..4, 0..4).prop_flat_map(move |shape| {
        let len = shape.iter().product::<usize>();
        (Just(shape), vec(element.clone(), len), any::<bool>())
    })
}

/// The array of `shape` holding `data` in logical order, in standard or Fortran layout.
fn make_array<A: Clone>(shape: &[usize], data: Vec<A>, fortran: bool) -> ArrayD<A> {
    let c = ArrayD::from_shape_vec(IxDyn(shape), data).expect("data fits the shape");
    if fortran {
        let mut f = ArrayD::from_shape_vec(IxDyn(shape).f(), c.iter().cloned().collect())
            .expect("data fits the shape");
        f.assign(&c);
        f
    } else {
        c
    }
}

/// Every check of one array: as `ArrayD`, as its fixed dimension, inline and external, and a
/// sliced (non-contiguous) view of it.
#[track_caller]
fn array_checks<A>(array: &ArrayD<A>)
where
    A: Same + Debug + Clone,
    ArrayD<A>: Persist,
    Array0<A>: Persist,
    Array1<A>: Persist,
    Array2<A>: Persist,
    Array3<A>: Persist,
    for<'v> ndarray::ArrayView<'v, A, IxDyn>: Persist,
{
    array_round_trip(array);
    match array.ndim() {
        0 => array_round_trip(&array.clone().into_dimensionality::<Ix0>().expect("0-d")),
        1 => array_round_trip(&array.clone().into_dimensionality::<Ix1>().expect("1-d")),
        2 => array_round_trip(&array.clone().into_dimensionality::<Ix2>().expect("2-d")),
        3 => array_round_trip(&array.clone().into_dimensionality::<Ix3>().expect("3-d")),
        n => unreachable!("shapes have at most 3 dimensions, not {n}"),
    }
    if array.ndim() > 0 {
        // Every other element along the first axis, backwards: a strided view.
        let view = array.slice_axis(ndarray::Axis(0), ndarray::Slice::new(0, None, -2));
        array_round_trip(&view);
    }
}

macro_rules! array_properties {
    ($($name:ident: $element:expr;)*) => {
        proptest! {
            #![proptest_config(array_config())]
            $(
                #[test]
                fn $name((shape, data, fortran) in shaped($element)) {
                    array_checks(&make_array(&shape, data, fortran));
                }
            )*
        }
    };
}

array_properties! {
    arrays_of_bool: any::<bool>();
    arrays_of_i8: any::<i8>();
    arrays_of_i16: any::<i16>();
    arrays_of_i32: any::<i32>();
    arrays_of_i64: any::<i64>();
    arrays_of_u8: any::<u8>();
    arrays_of_u16: any::<u16>();
    arrays_of_u32: any::<u32>();
    arrays_of_u64: any::<u64>();
    arrays_of_f32: any_f32();
    arrays_of_f64: any_f64();
    arrays_of_complex_f32: (any_f32(), any_f32()).prop_map(|(re, im)| Complex::new(re, im));
    arrays_of_complex_f64: (any_f64(), any_f64()).prop_map(|(re, im)| Complex::new(re, im));
}

#[test]
fn array_edge_cases() {
    // 0-d arrays, inline and external.
    array_round_trip(&arr0(1.5_f64));
    array_round_trip(&arr0(f64::NAN));
    array_round_trip(&arr0(true));
    array_round_trip(&arr0(Complex::new(-0.0_f32, 1.0)));
    array_round_trip(&arr0(u64::MAX).into_dyn());
    // Zero-size arrays of every dimension, in both layouts.
    array_round_trip(&Array1::<f64>::zeros(0));
    array_round_trip(&Array2::<i32>::zeros((0, 3)));
    array_round_trip(&Array2::<i32>::zeros((3, 0).f()));
    array_round_trip(&Array3::<bool>::from_elem((2, 0, 4), false));
    array_round_trip(&Array3::<u8>::zeros((0, 0, 0).f()));
    array_round_trip(&ArrayD::<Complex<f64>>::zeros(IxDyn(&[1, 0])));
    // Special floats.
    array_round_trip(&array![
        [f64::NAN, f64::INFINITY, f64::NEG_INFINITY],
        [-0.0, f64::MIN_POSITIVE / 2.0, f64::MAX]
    ]);
    array_round_trip(&array![f32::NAN, -0.0, f32::from_bits(1), f32::MIN]);
    // Integer extremes of every element type.
    array_round_trip(&array![i8::MIN, i8::MAX]);
    array_round_trip(&array![i16::MIN, i16::MAX]);
    array_round_trip(&array![i32::MIN, i32::MAX]);
    array_round_trip(&array![i64::MIN, i64::MAX]);
    array_round_trip(&array![u8::MAX, 0]);
    array_round_trip(&array![u16::MAX, 0]);
    array_round_trip(&array![u32::MAX, 0]);
    array_round_trip(&array![u64::MAX, 0]);
    // Fortran layout stays Fortran; sliced views come back as owned standard arrays.
    let fortran = Array3::from_shape_fn((2, 3, 4).f(), |(i, j, k)| (i * 100 + j * 10 + k) as i64);
    assert_eq!(order(&fortran), Order::Fortran);
    array_round_trip(&fortran);
    array_round_trip(&fortran.view());
    array_round_trip(&fortran.clone().into_dyn());
    let big = Array2::from_shape_fn((6, 8), |(i, j)| (i * 8 + j) as f32);
    let strided = big.slice(s![1..;2, ..;-3]);
    assert_eq!(order(&strided), Order::Strided);
    array_round_trip(&strided);
    array_round_trip(&big.t());
    array_round_trip(&big.slice(s![2, ..]));
    array_round_trip(&big.slice(s![.., 3]));
}

#[derive(Persist, Debug, PartialEq)]
struct Fields {
    name: String,
    small: Array1<f64>,
    field: Array2<f64>,
    mask: ArrayD<bool>,
    spectrum: Option<Array1<Complex<f32>>>,
}

/// Arrays inside records and containers, some external and some inline in one archive.
#[test]
fn arrays_inside_records() {
    let value = Fields {
        name: "run".into(),
        small: array![1.0, 2.0],
        field: Array2::from_shape_fn((5, 4).f(), |(i, j)| i as f64 - j as f64 / 8.0),
        mask: ArrayD::from_elem(IxDyn(&[2, 2, 2]), true),
        spectrum: Some(Array1::from_shape_fn(7, |i| {
            Complex::new(i as f32, -(i as f32))
        })),
    };
    for threshold in [0, 3, 100] {
        for (way, back) in read_back::<Fields, _>(&value, threshold) {
            assert_eq!(back, value, "threshold {threshold}, {way}");
            assert_eq!(order(&back.field), Order::Fortran, "{way}");
        }
    }
    let vec_of_arrays = vec![array![1u8, 2], array![3u8, 4, 5, 6, 7]];
    for (way, back) in read_back::<Vec<Array1<u8>>, _>(&vec_of_arrays, 2) {
        assert_eq!(back, vec_of_arrays, "{way}");
    }
}

/// `load` and opening a module archive by its name without `.py` read the same.
#[test]
fn load_and_open_by_name() {
    let mut archive = Archive::new().with_array_threshold(2);
    archive
        .insert("field", array![[1, 2], [3, 4]])
        .expect("insert");
    archive.insert("alpha", 0.5).expect("insert");
    let dir = tempfile::tempdir().expect("temporary folder");
    archive
        .save(dir.path().join("run.py"), SaveOptions::module())
        .expect("save");
    let field: Array2<i32> = load(dir.path().join("run"), "field").expect("load by name");
    assert_eq!(field, array![[1, 2], [3, 4]]);
    let alpha: f64 = load(dir.path().join("run.py"), "alpha").expect("load by file");
    assert_eq!(alpha, 0.5);
    let reader = ArchiveReader::open(dir.path().join("run")).expect("open");
    assert_eq!(reader.items().collect::<Vec<_>>(), ["field", "alpha"]);
}
