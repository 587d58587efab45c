//! Array elements: [`Element`], and [`Elements`], a slice of them by concrete type.
//!
//! Where an archive's arrays go is [`crate::store`]; its sink is re-exported here for the writer.

use ndarray_npy::WritableElement;
use num_complex::Complex;

use crate::python::literal;

/// An element type of arrays that numpy can hold: its dtype and its inline Python spelling.
///
/// Implemented for `bool`, `i8`–`i64`, `u8`–`u64`, `f32`, `f64`, `Complex<f32>` and
/// `Complex<f64>`. (`i128`, `u128`, `char`, ... have no numpy dtype, so arrays of them do not
/// implement [`Persist`](crate::Persist): a compile error rather than a lossy file.) Elements
/// are plain values (`Copy`, `Send`, `Sync`), so that a store may decode chunks of one array on
/// several threads.
///
/// ```
/// use persist_core::Element;
/// assert_eq!(<f32 as Element>::DTYPE, "float32");
/// assert_eq!(<num_complex::Complex<f64> as Element>::DTYPE, "complex128");
/// ```
pub trait Element: WritableElement + Copy + Send + Sync + 'static {
    /// numpy's name of the dtype, as written in inline arrays: `'float64'`, `'bool'`, ...
    const DTYPE: &'static str;

    /// Append this element as a Python literal.
    fn push_inline(self, out: &mut String);

    /// The slice as [`Elements`], its concrete type named: what array stores that are not
    /// generic over the element type (HDF5) write. Every element type of this crate returns
    /// `Some`; the default, `None`, makes such a store refuse the array with a clear error
    /// (the npy store does not need it).
    ///
    /// ```
    /// use persist_core::{Element, Elements};
    /// assert_eq!(f64::elements(&[1.5, 2.0]), Some(Elements::F64(&[1.5, 2.0])));
    /// ```
    fn elements(slice: &[Self]) -> Option<Elements<'_>> {
        let _ = slice;
        None
    }
}

/// A slice of array elements whose type is one numpy holds, named by variant.
///
/// Array stores that dispatch on the element type (HDF5 calls typed library functions) get it
/// from [`Element::elements`]; the variant of an empty slice tells the type before any data.
///
/// ```
/// use persist_core::{Element, Elements};
/// let kind = bool::elements(&[]).map(|e| e.dtype());
/// assert_eq!(kind, Some("bool"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Elements<'a> {
    /// numpy `bool`.
    Bool(&'a [bool]),
    /// numpy `int8`.
    I8(&'a [i8]),
    /// numpy `int16`.
    I16(&'a [i16]),
    /// numpy `int32`.
    I32(&'a [i32]),
    /// numpy `int64`.
    I64(&'a [i64]),
    /// numpy `uint8`.
    U8(&'a [u8]),
    /// numpy `uint16`.
    U16(&'a [u16]),
    /// numpy `uint32`.
    U32(&'a [u32]),
    /// numpy `uint64`.
    U64(&'a [u64]),
    /// numpy `float32`.
    F32(&'a [f32]),
    /// numpy `float64`.
    F64(&'a [f64]),
    /// numpy `complex64`.
    ComplexF32(&'a [Complex<f32>]),
    /// numpy `complex128`.
    ComplexF64(&'a [Complex<f64>]),
}

impl Elements<'_> {
    /// numpy's name of the dtype: `'float64'`, `'bool'`, ...
    ///
    /// ```
    /// assert_eq!(persist_core::Elements::U8(&[1, 2]).dtype(), "uint8");
    /// ```
    pub fn dtype(&self) -> &'static str {
        match self {
            Elements::Bool(_) => bool::DTYPE,
            Elements::I8(_) => i8::DTYPE,
            Elements::I16(_) => i16::DTYPE,
            Elements::I32(_) => i32::DTYPE,
            Elements::I64(_) => i64::DTYPE,
            Elements::U8(_) => u8::DTYPE,
            Elements::U16(_) => u16::DTYPE,
            Elements::U32(_) => u32::DTYPE,
            Elements::U64(_) => u64::DTYPE,
            Elements::F32(_) => f32::DTYPE,
            Elements::F64(_) => f64::DTYPE,
            Elements::ComplexF32(_) => Complex::<f32>::DTYPE,
            Elements::ComplexF64(_) => Complex::<f64>::DTYPE,
        }
    }

    /// The number of elements.
    ///
    /// ```
    /// assert_eq!(persist_core::Elements::F32(&[1.0, 2.0]).len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        match self {
            Elements::Bool(s) => s.len(),
            Elements::I8(s) => s.len(),
            Elements::I16(s) => s.len(),
            Elements::I32(s) => s.len(),
            Elements::I64(s) => s.len(),
            Elements::U8(s) => s.len(),
            Elements::U16(s) => s.len(),
            Elements::U32(s) => s.len(),
            Elements::U64(s) => s.len(),
            Elements::F32(s) => s.len(),
            Elements::F64(s) => s.len(),
            Elements::ComplexF32(s) => s.len(),
            Elements::ComplexF64(s) => s.len(),
        }
    }

    /// Whether there are no elements.
    ///
    /// ```
    /// assert!(persist_core::Elements::Bool(&[]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

macro_rules! element_int {
    ($($t:ty => $dtype:literal, $variant:ident);* $(;)?) => {$(
        impl Element for $t {
            const DTYPE: &'static str = $dtype;
            fn push_inline(self, out: &mut String) {
                literal::push_int(out, self);
            }
            fn elements(slice: &[Self]) -> Option<Elements<'_>> {
                Some(Elements::$variant(slice))
            }
        }
    )*};
}
element_int!(
    i8 => "int8", I8; i16 => "int16", I16; i32 => "int32", I32; i64 => "int64", I64;
    u8 => "uint8", U8; u16 => "uint16", U16; u32 => "uint32", U32; u64 => "uint64", U64;
);

impl Element for bool {
    const DTYPE: &'static str = "bool";
    fn push_inline(self, out: &mut String) {
        out.push_str(if self { "True" } else { "False" });
    }
    fn elements(slice: &[Self]) -> Option<Elements<'_>> {
        Some(Elements::Bool(slice))
    }
}

impl Element for f32 {
    const DTYPE: &'static str = "float32";
    fn push_inline(self, out: &mut String) {
        literal::push_f32(out, self);
    }
    fn elements(slice: &[Self]) -> Option<Elements<'_>> {
        Some(Elements::F32(slice))
    }
}

impl Element for f64 {
    const DTYPE: &'static str = "float64";
    fn push_inline(self, out: &mut String) {
        literal::push_f64(out, self);
    }
    fn elements(slice: &[Self]) -> Option<Elements<'_>> {
        Some(Elements::F64(slice))
    }
}

impl Element for Complex<f32> {
    const DTYPE: &'static str = "complex64";
    fn push_inline(self, out: &mut String) {
        literal::push_complex32(out, self.re, self.im);
    }
    fn elements(slice: &[Self]) -> Option<Elements<'_>> {
        Some(Elements::ComplexF32(slice))
    }
}

impl Element for Complex<f64> {
    const DTYPE: &'static str = "complex128";
    fn push_inline(self, out: &mut String) {
        literal::push_complex(out, self.re, self.im);
    }
    fn elements(slice: &[Self]) -> Option<Elements<'_>> {
        Some(Elements::ComplexF64(slice))
    }
}

/// The numpy dtype names of the [`Element`] types: what inline arrays are written with and
/// what a store's metadata may name.
pub(crate) const DTYPES: [&str; 13] = [
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float32",
    "float64",
    "complex64",
    "complex128",
];
