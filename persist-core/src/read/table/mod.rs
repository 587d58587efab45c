//! Record tables on the reading side: the `_table(_Class, fields, columns)` statement, planned
//! when the module is bound (its classes, field tree and columns checked), its stored columns
//! loaded on first use (dtype, lengths, offsets, UTF-8 and masks checked), and the rows and
//! cells that [`Reader::sequence`], [`Reader::record`] and the scalar accessors hand to
//! `from_python` as [`Value`]s (`Node::Row`, `Node::Cell`).

use std::collections::HashMap;
use std::sync::OnceLock;

use ndarray_npy::ReadableElement;
use num_complex::Complex;

use super::value::{Node, Value};
use super::{Binding, Bound, Class, ReadError, ReadErrorKind, Reader};
use crate::array::Element;
use crate::python::ast::{Expr, ExprKind, Pos};
use crate::python::names;
use crate::record::ColumnType;

mod cell;
pub(crate) use cell::Cell;

/// A `_table(...)` statement of the module.
#[derive(Debug)]
pub(crate) struct Table {
    /// The name the statement binds (an item or `_tN`), for error messages.
    pub item: String,
    pub pos: Pos,
    /// The record of each row; `None` for a one-column table (`_table(None, (), (column,))`,
    /// a list of plain values).
    pub root: Option<TableRecord>,
    pub columns: Vec<TableColumn>,
    /// The stored columns, loaded on first use (`None` for inline columns).
    loaded: OnceLock<Vec<Option<Loaded>>>,
}

/// A record class of a table and its fields.
#[derive(Debug)]
pub(crate) struct TableRecord {
    pub class: Class,
    pub fields: Vec<(String, TableField)>,
}

/// A field of a table's record: one column, or a nested record.
#[derive(Debug)]
pub(crate) enum TableField {
    Column(usize),
    Record(TableRecord),
}

/// One leaf column: its path (`particles.position.x`) and where its values are.
#[derive(Debug)]
pub(crate) struct TableColumn {
    pub path: String,
    pub pos: Pos,
    /// `None`: a list of literals in the source (read through the ordinary accessors).
    pub stored: Option<Stored>,
}

/// A column in the array store.
#[derive(Debug)]
pub(crate) struct Stored {
    pub ty: ColumnType,
    pub optional: bool,
    /// The values (for strings: the bytes, then the offsets), then the mask if `optional`.
    pub files: Vec<String>,
}

/// A stored column's values, widened to the reader's types.
#[derive(Debug)]
pub(crate) enum Data {
    Bool(Vec<bool>),
    Int(Vec<i64>),
    UInt(Vec<u64>),
    Float(Vec<f64>),
    Complex(Vec<(f64, f64)>),
    Str { text: String, offsets: Vec<usize> },
}

#[derive(Debug)]
pub(crate) struct Loaded {
    data: Data,
    mask: Option<Vec<bool>>,
}

impl Data {
    fn len(&self) -> usize {
        match self {
            Data::Bool(v) => v.len(),
            Data::Int(v) => v.len(),
            Data::UInt(v) => v.len(),
            Data::Float(v) => v.len(),
            Data::Complex(v) => v.len(),
            Data::Str { offsets, .. } => offsets.len().saturating_sub(1),
        }
    }
}

/// A refusal of a table's statement at `pos`.
fn bad(pos: Pos, message: impl std::fmt::Display) -> ReadError {
    ReadError::custom(message, pos)
}

/// The plan of `value`, a `_table(...)` call bound to the target `item`; `None` when `value` is
/// no such call. The checks of `check_data` have run (every `_load` has a plain file name).
pub(crate) fn plan(
    item: &str,
    value: &Expr,
    names: &HashMap<String, Binding>,
) -> Result<Option<Table>, ReadError> {
    let ExprKind::Call(call) = &value.kind else {
        return Ok(None);
    };
    if !matches!(&call.func.kind, ExprKind::Name(n) if n == names::TABLE) {
        return Ok(None);
    }
    check_table_call(value, call)?;
    let [class, fields, columns] = &call.args[..] else {
        unreachable!("checked by check_table_call")
    };
    let mut paths = Vec::new();
    let root = match (&class.kind, &fields.kind) {
        (ExprKind::None, ExprKind::Tuple(no_fields)) if no_fields.is_empty() => {
            paths.push(item.to_owned());
            None
        }
        (ExprKind::None, _) => {
            return Err(bad(
                fields.pos,
                "a one-column table (`_table(None, ...)`) has no fields: `()`",
            ));
        }
        _ => Some(plan_record(class, fields, names, item, &mut paths)?),
    };
    let (ExprKind::Tuple(items) | ExprKind::List(items)) = &columns.kind else {
        return Err(bad(
            columns.pos,
            "the columns of `_table(...)` must be a tuple",
        ));
    };
    if items.len() != paths.len() {
        return Err(bad(
            columns.pos,
            format!(
                "`_table(...)` of `{item}` names {} leaf fields but gives {} columns",
                paths.len(),
                items.len()
            ),
        ));
    }
    let columns = items
        .iter()
        .zip(paths)
        .map(|(expr, path)| {
            Ok(TableColumn {
                stored: plan_stored(expr, &path)?,
                path,
                pos: expr.pos,
            })
        })
        .collect::<Result<Vec<_>, ReadError>>()?;
    Ok(Some(Table {
        item: item.to_owned(),
        pos: value.pos,
        root,
        columns,
        loaded: OnceLock::new(),
    }))
}

