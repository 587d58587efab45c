//! Record tables on the reading side: the `_table(_Class, fields, columns)` statement (and the
//! one-column `_table(None, ...)` and dict `_table(dict, ...)` forms), planned when the module
//! is bound (its classes, field tree and columns checked), its stored columns loaded on first
//! use (`load.rs`: dtype, lengths, offsets, UTF-8 and masks checked), and the rows and cells that
//! [`Reader::sequence`], [`Reader::dict`], [`Reader::record`] and the scalar accessors hand to
//! `from_python` as [`Value`]s (`Node::Row`, `Node::Cell`, `Node::Flat` for an element of a
//! list column's list).

use std::collections::HashMap;
use std::sync::OnceLock;

use ndarray_npy::ReadableElement;

use super::{Binding, Bound, Class, ReadError, ReadErrorKind, Reader};
use crate::array::Element;
use crate::python::ast::{Expr, ExprKind, Pos};
use crate::python::names;
use crate::record::ColumnType;

mod cell;
mod data;
mod load;
pub(crate) mod place;
pub(crate) use cell::Cell;
pub(crate) use data::{Data, Loaded};

/// A `_table(...)` statement of the module.
#[derive(Debug)]
pub(crate) struct Table {
    /// The name the statement binds (an item or `_tN`), for error messages.
    pub item: String,
    pub pos: Pos,
    /// The record of each row; `None` for a one-column table (`_table(None, (), (column,))`,
    /// a list of plain values).
    pub root: Option<TableRecord>,
    /// A dict table (`_table(dict, (), (keys, values))`, format 6): the rows are its entries.
    pub dict: bool,
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
    /// A column of lists (`'[float64]'`, format 6): the values, then the lists' offsets.
    pub list: bool,
    /// The values (for strings: the bytes, then the offsets; for lists: the values, then the
    /// offsets), then the mask if `optional`.
    pub files: Vec<String>,
}

/// A refusal of a table's statement at `pos`.
fn bad(pos: Pos, message: impl std::fmt::Display) -> ReadError {
    ReadError::custom(message, pos)
}

/// The plan of `value`, a `_table(...)` call bound to the target `item`; `None` when `value` is
/// no such call. The checks of `check_data` have run (every `_load` has a plain file name).
/// `v6`: the module's `_table` is format 6's, which alone makes dict tables and lists.
pub(crate) fn plan(
    item: &str,
    value: &Expr,
    names: &HashMap<String, Binding>,
    v6: bool,
) -> Result<Option<Table>, ReadError> {
    let ExprKind::Call(call) = &value.kind else {
        return Ok(None);
    };
    if !matches!(&call.func.kind, ExprKind::Name(n) if n == names::TABLE) {
        return Ok(None);
    }
    check_table_call(value.pos, call)?;
    let [class, fields, columns] = &call.args[..] else {
        unreachable!("checked by check_table_call")
    };
    let mut paths = Vec::new();
    let no_fields = matches!(&fields.kind, ExprKind::Tuple(f) if f.is_empty());
    // `dict` is the builtin: an archive cannot bind the name (`check_rebinding`).
    let dict =
        matches!(&class.kind, ExprKind::Name(n) if n == "dict" && !names.contains_key(n.as_str()));
    let root = match &class.kind {
        ExprKind::None if no_fields => {
            paths.push(item.to_owned());
            None
        }
        ExprKind::None => {
            return Err(bad(
                fields.pos,
                "a one-column table (`_table(None, ...)`) has no fields: `()`",
            ));
        }
        _ if dict && !v6 => {
            return Err(bad(
                class.pos,
                "a dict table (`_table(dict, ...)`) needs format 6's `_table`; this archive's is older",
            ));
        }
        _ if dict && no_fields => {
            paths.extend([format!("{item}.keys"), format!("{item}.values")]);
            None
        }
        _ if dict => {
            return Err(bad(
                fields.pos,
                "a dict table (`_table(dict, ...)`) has no fields: `()`",
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
                stored: plan_stored(expr, &path, v6)?,
                path,
                pos: expr.pos,
            })
        })
        .collect::<Result<Vec<_>, ReadError>>()?;
    Ok(Some(Table {
        item: item.to_owned(),
        pos: value.pos,
        root,
        dict,
        columns,
        loaded: OnceLock::new(),
    }))
}

/// `_table` takes three positional arguments: the class, the fields and the columns.
pub(crate) fn check_table_call(pos: Pos, call: &crate::python::ast::Call) -> Result<(), ReadError> {
    if call.args.len() != 3 || !call.kwargs.is_empty() {
        return Err(bad(
            pos,
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
        ExprKind::Name(name) => match names.get(name.as_str()) {
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
                out.push((name.to_string(), TableField::Column(leaves.len() - 1)));
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
                out.push((name.to_string(), TableField::Record(record)));
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
fn plan_stored(expr: &Expr, path: &str, v6: bool) -> Result<Option<Stored>, ReadError> {
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
    // A column of lists of numbers or `bool`s: `'[float64]'` (format 6).
    let (list, dtype) = match dtype.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        Some(inner) => (true, inner),
        None => (false, dtype),
    };
    let ty = ColumnType::from_dtype(dtype)
        .filter(|ty| !(list && (optional || *ty == ColumnType::Str)))
        .ok_or_else(|| {
            bad(
                expr.pos,
                format!(
                    "the column `{path}` has the unknown kind '{}'",
                    crate::python::encoding::excerpt(kind)
                ),
            )
        })?;
    if list && !v6 {
        return Err(bad(
            expr.pos,
            format!(
                "the column `{path}` of kind '{kind}' needs format 6's `_table`; this archive's is older"
            ),
        ));
    }
    let expected = 1 + usize::from(ty == ColumnType::Str || list) + usize::from(optional);
    let files = arrays
        .iter()
        .filter_map(|a| match &a.kind {
            ExprKind::Call(call) if matches!(&call.func.kind, ExprKind::Name(n) if n == names::LOAD) => {
                match &call.args[..] {
                    [arg] => match &arg.kind {
                        ExprKind::Str(file) => Some(file.to_string()),
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
        list,
        files,
    }))
}

impl Table {
    /// The stored columns, loaded and checked on first use. (Asked once per cell: the loaded
    /// case is inlined, the first load kept out of line.)
    #[inline]
    pub(crate) fn loaded(&self, bound: &Bound) -> Result<&[Option<Loaded>], ReadError> {
        match self.loaded.get() {
            Some(loaded) => Ok(loaded),
            None => self.load(bound),
        }
    }

    #[cold]
    fn load(&self, bound: &Bound) -> Result<&[Option<Loaded>], ReadError> {
        let columns = self
            .columns
            .iter()
            .map(|c| match &c.stored {
                Some(stored) => load::load(bound, self, stored, c).map(Some),
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

impl<'m> Reader<'m> {
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
            // The values of the lists of list columns count too.
            let listed: u64 = loaded
                .iter()
                .flatten()
                .map(|l| match &l.data {
                    Data::List { values, .. } => values.data.len() as u64,
                    _ => 0,
                })
                .sum();
            self.credit_once(
                std::ptr::from_ref(table) as usize,
                (rows as u64)
                    .saturating_mul(stored + 1)
                    .saturating_add(listed),
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
                        path: e.path().to_path_buf(),
                        message: e.to_string(),
                    },
                    pos,
                )
            })
    }
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
