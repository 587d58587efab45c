//! The values of the format-1 golden archives, and the Rust types they are written with and read
//! back as. Frozen with the folder `golden/v1/`: change nothing here that changes what the
//! generator writes (a format change adds `v2` instead).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, LinkedList, VecDeque};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use ndarray::{Array0, Array1, Array2, Array3, ArrayD, IxDyn, ShapeBuilder};
use num_complex::Complex;
use persist_core::Persist;

/// Re-exports the runtime crate, as a user's own crate might (for `#[persist(crate = ...)]`).
pub mod reexport {
    pub use persist_core as persist;
}

// ---------------------------------------------------------------------------------- scalars

/// The extremes of every integer width.
#[derive(Persist, Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Integers {
    pub i8_min: i8,
    pub i8_max: i8,
    pub i16_min: i16,
    pub i16_max: i16,
    pub i32_min: i32,
    pub i32_max: i32,
    pub i64_min: i64,
    pub i64_max: i64,
    pub i128_min: i128,
    pub i128_max: i128,
    pub isize_min: isize,
    pub isize_max: isize,
    pub u8_max: u8,
    pub u16_max: u16,
    pub u32_max: u32,
    pub u64_max: u64,
    pub u128_max: u128,
    pub usize_max: usize,
    pub zero: u8,
}

/// Every width at its extremes.
pub fn integers() -> Integers {
    Integers {
        i8_min: i8::MIN,
        i8_max: i8::MAX,
        i16_min: i16::MIN,
        i16_max: i16::MAX,
        i32_min: i32::MIN,
        i32_max: i32::MAX,
        i64_min: i64::MIN,
        i64_max: i64::MAX,
        i128_min: i128::MIN,
        i128_max: i128::MAX,
        isize_min: isize::MIN,
        isize_max: isize::MAX,
        u8_max: u8::MAX,
        u16_max: u16::MAX,
        u32_max: u32::MAX,
        u64_max: u64::MAX,
        u128_max: u128::MAX,
        usize_max: usize::MAX,
        zero: 0,
    }
}

/// `f64` values, special ones included (compare them with [`f64::to_bits`]).
pub fn doubles() -> Vec<f64> {
    vec![
        0.0,
        -0.0,
        0.1,
        -2.5,
        std::f64::consts::PI,
        1e300,
        f64::MAX,
        f64::MIN_POSITIVE,
        5e-324,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
    ]
}

/// `f32` values, special ones included (compare them with [`f32::to_bits`]).
pub fn singles() -> Vec<f32> {
    vec![
        0.1,
        -0.0,
        f32::MAX,
        f32::MIN_POSITIVE,
        1e-45,
        f32::INFINITY,
        f32::NAN,
    ]
}

// ------------------------------------------------------------------------------------- text

/// Characters that need escaping, and some that do not.
pub fn chars() -> Vec<char> {
    vec![
        'a',
        'é',
        '\0',
        '\n',
        '\r',
        '\t',
        '\'',
        '"',
        '\\',
        '\u{7f}',
        '\u{85}',
        '\u{2028}',
        '\u{feff}',
        '🦀',
        '\u{10ffff}',
    ]
}

/// A string of every kind of character [`chars`] has, and then some.
pub fn tricky() -> String {
    let mut s: String = chars().into_iter().collect();
    s.push_str(" ''' \"\"\" {braces} %s \\n \u{1b}[0m end");
    s
}

/// A relative path, as a `PathBuf` writes it.
pub fn path() -> PathBuf {
    PathBuf::from("data/run 1/field.npy")
}

// ------------------------------------------------------------------------------- containers

/// One tuple of each length from 1 to 12.
#[derive(Persist, Debug, Clone, PartialEq)]
#[allow(missing_docs, clippy::type_complexity)]
pub struct Tuples {
    pub one: (i32,),
    pub two: (i32, String),
    pub three: (i32, i32, i32),
    pub four: (u8, u8, u8, u8),
    pub five: (u8, u8, u8, u8, u8),
    pub six: (u8, u8, u8, u8, u8, u8),
    pub seven: (u8, u8, u8, u8, u8, u8, u8),
    pub eight: (u8, u8, u8, u8, u8, u8, u8, u8),
    pub nine: (u8, u8, u8, u8, u8, u8, u8, u8, u8),
    pub ten: (u8, u8, u8, u8, u8, u8, u8, u8, u8, u8),
    pub eleven: (u8, u8, u8, u8, u8, u8, u8, u8, u8, u8, u8),
    pub twelve: (
        bool,
        i8,
        u16,
        i32,
        u64,
        f32,
        f64,
        char,
        String,
        (),
        Option<u8>,
        Vec<u8>,
    ),
}

