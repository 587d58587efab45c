//! The [`Reader`]'s accessors for numbers, strings and containers: each takes a [`Value`] and
//! interprets what it points at (today an expression of the source, names followed).

use super::table::Table;
use super::table::place::{Place, row_found};
use super::value::{Entries, Kind, Seq, Value};
use super::{Binding, ReadError, ReadErrorKind, Reader, describe_expr};
use crate::error::PathSegment;
use crate::persist::Persist;
use crate::platform::with_stack;
use crate::python::ast::{BinOp, Call, Expr, ExprKind};
use crate::python::names;

/// An integer as written: its sign and magnitude (Python ints have any size; 128 bits are read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Int {
    pub negative: bool,
    pub magnitude: u128,
}

impl<'m> Reader<'m> {
    /// An integer, converted to `T` with a range check.
    ///
    /// # Errors
    /// Not an int, or out of `T`'s range.
    ///
    /// ```
    /// let n: u8 = persist_core::from_str("n = 0x10\n", "n")?;
    /// assert_eq!(n, 16);
    /// assert!(persist_core::from_str::<u8>("n = 256\n", "n").is_err());
    /// # Ok::<(), persist_core::LoadError>(())
    /// ```
    pub fn int<T: TryFrom<i128> + TryFrom<u128>>(&self, value: Value<'m>) -> Result<T, ReadError> {
        let expr = match self.place(value)? {
            Place::Expr(expr) => expr,
            Place::Cell(cell) => return cell.int(),
            Place::Row => return Err(row_found("an int", value)),
        };
        let expr = self.resolve(expr)?;
        let int = self.int_parts(expr)?;
        let converted = if int.negative {
            i128::try_from(int.magnitude)
                .ok()
                .map(|m| -m)
                .or_else(|| (int.magnitude == 1u128 << 127).then_some(i128::MIN))
                .and_then(|v| T::try_from(v).ok())
        } else {
            T::try_from(int.magnitude).ok()
        };
        converted.ok_or_else(|| {
            let sign = if int.negative { "-" } else { "" };
            ReadError::new(
                ReadErrorKind::OutOfRange {
                    value: format!("{sign}{}", int.magnitude),
                    ty: std::any::type_name::<T>(),
                },
                expr.pos,
            )
        })
    }

    fn int_parts(&self, expr: &'m Expr) -> Result<Int, ReadError> {
        match &expr.kind {
            ExprKind::Int(v) => Ok(Int {
                negative: false,
                magnitude: u128::from(*v),
            }),
            ExprKind::BigInt { digits, radix } => u128::from_str_radix(digits, *radix)
                .map(|magnitude| Int {
                    negative: false,
                    magnitude,
                })
                .map_err(|_| {
                    ReadError::new(
                        ReadErrorKind::OutOfRange {
                            value: crate::python::encoding::excerpt(digits),
                            ty: "a 128-bit integer",
                        },
                        expr.pos,
                    )
                }),
            ExprKind::UnaryMinus(inner) => {
                let inner = self.int_parts(self.resolve(inner)?)?;
                Ok(Int {
                    negative: !inner.negative && inner.magnitude != 0,
                    ..inner
                })
            }
            ExprKind::UnaryPlus(inner) => self.int_parts(self.resolve(inner)?),
            _ => Err(ReadError::expected("an int", describe_expr(expr), expr.pos)),
        }
    }

    /// A float: a float or int literal, `float('nan')`, `float('inf')`, `-float('inf')`.
    ///
    /// # Errors
    /// Anything else.
    ///
    /// ```
    /// let v: Vec<f64> = persist_core::from_str("v = [1.5, 2, -float('inf')]\n", "v")?;
    /// assert_eq!(v, [1.5, 2.0, f64::NEG_INFINITY]);
    /// # Ok::<(), persist_core::LoadError>(())
    /// ```
    pub fn float(&self, value: Value<'m>) -> Result<f64, ReadError> {
        let expr = match self.place(value)? {
            Place::Expr(expr) => expr,
            Place::Cell(cell) => return cell.float(),
            Place::Row => return Err(row_found("a float", value)),
        };
        self.float_expr(expr)
    }

