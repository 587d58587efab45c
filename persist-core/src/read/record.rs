//! Records as the reader sees them: [`Reader::record`], the class of a record ([`ClassRef`])
//! and its arguments taken field by field ([`RecordArgs`]), which derived impls use.

mod class;
mod fields;

use super::table::{Table, TableField, TableRecord};
use super::value::Node;
use super::{Binding, Class, ReadError, ReadErrorKind, Reader, Value, describe_expr};
use crate::error::PathSegment;
use crate::persist::Persist;
use crate::platform::with_stack;
use crate::python::ast::{Expr, ExprKind, Keyword, Pos};
use crate::record::{Record, RecordKind};
pub use class::ClassRef;
use fields::{Slot, Used, With, find};

impl<'m> Reader<'m> {
    /// A record (a call of one of the archive's record classes): its class, to tell enum
    /// variants apart, and its arguments, to take field by field. This is what
    /// `#[derive(Persist)]` reads a struct or enum with.
    ///
    /// # Errors
    /// Not a call of a record class.
    ///
    /// ```
    /// use persist_core::{Persist, ReadError, Reader, Value};
    ///
    /// /// Read only the `alpha` field of any record.
    /// fn alpha<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Option<f64>, ReadError> {
    ///     let (_class, mut args) = r.record(v)?;
    ///     match args.get(0, "alpha", &[]) {
    ///         Some(value) => f64::from_python(value, r).map(Some),
    ///         None => Ok(None),
    ///     }
    /// }
    /// # let _ = alpha;
    /// ```
    pub fn record(&self, value: Value<'m>) -> Result<(ClassRef<'m>, RecordArgs<'m>), ReadError> {
        let expr = match value.node {
            Node::Expr(expr) => self.resolve(expr)?,
            Node::Row {
                table,
                record,
                columns,
                row,
            } => {
                let args = RecordArgs {
                    class: &record.class,
                    positional: &[],
                    keywords: &[],
                    used: Used::new(record.fields.len()),
                    pos: table.pos,
                    record: None,
                    structural: self.bound.structural,
                    row: Some(RowArgs {
                        table,
                        record,
                        columns,
                        row,
                    }),
                };
                let class = ClassRef {
                    class: &record.class,
                    pos: table.pos,
                    structural: self.bound.structural,
                };
                return Ok((class, args));
            }
            Node::Cell { .. } | Node::Flat { .. } => {
                return Err(ReadError::expected(
                    "a record (a call of the archive's record class)",
                    self.describe(value),
                    value.pos(),
                ));
            }
        };
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
            used: Used::new(call.kwargs.len()),
            pos: expr.pos,
            record: None,
            structural: self.bound.structural,
            row: None,
        };
        Ok((
            ClassRef {
                class,
                pos: expr.pos,
                structural: self.bound.structural,
            },
            args,
        ))
    }

    /// A record of the struct `record`: [`record`](Reader::record), then its class checked to
    /// be the struct's (its Python name or one of its [aliases](Record::aliases), or the user
    /// class of `python = "module:Class"`; any class with
    /// [`ReadOptions::structural_records`](crate::ReadOptions::structural_records)). This is
    /// what `#[derive(Persist)]` reads a struct with.
    ///
    /// # Errors
    /// Not a record, or a record of another class.
    ///
    /// ```
    /// use persist_core::{Persist, ReadError, Reader, Record, RecordKind, Value};
    /// static SPOT: Record = Record::new("m::Spot", "Spot", RecordKind::Named(&["x"]));
    /// fn spot_x<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<f64, ReadError> {
    ///     let mut args = r.record_as(v, &SPOT)?;
    ///     args.field::<f64>(r, 0, "x", &[])?.ok_or_else(|| args.missing("x"))
    /// }
    /// # let _ = spot_x;
    /// ```
    pub fn record_as(
        &self,
        value: Value<'m>,
        record: &'static Record,
    ) -> Result<RecordArgs<'m>, ReadError> {
        let (class, mut args) = self.record(value)?;
        if !class.is(record) {
            return Err(class.wrong_record(record));
        }
        args.record = Some(record);
        Ok(args)
    }
}

/// The arguments of a record call, taken field by field (by keyword, or by position in the
/// archive's class), from [`Reader::record`].
///
/// ```
/// use persist_core::{Persist, ReadError, Reader, Value};
///
/// /// A record read by hand: `alpha` is required, `steps` defaults to 10.
/// fn params<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<(f64, u32), ReadError> {
///     let (_, mut args) = r.record(v)?;
///     let alpha = args.field::<f64>(r, 0, "alpha", &[])?.ok_or_else(|| args.missing("alpha"))?;
///     let steps = args.field::<u32>(r, 1, "steps", &[])?.unwrap_or(10);
///     Ok((alpha, steps))
/// }
/// # let _ = params;
/// ```
#[derive(Debug)]
pub struct RecordArgs<'m> {
    class: &'m Class,
    positional: &'m [Expr],
    keywords: &'m [Keyword],
    /// Which keywords (or, for a row of a table, which fields) a field took.
    used: Used,
    pos: Pos,
    /// The record being read, once known ([`Reader::record_as`], [`RecordArgs::is_record`]):
    /// its fields name what a missing field's error need not suggest.
    record: Option<&'static Record>,
    /// [`ReadOptions::structural_records`](crate::ReadOptions::structural_records).
    structural: bool,
    /// For a row of a record table: the row, whose fields are the table's columns.
    row: Option<RowArgs<'m>>,
}

