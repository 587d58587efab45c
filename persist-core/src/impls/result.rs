//! `Result<T, E>`: archived as an enum of two tuple variants would be by the derive, a record
//! of class `Ok` or `Err` holding the value (`_Result_Ok(5)`, `_Result_Err('no data')`), so
//! Python tells them apart with `type(x).__name__` and reads the value as `x[0]`.

use crate::error::WriteError;
use crate::persist::Persist;
use crate::read::{ReadError, Reader, Value};
use crate::record::{Record, RecordKind};
use crate::write::Writer;

/// The two variants' records.
static OK: Record =
    Record::new("core::result::Result", "Result", RecordKind::Tuple(1)).variant("Ok");
static ERR: Record =
    Record::new("core::result::Result", "Result", RecordKind::Tuple(1)).variant("Err");

/// A record `Ok(value)` or `Err(error)`, as `#[derive(Persist)]` writes `enum Result { Ok(T),
/// Err(E) }`.
///
/// ```
/// use persist_core::{Persist, Writer};
/// let mut w = Writer::inline();
/// Ok::<u32, String>(5).to_python_source(&mut w)?;
/// assert_eq!(w.take_expression(), "_Result_Ok(5)");
/// # Ok::<(), persist_core::WriteError>(())
/// ```
impl<T: Persist, E: Persist> Persist for Result<T, E> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        match self {
            Ok(value) => {
                out.begin_record(&OK)?;
                out.element(value)?;
            }
            Err(error) => {
                out.begin_record(&ERR)?;
                out.element(error)?;
            }
        }
        out.end_record()
    }

    fn from_python<'m>(value: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        let (class, mut args) = r.record(value)?;
        let (record, read) = if class.is(&OK) {
            let v = args.field::<T>(r, 0, "_0", &[])?;
            (&OK, v.map(Ok))
        } else if class.is(&ERR) {
            let e = args.field::<E>(r, 0, "_0", &[])?;
            (&ERR, e.map(Err))
        } else {
            return Err(class.unknown_variant("Result", &[&OK, &ERR]));
        };
        let read = read.ok_or_else(|| args.missing("_0"))?;
        args.finish(record, false)?;
        Ok(read)
    }
}