/// `_table` takes three positional arguments: the class, the fields and the columns.
pub(crate) fn check_table_call(
    expr: &Expr,
    call: &crate::python::ast::Call,
) -> Result<(), ReadError> {
    if call.args.len() != 3 || !call.kwargs.is_empty() {
        return Err(bad(
            expr.pos,
            "`_table` takes three positional arguments in an archive: the class, the fields and the columns",
        ));
    }
    Ok(())
}

fn plan_record(
    class: &Expr,
    fields: &Expr,
    names: &HashMap<String, Binding>,
    path: &str,
    leaves: &mut Vec<String>,
) -> Result<TableRecord, ReadError> {
    let class = match &class.kind {
        ExprKind::Name(name) => match names.get(name) {
            Some(Binding::Class(class)) if !class.imported => class.clone(),
            _ => {
                return Err(bad(
                    class.pos,
                    format!("`{name}` is not a record class of the archive"),
                ));
            }
        },
        _ => {
            return Err(bad(
                class.pos,
                "a table's class must be a record class's name",
            ));
        }
    };
    let (ExprKind::Tuple(items) | ExprKind::List(items)) = &fields.kind else {
        return Err(bad(fields.pos, "a table's fields must be a tuple of names"));
    };
    let mut out = Vec::new();
    for field in items {
        match &field.kind {
            ExprKind::Str(name) => {
                leaves.push(format!("{path}.{name}"));
                out.push((name.clone(), TableField::Column(leaves.len() - 1)));
            }
            ExprKind::Tuple(parts) => {
                let [name, class, inner] = &parts[..] else {
                    return Err(bad(
                        field.pos,
                        "a nested record of a table is `(name, class, fields)`",
                    ));
                };
                let ExprKind::Str(name) = &name.kind else {
                    return Err(bad(name.pos, "a field name must be a string"));
                };
                let record = plan_record(class, inner, names, &format!("{path}.{name}"), leaves)?;
                out.push((name.clone(), TableField::Record(record)));
            }
            _ => {
                return Err(bad(
                    field.pos,
                    "a table's field is a name or `(name, class, fields)`",
                ));
            }
        }
    }
    Ok(TableRecord { class, fields: out })
}

/// A stored column `(kind, _load(...), ...)`, or `None` for anything else (a list of literals,
/// read through the ordinary accessors).
fn plan_stored(expr: &Expr, path: &str) -> Result<Option<Stored>, ReadError> {
    let ExprKind::Tuple(parts) = &expr.kind else {
        return Ok(None);
    };
    let Some((ExprKind::Str(kind), arrays)) = parts.split_first().map(|(k, rest)| (&k.kind, rest))
    else {
        return Err(bad(
            expr.pos,
            format!("the column `{path}` must start with its kind"),
        ));
    };
    let (optional, dtype) = match kind.strip_prefix('?') {
        Some(rest) => (true, rest),
        None => (false, kind.as_str()),
    };
    let Some(ty) = ColumnType::from_dtype(dtype) else {
        return Err(bad(
            expr.pos,
            format!("the column `{path}` has the unknown kind '{kind}'"),
        ));
    };
    let expected = 1 + usize::from(ty == ColumnType::Str) + usize::from(optional);
    let files = arrays
        .iter()
        .filter_map(|a| match &a.kind {
            ExprKind::Call(call) if matches!(&call.func.kind, ExprKind::Name(n) if n == names::LOAD) => {
                match &call.args[..] {
                    [arg] => match &arg.kind {
                        ExprKind::Str(file) => Some(file.clone()),
                        _ => None,
                    },
                    _ => None,
                }
            }
            _ => None,
        })
        .collect::<Vec<_>>();
    if files.len() != arrays.len() || files.len() != expected {
        return Err(bad(
            expr.pos,
            format!("the column `{path}` of kind '{kind}' takes {expected} `_load(...)` arrays"),
        ));
    }
    Ok(Some(Stored {
        ty,
        optional,
        files,
    }))
}

