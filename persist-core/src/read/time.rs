//! The [`Reader`]'s accessors for values of Python's standard library beyond the literals:
//! `bytes` literals, `_dt.timedelta(...)` and `_dt.datetime(..., tzinfo=_dt.timezone.utc)`
//! (format 5 on), and the verifier's rule for what such a call may hold: integer literals, the
//! keywords Python names, and for a `datetime` the UTC timezone only.

use super::table::place::{Place, row_found};
use super::{ReadError, Reader, Value, describe_expr};
use crate::python::ast::{Call, Expr, ExprKind};
use crate::python::{civil, names};

/// `timedelta`'s arguments in Python's order, with the microseconds each stands for.
const TIMEDELTA_UNITS: [(&str, i128); 7] = [
    ("days", civil::DAY_US),
    ("seconds", 1_000_000),
    ("microseconds", 1),
    ("milliseconds", 1_000),
    ("minutes", 60_000_000),
    ("hours", 3_600_000_000),
    ("weeks", 7 * civil::DAY_US),
];

/// `datetime`'s positional arguments, which must all be integers.
const DATETIME_FIELDS: [&str; 7] = [
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "second",
    "microsecond",
];

/// A call of `_dt.FUNCTION` in data (`function` after the dot): the message if it is not one
/// this crate reads. Its arguments are walked as data after this (but `tzinfo`, checked here).
pub(crate) fn check_datetime_call(function: &str, call: &Call) -> Result<(), String> {
    match function {
        "timedelta" => {
            let known = call
                .kwargs
                .iter()
                .all(|kw| TIMEDELTA_UNITS.iter().any(|(name, _)| *name == kw.name));
            if call.args.len() > TIMEDELTA_UNITS.len()
                || !known
                || !call.args.iter().all(is_int_literal)
                || !call.kwargs.iter().all(|kw| is_int_literal(&kw.value))
            {
                return Err(
                    "`_dt.timedelta(...)` takes integers in an archive: positional, or as `days=`, `seconds=`, `microseconds=`, `milliseconds=`, `minutes=`, `hours=`, `weeks=`".into(),
                );
            }
            Ok(())
        }
        "datetime" => {
            let utc = match &call.kwargs[..] {
                [kw] if kw.name == "tzinfo" => is_utc(&kw.value),
                _ => false,
            };
            if !(3..=7).contains(&call.args.len()) || !call.args.iter().all(is_int_literal) || !utc
            {
                return Err(
                    "`_dt.datetime(...)` takes 3 to 7 integers (year, month, day, hour, minute, second, microsecond) and `tzinfo=_dt.timezone.utc` in an archive".into(),
                );
            }
            Ok(())
        }
        _ => Err(format!(
            "`{}.{}` is not a call this crate writes; an archive calls only `_dt.timedelta` and `_dt.datetime`",
            names::DATETIME,
            crate::python::encoding::excerpt(function)
        )),
    }
}

/// Whether the dotted name `name` is `_dt.datetime`, whose `tzinfo` keyword is no data.
pub(crate) fn is_datetime_call(name: &str) -> bool {
    name.strip_prefix(names::DATETIME) == Some(".datetime")
}

fn is_int_literal(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Int(_) | ExprKind::BigInt { .. } => true,
        ExprKind::UnaryMinus(inner) | ExprKind::UnaryPlus(inner) => is_int_literal(inner),
        _ => false,
    }
}

/// `_dt.timezone.utc`.
fn is_utc(expr: &Expr) -> bool {
    let mut name = String::new();
    expr.dotted_name(&mut name) && name == format!("{}.timezone.utc", names::DATETIME)
}

