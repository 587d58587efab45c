//! What [`Reader`] reads: numbers, strings, containers and records.

use super::{Binding, Class, ReadError, ReadErrorKind, Reader, describe_expr};
use crate::error::PathSegment;
use crate::persist::Persist;
use crate::python::ast::{BinOp, Call, Expr, ExprKind, Keyword, Pos};
use crate::python::with_stack;
use crate::record::{Record, RecordKind};

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
    pub fn int<T: TryFrom<i128> + TryFrom<u128>>(&self, expr: &'m Expr) -> Result<T, ReadError> {
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
    pub fn float(&self, expr: &'m Expr) -> Result<f64, ReadError> {
        let expr = self.resolve(expr)?;
        match &expr.kind {
            ExprKind::Float(v) => Ok(*v),
            ExprKind::Int(v) => Ok(*v as f64),
            ExprKind::BigInt { .. } => {
                let int = self.int_parts(expr)?;
                Ok(int.magnitude as f64)
            }
            ExprKind::UnaryMinus(inner) => Ok(-self.float(inner)?),
            ExprKind::UnaryPlus(inner) => self.float(inner),
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
    pub fn complex(&self, expr: &'m Expr) -> Result<(f64, f64), ReadError> {
        let expr = self.resolve(expr)?;
        // A real operand is a float (imaginary part +0.0), as in Python up to 3.13: the sign of
        // `-1.5` does not reach the imaginary part of `-1.5-0.0j`.
        if expr.is_signed_number() && !has_imaginary(expr) {
            return self.float(expr).map(|re| (re, 0.0));
        }
        match &expr.kind {
            ExprKind::Complex(re, im) => Ok((*re, *im)),
            ExprKind::Call(call) if call_name(call) == Some("complex") => {
                let re = match call.args.first() {
                    Some(e) => self.float(e)?,
                    None => 0.0,
                };
                let im = match call.args.get(1) {
                    Some(e) => self.float(e)?,
                    None => 0.0,
                };
                Ok((re, im))
            }
            ExprKind::BinOp { op, left, right } => {
                let (lr, li) = self.complex(left)?;
                let (rr, ri) = self.complex(right)?;
                Ok(match op {
                    BinOp::Add => (lr + rr, li + ri),
                    BinOp::Sub => (lr - rr, li - ri),
                })
            }
            ExprKind::UnaryMinus(inner) => {
                let (re, im) = self.complex(inner)?;
                Ok((-re, -im))
            }
            ExprKind::UnaryPlus(inner) => self.complex(inner),
            _ => self.float(expr).map(|re| (re, 0.0)).map_err(|_| {
                ReadError::expected("a complex number", describe_expr(expr), expr.pos)
            }),
        }
    }

    /// A `bool`.
    ///
    /// # Errors
    /// Anything but `True` or `False`.
    pub fn bool(&self, expr: &'m Expr) -> Result<bool, ReadError> {
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
    pub fn str(&self, expr: &'m Expr) -> Result<&'m str, ReadError> {
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
    pub fn is_none(&self, expr: &'m Expr) -> Result<bool, ReadError> {
        Ok(matches!(self.resolve(expr)?.kind, ExprKind::None))
    }

    /// The elements of a list or tuple (either is accepted for any sequence).
    ///
    /// # Errors
    /// Anything else.
    pub fn sequence(&self, expr: &'m Expr) -> Result<&'m [Expr], ReadError> {
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
    pub fn set(&self, expr: &'m Expr) -> Result<&'m [Expr], ReadError> {
        let expr = self.resolve(expr)?;
        match &expr.kind {
            ExprKind::Set(items) | ExprKind::List(items) | ExprKind::Tuple(items) => Ok(items),
            ExprKind::Call(call) if call_name(call) == Some("set") && call.kwargs.is_empty() => {
                match call.args.as_slice() {
                    [] => Ok(&[]),
                    [inner] => self.sequence(inner),
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
    pub fn dict(&self, expr: &'m Expr) -> Result<&'m [(Expr, Expr)], ReadError> {
        let expr = self.resolve(expr)?;
        match &expr.kind {
            ExprKind::Dict(entries) => Ok(entries),
            _ => Err(ReadError::expected("a dict", describe_expr(expr), expr.pos)),
        }
    }

    /// Read each element of a sequence with `T::from_python`, adding its index to errors.
    ///
    /// # Errors
    /// Not a sequence, or an element does not read.
    pub fn elements<T: Persist>(
        &mut self,
        items: &'m [Expr],
    ) -> impl Iterator<Item = Result<T, ReadError>> {
        items.iter().enumerate().map(move |(i, item)| {
            with_stack(|| T::from_python(item, self)).map_err(|e| e.within(PathSegment::Index(i)))
        })
    }

    /// A record (a call of a record class): the class and its arguments.
    ///
    /// # Errors
    /// Not a call of a record class.
    pub fn record(&self, expr: &'m Expr) -> Result<(ClassRef<'m>, RecordArgs<'m>), ReadError> {
        let expr = self.resolve(expr)?;
        let ExprKind::Call(call) = &expr.kind else {
            return Err(ReadError::expected(
                "a record (a call of the archive's record class)",
                describe_expr(expr),
                expr.pos,
            ));
        };
        let class = match &call.func.kind {
            ExprKind::Name(name) => match self.binding_of(&call.func, name) {
                Some(Binding::Class(class)) => class,
                _ => {
                    return Err(ReadError::expected(
                        "a record class",
                        format!("`{name}`"),
                        call.func.pos,
                    ));
                }
            },
            _ => {
                return Err(ReadError::expected(
                    "a record",
                    describe_expr(expr),
                    expr.pos,
                ));
            }
        };
        let args = RecordArgs {
            class,
            positional: &call.args,
            keywords: &call.kwargs,
            used: vec![false; call.kwargs.len()],
            pos: expr.pos,
        };
        Ok((
            ClassRef {
                class,
                pos: expr.pos,
            },
            args,
        ))
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

/// The class of a record being read.
#[derive(Debug, Clone, Copy)]
pub struct ClassRef<'m> {
    class: &'m Class,
    pos: Pos,
}

impl ClassRef<'_> {
    /// Whether this class stands for `record`: the same variant name (for an enum variant), or
    /// the same imported class (for `python = "module:Class"`). Struct names are not compared, so
    /// renaming a Rust struct does not break old archives.
    pub fn is(&self, record: &Record) -> bool {
        if let Some(python) = record.python {
            return self.class.imported && self.class.qualname == python;
        }
        match record.variant {
            Some(variant) => {
                !self.class.imported && self.class.qualname.rsplit('.').next() == Some(variant)
            }
            // Any class of the archive's own, but not an imported function or class.
            None => !self.class.imported,
        }
    }

    /// The error for a variant none of `expected` matches.
    pub fn unknown_variant(&self, enum_name: &str, expected: &[&Record]) -> ReadError {
        let variant = self
            .class
            .qualname
            .rsplit(['.', ':'])
            .next()
            .unwrap_or("")
            .to_owned();
        let names: Vec<&str> = expected.iter().filter_map(|r| r.variant).collect();
        ReadError::new(
            ReadErrorKind::UnknownVariant {
                record: enum_name.to_owned(),
                variant,
                expected: names.join(", "),
            },
            self.pos,
        )
    }
}

/// The arguments of a record call, taken field by field.
#[derive(Debug)]
pub struct RecordArgs<'m> {
    class: &'m Class,
    positional: &'m [Expr],
    keywords: &'m [Keyword],
    used: Vec<bool>,
    pos: Pos,
}

impl<'m> RecordArgs<'m> {
    /// The expression of field number `index` named `name` (or one of its `aliases`): the
    /// keyword argument of that name, or the positional argument at that field's place in the
    /// archive's class (at `index` when the class does not list its fields).
    pub fn get(&mut self, index: usize, name: &str, aliases: &[&str]) -> Option<&'m Expr> {
        if !self.positional.is_empty() {
            let place = if self.class.fields.is_empty() {
                Some(index)
            } else {
                self.class
                    .fields
                    .iter()
                    .position(|f| f == name || aliases.contains(&f.as_str()))
            };
            if let Some(expr) = place.and_then(|i| self.positional.get(i)) {
                return Some(expr);
            }
        }
        let found = self
            .keywords
            .iter()
            .position(|kw| kw.name == name || aliases.contains(&kw.name.as_str()))?;
        self.used[found] = true;
        Some(&self.keywords[found].value)
    }

    /// Read field `index`/`name` as a `T`; `None` when it is absent.
    ///
    /// # Errors
    /// The field's value does not read as a `T` (the field's name is added to the error's path).
    pub fn field<T: Persist>(
        &mut self,
        r: &mut Reader<'m>,
        index: usize,
        name: &'static str,
        aliases: &[&str],
    ) -> Result<Option<T>, ReadError> {
        match self.get(index, name, aliases) {
            Some(expr) => with_stack(|| T::from_python(expr, r))
                .map(Some)
                .map_err(|e| e.within(segment(name, index))),
            None => Ok(None),
        }
    }

    /// The error for a missing field without a default.
    pub fn missing(&self, name: &'static str) -> ReadError {
        ReadError::new(
            ReadErrorKind::MissingField {
                record: self.class.qualname.clone(),
                field: name,
            },
            self.pos,
        )
    }

    /// Check what is left: with `deny_unknown`, a keyword argument no field took is an error.
    /// Extra positional arguments are always an error (they cannot be matched to a field).
    ///
    /// # Errors
    /// As above.
    pub fn finish(self, record: &Record, deny_unknown: bool) -> Result<(), ReadError> {
        // A class imported from elsewhere stands only for a record declared with that very
        // `python = "module:Class"`: `from os import system; x = system(...)` is no record.
        if self.class.imported && record.python != Some(self.class.qualname.as_str()) {
            return Err(ReadError::expected(
                format!("a record `{}`", record.name),
                format!(
                    "a call of the imported `{}`",
                    self.class.qualname.replace(':', ".")
                ),
                self.pos,
            ));
        }
        let count = match record.kind {
            RecordKind::Named(fields) => fields.len(),
            RecordKind::Tuple(n) => n,
            RecordKind::Unit => 0,
        };
        if self.positional.len() > count {
            let extra = &self.positional[count];
            return Err(ReadError::expected(
                format!("at most {count} positional fields"),
                format!("{} positional arguments", self.positional.len()),
                extra.pos,
            ));
        }
        if deny_unknown && let Some(i) = self.used.iter().position(|used| !used) {
            let expected = match record.kind {
                RecordKind::Named(fields) => fields.join(", "),
                _ => "none".to_owned(),
            };
            return Err(ReadError::new(
                ReadErrorKind::UnknownField {
                    record: self.class.qualname.clone(),
                    field: self.keywords[i].name.clone(),
                    expected,
                },
                self.keywords[i].pos,
            ));
        }
        Ok(())
    }
}

fn segment(name: &'static str, index: usize) -> PathSegment {
    if name.starts_with('_') && name[1..].bytes().all(|b| b.is_ascii_digit()) {
        PathSegment::Index(index)
    } else {
        PathSegment::Field(name)
    }
}
