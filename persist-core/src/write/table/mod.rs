//! Record tables on the writing side: a list of more records than the archive's threshold,
//! whose type is a [`Column::Record`], is written as one `_table(...)` call with one column per
//! leaf field instead of one call per record; a list of more plain values (a
//! [`Column::Scalar`], or lists of numbers, a [`Column::List`]) going to an array store, as a
//! one-column `_table(None, (), (column,))`; a dict of more entries whose keys and values are
//! columns, as a dict table `_table(dict, (), (keys, values))` (format 6).
//!
//! The records are written through their own `to_python_source`, with the writer in *capture*
//! mode: `begin_record`, `field` and `end_record` only walk, and each scalar the impl writes is
//! appended to the next leaf column (a type mismatch with the description is a misuse error).
//! A list written into a list column appends its values to the column's one array and ends the
//! row's offsets. The columns then go to the array store (`('float64', _load('particles.mass.npy'))`,
//! strings as UTF-8 bytes plus offsets, lists as `'[float64]'` values plus offsets, `Option`s
//! with a mask) or, inline, become list literals.

use super::layout::item_path;
use super::{INDENT, LINE_WIDTH, Writer};
use crate::error::{PathSegment, WriteError};
use crate::persist::Persist;
use crate::python::{literal, names};
use crate::record::{Column, ColumnType, Record, RecordKind};

pub(super) mod capture;
mod values;
pub(crate) use capture::{Capture, Scalar, capture_misuse};
use capture::{Leaf, flatten};
use values::Values;

/// What a table statement stands for, which its first two arguments say.
enum Head {
    /// A list of records of this class (its one column their [`Column::Record`]):
    /// `_table(_Class, (fields...), ...)`.
    Records(&'static Record),
    /// A list of plain values or of lists: `_table(None, (), (column,))`.
    OneColumn,
    /// A dict: `_table(dict, (), (keys, values))`.
    Dict,
}

/// Whether a dict whose keys are described by `key` can be a dict table: strings, integers or
/// `bool`s, never `None` (floats are left to the dict literal, which refuses NaN keys).
fn is_key_column(key: &Column) -> bool {
    matches!(
        key,
        Column::Scalar { ty, optional: false } if !matches!(
            ty,
            ColumnType::F32 | ColumnType::F64 | ColumnType::Complex32 | ColumnType::Complex64
        )
    )
}

impl Writer {
    /// Write a list: as a record table when it is long enough and its element type is a
    /// record of columns (and the writer writes tables), else element by element. Inside a
    /// captured row, the list is the row's value of a list column.
    pub(crate) fn write_list<'a, T, I>(&mut self, items: I) -> Result<(), WriteError>
    where
        T: Persist + 'a,
        I: ExactSizeIterator<Item = &'a T>,
    {
        if self.capture.is_some() {
            return self.capture_list(items);
        }
        if self.key_depth == 0
            && self.tables.is_some_and(|threshold| items.len() > threshold)
            && let Some(column) = T::column()
        {
            // A long list of plain values (or of lists) is a one-column table when its array
            // goes to the store (inline, a list literal says the same in fewer characters).
            if let Column::Record { record, .. } = column {
                return self.write_table(Head::Records(record), &[column], items);
            }
            if self.arrays.is_external() {
                return self.write_table(Head::OneColumn, &[column], items);
            }
        }
        self.begin(super::Container::List)?;
        for item in items {
            self.element(item)?;
        }
        self.end()
    }

    /// Write a dict: as a dict table when it has more entries than the threshold, its arrays
    /// go to the store and its keys and values are columns (not records), else entry by entry.
    pub(crate) fn write_dict<'a, K, V, I>(&mut self, entries: I) -> Result<(), WriteError>
    where
        K: Persist + 'a,
        V: Persist + 'a,
        I: ExactSizeIterator<Item = (&'a K, &'a V)>,
    {
        if self.capture.is_none()
            && self.key_depth == 0
            && self.arrays.is_external()
            && self.tables.is_some_and(|threshold| entries.len() > threshold)
            // An earlier item named `dict` would hide the builtin from the statement.
            && !self.helpers.items.iter().any(|item| item == "dict")
            && let Some(key) = K::column().filter(is_key_column)
            && let Some(value) = V::column().filter(|v| !matches!(v, Column::Record { .. }))
        {
            let rows = entries.map(|(k, v)| (k as &dyn Persist, v as &dyn Persist));
            return self.write_table(Head::Dict, &[key, value], rows.map(Entry));
        }
        self.begin(super::Container::Dict)?;
        for (k, v) in entries {
            self.entry(k, v)?;
        }
        self.end()
    }

