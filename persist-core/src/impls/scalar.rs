//! Scalars and strings: bool, integers, floats, complex numbers, char, str, paths, `()`.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use num_complex::Complex;

use crate::error::{WriteError, WriteErrorKind};
use crate::persist::Persist;
use crate::read::{ReadError, Reader, Value};
use crate::record::{Column, ColumnType};
use crate::write::Writer;

impl Persist for bool {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.write_bool(*self);
        Ok(())
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        r.bool(v)
    }

    fn column() -> Option<Column> {
        Some(Column::scalar(ColumnType::Bool))
    }
}

macro_rules! persist_int {
    ($($t:ty => $column:expr),* $(,)?) => {$(
        impl Persist for $t {
            fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
                out.write_int(*self);
                Ok(())
            }

            fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
                r.int(v)
            }

            fn column() -> Option<Column> {
                $column.map(Column::scalar)
            }
        }
    )*};
}
// 128-bit and pointer-sized integers have no column (numpy has no 128-bit integers, and an
// `isize` column would depend on the writer's platform).
persist_int!(
    i8 => Some(ColumnType::I8), i16 => Some(ColumnType::I16), i32 => Some(ColumnType::I32),
    i64 => Some(ColumnType::I64), i128 => None, isize => None,
    u8 => Some(ColumnType::U8), u16 => Some(ColumnType::U16), u32 => Some(ColumnType::U32),
    u64 => Some(ColumnType::U64), u128 => None, usize => None,
);

macro_rules! persist_nonzero {
    ($($t:ty)*) => {$(
        impl Persist for $t {
            fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
                out.write_int(self.get());
                Ok(())
            }

            fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
                let value = r.int(v)?;
                <$t>::new(value).ok_or_else(|| ReadError::expected("a non-zero int", "0", v.pos()))
            }
        }
    )*};
}
persist_nonzero!(
    std::num::NonZeroI8 std::num::NonZeroI16 std::num::NonZeroI32 std::num::NonZeroI64
    std::num::NonZeroI128 std::num::NonZeroIsize std::num::NonZeroU8 std::num::NonZeroU16
    std::num::NonZeroU32 std::num::NonZeroU64 std::num::NonZeroU128 std::num::NonZeroUsize
);

impl Persist for f64 {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.write_f64(*self)
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        r.float(v)
    }
    fn column() -> Option<Column> {
        Some(Column::scalar(ColumnType::F64))
    }
}

/// Written as the `f64` of the same value (`0.1f32` as `0.10000000149011612`), so that Python's
/// `float` *is* the `f32`'s value: `float(numpy.float32(0.1)) == x` holds in Python.
impl Persist for f32 {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.write_f64(f64::from(*self))
    }

    /// The nearest `f32` of the value: exact for what the writer emits (and for the shortest
    /// `f32` decimals format-1 archives hold).
    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        r.float(v).map(|v| v as f32)
    }
    fn column() -> Option<Column> {
        Some(Column::scalar(ColumnType::F32))
    }
}

impl Persist for Complex<f64> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.write_complex(self.re, self.im)
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        r.complex(v).map(|(re, im)| Complex::new(re, im))
    }
    fn column() -> Option<Column> {
        Some(Column::scalar(ColumnType::Complex64))
    }
}

/// Written with the `f64` of each part, like `f32`, so Python's `complex` holds the exact value.
impl Persist for Complex<f32> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.write_complex(f64::from(self.re), f64::from(self.im))
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        r.complex(v)
            .map(|(re, im)| Complex::new(re as f32, im as f32))
    }
    fn column() -> Option<Column> {
        Some(Column::scalar(ColumnType::Complex32))
    }
}

impl Persist for char {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.write_str(self.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        let s = r.str(v)?;
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Ok(c),
            _ => Err(ReadError::expected(
                "a str of one character",
                format!("a str of {} characters", s.chars().count()),
                v.pos(),
            )),
        }
    }
}

impl Persist for str {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.write_str(self);
        Ok(())
    }
}

impl Persist for String {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.write_str(self);
        Ok(())
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        r.str(v).map(str::to_owned)
    }
    fn column() -> Option<Column> {
        Some(Column::scalar(ColumnType::Str))
    }
}

impl Persist for Cow<'_, str> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.write_str(self);
        Ok(())
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        r.str(v).map(|s| Cow::Owned(s.to_owned()))
    }
}

impl Persist for Path {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        match self.to_str() {
            Some(s) => {
                out.write_str(s);
                Ok(())
            }
            None => Err(WriteError::new(WriteErrorKind::NonUtf8Path(
                self.to_path_buf(),
            ))),
        }
    }
}

impl Persist for PathBuf {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        self.as_path().to_python_source(out)
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        r.str(v).map(PathBuf::from)
    }
}

impl Persist for () {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.write_none();
        Ok(())
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        if r.is_none(v)? {
            Ok(())
        } else {
            Err(ReadError::expected("None", r.describe(v), v.pos()))
        }
    }
}

impl<T: Persist> Persist for Option<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        match self {
            Some(value) => value.to_python_source(out),
            None => {
                out.write_none();
                Ok(())
            }
        }
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        if r.is_none(v)? {
            Ok(None)
        } else {
            T::from_python(v, r).map(Some)
        }
    }
    /// A column of `T` with a mask, when `T` is a scalar column that is not optional itself
    /// (`Option<Option<T>>` has two `None`s, which one mask cannot tell apart).
    fn column() -> Option<Column> {
        match T::column()? {
            Column::Scalar {
                ty,
                optional: false,
            } => Some(Column::Scalar { ty, optional: true }),
            _ => None,
        }
    }
}
