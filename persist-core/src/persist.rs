//! The [`Persist`] trait.

use crate::error::WriteError;
use crate::python::Writer;

/// A value that can be archived as Python source.
///
/// Implemented for the standard library's scalars, strings, collections and smart pointers, for
/// `num_complex::Complex` and for `ndarray` arrays (see the crate docs for the mapping), and by
/// `#[derive(Persist)]` for your own structs and enums.
///
/// An implementation writes exactly one Python expression through the [`Writer`]: a scalar with
/// its `write_*` methods, a container with [`begin`](Writer::begin) /
/// [`element`](Writer::element) / [`end`](Writer::end), a struct with
/// [`begin_record`](Writer::begin_record) / [`field`](Writer::field) /
/// [`end_record`](Writer::end_record).
///
/// ```
/// use persist_core::{Persist, Writer};
///
/// let mut w = Writer::inline();
/// vec![Some(1.5), None].to_python_source(&mut w)?;
/// assert_eq!(w.take_expression(), "[1.5, None]");
/// # Ok::<(), persist_core::WriteError>(())
/// ```
pub trait Persist {
    /// Write this value as one Python expression.
    ///
    /// # Errors
    /// Values Python cannot represent faithfully: a NaN or unhashable dict key, a path that is
    /// not UTF-8, an array file that cannot be written.
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError>;
}