    /// Make the writer write long lists of records as tables (`threshold`: the most records
    /// written one by one), as archives do with their array threshold.
    pub(crate) fn with_tables(&mut self, threshold: usize) {
        self.tables = Some(threshold);
    }

    /// The elements of a list written inside a captured row: the row's list of the list
    /// column at the cursor.
    fn capture_list<'a, T: Persist + 'a>(
        &mut self,
        items: impl Iterator<Item = &'a T>,
    ) -> Result<(), WriteError> {
        let capture = self.capture.as_mut().expect("capturing");
        if capture.error.is_some() {
            return Ok(());
        }
        match capture.leaves.get(capture.cursor) {
            Some(leaf) if leaf.ends.is_some() && !capture.in_list => capture.in_list = true,
            _ => return Err(capture_misuse("wrote a list where its columns have none")),
        }
        for item in items {
            item.to_python_source(self)?;
        }
        let capture = self.capture.as_mut().expect("capturing");
        capture.in_list = false;
        let leaf = &mut capture.leaves[capture.cursor];
        let end = leaf.values.len() as i64;
        leaf.ends.as_mut().expect("a list column").push(end);
        capture.cursor += 1;
        Ok(())
    }

    /// Capture the rows `items` into the leaves of `columns` and write the statement.
    fn write_table<R: Persist>(
        &mut self,
        head: Head,
        columns: &[Column],
        items: impl ExactSizeIterator<Item = R>,
    ) -> Result<(), WriteError> {
        let rows = items.len();
        let mut leaves = Vec::new();
        let mut path = Vec::new();
        for (column, name) in columns.iter().zip(["keys", "values"]) {
            if matches!(head, Head::Dict) {
                path.push(name);
            }
            flatten(column, &mut path, rows, &mut leaves);
            path.clear();
        }
        self.capture = Some(Box::new(Capture {
            leaves,
            cursor: 0,
            in_list: false,
            error: None,
        }));
        for (i, item) in items.enumerate() {
            let written = item.to_python_source(self);
            let capture = self.capture.as_mut().expect("capturing");
            let error = match written {
                Err(e) => Some(e),
                Ok(()) if capture.error.is_some() => {
                    capture.error.take().map(|m| capture_misuse(&m))
                }
                Ok(()) if capture.cursor != capture.leaves.len() => {
                    Some(capture_misuse("wrote fewer values than its columns"))
                }
                Ok(()) => None,
            };
            capture.cursor = 0;
            if let Some(error) = error {
                self.capture = None;
                return Err(error.within(PathSegment::Index(i)));
            }
        }
        let capture = self.capture.take().expect("capturing");
        if matches!(head, Head::Dict) || capture.leaves.iter().any(|l| l.ends.is_some()) {
            self.helpers.table_v6 = true;
        }
        let text = self.table_text(&head, columns, capture.leaves)?;
        self.helpers.table = true;
        self.unhashable += 1;
        if self.frames.is_empty() {
            self.out.push_str(&text);
        } else {
            // `_table(...)` is always the whole value of a statement (the reader relies on it).
            let name = self.helpers.temp(names::TEMP_PREFIX);
            self.stmts.push_str(&name);
            self.stmts.push_str(" = ");
            self.stmts.push_str(&text);
            self.stmts.push('\n');
            let start = self.out.len();
            self.out.push_str(&name);
            self.finish_node(start, 0, false);
        }
        Ok(())
    }

    /// `_table(_Class, (fields...), (columns...))`, one column per line; a list of plain values
    /// `_table(None, (), (column,))`; a dict `_table(dict, (), (keys, values))`.
    fn table_text(
        &mut self,
        head: &Head,
        columns: &[Column],
        leaves: Vec<Leaf>,
    ) -> Result<String, WriteError> {
        let mut text = format!("{}(", names::TABLE);
        match head {
            Head::Records(record) => {
                text.push_str(&self.class_for(record));
                text.push_str(", ");
                self.push_fields(&columns[0], &mut text);
            }
            Head::OneColumn => text.push_str("None, ()"),
            Head::Dict => text.push_str("dict, ()"),
        }
        text.push_str(", (\n");
        let external = self.arrays.is_external();
        let base = item_path(&self.item, &self.frames, &self.out);
        for leaf in leaves {
            text.push_str(INDENT);
            if external {
                let mut path = base.clone();
                path.extend(leaf.path.iter().map(|s| (*s).to_owned()));
                self.push_stored_column(&leaf, &path, &mut text)?;
            } else {
                push_inline_column(&leaf, &mut text);
            }
            text.push_str(",\n");
        }
        text.push_str("))");
        Ok(text)
    }