impl<'m> Reader<'m> {
    /// A `bytes` literal.
    ///
    /// # Errors
    /// Anything else.
    ///
    /// ```
    /// use persist_core::{Persist, ReadError, Reader, Value, WriteError, Writer};
    ///
    /// /// A file's bytes, as Python `bytes`.
    /// struct Blob(Vec<u8>);
    ///
    /// impl Persist for Blob {
    ///     fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
    ///         out.write_bytes(&self.0)
    ///     }
    ///     fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
    ///         r.bytes(v).map(|b| Blob(b.to_vec()))
    ///     }
    /// }
    ///
    /// let blob: Blob = persist_core::from_str("b = b'GIF8\\x00'\n", "b")?;
    /// assert_eq!(blob.0, b"GIF8\0");
    /// # Ok::<(), persist_core::LoadError>(())
    /// ```
    pub fn bytes(&self, value: Value<'m>) -> Result<&'m [u8], ReadError> {
        let expr = self.expr_of(value, "a bytes literal")?;
        match &expr.kind {
            ExprKind::Bytes(b) => Ok(b),
            _ => Err(ReadError::expected("bytes", describe_expr(expr), expr.pos)),
        }
    }

    /// A `datetime.timedelta`, in microseconds (either sign).
    ///
    /// # Errors
    /// Not a `_dt.timedelta(...)` call, or beyond `timedelta`'s range.
    ///
    /// ```
    /// use std::time::Duration;
    /// let source = "import datetime as _dt\nd = _dt.timedelta(minutes=2, microseconds=5)\n";
    /// let d: Duration = persist_core::from_str(source, "d")?;
    /// assert_eq!(d, Duration::from_micros(120_000_005));
    /// # Ok::<(), persist_core::LoadError>(())
    /// ```
    pub fn timedelta(&self, value: Value<'m>) -> Result<i128, ReadError> {
        let (expr, call) = self.datetime_call(value, "timedelta", "a datetime.timedelta")?;
        let mut total: i128 = 0;
        let positional = call.args.iter().zip(TIMEDELTA_UNITS);
        let keywords = call.kwargs.iter().filter_map(|kw| {
            let unit = TIMEDELTA_UNITS.iter().find(|(name, _)| *name == kw.name)?;
            Some((&kw.value, *unit))
        });
        for (arg, (_, unit)) in positional.chain(keywords) {
            let n: i128 = self.int(Value::expr(arg))?;
            total = n
                .checked_mul(unit)
                .and_then(|us| total.checked_add(us))
                .ok_or_else(|| out_of_range(expr))?;
        }
        civil::split_timedelta(total).ok_or_else(|| out_of_range(expr))?;
        Ok(total)
    }

    /// A timezone-aware `datetime.datetime` in UTC, in microseconds after the Unix epoch
    /// (negative before it).
    ///
    /// # Errors
    /// Not a `_dt.datetime(..., tzinfo=_dt.timezone.utc)` call, or not a valid date and time.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// let source = "import datetime as _dt\nt = _dt.datetime(1970, 1, 2, 0, 0, 1, tzinfo=_dt.timezone.utc)\n";
    /// let t: SystemTime = persist_core::from_str(source, "t")?;
    /// assert_eq!(t, SystemTime::UNIX_EPOCH + Duration::from_secs(86_401));
    /// # Ok::<(), persist_core::LoadError>(())
    /// ```
    pub fn datetime_utc(&self, value: Value<'m>) -> Result<i128, ReadError> {
        let (expr, call) = self.datetime_call(value, "datetime", "a datetime.datetime")?;
        let mut fields = [0_i64, 1, 1, 0, 0, 0, 0];
        for (field, arg) in fields.iter_mut().zip(&call.args) {
            *field = self.int(Value::expr(arg))?;
        }
        let [year, month, day, hour, minute, second, micros] = fields;
        let month_ok = (1..=12).contains(&month);
        let valid = civil::YEARS.contains(&year)
            && month_ok
            && (1..=i64::from(civil::days_in_month(year, month as u32))).contains(&day)
            && (0..24).contains(&hour)
            && (0..60).contains(&minute)
            && (0..60).contains(&second)
            && (0..1_000_000).contains(&micros);
        if !valid {
            let named: Vec<String> = DATETIME_FIELDS
                .iter()
                .zip(fields)
                .map(|(name, v)| format!("{name}={v}"))
                .collect();
            return Err(ReadError::custom(
                format_args!(
                    "not a date and time Python's `datetime` holds: {}",
                    named.join(", ")
                ),
                expr.pos,
            ));
        }
        let days = civil::days_from_civil(year, month as u32, day as u32);
        let seconds = i128::from(((hour * 60) + minute) * 60 + second);
        Ok(i128::from(days) * civil::DAY_US + seconds * 1_000_000 + i128::from(micros))
    }

    /// The expression `value` stands for (names followed); `what` names the value expected.
    fn expr_of(&self, value: Value<'m>, what: &str) -> Result<&'m Expr, ReadError> {
        match self.place(value)? {
            Place::Expr(expr) => self.resolve(expr),
            Place::Cell(cell) => Err(ReadError::expected(what, cell.describe(), cell.pos)),
            Place::Row => Err(row_found(what, value)),
        }
    }

    /// The call `_dt.FUNCTION(...)` that `value` is.
    fn datetime_call(
        &self,
        value: Value<'m>,
        function: &str,
        what: &str,
    ) -> Result<(&'m Expr, &'m Call), ReadError> {
        let expr = self.expr_of(value, what)?;
        if let ExprKind::Call(call) = &expr.kind {
            let mut name = String::new();
            if call.func.dotted_name(&mut name) && name == format!("{}.{function}", names::DATETIME)
            {
                return Ok((expr, call));
            }
        }
        Err(ReadError::expected(what, describe_expr(expr), expr.pos))
    }
}

fn out_of_range(expr: &Expr) -> ReadError {
    ReadError::custom(
        format_args!(
            "a timedelta beyond Python's range ({} days either way)",
            civil::TIMEDELTA_MAX_DAYS
        ),
        expr.pos,
    )
}
