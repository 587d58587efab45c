//! The [`Persist`] trait.

use crate::error::WriteError;
use crate::read::{ReadError, ReadErrorKind, Reader, Value};
use crate::record::Column;
use crate::write::Writer;

/// A value that can be archived as Python source, and read back from it.
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
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement `Persist`, so persist cannot save or read it",
    label = "`{Self}` does not implement `Persist`",
    note = "for a type of your own, add `#[derive(Persist)]` to it",
    note = "for a field of a foreign type, use `#[persist(with = \"module\")]` (a module with `to_python_source` and `from_python` for it), `#[persist(serde)]` if it implements serde's traits (feature `serde`), or a newtype around it that implements `Persist`"
)]
pub trait Persist {
    /// Write this value as one Python expression.
    ///
    /// # Errors
    /// Values Python cannot represent faithfully: a NaN or unhashable dict key, a path that is
    /// not UTF-8, an array file that cannot be written.
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError>;

    /// Read a value of this type from `value`, a value of an archive, without executing
    /// anything: interpret it with the [`Reader`]'s accessors (`r.float(value)`,
    /// `r.sequence(value)`, `r.record(value)`, ...), and read its parts with their own
    /// `from_python`. [`Value`] hides how the archive spells the value, so an implementation
    /// reads every layout the archive may use.
    ///
    /// The default refuses: types that borrow their data (`&T`, `&str`, array views) can be
    /// written but not read back. Every owned type of this crate, and `#[derive(Persist)]`,
    /// implement it.
    ///
    /// # Errors
    /// The expression does not hold a value of this type; the error says what was expected and
    /// what was found, and where.
    ///
    /// ```
    /// let v: Vec<Option<u8>> = persist_core::from_str("x = [1, None, 0x10]\n", "x")?;
    /// assert_eq!(v, [Some(1), None, Some(16)]);
    /// # Ok::<(), persist_core::LoadError>(())
    /// ```
    fn from_python<'m>(value: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError>
    where
        Self: Sized,
    {
        let _ = r;
        Err(ReadError::new(
            ReadErrorKind::Unsupported(std::any::type_name::<Self>()),
            value.pos(),
        ))
    }

    /// How a list of this type's values may be stored column-wise: `None` (the default) for
    /// types that are not a column. Scalars, strings, `Option`s of them and derived structs of
    /// such fields say what they are, so that a long `Vec` of records is written as a table.
    /// An implementation that returns `Some` must write exactly the values it describes.
    ///
    /// ```
    /// use persist_core::{Column, ColumnType, Persist};
    /// assert_eq!(u64::column(), Some(Column::scalar(ColumnType::U64)));
    /// assert_eq!(<(u8, u8)>::column(), None);
    /// ```
    fn column() -> Option<Column>
    where
        Self: Sized,
    {
        None
    }
}
