//! What `#[persist(with = "module")]` writes a field through: a value and the module's
//! `to_python_source`, as one `Persist` value for [`Writer::field`](crate::Writer::field).
//! (Reading goes through `RecordArgs::field_with`.) Used by the derive only.

use crate::error::WriteError;
use crate::persist::Persist;
use crate::read::{ReadError, Reader, Value};
use crate::write::Writer;

/// A field written by a `with` module's function.
#[doc(hidden)]
pub struct WriteWith<'a, T: ?Sized>(pub &'a T, pub fn(&T, &mut Writer) -> Result<(), WriteError>);

impl<T: ?Sized> Persist for WriteWith<'_, T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        (self.1)(self.0, out)
    }

    fn from_python<'m>(value: Value<'m>, _: &mut Reader<'m>) -> Result<Self, ReadError> {
        Err(ReadError::custom(
            "a `with` field is read through its module's `from_python`",
            value.pos(),
        ))
    }
}
