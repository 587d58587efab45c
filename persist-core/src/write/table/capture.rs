//! The capture mode of the writer: while a record table is written, each scalar a record's impl
//! writes is appended to the next leaf column ([`Capture`]), after its record description is
//! flattened into leaves; a mismatch with the description is a misuse error. The writer's own
//! methods check for capture here, below the `Persist` trait, which the table writing uses.

use super::values::Values;
use crate::error::{WriteError, WriteErrorKind};
use crate::record::{Column, ColumnType, RecordKind};

/// One scalar an impl wrote while captured.
pub(crate) enum Scalar<'a> {
    Bool(bool),
    /// An integer (`None` beyond `i128`, which no column holds).
    Int(Option<i128>),
    F64(f64),
    Complex(f64, f64),
    Str(&'a str),
    None,
    /// An array, which is never a column value.
    Array,
}

/// One leaf column: its field path below the list, and what the rows wrote.
pub(crate) struct Leaf {
    pub(super) path: Vec<&'static str>,
    pub(super) ty: ColumnType,
    pub(super) optional: bool,
    pub(super) values: Values,
    /// For an optional column: `true` where the row holds a value.
    pub(super) mask: Vec<bool>,
    /// For a column of lists: where each row's list ends in `values` (from a leading 0).
    pub(super) ends: Option<Vec<i64>>,
}

/// The writer's state while the records of a table are captured.
pub(crate) struct Capture {
    pub(super) leaves: Vec<Leaf>,
    /// The next leaf a scalar goes to.
    pub(super) cursor: usize,
    /// Whether the elements of a list are being written into the list column at `cursor`.
    pub(super) in_list: bool,
    /// What went wrong in a method that cannot return an error (`write_bool`, ...).
    pub(super) error: Option<String>,
}

impl std::fmt::Debug for Capture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Capture")
            .field("columns", &self.leaves.len())
            .finish_non_exhaustive()
    }
}

impl Capture {
    /// Append one scalar to the next leaf column.
    pub(crate) fn push(&mut self, value: &Scalar<'_>) {
        if self.error.is_some() {
            return;
        }
        let Some(leaf) = self.leaves.get_mut(self.cursor) else {
            self.error =
                Some("it wrote more values than the columns its `column()` describes".into());
            return;
        };
        if leaf.ends.is_some() {
            // An element of the list of the row's list column.
            if !self.in_list || !leaf.values.push(value) {
                self.error = Some(format!(
                    "its field `{}` wrote something other than a list of `{}`, as its `column()` says",
                    leaf.path.join("."),
                    leaf.ty.dtype()
                ));
            }
            return;
        }
        self.cursor += 1;
        let ok = match value {
            Scalar::None if leaf.optional => {
                leaf.mask.push(false);
                leaf.values.push_default();
                true
            }
            Scalar::None => false,
            value => {
                if leaf.optional {
                    leaf.mask.push(true);
                }
                leaf.values.push(value)
            }
        };
        if !ok {
            self.error = Some(format!(
                "its field `{}` wrote a value that is not a `{}`{}, as its `column()` says",
                leaf.path.join("."),
                leaf.ty.dtype(),
                if leaf.optional { " or None" } else { "" }
            ));
        }
    }
}

/// The error for an impl whose writing does not match its column description.
pub(crate) fn capture_misuse(what: &str) -> WriteError {
    WriteError::new(WriteErrorKind::Misuse(format!(
        "a value written as a row of a record table {what}; its type's `Persist::column` must describe exactly what `to_python_source` writes"
    )))
}

/// The leaf columns of `column`, depth first, with their paths.
pub(crate) fn flatten(
    column: &Column,
    path: &mut Vec<&'static str>,
    rows: usize,
    out: &mut Vec<Leaf>,
) {
    match column {
        Column::Scalar { ty, optional } => out.push(Leaf {
            path: path.clone(),
            ty: *ty,
            optional: *optional,
            values: Values::new(*ty, rows),
            mask: if *optional {
                Vec::with_capacity(rows)
            } else {
                Vec::new()
            },
            ends: None,
        }),
        Column::List { ty } => out.push(Leaf {
            path: path.clone(),
            ty: *ty,
            optional: false,
            values: Values::new(*ty, rows),
            mask: Vec::new(),
            ends: Some({
                let mut ends = Vec::with_capacity(rows + 1);
                ends.push(0);
                ends
            }),
        }),
        Column::Record { record, fields } => {
            let RecordKind::Named(names) = record.kind else {
                return;
            };
            for (name, field) in names.iter().zip(fields) {
                path.push(name);
                flatten(field, path, rows, out);
                path.pop();
            }
        }
    }
}
