//! Record tables on the writing side: a list of more records than the archive's threshold,
//! whose type is a [`Column::Record`], is written as one `_table(...)` call with one column per
//! leaf field instead of one call per record; a list of more plain values (a
//! [`Column::Scalar`]) going to an array store, as a one-column `_table(None, (), (column,))`.
//!
//! The records are written through their own `to_python_source`, with the writer in *capture*
//! mode: `begin_record`, `field` and `end_record` only walk, and each scalar the impl writes is
//! appended to the next leaf column (a type mismatch with the description is a misuse error).
//! The columns then go to the array store (`('float64', _load('particles.mass.npy'))`, strings
//! as UTF-8 bytes plus offsets, `Option`s with a mask) or, inline, become list literals.

use num_complex::Complex;

use super::layout::item_path;
use super::{INDENT, LINE_WIDTH, Writer};
use crate::error::{PathSegment, WriteError, WriteErrorKind};
use crate::persist::Persist;
use crate::python::{literal, names};
use crate::record::{Column, ColumnType, RecordKind};

/// One scalar an impl wrote while captured.
pub(super) enum Scalar<'a> {
    Bool(bool),
    /// An integer's decimal text.
    Int(&'a str),
    F64(f64),
    Complex(f64, f64),
    Str(&'a str),
    None,
    /// An array, which is never a column value.
    Array,
}

/// The values of one leaf column.
enum Values {
    Bool(Vec<bool>),
    I8(Vec<i8>),
    I16(Vec<i16>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
    U64(Vec<u64>),
    F32(Vec<f32>),
    F64(Vec<f64>),
    C32(Vec<Complex<f32>>),
    C64(Vec<Complex<f64>>),
    /// UTF-8 bytes, and offsets: one more than the rows, starting at 0.
    Str {
        bytes: Vec<u8>,
        offsets: Vec<i64>,
    },
}

impl Values {
    fn new(ty: ColumnType, rows: usize) -> Self {
        match ty {
            ColumnType::Bool => Values::Bool(Vec::with_capacity(rows)),
            ColumnType::I8 => Values::I8(Vec::with_capacity(rows)),
            ColumnType::I16 => Values::I16(Vec::with_capacity(rows)),
            ColumnType::I32 => Values::I32(Vec::with_capacity(rows)),
            ColumnType::I64 => Values::I64(Vec::with_capacity(rows)),
            ColumnType::U8 => Values::U8(Vec::with_capacity(rows)),
            ColumnType::U16 => Values::U16(Vec::with_capacity(rows)),
            ColumnType::U32 => Values::U32(Vec::with_capacity(rows)),
            ColumnType::U64 => Values::U64(Vec::with_capacity(rows)),
            ColumnType::F32 => Values::F32(Vec::with_capacity(rows)),
            ColumnType::F64 => Values::F64(Vec::with_capacity(rows)),
            ColumnType::Complex32 => Values::C32(Vec::with_capacity(rows)),
            ColumnType::Complex64 => Values::C64(Vec::with_capacity(rows)),
            _ => {
                let mut offsets = Vec::with_capacity(rows + 1);
                offsets.push(0);
                Values::Str {
                    bytes: Vec::new(),
                    offsets,
                }
            }
        }
    }

    /// Append `value`; `false` when it is not of the column's type.
    fn push(&mut self, value: &Scalar<'_>) -> bool {
        fn int<T: std::str::FromStr>(column: &mut Vec<T>, text: &str) -> bool {
            text.parse().map(|v| column.push(v)).is_ok()
        }
        match (self, value) {
            (Values::Bool(c), Scalar::Bool(b)) => c.push(*b),
            (Values::I8(c), Scalar::Int(t)) => return int(c, t),
            (Values::I16(c), Scalar::Int(t)) => return int(c, t),
            (Values::I32(c), Scalar::Int(t)) => return int(c, t),
            (Values::I64(c), Scalar::Int(t)) => return int(c, t),
            (Values::U8(c), Scalar::Int(t)) => return int(c, t),
            (Values::U16(c), Scalar::Int(t)) => return int(c, t),
            (Values::U32(c), Scalar::Int(t)) => return int(c, t),
            (Values::U64(c), Scalar::Int(t)) => return int(c, t),
            // `f32`s are written as the `f64` of the same value, which converts back exactly.
            (Values::F32(c), Scalar::F64(x)) => c.push(*x as f32),
            (Values::F64(c), Scalar::F64(x)) => c.push(*x),
            (Values::C32(c), Scalar::Complex(re, im)) => {
                c.push(Complex::new(*re as f32, *im as f32))
            }
            (Values::C64(c), Scalar::Complex(re, im)) => c.push(Complex::new(*re, *im)),
            (Values::Str { bytes, offsets }, Scalar::Str(s)) => {
                bytes.extend_from_slice(s.as_bytes());
                offsets.push(bytes.len() as i64);
            }
            _ => return false,
        }
        true
    }

    /// Append the placeholder of a `None` (masked) row.
    fn push_default(&mut self) {
        match self {
            Values::Bool(c) => c.push(false),
            Values::I8(c) => c.push(0),
            Values::I16(c) => c.push(0),
            Values::I32(c) => c.push(0),
            Values::I64(c) => c.push(0),
            Values::U8(c) => c.push(0),
            Values::U16(c) => c.push(0),
            Values::U32(c) => c.push(0),
            Values::U64(c) => c.push(0),
            Values::F32(c) => c.push(0.0),
            Values::F64(c) => c.push(0.0),
            Values::C32(c) => c.push(Complex::default()),
            Values::C64(c) => c.push(Complex::default()),
            Values::Str { bytes, offsets } => offsets.push(bytes.len() as i64),
        }
    }

    /// Row `i` as a Python literal, the writer's spelling of the value.
    fn push_literal(&self, i: usize, out: &mut String) {
        match self {
            Values::Bool(c) => out.push_str(if c[i] { "True" } else { "False" }),
            Values::I8(c) => literal::push_int(out, c[i]),
            Values::I16(c) => literal::push_int(out, c[i]),
            Values::I32(c) => literal::push_int(out, c[i]),
            Values::I64(c) => literal::push_int(out, c[i]),
            Values::U8(c) => literal::push_int(out, c[i]),
            Values::U16(c) => literal::push_int(out, c[i]),
            Values::U32(c) => literal::push_int(out, c[i]),
            Values::U64(c) => literal::push_int(out, c[i]),
            Values::F32(c) => literal::push_f64(out, f64::from(c[i])),
            Values::F64(c) => literal::push_f64(out, c[i]),
            Values::C32(c) => literal::push_complex(out, f64::from(c[i].re), f64::from(c[i].im)),
            Values::C64(c) => literal::push_complex(out, c[i].re, c[i].im),
            Values::Str { bytes, offsets } => {
                let (start, end) = (offsets[i] as usize, offsets[i + 1] as usize);
                let text = std::str::from_utf8(&bytes[start..end]).expect("pushed from a str");
                literal::push_str(out, text);
            }
        }
    }
}

/// One leaf column: its field path below the list, and what the rows wrote.
struct Leaf {
    path: Vec<&'static str>,
    ty: ColumnType,
    optional: bool,
    values: Values,
    /// For an optional column: `true` where the row holds a value.
    mask: Vec<bool>,
}

/// The writer's state while the records of a table are captured.
pub(super) struct Capture {
    leaves: Vec<Leaf>,
    /// The next leaf a scalar goes to.
    cursor: usize,
    /// What went wrong in a method that cannot return an error (`write_bool`, ...).
    error: Option<String>,
    /// A buffer for integers' text.
    pub(super) text: String,
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
    pub(super) fn push(&mut self, value: &Scalar<'_>) {
        if self.error.is_some() {
            return;
        }
        let Some(leaf) = self.leaves.get_mut(self.cursor) else {
            self.error =
                Some("it wrote more values than the columns its `column()` describes".into());
            return;
        };
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
pub(super) fn capture_misuse(what: &str) -> WriteError {
    WriteError::new(WriteErrorKind::Misuse(format!(
        "a value written as a row of a record table {what}; its type's `Persist::column` must describe exactly what `to_python_source` writes"
    )))
}

/// The leaf columns of `column`, depth first, with their paths.
fn flatten(column: &Column, path: &mut Vec<&'static str>, rows: usize, out: &mut Vec<Leaf>) {
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

impl Writer {
    /// Write a list: as a record table when it is long enough and its element type is a
    /// record of columns (and the writer writes tables), else element by element.
    pub(crate) fn write_list<'a, T, I>(&mut self, items: I) -> Result<(), WriteError>
    where
        T: Persist + 'a,
        I: ExactSizeIterator<Item = &'a T>,
    {
        if self.capture.is_none()
            && self.key_depth == 0
            && self.tables.is_some_and(|threshold| items.len() > threshold)
            && let Some(column) = T::column()
        {
            // A long list of plain values is a one-column table when its array goes to the
            // store (inline, a list literal says the same in fewer characters).
            if matches!(column, Column::Record { .. }) || self.arrays.is_external() {
                return self.write_table(&column, items);
            }
        }
        self.begin(super::Container::List)?;
        for item in items {
            self.element(item)?;
        }
        self.end()
    }

    /// Make the writer write long lists of records as tables (`threshold`: the most records
    /// written one by one), as archives do with their array threshold.
    pub(crate) fn with_tables(&mut self, threshold: usize) {
        self.tables = Some(threshold);
    }

    fn write_table<'a, T: Persist + 'a>(
        &mut self,
        column: &Column,
        items: impl ExactSizeIterator<Item = &'a T>,
    ) -> Result<(), WriteError> {
        let rows = items.len();
        let mut leaves = Vec::new();
        flatten(column, &mut Vec::new(), rows, &mut leaves);
        self.capture = Some(Box::new(Capture {
            leaves,
            cursor: 0,
            error: None,
            text: String::new(),
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
        let text = self.table_text(column, capture.leaves)?;
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
    /// `_table(None, (), (column,))`.
    fn table_text(&mut self, column: &Column, leaves: Vec<Leaf>) -> Result<String, WriteError> {
        let mut text = format!("{}(", names::TABLE);
        match column {
            Column::Record { record, .. } => {
                text.push_str(&self.class_for(record));
                text.push_str(", ");
                self.push_fields(column, &mut text);
            }
            Column::Scalar { .. } => text.push_str("None, ()"),
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
                Column::Scalar { .. } => literal::push_str(text, name),
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
        kind.push_str(leaf.ty.dtype());
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
    let rows = row_count(&leaf.values);
    text.push('[');
    let mut line_start = text.len();
    let mut item = String::new();
    for i in 0..rows {
        item.clear();
        if leaf.optional && !leaf.mask[i] {
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

fn row_count(values: &Values) -> usize {
    match values {
        Values::Bool(c) => c.len(),
        Values::I8(c) => c.len(),
        Values::I16(c) => c.len(),
        Values::I32(c) => c.len(),
        Values::I64(c) => c.len(),
        Values::U8(c) => c.len(),
        Values::U16(c) => c.len(),
        Values::U32(c) => c.len(),
        Values::U64(c) => c.len(),
        Values::F32(c) => c.len(),
        Values::F64(c) => c.len(),
        Values::C32(c) => c.len(),
        Values::C64(c) => c.len(),
        Values::Str { offsets, .. } => offsets.len() - 1,
    }
}