/// Tuples of every length.
pub fn tuples() -> Tuples {
    Tuples {
        one: (1,),
        two: (2, "two".to_owned()),
        three: (1, 2, 3),
        four: (1, 2, 3, 4),
        five: (1, 2, 3, 4, 5),
        six: (1, 2, 3, 4, 5, 6),
        seven: (1, 2, 3, 4, 5, 6, 7),
        eight: (1, 2, 3, 4, 5, 6, 7, 8),
        nine: (1, 2, 3, 4, 5, 6, 7, 8, 9),
        ten: (1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
        eleven: (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
        twelve: (
            true,
            -8,
            16,
            -32,
            64,
            0.5,
            0.25,
            'z',
            "s".to_owned(),
            (),
            None,
            vec![1, 2],
        ),
    }
}

/// A record used as a dict key and a set element.
#[derive(Persist, Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)]
pub struct Cell {
    pub row: i32,
    pub col: i32,
}

/// Sequences of each kind.
#[derive(Persist, Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Sequences {
    pub vec: Vec<i32>,
    pub empty: Vec<i32>,
    pub nested: Vec<Vec<i32>>,
    pub deque: VecDeque<u8>,
    pub linked: LinkedList<String>,
    pub array: [u16; 3],
    pub no_elements: [u8; 0],
}

/// One of each sequence.
pub fn sequences() -> Sequences {
    Sequences {
        vec: vec![3, -1, 4],
        empty: vec![],
        nested: vec![vec![1], vec![], vec![2, 3]],
        deque: VecDeque::from([7, 8, 9]),
        linked: LinkedList::from(["x".to_owned(), "y".to_owned()]),
        array: [1, 2, 65535],
        no_elements: [],
    }
}

/// Maps and sets of each kind and key type.
#[derive(Persist, Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Maps {
    pub hash_map: HashMap<String, i32>,
    pub btree_map: BTreeMap<i64, String>,
    pub bool_keys: BTreeMap<bool, u8>,
    pub tuple_keys: BTreeMap<(i32, String), f64>,
    pub record_keys: HashMap<Cell, String>,
    pub empty_map: BTreeMap<String, i32>,
    pub hash_set: HashSet<i32>,
    pub btree_set: BTreeSet<String>,
    pub record_set: BTreeSet<Cell>,
    pub empty_set: BTreeSet<i32>,
}

/// One of each map and set.
pub fn maps() -> Maps {
    Maps {
        hash_map: HashMap::from([
            ("zeta".to_owned(), 26),
            ("alpha".to_owned(), 1),
            ("mu".to_owned(), 12),
        ]),
        btree_map: BTreeMap::from([(-1, "minus one".to_owned()), (10, "ten".to_owned())]),
        bool_keys: BTreeMap::from([(false, 0), (true, 1)]),
        tuple_keys: BTreeMap::from([((1, "a".to_owned()), 0.5), ((2, "b".to_owned()), 1.5)]),
        record_keys: HashMap::from([
            (Cell { row: 0, col: 1 }, "right".to_owned()),
            (Cell { row: 1, col: 0 }, "down".to_owned()),
        ]),
        empty_map: BTreeMap::new(),
        hash_set: HashSet::from([5, -3, 11]),
        btree_set: BTreeSet::from(["b".to_owned(), "a".to_owned()]),
        record_set: BTreeSet::from([Cell { row: 2, col: 2 }]),
        empty_set: BTreeSet::new(),
    }
}

/// Pointers: boxes, and values shared through `Rc` and `Arc` (written once, so `a is b`).
#[derive(Persist, Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Pointers {
    pub boxed: Box<i32>,
    pub boxed_list: Box<Vec<u8>>,
    pub rc_a: Rc<Vec<i32>>,
    pub rc_b: Rc<Vec<i32>>,
    pub arc_a: Arc<String>,
    pub arc_b: Arc<String>,
    pub arc_other: Arc<String>,
}

/// `rc_a`/`rc_b` and `arc_a`/`arc_b` share their value; `arc_other` is equal but not shared.
pub fn pointers() -> Pointers {
    let rc = Rc::new(vec![1, 2, 3]);
    let arc = Arc::new("shared".to_owned());
    Pointers {
        boxed: Box::new(42),
        boxed_list: Box::new(vec![1, 2]),
        rc_a: rc.clone(),
        rc_b: rc,
        arc_a: arc.clone(),
        arc_b: arc,
        arc_other: Arc::new("shared".to_owned()),
    }
}

/// Complex numbers of both widths, special parts included.
#[derive(Persist, Debug, Clone)]
#[allow(missing_docs)]
pub struct Complexes {
    pub single: Complex<f32>,
    pub double: Complex<f64>,
    pub special: Vec<Complex<f64>>,
}

/// Complex values.
pub fn complexes() -> Complexes {
    Complexes {
        single: Complex::new(0.5, -1.25),
        double: Complex::new(std::f64::consts::E, 1e-300),
        special: vec![
            Complex::new(-0.0, 0.0),
            Complex::new(f64::INFINITY, f64::NEG_INFINITY),
            Complex::new(f64::NAN, 1.0),
        ],
    }
}

// ----------------------------------------------------------------------------------- arrays

/// Integer element types: eight values from `MIN` to `MAX` (above the threshold: external).
pub trait IntRange: Sized {
    /// `[MIN, 0, 1, 2, 3, MAX - 1, MAX / 2, MAX]`.
    fn range() -> Array1<Self>;
}

