//! `#[persist(bytes)]`: a field of bytes archived as a Python `bytes` object (`b'GIF8\x00'`)
//! instead of a list of ints. The attribute is `with = "persist_core::bytes"`; this module is
//! that `with` module, usable on its own too. The field's type is any [`ByteField`]: `Vec<u8>`,
//! `Box<[u8]>`, `[u8; N]`, `Cow<[u8]>`, and `&[u8]` (written only, as every borrowed value).
//!
//! ```
//! use persist_core::{Archive, ArchiveReader, Persist};
//!
//! #[derive(Persist, Debug, PartialEq)]
//! struct Frame {
//!     #[persist(bytes)]
//!     payload: Vec<u8>,
//!     #[persist(bytes)]
//!     magic: [u8; 4],
//! }
//!
//! let frame = Frame { payload: vec![0, 1, 255], magic: *b"GIF8" };
//! let mut archive = Archive::new();
//! archive.insert("f", &frame)?;
//! let source = archive.to_python_source()?;
//! assert!(source.contains(r"payload=b'\x00\x01\xff', magic=b'GIF8'"));
//! let back: Frame = ArchiveReader::from_source(&source)?.read("f")?;
//! assert_eq!(back, frame);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::borrow::Cow;

use crate::error::WriteError;
use crate::read::{ReadError, Reader, Value};
use crate::write::Writer;

/// A type `#[persist(bytes)]` archives as Python `bytes`.
///
/// ```
/// use persist_core::bytes::ByteField;
/// assert_eq!(<[u8; 2]>::from_bytes(b"ab"), Ok(*b"ab"));
/// assert!(<[u8; 2]>::from_bytes(b"abc").is_err());
/// assert_eq!(vec![1_u8, 2].as_bytes(), [1, 2]);
/// ```
pub trait ByteField {
    /// The bytes to write.
    fn as_bytes(&self) -> &[u8];

    /// The value of the bytes read back, or why they do not fit.
    ///
    /// # Errors
    /// The bytes do not fit the type (a fixed-size array of another length; a borrowed slice).
    fn from_bytes(bytes: &[u8]) -> Result<Self, String>
    where
        Self: Sized;
}

impl ByteField for Vec<u8> {
    fn as_bytes(&self) -> &[u8] {
        self
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        Ok(bytes.to_vec())
    }
}

impl ByteField for Box<[u8]> {
    fn as_bytes(&self) -> &[u8] {
        self
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        Ok(bytes.into())
    }
}

impl ByteField for Cow<'_, [u8]> {
    fn as_bytes(&self) -> &[u8] {
        self
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        Ok(Cow::Owned(bytes.to_vec()))
    }
}

impl<const N: usize> ByteField for [u8; N] {
    fn as_bytes(&self) -> &[u8] {
        self
    }
    fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        bytes
            .try_into()
            .map_err(|_| format!("{} bytes, but the field holds exactly {N}", bytes.len()))
    }
}

impl ByteField for &[u8] {
    fn as_bytes(&self) -> &[u8] {
        self
    }
    fn from_bytes(_: &[u8]) -> Result<Self, String> {
        Err("a borrowed `&[u8]` cannot be read back; use `Vec<u8>` or `Box<[u8]>`".into())
    }
}

/// Write `value` as a `bytes` literal.
///
/// # Errors
/// Only misuse (bytes are no column of a record table).
///
/// ```
/// let mut w = persist_core::Writer::inline();
/// persist_core::bytes::to_python_source(&vec![104_u8, 105], &mut w)?;
/// assert_eq!(w.take_expression(), "b'hi'");
/// # Ok::<(), persist_core::WriteError>(())
/// ```
pub fn to_python_source<T: ByteField + ?Sized>(
    value: &T,
    out: &mut Writer,
) -> Result<(), WriteError> {
    out.write_bytes(value.as_bytes())
}

/// Read a `bytes` literal back as `T`.
///
/// # Errors
/// Not a `bytes` literal, or bytes that do not fit `T`.
///
/// ```
/// use persist_core::{Persist, ReadError, Reader, Value, WriteError, Writer};
///
/// struct Key([u8; 2]);
///
/// impl Persist for Key {
///     fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
///         persist_core::bytes::to_python_source(&self.0, out)
///     }
///     fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
///         persist_core::bytes::from_python(v, r).map(Key)
///     }
/// }
///
/// let key: Key = persist_core::from_str("k = b'\\x00A'\n", "k")?;
/// assert_eq!(key.0, [0, 65]);
/// assert!(persist_core::from_str::<Key>("k = b'ABC'\n", "k").is_err());
/// # Ok::<(), persist_core::LoadError>(())
/// ```
pub fn from_python<'m, T: ByteField>(value: Value<'m>, r: &mut Reader<'m>) -> Result<T, ReadError> {
    T::from_bytes(r.bytes(value)?).map_err(|e| ReadError::custom(e, value.pos()))
}
