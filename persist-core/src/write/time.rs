//! The [`Writer`]'s methods for values of Python's standard library beyond the literals: `bytes`
//! literals, and `datetime.timedelta` / timezone-aware `datetime.datetime` values (format 5 on;
//! the module then imports `datetime as _dt`). Spelled as Python's `repr` spells them.

use super::Writer;
use super::table::capture_misuse;
use crate::error::WriteError;
use crate::python::{civil, literal, names};

impl Writer {
    /// Write a `bytes` literal: printable ASCII as itself, every other byte escaped.
    ///
    /// # Errors
    /// Only misuse: bytes are no column of a record table.
    ///
    /// ```
    /// let mut w = persist_core::Writer::inline();
    /// w.write_bytes(b"GIF8\x00\xff'")?;
    /// assert_eq!(w.take_expression(), r"b'GIF8\x00\xff\''");
    /// # Ok::<(), persist_core::WriteError>(())
    /// ```
    pub fn write_bytes(&mut self, v: &[u8]) -> Result<(), WriteError> {
        if self.capture.is_some() {
            return Err(capture_misuse("wrote bytes"));
        }
        literal::push_bytes(&mut self.out, v);
        Ok(())
    }

    /// Write a `datetime.timedelta` of `microseconds` (either sign), as
    /// `_dt.timedelta(days=1, seconds=5, microseconds=3)`.
    ///
    /// # Errors
    /// Beyond `timedelta`'s range (999 999 999 days either way); misuse in a record table.
    ///
    /// ```
    /// let mut w = persist_core::Writer::inline();
    /// w.write_timedelta(90_061_000_005)?;
    /// assert_eq!(w.take_expression(), "_dt.timedelta(days=1, seconds=3661, microseconds=5)");
    /// w.write_timedelta(-1)?;
    /// assert_eq!(w.take_expression(), "_dt.timedelta(days=-1, seconds=86399, microseconds=999999)");
    /// # Ok::<(), persist_core::WriteError>(())
    /// ```
    pub fn write_timedelta(&mut self, microseconds: i128) -> Result<(), WriteError> {
        if self.capture.is_some() {
            return Err(capture_misuse("wrote a timedelta"));
        }
        let Some((days, seconds, micros)) = civil::split_timedelta(microseconds) else {
            return Err(WriteError::custom(format_args!(
                "{microseconds} microseconds is beyond what a Python `timedelta` holds ({} days either way)",
                civil::TIMEDELTA_MAX_DAYS
            )));
        };
        self.helpers.datetime = true;
        let parts: Vec<String> = [
            ("days", days),
            ("seconds", seconds),
            ("microseconds", micros),
        ]
        .iter()
        .filter(|(_, n)| *n != 0)
        .map(|(name, n)| format!("{name}={n}"))
        .collect();
        let args = if parts.is_empty() {
            "0".to_owned()
        } else {
            parts.join(", ")
        };
        self.out
            .push_str(&format!("{}.timedelta({args})", names::DATETIME));
        Ok(())
    }

    /// Write a timezone-aware `datetime.datetime` in UTC, `microseconds` after the Unix epoch
    /// (1970-01-01 00:00 UTC; negative before it), as
    /// `_dt.datetime(2026, 12, 2, 5, 18, 7, 250000, tzinfo=_dt.timezone.utc)`.
    ///
    /// # Errors
    /// Outside the years 1 to 9999, which `datetime` holds; misuse in a record table.
    ///
    /// ```
    /// let mut w = persist_core::Writer::inline();
    /// w.write_datetime_utc(1_000_000_000_250_000)?;
    /// assert_eq!(
    ///     w.take_expression(),
    ///     "_dt.datetime(2001, 9, 9, 1, 46, 40, 250000, tzinfo=_dt.timezone.utc)"
    /// );
    /// w.write_datetime_utc(0)?;
    /// assert_eq!(w.take_expression(), "_dt.datetime(1970, 1, 1, 0, 0, tzinfo=_dt.timezone.utc)");
    /// # Ok::<(), persist_core::WriteError>(())
    /// ```
    pub fn write_datetime_utc(&mut self, microseconds: i128) -> Result<(), WriteError> {
        if self.capture.is_some() {
            return Err(capture_misuse("wrote a datetime"));
        }
        let days = microseconds.div_euclid(civil::DAY_US);
        let rest = microseconds.rem_euclid(civil::DAY_US);
        let date = i64::try_from(days).ok().map(civil::civil_from_days);
        let Some((year, month, day)) = date.filter(|d| civil::YEARS.contains(&d.0)) else {
            return Err(WriteError::custom(format_args!(
                "{microseconds} microseconds after 1970-01-01 UTC is outside the years 1 to 9999, which a Python `datetime` holds"
            )));
        };
        self.helpers.datetime = true;
        let (hour, minute) = (rest / 3_600_000_000, rest / 60_000_000 % 60);
        let (second, micros) = (rest / 1_000_000 % 60, rest % 1_000_000);
        let dt = names::DATETIME;
        let mut text = format!("{dt}.datetime({year}, {month}, {day}, {hour}, {minute}");
        if second != 0 || micros != 0 {
            text.push_str(&format!(", {second}"));
        }
        if micros != 0 {
            text.push_str(&format!(", {micros}"));
        }
        text.push_str(&format!(", tzinfo={dt}.timezone.utc)"));
        self.out.push_str(&text);
        Ok(())
    }
}