    fn float_expr(&self, expr: &'m Expr) -> Result<f64, ReadError> {
        let expr = self.resolve(expr)?;
        match &expr.kind {
            ExprKind::Float(v) => Ok(*v),
            ExprKind::Int(v) => Ok(*v as f64),
            ExprKind::BigInt { .. } => {
                let int = self.int_parts(expr)?;
                Ok(int.magnitude as f64)
            }
            ExprKind::UnaryMinus(inner) => Ok(-self.float_expr(inner)?),
            ExprKind::UnaryPlus(inner) => self.float_expr(inner),
            ExprKind::Call(call) if call_name(call) == Some("float") => {
                let [arg] = call.args.as_slice() else {
                    return Err(ReadError::expected(
                        "float('nan') or float('inf')",
                        describe_expr(expr),
                        expr.pos,
                    ));
                };
                let ExprKind::Str(text) = &arg.kind else {
                    return Err(ReadError::expected(
                        "a string argument of float()",
                        describe_expr(arg),
                        arg.pos,
                    ));
                };
                parse_special_float(text).ok_or_else(|| {
                    ReadError::expected("'nan', 'inf' or a number", format!("{text:?}"), arg.pos)
                })
            }
            _ => Err(ReadError::expected(
                "a float",
                describe_expr(expr),
                expr.pos,
            )),
        }
    }

    /// A complex number: `complex(re, im)`, `1+2j`, `2j`, or a real number.
    ///
    /// # Errors
    /// Anything else.
    ///
    /// ```
    /// use num_complex::Complex64;
    /// let z: Complex64 = persist_core::from_str("z = 1.5-2j\n", "z")?;
    /// assert_eq!(z, Complex64::new(1.5, -2.0));
    /// # Ok::<(), persist_core::LoadError>(())
    /// ```
    pub fn complex(&self, value: Value<'m>) -> Result<(f64, f64), ReadError> {
        let expr = match self.place(value)? {
            Place::Expr(expr) => expr,
            Place::Cell(cell) => return cell.complex(),
            Place::Row => return Err(row_found("a complex number", value)),
        };
        self.complex_expr(expr)
    }

    fn complex_expr(&self, expr: &'m Expr) -> Result<(f64, f64), ReadError> {
        let expr = self.resolve(expr)?;
        // A real operand is a float (imaginary part +0.0), as in Python up to 3.13: the sign of
        // `-1.5` does not reach the imaginary part of `-1.5-0.0j`.
        if expr.is_signed_number() && !has_imaginary(expr) {
            return self.float_expr(expr).map(|re| (re, 0.0));
        }
        match &expr.kind {
            ExprKind::Complex(re, im) => Ok((*re, *im)),
            ExprKind::Call(call) if call_name(call) == Some("complex") => {
                let re = match call.args.first() {
                    Some(e) => self.float_expr(e)?,
                    None => 0.0,
                };
                let im = match call.args.get(1) {
                    Some(e) => self.float_expr(e)?,
                    None => 0.0,
                };
                Ok((re, im))
            }
            ExprKind::BinOp { op, left, right } => {
                let (lr, li) = self.complex_expr(left)?;
                let (rr, ri) = self.complex_expr(right)?;
                Ok(match op {
                    BinOp::Add => (lr + rr, li + ri),
                    BinOp::Sub => (lr - rr, li - ri),
                })
            }
            ExprKind::UnaryMinus(inner) => {
                let (re, im) = self.complex_expr(inner)?;
                Ok((-re, -im))
            }
            ExprKind::UnaryPlus(inner) => self.complex_expr(inner),
            _ => self.float_expr(expr).map(|re| (re, 0.0)).map_err(|_| {
                ReadError::expected("a complex number", describe_expr(expr), expr.pos)
            }),
        }
    }

