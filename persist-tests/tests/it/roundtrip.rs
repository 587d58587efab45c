//! Round trips: every row of SPEC §3 written with `Archive` and read back into Rust, three ways
//! (`to_python_source` + `from_str`, a saved module archive, a saved package archive), compared
//! equal. Values come from proptest (a modest number of cases each) plus the edge cases of the
//! npy archives issue.
//!
//! Floats are compared by bit pattern, except NaN: Python source spells every NaN
//! `float('nan')`, so a NaN's sign and payload are not kept by inline values (an external `.npy`
//! file keeps them, but the tests do not rely on it). A NaN must come back as a NaN; every other
//! float, `-0.0` and subnormals included, must come back with the same bits.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, LinkedList, VecDeque};
use std::fmt::Debug;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use ndarray::{
    Array, Array0, Array1, Array2, Array3, ArrayD, Dimension, Ix0, Ix1, Ix2, Ix3, IxDyn,
    ShapeBuilder, arr0, array, s,
};
use num_complex::Complex;
use persist_core::{Archive, ArchiveReader, Persist, SaveOptions, from_str, load};
use proptest::collection::{btree_map, btree_set, hash_map, hash_set, vec, vec_deque};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A small number of cases per property, so that the whole suite stays fast (each case saves
/// two archives to disk and reads three).
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        // Failures print their shrunk input; no regression files are written into the tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Fewer cases for the array properties: each case writes 12 archives (`.npy` files too).
fn array_config() -> ProptestConfig {
    ProptestConfig {
        cases: 16,
        ..config()
    }
}

/// `value` inserted as `x` into an archive with the array threshold `threshold`, read back as a
/// `T` three ways: from `to_python_source` with `from_str`, from a saved module archive
/// (`arch.py`, arrays in `arch_arrays/`) and from a saved package archive (`pkg/__init__.py`,
/// arrays in `pkg/_arrays/`). Each result is labelled with its way.
#[track_caller]
fn read_back<T: Persist, V: Persist>(value: &V, threshold: usize) -> Vec<(&'static str, T)> {
    let mut archive = Archive::local().with_array_threshold(threshold);
    if let Err(err) = archive.insert("x", value) {
        panic!("insert failed: {err}");
    }
    let source = archive
        .to_python_source()
        .unwrap_or_else(|err| panic!("to_python_source failed: {err}"));
    let in_memory: T = from_str(&source, "x").unwrap_or_else(|err| {
        panic!("reading the in-memory source failed: {err}\n--- source ---\n{source}")
    });
    let dir = tempfile::tempdir().expect("temporary folder");
    let module = dir.path().join("arch.py");
    let package = dir.path().join("pkg");
    for (path, options) in [
        (&module, SaveOptions::module()),
        (&package, SaveOptions::package()),
    ] {
        if let Err(err) = archive.save(path, options) {
            panic!("saving {} failed: {err}", path.display());
        }
    }
    let open = |path: &std::path::Path, source_file: &std::path::Path| -> T {
        let result = match ArchiveReader::open(path) {
            Ok(reader) => reader.read::<T>("x"),
            Err(err) => Err(err),
        };
        match result {
            Ok(value) => value,
            Err(err) => panic!(
                "reading {} failed: {err}\n--- source ---\n{}",
                path.display(),
                std::fs::read_to_string(source_file).unwrap_or_default()
            ),
        }
    };
    let from_module = open(&module, &module);
    let from_package = open(&package, &package.join("__init__.py"));
    vec![
        ("to_python_source + from_str", in_memory),
        ("module archive", from_module),
        ("package archive", from_package),
    ]
}

/// `value` comes back equal (`==`) every way.
#[track_caller]
fn round_trip<T: Persist + PartialEq + Debug>(value: &T) {
    for (way, back) in read_back::<T, T>(value, persist_core::DEFAULT_ARRAY_THRESHOLD) {
        assert_eq!(&back, value, "read back through {way}");
    }
}

/// Equality that tells every float bit pattern apart, except the NaNs among themselves (see the
/// module docs).
trait Same {
    fn same(&self, other: &Self) -> bool;
}

macro_rules! same_by_eq {
    ($($t:ty)*) => {$(
        impl Same for $t {
            fn same(&self, other: &Self) -> bool {
                self == other
            }
        }
    )*};
}
same_by_eq!(bool i8 i16 i32 i64 u8 u16 u32 u64);

impl Same for f64 {
    fn same(&self, other: &Self) -> bool {
        if self.is_nan() {
            other.is_nan()
        } else {
            self.to_bits() == other.to_bits()
        }
    }
}

impl Same for f32 {
    fn same(&self, other: &Self) -> bool {
        if self.is_nan() {
            other.is_nan()
        } else {
            self.to_bits() == other.to_bits()
        }
    }
}

impl<T: Same> Same for Complex<T> {
    fn same(&self, other: &Self) -> bool {
        self.re.same(&other.re) && self.im.same(&other.im)
    }
}

impl<T: Same> Same for Vec<T> {
    fn same(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a.same(b))
    }
}

