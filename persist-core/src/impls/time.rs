//! `std::time`: `Duration` as a Python `datetime.timedelta`, `SystemTime` as a timezone-aware
//! `datetime.datetime` in UTC. Both hold whole microseconds in Python: a value with nanoseconds
//! below the microsecond is refused when writing, never rounded (round it first, as the error
//! says), so that Python sees what Rust wrote and Rust reads back what it wrote.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::WriteError;
use crate::persist::Persist;
use crate::read::{ReadError, Reader, Value};
use crate::write::Writer;

/// The whole microseconds of `d`, or the error naming the nanoseconds a timedelta cannot hold.
fn micros(d: Duration, what: &str) -> Result<i128, WriteError> {
    if !d.subsec_nanos().is_multiple_of(1_000) {
        return Err(WriteError::custom(format_args!(
            "{what} of {d:?} has {} nanoseconds below the microsecond, which Python's `datetime` cannot hold; round it to microseconds first (for example `Duration::from_micros(d.as_micros() as u64)`)",
            d.subsec_nanos() % 1_000
        )));
    }
    Ok(d.as_micros() as i128)
}

/// The `Duration` of `us` microseconds (`us` >= 0; a timedelta's fit: below 2^64 seconds).
fn from_micros(us: u128) -> Duration {
    Duration::new((us / 1_000_000) as u64, (us % 1_000_000) as u32 * 1_000)
}

/// A `datetime.timedelta`: `_dt.timedelta(seconds=90, microseconds=5)`; whole microseconds only.
///
/// ```
/// use std::time::Duration;
/// use persist_core::{Persist, Writer};
/// let mut w = Writer::inline();
/// Duration::from_millis(1500).to_python_source(&mut w)?;
/// assert_eq!(w.take_expression(), "_dt.timedelta(seconds=1, microseconds=500000)");
/// assert!(Duration::from_nanos(1).to_python_source(&mut w).is_err());
/// # Ok::<(), persist_core::WriteError>(())
/// ```
impl Persist for Duration {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.write_timedelta(micros(*self, "a Duration")?)
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        let us = r.timedelta(v)?;
        if us < 0 {
            return Err(ReadError::custom(
                format_args!("a negative timedelta ({us} microseconds) cannot be a Duration"),
                v.pos(),
            ));
        }
        Ok(from_micros(us.unsigned_abs()))
    }
}

/// A timezone-aware `datetime.datetime` in UTC:
/// `_dt.datetime(2001, 9, 9, 1, 46, 40, tzinfo=_dt.timezone.utc)`; years 1 to 9999, whole
/// microseconds only.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use persist_core::{Persist, Writer};
/// let mut w = Writer::inline();
/// (SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000)).to_python_source(&mut w)?;
/// assert_eq!(w.take_expression(), "_dt.datetime(2001, 9, 9, 1, 46, 40, tzinfo=_dt.timezone.utc)");
/// # Ok::<(), persist_core::WriteError>(())
/// ```
impl Persist for SystemTime {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        let us = match self.duration_since(UNIX_EPOCH) {
            Ok(after) => micros(after, "a SystemTime")?,
            Err(before) => -micros(before.duration(), "a SystemTime")?,
        };
        out.write_datetime_utc(us)
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        let us = r.datetime_utc(v)?;
        let offset = from_micros(us.unsigned_abs());
        let time = if us >= 0 {
            UNIX_EPOCH.checked_add(offset)
        } else {
            UNIX_EPOCH.checked_sub(offset)
        };
        time.ok_or_else(|| {
            ReadError::custom("a datetime this platform's SystemTime cannot hold", v.pos())
        })
    }
}
