//! A stored column's values as the reader keeps them ([`Data`]): numbers at the width the
//! store holds them (read into one vector each, never widened into a copy, so that loading a
//! table allocates each column once), strings as one `String` plus offsets, lists as their
//! values plus offsets, and the mask of an optional column ([`Loaded`]).

use num_complex::Complex;

/// Integers of one width.
#[derive(Debug)]
pub(crate) enum Ints {
    I8(Vec<i8>),
    I16(Vec<i16>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
    U64(Vec<u64>),
}

impl Ints {
    /// Value `i`.
    pub(crate) fn get(&self, i: usize) -> i128 {
        match self {
            Ints::I8(v) => i128::from(v[i]),
            Ints::I16(v) => i128::from(v[i]),
            Ints::I32(v) => i128::from(v[i]),
            Ints::I64(v) => i128::from(v[i]),
            Ints::U8(v) => i128::from(v[i]),
            Ints::U16(v) => i128::from(v[i]),
            Ints::U32(v) => i128::from(v[i]),
            Ints::U64(v) => i128::from(v[i]),
        }
    }

    fn len(&self) -> usize {
        match self {
            Ints::I8(v) => v.len(),
            Ints::I16(v) => v.len(),
            Ints::I32(v) => v.len(),
            Ints::I64(v) => v.len(),
            Ints::U8(v) => v.len(),
            Ints::U16(v) => v.len(),
            Ints::U32(v) => v.len(),
            Ints::U64(v) => v.len(),
        }
    }
}

/// Floats of one width.
#[derive(Debug)]
pub(crate) enum Floats {
    F32(Vec<f32>),
    F64(Vec<f64>),
}

impl Floats {
    /// Value `i`, exactly (an `f32` widens without rounding).
    pub(crate) fn get(&self, i: usize) -> f64 {
        match self {
            Floats::F32(v) => f64::from(v[i]),
            Floats::F64(v) => v[i],
        }
    }
}

/// Complex numbers of one width.
#[derive(Debug)]
pub(crate) enum Complexes {
    C32(Vec<Complex<f32>>),
    C64(Vec<Complex<f64>>),
}

impl Complexes {
    /// Value `i` as `(re, im)`.
    pub(crate) fn get(&self, i: usize) -> (f64, f64) {
        match self {
            Complexes::C32(v) => (f64::from(v[i].re), f64::from(v[i].im)),
            Complexes::C64(v) => (v[i].re, v[i].im),
        }
    }
}

/// A stored column's values.
#[derive(Debug)]
pub(crate) enum Data {
    Bool(Vec<bool>),
    Int(Ints),
    Float(Floats),
    Complex(Complexes),
    Str {
        text: String,
        offsets: Vec<usize>,
    },
    /// A column of lists: row `i`'s list is `values[ends[i]..ends[i + 1]]`.
    List {
        values: Box<Loaded>,
        ends: Vec<usize>,
    },
}

/// A stored column, loaded: its values, and for an optional column its mask (`false` for
/// `None`).
#[derive(Debug)]
pub(crate) struct Loaded {
    pub(super) data: Data,
    pub(super) mask: Option<Vec<bool>>,
}

impl Data {
    /// The number of rows.
    pub(crate) fn len(&self) -> usize {
        match self {
            Data::Bool(v) => v.len(),
            Data::Int(v) => v.len(),
            Data::Float(Floats::F32(v)) => v.len(),
            Data::Float(Floats::F64(v)) => v.len(),
            Data::Complex(Complexes::C32(v)) => v.len(),
            Data::Complex(Complexes::C64(v)) => v.len(),
            Data::Str { offsets, .. } => offsets.len().saturating_sub(1),
            Data::List { ends, .. } => ends.len().saturating_sub(1),
        }
    }
}