    /// `('name', 'id', ('position', _Position, ('x', 'y')))`.
    fn push_fields(&mut self, column: &Column, text: &mut String) {
        let Column::Record { record, fields } = column else {
            return;
        };
        let RecordKind::Named(names) = record.kind else {
            return;
        };
        text.push('(');
        for (i, (name, field)) in names.iter().zip(fields).enumerate() {
            if i > 0 {
                text.push_str(", ");
            }
            match field {
                Column::Scalar { .. } | Column::List { .. } => literal::push_str(text, name),
                Column::Record { record: inner, .. } => {
                    text.push('(');
                    literal::push_str(text, name);
                    text.push_str(", ");
                    text.push_str(&self.class_for(inner));
                    text.push_str(", ");
                    self.push_fields(field, text);
                    text.push(')');
                }
            }
        }
        if names.len() == 1 {
            text.push(',');
        }
        text.push(')');
    }

    /// `('float64', _load('particles.mass.npy'))`, `('str', bytes, offsets)`, `('?...', ..., mask)`.
    fn push_stored_column(
        &mut self,
        leaf: &Leaf,
        path: &[String],
        text: &mut String,
    ) -> Result<(), WriteError> {
        self.helpers.numpy = true;
        let mut kind = String::new();
        if leaf.optional {
            kind.push('?');
        }
        if leaf.ends.is_some() {
            kind = format!("[{}]", leaf.ty.dtype());
        } else {
            kind.push_str(leaf.ty.dtype());
        }
        text.push('(');
        literal::push_str(text, &kind);
        let mut files = Vec::new();
        macro_rules! store {
            ($data:expr, $path:expr) => {{
                let view = ndarray::ArrayView1::from(&$data[..]);
                files.push(self.arrays.store_column($path, &view)?);
            }};
        }
        let with = |suffix: &str| {
            let mut p = path.to_vec();
            p.push(suffix.to_owned());
            p
        };
        match &leaf.values {
            Values::Bool(c) => store!(c, path),
            Values::I8(c) => store!(c, path),
            Values::I16(c) => store!(c, path),
            Values::I32(c) => store!(c, path),
            Values::I64(c) => store!(c, path),
            Values::U8(c) => store!(c, path),
            Values::U16(c) => store!(c, path),
            Values::U32(c) => store!(c, path),
            Values::U64(c) => store!(c, path),
            Values::F32(c) => store!(c, path),
            Values::F64(c) => store!(c, path),
            Values::C32(c) => store!(c, path),
            Values::C64(c) => store!(c, path),
            Values::Str { bytes, offsets } => {
                store!(bytes, path);
                store!(offsets, &with("offsets"));
            }
        }
        if let Some(ends) = &leaf.ends {
            store!(ends, &with("offsets"));
        }
        if leaf.optional {
            store!(leaf.mask, &with("mask"));
        }
        for file in files.into_iter().flatten() {
            text.push_str(", ");
            text.push_str(names::LOAD);
            text.push('(');
            literal::push_str(text, &file);
            text.push(')');
        }
        text.push(')');
        Ok(())
    }
}

/// `[v0, v1, None, ...]`, packed up to the line width.
fn push_inline_column(leaf: &Leaf, text: &mut String) {
    let indent = INDENT.repeat(2);
    let rows = leaf
        .ends
        .as_ref()
        .map_or(leaf.values.len(), |e| e.len() - 1);
    text.push('[');
    let mut line_start = text.len();
    let mut item = String::new();
    for i in 0..rows {
        item.clear();
        if let Some(ends) = &leaf.ends {
            item.push('[');
            for j in ends[i] as usize..ends[i + 1] as usize {
                if j > ends[i] as usize {
                    item.push_str(", ");
                }
                leaf.values.push_literal(j, &mut item);
            }
            item.push(']');
        } else if leaf.optional && !leaf.mask[i] {
            item.push_str("None");
        } else {
            leaf.values.push_literal(i, &mut item);
        }
        if i > 0 {
            text.push(',');
            if text.len() - line_start + item.len() + 2 > LINE_WIDTH {
                text.push('\n');
                line_start = text.len();
                text.push_str(&indent);
            } else {
                text.push(' ');
            }
        }
        text.push_str(&item);
    }
    text.push(']');
}

/// One entry of a dict table, written as its key and then its value (two leaves of a row).
struct Entry<'a>((&'a dyn Persist, &'a dyn Persist));

impl Persist for Entry<'_> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        self.0.0.to_python_source(out)?;
        self.0.1.to_python_source(out)
    }
}