impl Table {
    /// The stored columns, loaded and checked on first use.
    pub(crate) fn loaded(&self, bound: &Bound) -> Result<&[Option<Loaded>], ReadError> {
        if let Some(loaded) = self.loaded.get() {
            return Ok(loaded);
        }
        let columns = self
            .columns
            .iter()
            .map(|c| match &c.stored {
                Some(stored) => load(bound, self, stored, c).map(Some),
                None => Ok(None),
            })
            .collect::<Result<Vec<_>, ReadError>>()?;
        Ok(self.loaded.get_or_init(|| columns))
    }

    fn refuse(&self, column: &TableColumn, message: String) -> ReadError {
        ReadError::new(
            ReadErrorKind::Array(format!(
                "the table `{}`, column `{}`: {message}",
                self.item, column.path
            )),
            column.pos,
        )
    }
}

/// Read one stored column with its checks.
fn load(
    bound: &Bound,
    table: &Table,
    stored: &Stored,
    column: &TableColumn,
) -> Result<Loaded, ReadError> {
    let pos = column.pos;
    let file = |i: usize| stored.files[i].as_str();
    fn vec<A: Element + ReadableElement>(
        bound: &Bound,
        file: &str,
        pos: Pos,
    ) -> Result<Vec<A>, ReadError> {
        let array = bound.load_array::<A>(file, pos, Some(1))?;
        Ok(array.into_raw_vec_and_offset().0)
    }
    let data = match stored.ty {
        ColumnType::Bool => Data::Bool(vec::<bool>(bound, file(0), pos)?),
        ColumnType::I8 => Data::Int(
            vec::<i8>(bound, file(0), pos)?
                .into_iter()
                .map(i64::from)
                .collect(),
        ),
        ColumnType::I16 => Data::Int(
            vec::<i16>(bound, file(0), pos)?
                .into_iter()
                .map(i64::from)
                .collect(),
        ),
        ColumnType::I32 => Data::Int(
            vec::<i32>(bound, file(0), pos)?
                .into_iter()
                .map(i64::from)
                .collect(),
        ),
        ColumnType::I64 => Data::Int(vec::<i64>(bound, file(0), pos)?),
        ColumnType::U8 => Data::UInt(
            vec::<u8>(bound, file(0), pos)?
                .into_iter()
                .map(u64::from)
                .collect(),
        ),
        ColumnType::U16 => Data::UInt(
            vec::<u16>(bound, file(0), pos)?
                .into_iter()
                .map(u64::from)
                .collect(),
        ),
        ColumnType::U32 => Data::UInt(
            vec::<u32>(bound, file(0), pos)?
                .into_iter()
                .map(u64::from)
                .collect(),
        ),
        ColumnType::U64 => Data::UInt(vec::<u64>(bound, file(0), pos)?),
        ColumnType::F32 => Data::Float(
            vec::<f32>(bound, file(0), pos)?
                .into_iter()
                .map(f64::from)
                .collect(),
        ),
        ColumnType::F64 => Data::Float(vec::<f64>(bound, file(0), pos)?),
        ColumnType::Complex32 => Data::Complex(
            vec::<Complex<f32>>(bound, file(0), pos)?
                .into_iter()
                .map(|c| (f64::from(c.re), f64::from(c.im)))
                .collect(),
        ),
        ColumnType::Complex64 => Data::Complex(
            vec::<Complex<f64>>(bound, file(0), pos)?
                .into_iter()
                .map(|c| (c.re, c.im))
                .collect(),
        ),
        _ => {
            let bytes = vec::<u8>(bound, file(0), pos)?;
            let offsets = vec::<i64>(bound, file(1), pos)?;
            let refuse = |m: String| table.refuse(column, m);
            let text = String::from_utf8(bytes)
                .map_err(|e| refuse(format!("its bytes are not UTF-8 ({e})")))?;
            if offsets.first() != Some(&0) {
                return Err(refuse("its offsets do not start at 0".into()));
            }
            let mut out = Vec::with_capacity(offsets.len());
            let mut previous = 0usize;
            for &offset in &offsets {
                let Ok(offset) = usize::try_from(offset) else {
                    return Err(refuse(format!("the offset {offset} is negative")));
                };
                if offset < previous || offset > text.len() {
                    return Err(refuse(format!(
                        "the offset {offset} is out of order or beyond its {} bytes",
                        text.len()
                    )));
                }
                if !text.is_char_boundary(offset) {
                    return Err(refuse(format!("the offset {offset} cuts a character")));
                }
                out.push(offset);
                previous = offset;
            }
            if previous != text.len() {
                return Err(refuse(format!(
                    "its offsets end at {previous}, not at its {} bytes",
                    text.len()
                )));
            }
            Data::Str { text, offsets: out }
        }
    };
    let mask = if stored.optional {
        let mask = vec::<bool>(bound, stored.files.last().expect("a mask file"), pos)?;
        if mask.len() != data.len() {
            return Err(table.refuse(
                column,
                format!("a mask of {} rows for {} values", mask.len(), data.len()),
            ));
        }
        Some(mask)
    } else {
        None
    };
    Ok(Loaded { data, mask })
}