/// The fields of one row of a record table.
#[derive(Debug)]
struct RowArgs<'m> {
    table: &'m Table,
    record: &'m TableRecord,
    columns: &'m [Expr],
    row: usize,
}

impl<'m> RecordArgs<'m> {
    /// The expression of field number `index` named `name` (or one of its `aliases`): the
    /// keyword argument of that name, or the positional argument at that field's place in the
    /// archive's class (at `index` when the class does not list its fields).
    ///
    /// ```
    /// use persist_core::{Persist, ReadError, Reader, Value};
    ///
    /// /// The `steps` field of a record, also accepted under its old name `n`.
    /// fn steps<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<u32, ReadError> {
    ///     let (_, mut args) = r.record(v)?;
    ///     match args.get(1, "steps", &["n"]) {
    ///         Some(value) => u32::from_python(value, r),
    ///         None => Err(ReadError::custom("no steps", v.pos())),
    ///     }
    /// }
    /// # let _ = steps;
    /// ```
    pub fn get(&mut self, index: usize, name: &str, aliases: &[&str]) -> Option<Value<'m>> {
        if let Some(row) = &self.row {
            let found = find(&row.record.fields, |(f, _)| f, index, name, aliases)?;
            self.used.set(found);
            let node = match &row.record.fields[found].1 {
                TableField::Column(column) => Node::Cell {
                    table: row.table,
                    columns: row.columns,
                    column: *column,
                    row: row.row,
                },
                TableField::Record(record) => Node::Row {
                    table: row.table,
                    record,
                    columns: row.columns,
                    row: row.row,
                },
            };
            return Some(Value { node });
        }
        if !self.positional.is_empty() {
            let place = if self.class.fields.is_empty() {
                Some(index)
            } else {
                find(&self.class.fields, |f| f.as_str(), index, name, aliases)
            };
            if let Some(expr) = place.and_then(|i| self.positional.get(i)) {
                return Some(Value::expr(expr));
            }
        }
        let found = find(self.keywords, |kw| kw.name.as_str(), index, name, aliases)?;
        self.used.set(found);
        Some(Value::expr(&self.keywords[found].value))
    }

    /// Read field `index`/`name` as a `T`; `None` when it is absent.
    /// (What `#[derive(Persist)]` reads each field with.)
    ///
    /// # Errors
    /// The field's value does not read as a `T` (the field's name is added to the error's path).
    ///
    /// ```
    /// use persist_core::{ReadError, Reader, Value};
    /// fn alpha<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Option<f64>, ReadError> {
    ///     let (_, mut args) = r.record(v)?;
    ///     args.field::<f64>(r, 0, "alpha", &["a"])
    /// }
    /// # let _ = alpha;
    /// ```
    pub fn field<T: Persist>(
        &mut self,
        r: &mut Reader<'m>,
        index: usize,
        name: &'static str,
        aliases: &[&str],
    ) -> Result<Option<T>, ReadError> {
        let mut slot = None::<T>;
        match self.read_into(r, index, name, aliases, &mut slot) {
            Ok(()) => Ok(slot),
            Err(e) => Err(e),
        }
    }

    /// Read field `index`/`name` into `slot` when the record has it (else leave `slot` as it
    /// is), the field added to an error's path, with room on the stack: for an expression of
    /// the source or a record row, which may nest further, as [`with_stack`] does; for a cell
    /// of a record table directly, since a cell is a scalar (or a list of scalars) that nests
    /// no further (and checking the stack per cell was a tenth of reading one).
    ///
    /// Not generic: what each field type of each derived type instantiates is the slot's one
    /// call of its `from_python` (and `required`'s or `field`'s few lines around this call).
    fn read_into(
        &mut self,
        r: &mut Reader<'m>,
        index: usize,
        name: &'static str,
        aliases: &[&str],
        slot: &mut dyn Slot<'m>,
    ) -> Result<(), ReadError> {
        let Some(value) = self.get(index, name, aliases) else {
            return Ok(());
        };
        let read = match value.node {
            Node::Expr(_) | Node::Row { .. } => {
                let mut read = Ok(());
                with_stack(|| read = slot.read(value, r));
                read
            }
            Node::Cell { .. } | Node::Flat { .. } => slot.read(value, r),
        };
        match read {
            Ok(()) => Ok(()),
            Err(e) => Err(e.within(segment(name, index))),
        }
    }

    /// [`field`](RecordArgs::field) read by `read` instead of `T`'s `Persist` impl: a field with
    /// `#[persist(with = "module")]`. (For `#[derive(Persist)]`.)
    #[doc(hidden)]
    pub fn field_with<T>(
        &mut self,
        r: &mut Reader<'m>,
        index: usize,
        name: &'static str,
        aliases: &[&str],
        read: impl FnMut(Value<'m>, &mut Reader<'m>) -> Result<T, ReadError>,
    ) -> Result<Option<T>, ReadError> {
        let mut slot = With { read, value: None };
        match self.read_into(r, index, name, aliases, &mut slot) {
            Ok(()) => Ok(slot.value),
            Err(e) => Err(e),
        }
    }

    /// [`field`](RecordArgs::field) of a field without a default: a missing one is the
    /// [`missing`](RecordArgs::missing) error, so the derived code is one call per field.
    /// (For `#[derive(Persist)]`.)
    #[doc(hidden)]
    #[inline]
    pub fn required<T: Persist>(
        &mut self,
        r: &mut Reader<'m>,
        index: usize,
        name: &'static str,
        aliases: &[&str],
    ) -> Result<T, ReadError> {
        let mut slot = None::<T>;
        match self.read_into(r, index, name, aliases, &mut slot) {
            Ok(()) => match slot {
                Some(value) => Ok(value),
                None => Err(self.missing(name)),
            },
            Err(e) => Err(e),
        }
    }

    /// [`required`](RecordArgs::required) read by `read` (`#[persist(with = "module")]`).
    /// (For `#[derive(Persist)]`.)
    #[doc(hidden)]
    #[inline]
    pub fn required_with<T>(
        &mut self,
        r: &mut Reader<'m>,
        index: usize,
        name: &'static str,
        aliases: &[&str],
        read: impl FnMut(Value<'m>, &mut Reader<'m>) -> Result<T, ReadError>,
    ) -> Result<T, ReadError> {
        let mut slot = With { read, value: None };
        match self.read_into(r, index, name, aliases, &mut slot) {
            Ok(()) => match slot.value {
                Some(value) => Ok(value),
                None => Err(self.missing(name)),
            },
            Err(e) => Err(e),
        }
    }

    /// The error for a missing field without a default: it names the fields of the archive's
    /// record that no field has read (and that are no field of the record being read), the
    /// likely old name of a renamed field among them. (For `#[derive(Persist)]`.)
    #[doc(hidden)]
    pub fn missing(&self, name: &'static str) -> ReadError {
        let ours = |n: &str| match self.record.map(|r| r.kind) {
            Some(RecordKind::Named(fields)) => fields.contains(&n),
            _ => false,
        };
        let unread: Vec<String> = match &self.row {
            Some(row) => (row.record.fields.iter().enumerate())
                .filter(|(i, _)| !self.used.is_set(*i))
                .map(|(_, f)| f.0.to_string())
                .collect(),
            None => (self.keywords.iter().enumerate())
                .filter(|(i, _)| !self.used.is_set(*i))
                .map(|(_, k)| k.name.to_string())
                .collect(),
        };
        let unread = unread.into_iter().filter(|n| !ours(n)).collect();
        ReadError::new(
            ReadErrorKind::MissingField {
                record: self.class.qualname.clone(),
                field: name,
                unread,
            },
            self.pos,
        )
    }

    /// Whether the archive's class stands for `record` ([`ClassRef::is`]); if it does, the
    /// record is kept for [`missing`](RecordArgs::missing)'s message. (For `#[derive(Persist)]`,
    /// which reads an enum's variants with it.)
    #[doc(hidden)]
    pub fn is_record(&mut self, record: &'static Record) -> bool {
        let class = ClassRef {
            class: self.class,
            pos: self.pos,
            structural: self.structural,
        };
        let is = class.is(record);
        if is {
            self.record = Some(record);
        }
        is
    }

    /// Check what is left: with `deny_unknown`, a keyword argument no field took is an error.
    /// Extra positional arguments are always an error (they cannot be matched to a field).
    ///
    /// # Errors
    /// As above. (For `#[derive(Persist)]`.)
    #[doc(hidden)]
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
        if let Some(row) = &self.row {
            if deny_unknown && let Some(i) = self.used.first_unused() {
                let expected = match record.kind {
                    RecordKind::Named(fields) => fields.join(", "),
                    _ => "none".to_owned(),
                };
                return Err(ReadError::new(
                    ReadErrorKind::UnknownField {
                        record: self.class.qualname.clone(),
                        field: row.record.fields[i].0.clone(),
                        expected,
                    },
                    self.pos,
                ));
            }
            return Ok(());
        }
        if deny_unknown && let Some(i) = self.used.first_unused() {
            let expected = match record.kind {
                RecordKind::Named(fields) => fields.join(", "),
                _ => "none".to_owned(),
            };
            return Err(ReadError::new(
                ReadErrorKind::UnknownField {
                    record: self.class.qualname.clone(),
                    field: self.keywords[i].name.to_string(),
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
