//! The values of one leaf column of a record table while it is captured ([`Values`]): typed
//! vectors (strings as UTF-8 bytes plus offsets), and each value's Python literal for inline
//! tables.

use num_complex::Complex;

use super::Scalar;
use crate::python::literal;
use crate::record::ColumnType;

/// The values of one leaf column.
pub(super) enum Values {
    Bool(Vec<bool>),
    I8(Vec<i8>),
    I16(Vec<i16>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
    U64(Vec<u64>),
    F32(Vec<f32>),
    F64(Vec<f64>),
    C32(Vec<Complex<f32>>),
    C64(Vec<Complex<f64>>),
    /// UTF-8 bytes, and offsets: one more than the rows, starting at 0.
    Str {
        bytes: Vec<u8>,
        offsets: Vec<i64>,
    },
}

impl Values {
    pub(super) fn new(ty: ColumnType, rows: usize) -> Self {
        match ty {
            ColumnType::Bool => Values::Bool(Vec::with_capacity(rows)),
            ColumnType::I8 => Values::I8(Vec::with_capacity(rows)),
            ColumnType::I16 => Values::I16(Vec::with_capacity(rows)),
            ColumnType::I32 => Values::I32(Vec::with_capacity(rows)),
            ColumnType::I64 => Values::I64(Vec::with_capacity(rows)),
            ColumnType::U8 => Values::U8(Vec::with_capacity(rows)),
            ColumnType::U16 => Values::U16(Vec::with_capacity(rows)),
            ColumnType::U32 => Values::U32(Vec::with_capacity(rows)),
            ColumnType::U64 => Values::U64(Vec::with_capacity(rows)),
            ColumnType::F32 => Values::F32(Vec::with_capacity(rows)),
            ColumnType::F64 => Values::F64(Vec::with_capacity(rows)),
            ColumnType::Complex32 => Values::C32(Vec::with_capacity(rows)),
            ColumnType::Complex64 => Values::C64(Vec::with_capacity(rows)),
            _ => {
                let mut offsets = Vec::with_capacity(rows + 1);
                offsets.push(0);
                Values::Str {
                    bytes: Vec::new(),
                    offsets,
                }
            }
        }
    }

    /// Append `value`; `false` when it is not of the column's type.
    pub(super) fn push(&mut self, value: &Scalar<'_>) -> bool {
        fn int<T: TryFrom<i128>>(column: &mut Vec<T>, value: &Option<i128>) -> bool {
            value
                .and_then(|v| T::try_from(v).ok())
                .map(|v| column.push(v))
                .is_some()
        }
        match (self, value) {
            (Values::Bool(c), Scalar::Bool(b)) => c.push(*b),
            (Values::I8(c), Scalar::Int(t)) => return int(c, t),
            (Values::I16(c), Scalar::Int(t)) => return int(c, t),
            (Values::I32(c), Scalar::Int(t)) => return int(c, t),
            (Values::I64(c), Scalar::Int(t)) => return int(c, t),
            (Values::U8(c), Scalar::Int(t)) => return int(c, t),
            (Values::U16(c), Scalar::Int(t)) => return int(c, t),
            (Values::U32(c), Scalar::Int(t)) => return int(c, t),
            (Values::U64(c), Scalar::Int(t)) => return int(c, t),
            // `f32`s are written as the `f64` of the same value, which converts back exactly.
            (Values::F32(c), Scalar::F64(x)) => c.push(*x as f32),
            (Values::F64(c), Scalar::F64(x)) => c.push(*x),
            (Values::C32(c), Scalar::Complex(re, im)) => {
                c.push(Complex::new(*re as f32, *im as f32))
            }
            (Values::C64(c), Scalar::Complex(re, im)) => c.push(Complex::new(*re, *im)),
            (Values::Str { bytes, offsets }, Scalar::Str(s)) => {
                bytes.extend_from_slice(s.as_bytes());
                offsets.push(bytes.len() as i64);
            }
            _ => return false,
        }
        true
    }

    /// Append the placeholder of a `None` (masked) row.
    pub(super) fn push_default(&mut self) {
        match self {
            Values::Bool(c) => c.push(false),
            Values::I8(c) => c.push(0),
            Values::I16(c) => c.push(0),
            Values::I32(c) => c.push(0),
            Values::I64(c) => c.push(0),
            Values::U8(c) => c.push(0),
            Values::U16(c) => c.push(0),
            Values::U32(c) => c.push(0),
            Values::U64(c) => c.push(0),
            Values::F32(c) => c.push(0.0),
            Values::F64(c) => c.push(0.0),
            Values::C32(c) => c.push(Complex::default()),
            Values::C64(c) => c.push(Complex::default()),
            Values::Str { bytes, offsets } => offsets.push(bytes.len() as i64),
        }
    }

    /// Row `i` as a Python literal, the writer's spelling of the value.
    pub(super) fn push_literal(&self, i: usize, out: &mut String) {
        match self {
            Values::Bool(c) => out.push_str(if c[i] { "True" } else { "False" }),
            Values::I8(c) => literal::push_int(out, c[i]),
            Values::I16(c) => literal::push_int(out, c[i]),
            Values::I32(c) => literal::push_int(out, c[i]),
            Values::I64(c) => literal::push_int(out, c[i]),
            Values::U8(c) => literal::push_int(out, c[i]),
            Values::U16(c) => literal::push_int(out, c[i]),
            Values::U32(c) => literal::push_int(out, c[i]),
            Values::U64(c) => literal::push_int(out, c[i]),
            Values::F32(c) => literal::push_f64(out, f64::from(c[i])),
            Values::F64(c) => literal::push_f64(out, c[i]),
            Values::C32(c) => literal::push_complex(out, f64::from(c[i].re), f64::from(c[i].im)),
            Values::C64(c) => literal::push_complex(out, c[i].re, c[i].im),
            Values::Str { bytes, offsets } => {
                let (start, end) = (offsets[i] as usize, offsets[i + 1] as usize);
                let text = std::str::from_utf8(&bytes[start..end]).expect("pushed from a str");
                literal::push_str(out, text);
            }
        }
    }

    /// The number of values.
    pub(super) fn len(&self) -> usize {
        match self {
            Values::Bool(c) => c.len(),
            Values::I8(c) => c.len(),
            Values::I16(c) => c.len(),
            Values::I32(c) => c.len(),
            Values::I64(c) => c.len(),
            Values::U8(c) => c.len(),
            Values::U16(c) => c.len(),
            Values::U32(c) => c.len(),
            Values::U64(c) => c.len(),
            Values::F32(c) => c.len(),
            Values::F64(c) => c.len(),
            Values::C32(c) => c.len(),
            Values::C64(c) => c.len(),
            Values::Str { offsets, .. } => offsets.len() - 1,
        }
    }
}