/// What a value of a table is: an expression (an inline column's element), a stored cell, or
/// a row (a record).
pub(crate) enum Place<'m> {
    Expr(&'m Expr),
    Cell(Cell<'m>),
    Row,
}

impl<'m> Reader<'m> {
    /// Where a table's value is: an inline column's element is an expression of the source.
    pub(crate) fn place(&self, value: Value<'m>) -> Result<Place<'m>, ReadError> {
        match value.node {
            Node::Expr(expr) => Ok(Place::Expr(expr)),
            Node::Row { .. } => Ok(Place::Row),
            Node::Cell {
                table,
                columns,
                column,
                row,
            } => {
                self.charge(1, table.pos)?;
                let loaded = table.loaded(self.bound)?;
                match &loaded[column] {
                    Some(loaded) => Ok(Place::Cell(Cell {
                        loaded,
                        row,
                        pos: table.columns[column].pos,
                    })),
                    None => {
                        let items = self.sequence_expr(&columns[column])?;
                        Ok(Place::Expr(&items[row]))
                    }
                }
            }
        }
    }

    /// The rows of the table `table` (whose call is `call`), with every column's length
    /// checked: the elements of the list it stands for.
    pub(crate) fn table_rows(
        &self,
        table: &'m Table,
        columns: &'m [Expr],
    ) -> Result<usize, ReadError> {
        let loaded = table.loaded(self.bound)?;
        let mut rows: Option<(usize, &str)> = None;
        for (i, column) in table.columns.iter().enumerate() {
            let len = match &loaded[i] {
                Some(loaded) => loaded.data.len(),
                None => self.sequence_expr(&columns[i])?.len(),
            };
            match rows {
                Some((n, first)) if n != len => {
                    return Err(table.refuse(column, format!(
                        "{len} rows, but the column `{first}` has {n}; the columns of a table have one length"
                    )));
                }
                None => rows = Some((len, &column.path)),
                _ => {}
            }
        }
        let rows = rows.map_or(0, |(n, _)| n);
        // Stored cells are bounded by the array files, not by the source: the first read of
        // the table in this read adds them (and its rows) to the budget; every cell and row
        // is then charged as usual, so a table named many times still spends the budget.
        let stored = loaded.iter().filter(|l| l.is_some()).count() as u64;
        if stored > 0 {
            self.credit_once(
                std::ptr::from_ref(table) as usize,
                (rows as u64).saturating_mul(stored + 1),
            );
        }
        self.charge(rows as u64, table.pos)?;
        Ok(rows)
    }
}

impl Bound {
    /// Read the external array `file` from the store the source binds (see
    /// [`Reader::load_array`]).
    pub(crate) fn load_array<A: Element + ReadableElement>(
        &self,
        file: &str,
        pos: Pos,
        ndim: Option<usize>,
    ) -> Result<ndarray::ArrayD<A>, ReadError> {
        let (Some(place), Some(store)) = (&self.place, self.store) else {
            return Err(ReadError::custom(
                format!(
                    "`_load('{file}')` needs the archive's array files; open the archive from disk"
                ),
                pos,
            ));
        };
        store
            .read::<A>(place, file, ndim, &self.limits)
            .map_err(|e| {
                ReadError::new(
                    ReadErrorKind::ArrayFile {
                        path: e.path,
                        message: e.message,
                    },
                    pos,
                )
            })
    }
}

/// The error for a row (a record) where `expected` was needed.
pub(crate) fn row_found(expected: &str, value: Value<'_>) -> ReadError {
    ReadError::expected(expected, "a record (a row of a record table)", value.pos())
}

/// What [`verify`](crate::verify) checks of every record table of the module: its stored
/// columns load (dtype, offsets, UTF-8, masks) and all its columns have one length.
pub(crate) fn check_tables(bound: &Bound) -> Result<(), ReadError> {
    let shared = super::SharedValues::default();
    let reader = Reader::new(bound, &shared);
    for stmt in &bound.module.statements {
        let crate::python::ast::Stmt::Assign { value, .. } = stmt else {
            continue;
        };
        let Some(table) = bound.tables.get(&(std::ptr::from_ref(value) as usize)) else {
            continue;
        };
        if let ExprKind::Call(call) = &value.kind
            && let [_, _, columns] = &call.args[..]
            && let ExprKind::Tuple(columns) | ExprKind::List(columns) = &columns.kind
        {
            reader.table_rows(table, columns)?;
        }
    }
    Ok(())
}