impl<T: Same> Same for Option<T> {
    fn same(&self, other: &Self) -> bool {
        match (self, other) {
            (Some(a), Some(b)) => a.same(b),
            (None, None) => true,
            _ => false,
        }
    }
}

/// `value` comes back the [`Same`] every way.
#[track_caller]
fn round_trip_same<T: Persist + Same + Debug>(value: &T) {
    for (way, back) in read_back::<T, T>(value, persist_core::DEFAULT_ARRAY_THRESHOLD) {
        assert!(
            back.same(value),
            "read back through {way}:\n  wrote {value:?}\n  read  {back:?}"
        );
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

/// Any `f64` bit pattern (NaN payloads, subnormals, both zeros), plus proptest's float classes
/// for the special values random bits rarely hit.
fn any_f64() -> impl Strategy<Value = f64> + Clone {
    prop_oneof![
        any::<u64>().prop_map(f64::from_bits),
        proptest::num::f64::ANY,
        Just(-0.0),
        Just(f64::MIN_POSITIVE / 2.0),
    ]
}

/// Any `f32` bit pattern, as [`any_f64`].
fn any_f32() -> impl Strategy<Value = f32> + Clone {
    prop_oneof![
        any::<u32>().prop_map(f32::from_bits),
        proptest::num::f32::ANY,
        Just(-0.0_f32),
        Just(f32::MIN_POSITIVE / 2.0),
    ]
}

/// Any string of any characters: control characters, quotes, backslashes, NUL, non-BMP.
fn any_string() -> impl Strategy<Value = String> {
    prop_oneof![
        vec(any::<char>(), 0..24).prop_map(|chars| chars.into_iter().collect()),
        vec(
            prop_oneof![
                Just('\''),
                Just('"'),
                Just('\\'),
                Just('\0'),
                Just('\n'),
                Just('\r'),
                Just('\t'),
                Just('#'),
                Just('😀'),
                Just('\u{10ffff}'),
                Just('\u{2028}'),
                Just('\u{85}'),
                any::<char>(),
            ],
            0..24
        )
        .prop_map(|chars| chars.into_iter().collect()),
    ]
}

// ---------------------------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    #[test]
    fn integers_of_every_width(
        a in any::<i8>(), b in any::<i16>(), c in any::<i32>(), d in any::<i64>(),
        e in any::<i128>(), f in any::<isize>(),
        g in any::<u8>(), h in any::<u16>(), i in any::<u32>(), j in any::<u64>(),
        k in any::<u128>(), l in any::<usize>(),
    ) {
        round_trip(&(a, b, c, d, e, f, g, h, i, j, k, l));
        round_trip(&e);
        round_trip(&k);
    }

    #[test]
    fn f64_by_bit_pattern(x in any_f64()) {
        round_trip_same(&x);
    }

    #[test]
    fn f32_by_bit_pattern(x in any_f32()) {
        round_trip_same(&x);
    }

    #[test]
    fn complex_numbers(re in any_f64(), im in any_f64(), re32 in any_f32(), im32 in any_f32()) {
        round_trip_same(&Complex::new(re, im));
        round_trip_same(&Complex::new(re32, im32));
    }

    #[test]
    fn bool_char_and_unit(b in any::<bool>(), c in any::<char>()) {
        round_trip(&b);
        round_trip(&c);
        round_trip(&());
    }

    #[test]
    fn strings_and_paths(s in any_string()) {
        round_trip(&s);
        round_trip(&PathBuf::from(&s));
        round_trip::<Cow<'static, str>>(&Cow::Owned(s.clone()));
        round_trip::<Box<str>>(&s.clone().into_boxed_str());
    }
}

#[test]
fn integer_extremes() {
    round_trip(&i128::MIN);
    round_trip(&i128::MAX);
    round_trip(&u128::MAX);
    round_trip(&u128::MIN);
    round_trip(&i64::MIN);
    round_trip(&u64::MAX);
    round_trip(&(i8::MIN, i8::MAX, u8::MAX, i16::MIN, u16::MAX, i32::MIN));
    round_trip(&(isize::MIN, usize::MAX));
    round_trip(&NonZeroU32::new(7).expect("non-zero"));
}

#[test]
fn float_edge_cases_by_bit_pattern() {
    let specials = [
        f64::NAN,
        -f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        0.0,
        -0.0,
        f64::MIN_POSITIVE,
        f64::MIN_POSITIVE / 2.0,
        -f64::MIN_POSITIVE / 3.0,
        f64::from_bits(1),
        f64::MAX,
        f64::MIN,
        f64::EPSILON,
        0.1,
        1.0 / 3.0,
        1e22,
        1e-7,
        123_456_789.0,
        9_007_199_254_740_993.0,
    ];
    for x in specials {
        round_trip_same(&x);
    }
    round_trip_same(&specials.to_vec());
    let specials32 = [
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        -0.0,
        f32::MIN_POSITIVE / 2.0,
        f32::from_bits(1),
        f32::MAX,
        f32::MIN,
        0.1,
        16_777_217.0,
    ];
    for x in specials32 {
        round_trip_same(&x);
    }
    round_trip_same(&specials32.to_vec());
    round_trip_same(&Complex::new(f64::NAN, -0.0));
    round_trip_same(&Complex::new(f64::NEG_INFINITY, f64::MIN_POSITIVE / 2.0));
    round_trip_same(&Complex::new(-0.0_f32, f32::INFINITY));
}

/// Strings that need escaping, or that look like Python syntax.
const TRICKY: &[&str] = &[
    "",
    "it's",
    "say \"hi\"",
    "'\"",
    "'''",
    "\"\"\"",
    "\\",
    "end\\",
    "\\'",
    "C:\\path\\new",
    "\0",
    "a\0b",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\x01\x1b[31m\x1f",
    "\x0b\x0c",
    "\x7f",
    "\u{80}\u{85}\u{9f}",
    "\u{2028}\u{2029}",
    "\u{feff}",
    "\u{d7ff}\u{e000}\u{fffd}\u{ffff}",
    "😀",
    "\u{10ffff}",
    "e\u{301}",
    "{x} %s # not a comment",
    "\n# a line that looks like a comment\nimport os\n",
    "tab\tnew\nline\rcr\0nul\x7fdel\u{85}nel\u{2028}ls😀",
];

#[test]
fn string_edge_cases() {
    for s in TRICKY {
        round_trip(&(*s).to_owned());
        if let [c] = s.chars().collect::<Vec<_>>().as_slice() {
            round_trip(c);
        }
    }
    round_trip(&TRICKY.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
    for c in [
        '\0',
        '\'',
        '"',
        '\\',
        '\n',
        '\u{85}',
        '\u{ffff}',
        '😀',
        char::MAX,
    ] {
        round_trip(&c);
    }
}

// ---------------------------------------------------------------------------------------------
// Containers
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    #[test]
    fn option_and_sequences(
        v in vec(any::<Option<i32>>(), 0..8),
        d in vec_deque(any_string(), 0..5),
        nested in vec(vec(any::<u8>(), 0..4), 0..4),
        floats in vec(any_f64(), 0..8),
        array in any::<[i16; 5]>(),
    ) {
        round_trip(&v);
        round_trip(&d);
        round_trip(&nested);
        round_trip_same(&floats);
        round_trip_same(&floats.iter().map(|f| Some(*f)).collect::<Vec<_>>());
        round_trip(&array);
        round_trip(&[array, array]);
        round_trip(&nested.iter().cloned().collect::<LinkedList<_>>());
        round_trip(&v.clone().into_boxed_slice());
        round_trip(&Some(Some(v.clone())));
    }

    #[test]
    fn tuples_of_every_length(
        t1 in any::<(u8,)>(),
        t2 in any::<(i64, bool)>(),
        t3 in any::<(char, u16, Option<i8>)>(),
        t10 in any::<(u8, i8, u16, i16, u32, i32, u64, i64, bool, char)>(),
        tail in any::<(u128, i128)>(),
        s in any_string(),
    ) {
        round_trip(&t1);
        round_trip(&t2);
        round_trip(&t3);
        round_trip(&(t2.0, t2.1, s.clone(), ()));
        round_trip(&(1u8, 2u16, 3u32, 4u64, s.clone()));
        round_trip(&(1u8, 2u16, 3u32, 4u64, 5u8, t1));
        round_trip(&(1u8, 2u16, 3u32, 4u64, 5u8, 6i8, 7i16));
        round_trip(&(1u8, 2u16, 3u32, 4u64, 5u8, 6i8, 7i16, s.clone()));
        round_trip(&(1u8, 2u16, 3u32, 4u64, 5u8, 6i8, 7i16, 8i32, t3));
        round_trip(&t10);
        let (a, b, c, d, e, f, g, h, i, j) = t10;
        round_trip(&(a, b, c, d, e, f, g, h, i, j, tail.0));
        round_trip(&(a, b, c, d, e, f, g, h, i, j, tail.0, tail.1));
        round_trip(&((t1,), ((t2,),)));
    }

    #[test]
    fn maps_with_every_key_kind(
        by_str in hash_map(any_string(), any::<i32>(), 0..6),
        by_int in btree_map(any::<i64>(), any_string(), 0..6),
        by_big in hash_map(any::<u128>(), any::<bool>(), 0..4),
        by_bool in btree_map(any::<bool>(), vec(any::<u8>(), 0..3), 0..3),
        by_tuple in hash_map(any::<(i32, bool)>(), any::<Option<u8>>(), 0..6),
        by_nested in btree_map(any::<(u8, (char, i8))>(), any::<()>(), 0..4),
    ) {
        round_trip(&by_str);
        round_trip(&by_str.iter().map(|(k, v)| (k.clone(), *v)).collect::<BTreeMap<_, _>>());
        round_trip(&by_int);
        round_trip(&by_big);
        round_trip(&by_bool);
        round_trip(&by_tuple);
        round_trip(&by_nested);
        round_trip(&vec![by_int.clone(), BTreeMap::new()]);
    }

    #[test]
    fn sets(
        ints in hash_set(any::<i64>(), 0..8),
        strings in btree_set(any_string(), 0..6),
        tuples in hash_set(any::<(u8, bool, char)>(), 0..6),
    ) {
        round_trip(&ints);
        round_trip(&ints.iter().copied().collect::<BTreeSet<_>>());
        round_trip(&strings);
        round_trip(&tuples);
        round_trip(&(ints.clone(), strings.clone()));
    }

    #[test]
    fn boxes_and_shared_pointers(v in vec(any::<i32>(), 0..6), s in any_string()) {
        round_trip(&Box::new(v.clone()));
        round_trip(&Box::new(Box::new(s.clone())));
        round_trip(&Rc::new(v.clone()));
        round_trip(&Arc::new(s.clone()));
        round_trip::<Rc<str>>(&Rc::from(s.as_str()));
        round_trip::<Arc<[i32]>>(&Arc::from(v.as_slice()));
    }
}

#[test]
fn empty_containers_and_the_one_tuple() {
    round_trip(&Vec::<i32>::new());
    round_trip(&Vec::<Vec<u8>>::new());
    round_trip(&vec![Vec::<u8>::new()]);
    round_trip(&VecDeque::<String>::new());
    round_trip(&HashMap::<String, i32>::new());
    round_trip(&BTreeMap::<(i32, bool), u8>::new());
    round_trip(&HashSet::<i32>::new());
    round_trip(&BTreeSet::<String>::new());
    round_trip(&[0u8; 0]);
    round_trip(&(1u8,));
    round_trip(&((),));
    round_trip(&(Vec::<u8>::new(),));
    round_trip(&Option::<i32>::None);
    round_trip(&(
        HashSet::<u8>::new(),
        BTreeMap::<u8, u8>::new(),
        (Vec::<u8>::new(),),
    ));
}

// ---------------------------------------------------------------------------------------------
// Shared values
// ---------------------------------------------------------------------------------------------

/// Python has one `None`: `Some(())` and `Some(None)` are written as `None`, so they read back as
/// `None` (a limitation of the mapping, SPEC §3, not of the reader).
#[test]
fn nested_none_reads_back_as_the_outer_none() {
    for (way, back) in read_back::<Option<()>, _>(&Some(()), 100) {
        assert_eq!(back, None, "{way}");
    }
    for (way, back) in read_back::<Option<Option<u8>>, _>(&Some(None::<u8>), 100) {
        assert_eq!(back, None, "{way}");
    }
    round_trip(&Some(Some(1u8)));
    round_trip(&vec![Some(1u8), None]);
}

#[derive(Persist, Debug, PartialEq)]
struct Twice {
    first: Rc<Vec<i32>>,
    second: Rc<Vec<i32>>,
    label: Arc<str>,
    again: Arc<str>,
}

/// A value shared twice in one item, and across two items, comes back as one allocation per
/// pointer type when read through one `ArchiveReader`, whichever item is inserted (and read)
/// first.
#[test]
fn shared_values_come_back_shared() {
    let list = Rc::new(vec![1, 2, 3]);
    let label: Arc<str> = Arc::from("shared label");
    let twice = Twice {
        first: Rc::clone(&list),
        second: Rc::clone(&list),
        label: Arc::clone(&label),
        again: Arc::clone(&label),
    };
    for twice_first in [true, false] {
        let order = if twice_first {
            ["twice", "list"]
        } else {
            ["list", "twice"]
        };
        let mut archive = Archive::local();
        for name in order {
            let result = match name {
                "twice" => archive.insert("twice", &twice),
                _ => archive.insert("list", &list),
            };
            if let Err(err) = result {
                panic!("insert failed: {err}");
            }
        }
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("arch");
        archive
            .save(&path, SaveOptions::package())
            .unwrap_or_else(|e| panic!("save failed: {e}"));
        let source = archive.to_python_source().expect("source");
        for reader in [
            ArchiveReader::open(&path).expect("open"),
            ArchiveReader::from_source(&source).expect("parse"),
        ] {
            // Read in both orders too: the first read makes the allocation, the second finds it
            // (reads of one session share what the archive shares).
            let session = reader.session();
            let (back, alone): (Twice, Rc<Vec<i32>>) = if twice_first {
                let back = session.read("twice").expect("read twice");
                (back, session.read("list").expect("read list"))
            } else {
                let alone = session.read("list").expect("read list");
                (session.read("twice").expect("read twice"), alone)
            };
            assert_eq!(back, twice, "{source}");
            assert!(Rc::ptr_eq(&back.first, &back.second), "{source}");
            assert!(Arc::ptr_eq(&back.label, &back.again), "{source}");
            assert!(Rc::ptr_eq(&back.first, &alone), "{source}");
            // The same value read as another pointer type is a separate allocation.
            let as_arc: Arc<Vec<i32>> = session.read("list").expect("read list as Arc");
            assert_eq!(*as_arc, *list);
            // Readers do not share allocations with each other, nor with what was written.
            assert!(!Rc::ptr_eq(&alone, &list));
        }
    }
}

#[test]
fn shared_values_inside_collections() {
    let leaf = Rc::new(String::from("leaf"));
    let value: Vec<Rc<String>> = vec![Rc::clone(&leaf), Rc::clone(&leaf), Rc::new("own".into())];
    for (way, back) in read_back::<Vec<Rc<String>>, _>(&value, 100) {
        assert_eq!(back, value, "{way}");
        assert!(Rc::ptr_eq(&back[0], &back[1]), "{way}");
        assert!(!Rc::ptr_eq(&back[0], &back[2]), "{way}");
    }
}

// ---------------------------------------------------------------------------------------------
// Arrays
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Derived types
// ---------------------------------------------------------------------------------------------

#[derive(Persist, Debug, PartialEq, Clone)]
struct Params {
    alpha: f64,
    steps: u32,
    name: String,
    tags: Vec<String>,
    limits: (i64, Option<i64>),
    lookup: BTreeMap<String, u8>,
}

#[derive(Persist, Debug, PartialEq, Clone)]
struct Position(f64, f64, i8);

#[derive(Persist, Debug, PartialEq, Clone)]
struct Origin;

#[derive(Persist, Debug, PartialEq, Clone)]
enum Event {
    Start,
    Tick(u64),
    Move(Position, Origin),
    Note { text: String, level: u8 },
    Nested(Box<Event>),
    Empty {},
    Unit(),
}

#[derive(Persist, Debug, PartialEq, Clone)]
struct Tagged<T, U> {
    value: T,
    others: Vec<U>,
    pair: Option<(T, U)>,
}

#[derive(Persist, Debug, PartialEq, Clone)]
enum Either<L, R> {
    Left(L),
    Right { value: R },
}

fn params() -> impl Strategy<Value = Params> {
    (
        any::<f64>(),
        any::<u32>(),
        any_string(),
        vec(any_string(), 0..3),
        any::<(i64, Option<i64>)>(),
        btree_map(any_string(), any::<u8>(), 0..3),
    )
        .prop_map(|(alpha, steps, name, tags, limits, lookup)| Params {
            alpha,
            steps,
            name,
            tags,
            limits,
            lookup,
        })
}

fn event() -> impl Strategy<Value = Event> {
    let leaf = prop_oneof![
        Just(Event::Start),
        any::<u64>().prop_map(Event::Tick),
        (any::<f64>(), any::<f64>(), any::<i8>())
            .prop_map(|(x, y, z)| Event::Move(Position(x, y, z), Origin)),
        (any_string(), any::<u8>()).prop_map(|(text, level)| Event::Note { text, level }),
        Just(Event::Empty {}),
        Just(Event::Unit()),
    ];
    leaf.prop_recursive(3, 8, 1, |inner| {
        inner.prop_map(|e| Event::Nested(Box::new(e)))
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn derived_structs(p in params(), pos in any::<(f64, f64, i8)>()) {
        round_trip(&p);
        round_trip(&Position(pos.0, pos.1, pos.2));
        round_trip(&Origin);
        round_trip(&vec![p.clone(), p]);
    }

    #[test]
    fn derived_enums(events in vec(event(), 0..6)) {
        for e in &events {
            round_trip(e);
        }
        round_trip(&events);
    }

    #[test]
    fn derived_generics(
        t in any::<i32>(),
        u in vec(any_string(), 0..3),
        pair in any::<Option<(i32, bool)>>(),
        left in any::<bool>(),
    ) {
        round_trip(&Tagged { value: t, others: u.clone(), pair: None::<(i32, String)> });
        round_trip(&Tagged { value: u.clone(), others: vec![pair], pair: None });
        let either: Either<i32, Vec<String>> = if left {
            Either::Left(t)
        } else {
            Either::Right { value: u }
        };
        round_trip(&either);
        round_trip(&Tagged { value: either.clone(), others: vec![either], pair: None });
    }
}

/// Every variant kind, and generic records holding records, in one archive.
#[test]
fn derived_values_together() {
    let events = vec![
        Event::Start,
        Event::Tick(u64::MAX),
        Event::Move(Position(-0.0, 1e-300, -128), Origin),
        Event::Note {
            text: "it's \"quoted\"\n".into(),
            level: 3,
        },
        Event::Nested(Box::new(Event::Nested(Box::new(Event::Empty {})))),
        Event::Unit(),
    ];
    round_trip(&events);
    let mut by_name = HashMap::new();
    by_name.insert(
        "origin".to_owned(),
        Either::<Origin, Position>::Left(Origin),
    );
    by_name.insert(
        "end".to_owned(),
        Either::Right {
            value: Position(1.0, 2.0, 3),
        },
    );
    round_trip(&by_name);
}