macro_rules! int_range {
    ($($t:ty),*) => {$(
        impl IntRange for $t {
            fn range() -> Array1<$t> {
                Array1::from(vec![<$t>::MIN, 0, 1, 2, 3, <$t>::MAX - 1, <$t>::MAX / 2, <$t>::MAX])
            }
        }
    )*};
}
int_range!(i8, i16, i32, i64, u8, u16, u32, u64);

/// The `f64` array of special values (external).
pub fn special_doubles() -> Array1<f64> {
    Array1::from(vec![
        0.0,
        -0.0,
        1.5,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
    ])
}

/// Booleans above the threshold.
pub fn bools() -> Array1<bool> {
    Array1::from(vec![true, false, false, true, true, false])
}

/// `f32` values above the threshold.
pub fn floats32() -> Array1<f32> {
    Array1::from(vec![
        0.1,
        -0.0,
        f32::MAX,
        f32::MIN_POSITIVE,
        1e-45,
        f32::INFINITY,
    ])
}

/// `Complex<f32>` values above the threshold.
pub fn complex64s() -> Array1<Complex<f32>> {
    Array1::from_shape_fn(5, |i| Complex::new(i as f32 * 0.5, -(i as f32)))
}

/// `Complex<f64>` values above the threshold.
pub fn complex128s() -> Array1<Complex<f64>> {
    Array1::from_shape_fn(5, |i| Complex::new(-(i as f64), i as f64 * 0.25))
}

/// A 2×3 matrix: `m[i, j] = 10 i + j`.
pub fn matrix() -> Array2<f64> {
    Array2::from_shape_fn((2, 3), |(i, j)| (10 * i + j) as f64)
}

/// A 3×2 matrix in Fortran order: `f[i, j] = i - 10 j`.
pub fn fortran() -> Array2<f64> {
    Array2::from_shape_fn((3, 2).f(), |(i, j)| i as f64 - 10.0 * j as f64)
}

/// A 2×2 matrix in Fortran order, small enough to be inline.
pub fn fortran_small() -> Array2<i32> {
    Array2::from_shape_fn((2, 2).f(), |(i, j)| (10 * i + j) as i32)
}

/// A 2×3×2 array: `c[i, j, k] = 100 i + 10 j + k`.
pub fn cube() -> Array3<i32> {
    Array3::from_shape_fn((2, 3, 2), |(i, j, k)| (100 * i + 10 * j + k) as i32)
}

/// A dynamic-dimension array of shape 1×2×3: the values 0 to 5.
pub fn dynamic() -> ArrayD<u8> {
    ArrayD::from_shape_vec(IxDyn(&[1, 2, 3]), (0..6).collect()).expect("six elements")
}

/// A 0-dimensional array.
pub fn scalar_array() -> Array0<f64> {
    Array0::from_elem((), 2.5)
}

/// An array without elements, of shape 0×3.
pub fn empty_array() -> Array2<f32> {
    Array2::zeros((0, 3))
}

/// A 3×6 array whose every other column ([`strided_view`]) is written as a view.
pub fn wide() -> Array2<i64> {
    Array2::from_shape_fn((3, 6), |(i, j)| (6 * i + j) as i64)
}

/// What the view of [`wide`] holds: columns 0, 2, 4.
pub fn strided_view() -> Array2<i64> {
    wide().slice(ndarray::s![.., ..;2]).to_owned()
}

/// A small inline matrix: `[[1, 2], [3, 4]]`.
pub fn small_matrix() -> Array2<f64> {
    Array2::from_shape_vec((2, 2), vec![1.0, 2.0, 3.0, 4.0]).expect("four elements")
}

// ---------------------------------------------------------------------------------- records

/// A struct with named fields.
#[derive(Persist, Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// A tuple struct.
#[derive(Persist, Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Pair(pub i32, pub String);

/// A unit struct.
#[derive(Persist, Debug, Clone, PartialEq)]
pub struct Marker;

/// A generic struct.
#[derive(Persist, Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Wrapper<T> {
    pub inner: T,
    pub label: String,
}

/// An enum with every kind of variant.
#[derive(Persist, Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub enum Shape {
    Empty,
    Circle { r: f64 },
    Square(f64),
    Rect(f64, f64),
}

/// One of each variant.
pub fn shapes() -> Vec<Shape> {
    vec![
        Shape::Empty,
        Shape::Circle { r: 1.5 },
        Shape::Square(2.0),
        Shape::Rect(3.0, 4.0),
    ]
}

/// A recursive record.
#[derive(Persist, Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Node {
    pub value: i32,
    pub children: Vec<Node>,
    pub next: Option<Box<Node>>,
}

/// A small tree with a chain.
pub fn tree() -> Node {
    let leaf = |value| Node {
        value,
        children: vec![],
        next: None,
    };
    Node {
        value: 1,
        children: vec![leaf(2), leaf(3)],
        next: Some(Box::new(Node {
            value: 4,
            children: vec![],
            next: Some(Box::new(leaf(5))),
        })),
    }
}

/// Field names Python reserves softly (`type`, `match`) or not at all (`loop`).
#[derive(Persist, Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Keywords {
    pub r#type: u8,
    pub r#match: u8,
    pub r#loop: bool,
}