    /// A `bool`.
    ///
    /// # Errors
    /// Anything but `True` or `False`.
    ///
    /// ```
    /// let b: bool = persist_core::from_str("b = True\n", "b")?;
    /// assert!(b);
    /// # Ok::<(), persist_core::LoadError>(())
    /// ```
    pub fn bool(&self, value: Value<'m>) -> Result<bool, ReadError> {
        let expr = match self.place(value)? {
            Place::Expr(expr) => expr,
            Place::Cell(cell) => return cell.bool(),
            Place::Row => return Err(row_found("True or False", value)),
        };
        let expr = self.resolve(expr)?;
        match &expr.kind {
            ExprKind::Bool(b) => Ok(*b),
            _ => Err(ReadError::expected(
                "True or False",
                describe_expr(expr),
                expr.pos,
            )),
        }
    }

    /// A `str`.
    ///
    /// # Errors
    /// Anything but a string literal.
    ///
    /// ```
    /// let s: String = persist_core::from_str("s = 'caf\\xe9'\n", "s")?;
    /// assert_eq!(s, "café");
    /// # Ok::<(), persist_core::LoadError>(())
    /// ```
    pub fn str(&self, value: Value<'m>) -> Result<&'m str, ReadError> {
        let expr = match self.place(value)? {
            Place::Expr(expr) => expr,
            Place::Cell(cell) => {
                return cell
                    .str()
                    .ok_or_else(|| ReadError::expected("a str", cell.describe(), cell.pos));
            }
            Place::Row => return Err(row_found("a str", value)),
        };
        let expr = self.resolve(expr)?;
        match &expr.kind {
            ExprKind::Str(s) => Ok(s),
            _ => Err(ReadError::expected("a str", describe_expr(expr), expr.pos)),
        }
    }

    /// Whether the value is `None` (after resolving names).
    ///
    /// # Errors
    /// An undefined name.
    ///
    /// ```
    /// let v: Vec<Option<u8>> = persist_core::from_str("v = [None, 1]\n", "v")?;
    /// assert_eq!(v, [None, Some(1)]);
    /// # Ok::<(), persist_core::LoadError>(())
    /// ```
    pub fn is_none(&self, value: Value<'m>) -> Result<bool, ReadError> {
        let expr = match self.place(value)? {
            Place::Expr(expr) => expr,
            Place::Cell(cell) => return Ok(cell.is_none()),
            Place::Row => return Ok(false),
        };
        Ok(matches!(self.resolve(expr)?.kind, ExprKind::None))
    }

    /// A short description of what `value` holds, for error messages: "an int", "a list of 3
    /// elements", "a call of `_Params`".
    ///
    /// ```
    /// use persist_core::{ReadError, Reader, Value};
    ///
    /// fn even<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<u64, ReadError> {
    ///     match r.int::<u64>(v) {
    ///         Ok(n) if n % 2 == 0 => Ok(n),
    ///         _ => Err(ReadError::expected("an even int", r.describe(v), v.pos())),
    ///     }
    /// }
    /// # let _ = even;
    /// ```
    pub fn describe(&self, value: Value<'m>) -> String {
        let expr = match self.place(value) {
            Ok(Place::Expr(expr)) => expr,
            Ok(Place::Cell(cell)) => return cell.describe().to_owned(),
            Ok(Place::Row) => return "a record (a row of a record table)".to_owned(),
            Err(e) => return e.kind().to_string(),
        };
        describe_expr(self.resolve(expr).unwrap_or(expr))
    }

    /// What kind of value `value` holds, after following names (see [`Kind`]).
    ///
    /// # Errors
    /// An undefined name.
    ///
    /// ```
    /// use persist_core::{Kind, ReadError, Reader, Value};
    ///
    /// fn is_text<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<bool, ReadError> {
    ///     Ok(r.kind(v)? == Kind::Str)
    /// }
    /// # let _ = is_text;
    /// ```
    pub fn kind(&self, value: Value<'m>) -> Result<Kind, ReadError> {
        let expr = match self.place(value)? {
            Place::Expr(expr) => expr,
            Place::Cell(cell) => return Ok(cell.kind()),
            Place::Row => return Ok(Kind::Record),
        };
        let expr = self.resolve(expr)?;
        if let ExprKind::Call(call) = &expr.kind
            && let ExprKind::Name(name) = &call.func.kind
        {
            return Ok(match self.binding_of(&call.func, name) {
                Some(Binding::Class(_)) => Kind::Record,
                Some(Binding::Helper) if name == names::LOAD => Kind::Array,
                // A record table stands for the list of its records (a dict table, a dict).
                Some(Binding::Helper) if name == names::TABLE => match self.table_of(expr) {
                    Some((table, _)) if table.dict => Kind::Dict,
                    _ => Kind::List,
                },
                Some(_) => Kind::Other,
                None => Kind::of(expr),
            });
        }
        Ok(Kind::of(expr))
    }

    /// The elements of a list or tuple (either is accepted for any sequence).
    ///
    /// # Errors
    /// Anything else.
    ///
    /// ```
    /// use std::collections::VecDeque;
    /// let v: VecDeque<u8> = persist_core::from_str("v = (1, 2)\n", "v")?;
    /// assert_eq!(v, [1, 2]);
    /// # Ok::<(), persist_core::LoadError>(())
    /// ```
    pub fn sequence(&self, value: Value<'m>) -> Result<Seq<'m>, ReadError> {
        let expr = match self.place(value)? {
            Place::Expr(expr) => expr,
            Place::Cell(cell) => {
                return match cell.list() {
                    // A row of a column of lists; its values are credited with the table.
                    Some((values, range)) => Ok(Seq::flat(values, range, cell.pos)),
                    None => Err(ReadError::expected(
                        "a list or tuple",
                        cell.describe(),
                        cell.pos,
                    )),
                };
            }
            Place::Row => return Err(row_found("a list or tuple", value)),
        };
        let resolved = self.resolve(expr)?;
        if let Some((table, columns)) = self.table_of(resolved) {
            if table.dict {
                return Err(ReadError::expected(
                    "a list or tuple",
                    "a dict (a dict table)",
                    resolved.pos,
                ));
            }
            let rows = self.table_rows(table, columns)?;
            return Ok(Seq::rows(table, columns, rows));
        }
        self.sequence_expr(resolved).map(Seq::of)
    }

    /// The table whose statement value is `resolved`, and its column expressions.
    fn table_of(&self, resolved: &'m Expr) -> Option<(&'m Table, &'m [Expr])> {
        let table = self
            .bound
            .tables
            .get(&(std::ptr::from_ref(resolved) as usize))?;
        if let ExprKind::Call(call) = &resolved.kind
            && let [_, _, columns] = &call.args[..]
            && let ExprKind::Tuple(columns) | ExprKind::List(columns) = &columns.kind
        {
            return Some((table, columns));
        }
        None
    }

    pub(crate) fn sequence_expr(&self, expr: &'m Expr) -> Result<&'m [Expr], ReadError> {
        let expr = self.resolve(expr)?;
        match &expr.kind {
            ExprKind::List(items) | ExprKind::Tuple(items) => Ok(items),
            _ => Err(ReadError::expected(
                "a list or tuple",
                describe_expr(expr),
                expr.pos,
            )),
        }
    }

    /// The elements of a set (`{a, b}` or `set()`), or of a list or tuple.
    ///
    /// # Errors
    /// Anything else.
    ///
    /// ```
    /// use std::collections::BTreeSet;
    /// let s: BTreeSet<u8> = persist_core::from_str("s = {2, 1}\nt = set()\n", "s")?;
    /// assert_eq!(s, BTreeSet::from([1, 2]));
    /// # Ok::<(), persist_core::LoadError>(())
    /// ```
    pub fn set(&self, value: Value<'m>) -> Result<Seq<'m>, ReadError> {
        let expr = match self.place(value)? {
            Place::Expr(expr) => expr,
            Place::Cell(cell) => {
                return Err(ReadError::expected("a set", cell.describe(), cell.pos));
            }
            Place::Row => return Err(row_found("a set", value)),
        };
        self.set_expr(expr).map(Seq::of)
    }

    fn set_expr(&self, expr: &'m Expr) -> Result<&'m [Expr], ReadError> {
        let expr = self.resolve(expr)?;
        match &expr.kind {
            ExprKind::Set(items) | ExprKind::List(items) | ExprKind::Tuple(items) => Ok(items),
            ExprKind::Call(call) if call_name(call) == Some("set") && call.kwargs.is_empty() => {
                match call.args.as_slice() {
                    [] => Ok(&[]),
                    [inner] => self.sequence_expr(inner),
                    _ => Err(ReadError::expected(
                        "set() with at most one argument",
                        describe_expr(expr),
                        expr.pos,
                    )),
                }
            }
            _ => Err(ReadError::expected("a set", describe_expr(expr), expr.pos)),
        }
    }

    /// The entries of a dict.
    ///
    /// # Errors
    /// Anything else.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// let m: HashMap<String, u8> = persist_core::from_str("m = {'a': 1}\n", "m")?;
    /// assert_eq!(m["a"], 1);
    /// # Ok::<(), persist_core::LoadError>(())
    /// ```
    pub fn dict(&self, value: Value<'m>) -> Result<Entries<'m>, ReadError> {
        let expr = match self.place(value)? {
            Place::Expr(expr) => expr,
            Place::Cell(cell) => {
                return Err(ReadError::expected("a dict", cell.describe(), cell.pos));
            }
            Place::Row => return Err(row_found("a dict", value)),
        };
        let expr = self.resolve(expr)?;
        if let Some((table, columns)) = self.table_of(expr)
            && table.dict
        {
            let rows = self.table_rows(table, columns)?;
            return Ok(Entries::table(table, columns, rows));
        }
        match &expr.kind {
            ExprKind::Dict(entries) => Ok(Entries::of(entries)),
            _ => Err(ReadError::expected("a dict", describe_expr(expr), expr.pos)),
        }
    }

    /// Read each element of a sequence with `T::from_python`, adding its index to errors.
    ///
    /// # Errors
    /// An element does not read as a `T`.
    ///
    /// ```
    /// use persist_core::{ReadError, Reader, Value};
    ///
    /// fn sum<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<f64, ReadError> {
    ///     let items = r.sequence(v)?;
    ///     r.elements::<f64>(items).sum()
    /// }
    /// # let _ = sum;
    /// ```
    pub fn elements<T: Persist>(
        &mut self,
        items: Seq<'m>,
    ) -> impl Iterator<Item = Result<T, ReadError>> {
        items
            .enumerate()
            .map(move |(i, item)| self.read_at(item, PathSegment::Index(i)))
    }

    /// Read `value` as a `T`, with `segment` added to the error's path: how containers read
    /// their parts (with room for deep values on the stack).
    pub(crate) fn read_at<T: Persist>(
        &mut self,
        value: Value<'m>,
        segment: PathSegment,
    ) -> Result<T, ReadError> {
        match with_stack(|| T::from_python(value, self)) {
            Ok(value) => Ok(value),
            Err(e) => Err(e.within(segment)),
        }
    }
}

/// Whether a signed number is imaginary (`2j`, `-2j`).
fn has_imaginary(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Complex(..) => true,
        ExprKind::UnaryMinus(inner) | ExprKind::UnaryPlus(inner) => has_imaginary(inner),
        _ => false,
    }
}

fn call_name(call: &Call) -> Option<&str> {
    match &call.func.kind {
        ExprKind::Name(name) => Some(name),
        _ => None,
    }
}

/// The argument of `float(...)`, as Python reads it.
fn parse_special_float(text: &str) -> Option<f64> {
    let t = text.trim().to_ascii_lowercase();
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(&t)),
    };
    let value = match body {
        "nan" => f64::NAN,
        "inf" | "infinity" => f64::INFINITY,
        other => other.replace('_', "").parse().ok()?,
    };
    Some(if negative { -value } else { value })
}
