//! [`Writer`]: turns Rust values into Python source, one expression per archive item.
//!
//! The writer streams text into a buffer. Two things need statements before the expression that
//! uses them, and the writer *hoists* them: it cuts the finished text of a sub-expression off the
//! end of the buffer, emits it as `_tN = ...` (or `_sN = ...` for a value shared through `Rc` or
//! `Arc`) and leaves the short name in its place.
//! - Python's parser refuses deeply nested expressions (about 200 brackets), so any
//!   sub-expression that reaches [`MAX_HEIGHT`] brackets is hoisted. A linked list 5 000 nodes
//!   deep becomes a hundred short statements.
//! - A value shared through `Rc`/`Arc` is written once and named, so `a.x is a.y` holds in Python.

use std::collections::HashMap;
use std::collections::HashSet;

use super::literal;
use super::prelude;
use crate::array::ArraySink;
use crate::error::{PathSegment, WriteError, WriteErrorKind};
use crate::persist::Persist;
use crate::record::{Record, RecordKind};

/// Containers whose text is longer than this are written one child per line (lists of short
/// values: as many per line as fit), like a person would format them.
pub const LINE_WIDTH: usize = 96;

/// Sub-expressions are hoisted into statements of their own when they nest this many brackets.
/// Python 3 refuses 200 nested brackets; inline arrays may add up to numpy's 64 dimensions.
pub const MAX_HEIGHT: u32 = 48;

/// One level of indentation in broken containers.
const INDENT: &str = "    ";

/// A container [`Writer::begin`] can open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// `[a, b]`: `Vec`, `VecDeque`, slices, arrays.
    List,
    /// `(a, b)`, `(a,)` or `()`: Rust tuples.
    Tuple,
    /// `{a, b}` or `set()`. Elements must be hashable in Python, like dict keys. Write them in a
    /// fixed order (see [`Writer::sort_key`]) for deterministic output.
    Set,
    /// `{k: v}`. Entries are written with [`Writer::entry`], in the order given.
    Dict,
}

/// Helper names every archive module may define; never given to record classes or temporaries.
const RESERVED: [&str; 9] = [
    "_np", "_os", "_sys", "_h5py", "_arrays", "_data", "_load", "_record", "_b",
];

/// How much stack must be left before a nested value is written; below it, a new stack segment
/// is allocated, so values nested thousands of levels deep do not overflow the thread's stack.
const STACK_RED_ZONE: usize = 128 * 1024;
/// The size of each new stack segment.
const STACK_SEGMENT: usize = 4 * 1024 * 1024;

/// Run `f` on a stack with room for it: the writer and reader recurse once per nesting level.
pub(crate) fn with_stack<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, f)
}

/// What the child being written is, inside its parent: used to name external array files after
/// the item path, and to say where an error happened.
#[derive(Debug, Clone, Copy)]
enum Label {
    None,
    Field(&'static str),
    Index(usize),
    /// The byte range of the entry's key text in the buffer.
    Key(usize, usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    List,
    Tuple,
    Set,
    Dict,
    Record,
}

impl Kind {
    /// How messages name a container of this kind.
    fn article(self) -> &'static str {
        match self {
            Kind::List => "a list",
            Kind::Tuple => "a tuple",
            Kind::Set => "a set",
            Kind::Dict => "a dict",
            Kind::Record => "a record",
        }
    }
}

/// The error for a `Persist` impl that calls the writer's methods out of order.
fn misuse(message: String) -> WriteError {
    WriteError::new(WriteErrorKind::Misuse(message))
}

#[derive(Debug)]
struct Frame {
    kind: Kind,
    count: usize,
    /// The largest bracket height of the children written so far.
    height: u32,
    /// Where this container's text starts in the buffer (a record's: where its class name starts).
    start: usize,
    /// Where its children start: just after the opening bracket.
    body: usize,
    label: Label,
    /// Whether a child was written over several lines.
    multiline: bool,
    /// The index of this container's first child in [`Writer::children`].
    first_child: usize,
}

/// Names the archive module defines for itself (all start with `_`, all deleted at the end).
#[derive(Debug, Default)]
struct Helpers {
    /// Every name taken in the module: items and helpers.
    taken: HashSet<String>,
    /// Helper names to delete at the end of the module, in order of definition.
    defined: Vec<String>,
    /// Record classes by (Rust path, variant), with their helper name.
    classes: HashMap<(&'static str, Option<&'static str>), String>,
    /// `_X = _record(...)` lines and `from m import C as _X` lines.
    class_lines: String,
    import_lines: String,
    temps: usize,
    /// Shared values by address: their name, and whether they hold something unhashable.
    shared: HashMap<usize, (String, bool)>,
    numpy: bool,
}

impl Helpers {
    /// A fresh helper name starting with `base`, unique in the module.
    fn fresh(&mut self, base: &str) -> String {
        let mut name = base.to_owned();
        let mut n = 1;
        while self.taken.contains(&name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        self.taken.insert(name.clone());
        self.defined.push(name.clone());
        name
    }

    fn temp(&mut self, prefix: &str) -> String {
        loop {
            let name = format!("{prefix}{}", self.temps);
            self.temps += 1;
            if !self.taken.contains(&name) {
                self.taken.insert(name.clone());
                self.defined.push(name.clone());
                return name;
            }
        }
    }
}

/// Writes Rust values as Python expressions. Implementations of [`Persist`] call its methods; a
/// derived implementation calls [`begin_record`](Writer::begin_record), [`field`](Writer::field)
/// and [`end_record`](Writer::end_record).
///
/// A `Writer` that has returned an error is left mid-expression and must not be used again.
///
/// ```
/// use persist_core::{Persist, Writer};
/// let mut w = Writer::inline();
/// (1, "two", [3.5]).to_python_source(&mut w)?;
/// assert_eq!(w.take_expression(), "(1, 'two', [3.5])");
/// # Ok::<(), persist_core::WriteError>(())
/// ```
#[derive(Debug)]
pub struct Writer {
    out: String,
    stmts: String,
    frames: Vec<Frame>,
    /// For every child of the open containers: where its text starts.
    children: Vec<usize>,
    /// How many values Python could not hash (lists, sets, dicts, arrays, NaNs) were written so
    /// far: tells whether a shared value may later stand in a dict key.
    unhashable: u64,
    key_depth: u32,
    /// How many frames were open when the value being written started: its impl may add
    /// children to and close only the frames above this, the ones it opened itself.
    floor: usize,
    helpers: Helpers,
    arrays: ArraySink,
    /// The item being written, for array file names.
    item: String,
}

impl Writer {
    /// A writer that writes every array inline, whatever its size.
    pub fn inline() -> Self {
        Self::new(ArraySink::Inline)
    }

    pub(crate) fn new(arrays: ArraySink) -> Self {
        let mut helpers = Helpers::default();
        helpers
            .taken
            .extend(RESERVED.iter().map(|name| (*name).to_owned()));
        Writer {
            out: String::new(),
            stmts: String::new(),
            frames: Vec::new(),
            children: Vec::new(),
            unhashable: 0,
            key_depth: 0,
            floor: 0,
            helpers,
            arrays,
            item: String::new(),
        }
    }

    /// Take the expression written so far, with any hoisted statements it needs lost: for tests
    /// and for values that need no helpers. Archives use [`Archive`](crate::Archive) instead.
    pub fn take_expression(&mut self) -> String {
        std::mem::take(&mut self.out)
    }

    // ----- items and the module around them -------------------------------------------------

    /// Reserve item names so that no helper takes them.
    pub(crate) fn reserve(&mut self, name: &str) {
        self.helpers.taken.insert(name.to_owned());
    }

    /// Write `name = <value>` (after the statements the value needs) into `body`.
    pub(crate) fn write_item(
        &mut self,
        name: &str,
        value: &dyn Persist,
        body: &mut String,
    ) -> Result<(), WriteError> {
        self.item.clear();
        self.item.push_str(name);
        self.out.clear();
        self.stmts.clear();
        self.frames.clear();
        self.children.clear();
        self.floor = 0;
        self.write_child(value)?;
        body.push_str(&self.stmts);
        body.push_str(name);
        body.push_str(" = ");
        body.push_str(&self.out);
        body.push('\n');
        Ok(())
    }

    /// The helper definitions that go before the items, and the `del` line that goes after.
    pub(crate) fn finish(self) -> (String, String, ArraySink) {
        let h = self.helpers;
        let mut head = String::new();
        let mut dels: Vec<String> = Vec::new();
        if h.numpy {
            head.push_str("import numpy as _np\n");
            dels.push("_np".into());
        }
        if let Some(loader) = self.arrays.loader() {
            head.push_str(&loader);
            dels.extend(self.arrays.loader_names().iter().map(|s| (*s).to_owned()));
        }
        head.push_str(&h.import_lines);
        if !h.class_lines.is_empty() {
            head.push_str(prelude::RECORD_HELPER);
            head.push_str(&h.class_lines);
            dels.push(prelude::RECORD_HELPER_NAME.into());
        }
        dels.extend(h.defined);
        let mut tail = String::new();
        for chunk in dels.chunks(16) {
            tail.push_str("del ");
            tail.push_str(&chunk.join(", "));
            tail.push('\n');
        }
        (head, tail, self.arrays)
    }

    // ----- scalars --------------------------------------------------------------------------

    /// Write `True` or `False`.
    pub fn write_bool(&mut self, v: bool) {
        self.out.push_str(if v { "True" } else { "False" });
    }

    /// Write an integer of any width in decimal.
    pub fn write_int(&mut self, v: impl std::fmt::Display) {
        literal::push_int(&mut self.out, v);
    }

    /// Write a float exactly (`float('nan')`, `float('inf')` for the non-finite ones).
    ///
    /// # Errors
    /// A NaN inside a dict key: Python could never look it up.
    pub fn write_f64(&mut self, v: f64) -> Result<(), WriteError> {
        self.check_key_float(v)?;
        literal::push_f64(&mut self.out, v);
        Ok(())
    }

    /// Write an `f32` as the shortest decimal that reads back to the same `f32`.
    ///
    /// # Errors
    /// A NaN inside a dict key.
    pub fn write_f32(&mut self, v: f32) -> Result<(), WriteError> {
        self.check_key_float(f64::from(v))?;
        literal::push_f32(&mut self.out, v);
        Ok(())
    }

    /// Write `complex(re, im)`.
    ///
    /// # Errors
    /// A NaN part inside a dict key.
    pub fn write_complex(&mut self, re: f64, im: f64) -> Result<(), WriteError> {
        self.check_key_float(re)?;
        self.check_key_float(im)?;
        literal::push_complex(&mut self.out, re, im);
        Ok(())
    }

    /// Write `complex(re, im)` with `f32` parts in their shortest form.
    ///
    /// # Errors
    /// A NaN part inside a dict key.
    pub fn write_complex32(&mut self, re: f32, im: f32) -> Result<(), WriteError> {
        self.check_key_float(f64::from(re))?;
        self.check_key_float(f64::from(im))?;
        literal::push_complex32(&mut self.out, re, im);
        Ok(())
    }

    /// Write a `str` literal.
    pub fn write_str(&mut self, v: &str) {
        literal::push_str(&mut self.out, v);
    }

    /// Write `None`.
    pub fn write_none(&mut self) {
        self.out.push_str("None");
    }

    fn check_key_float(&mut self, v: f64) -> Result<(), WriteError> {
        if v.is_nan() {
            if self.key_depth > 0 {
                return Err(WriteError::new(WriteErrorKind::NanKey));
            }
            self.unhashable += 1;
        }
        Ok(())
    }

    // ----- containers -----------------------------------------------------------------------

    /// Open a list, tuple, set or dict; write its contents with [`element`](Writer::element)
    /// (or [`entry`](Writer::entry) for a dict) and close it with [`end`](Writer::end).
    ///
    /// # Errors
    /// A list, set or dict inside a dict key: Python cannot hash them.
    pub fn begin(&mut self, container: Container) -> Result<(), WriteError> {
        let (kind, open) = match container {
            Container::List => (Kind::List, "["),
            Container::Tuple => (Kind::Tuple, "("),
            Container::Set => (Kind::Set, "{"),
            Container::Dict => (Kind::Dict, "{"),
        };
        if self.key_depth > 0 && kind != Kind::Tuple {
            let what = match kind {
                Kind::List => "a list",
                Kind::Set => "a set",
                _ => "a dict",
            };
            return Err(WriteError::new(WriteErrorKind::UnhashableKey(what)));
        }
        if kind != Kind::Tuple {
            self.unhashable += 1;
        }
        self.open(kind, open);
        Ok(())
    }

    fn open(&mut self, kind: Kind, open: &str) {
        let start = self.out.len();
        self.out.push_str(open);
        self.frames.push(Frame {
            kind,
            count: 0,
            height: 0,
            start,
            body: self.out.len(),
            label: Label::None,
            multiline: false,
            first_child: self.children.len(),
        });
    }

    /// Write `value` as one child of the innermost container (or as the whole item): its impl
    /// may use only the containers it opens itself, and must close every one of them.
    fn write_child<T: Persist + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        let depth = self.frames.len();
        let floor = std::mem::replace(&mut self.floor, depth);
        let written = with_stack(|| value.to_python_source(self));
        self.floor = floor;
        written?;
        match self.frames.get(depth) {
            None => Ok(()),
            Some(open) => {
                let close = if open.kind == Kind::Record {
                    "`end_record`"
                } else {
                    "`end`"
                };
                Err(misuse(format!(
                    "`to_python_source` returned with {} still open; close every container it opens (with {close})",
                    open.kind.article()
                )))
            }
        }
    }

    /// The innermost container the value being written opened itself: the only one `method`
    /// may write into or close.
    fn own_top(&self, method: &str, instead: &str) -> Result<Kind, WriteError> {
        match self.frames.last() {
            Some(frame) if self.frames.len() > self.floor => Ok(frame.kind),
            _ => Err(misuse(format!(
                "`Writer::{method}` was called with no container of its own open; {instead}"
            ))),
        }
    }

    /// Start the next child of the innermost container, which `method` may write into if it is
    /// one of `kinds` (else the error says to do `instead`): separator, sort bookkeeping,
    /// label. The child's index.
    fn next_child(
        &mut self,
        method: &str,
        kinds: &[Kind],
        instead: &str,
        label: impl FnOnce(usize) -> Label,
    ) -> Result<usize, WriteError> {
        let kind = self.own_top(method, instead)?;
        let Some(frame) = self.frames.last_mut().filter(|_| kinds.contains(&kind)) else {
            return Err(misuse(format!(
                "`Writer::{method}` was called inside {}; {instead}",
                kind.article()
            )));
        };
        let index = frame.count;
        if index > 0 {
            self.out.push_str(", ");
        }
        frame.count += 1;
        frame.label = label(index);
        self.children.push(self.out.len());
        Ok(index)
    }

    /// Write one element of a list, tuple or set, or one positional field of a record.
    ///
    /// # Errors
    /// Whatever writing the element returns, with the element's index added to its path.
    /// Misuse: no list, tuple, set or record of the caller's own open, or a dict open (its
    /// entries are written with [`entry`](Writer::entry)).
    pub fn element<T: Persist + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        let index = self.next_child(
            "element",
            &[Kind::List, Kind::Tuple, Kind::Set, Kind::Record],
            "open a list, tuple or set with `begin` (or a record with `begin_record`) first; write dict entries with `entry`",
            Label::Index,
        )?;
        // Set elements must be hashable in Python, like dict keys.
        let hashed = u32::from(self.frames.last().is_some_and(|f| f.kind == Kind::Set));
        self.key_depth += hashed;
        let written = self.write_child(value);
        self.key_depth -= hashed;
        written.map_err(|e| e.within(PathSegment::Index(index)))
    }

    /// The Python source of `value` written on its own (hoisted statements included): what the
    /// std impls sort the elements of a `HashSet` and the entries of a `HashMap` by, so that their
    /// output does not depend on the hash order.
    ///
    /// # Errors
    /// Whatever writing the value returns.
    pub fn sort_key<T: Persist + ?Sized>(&self, value: &T) -> Result<String, WriteError> {
        let mut scratch = Writer::inline();
        scratch.write_child(value)?;
        scratch.stmts.push_str(&scratch.out);
        Ok(scratch.stmts)
    }

    /// Write one `key: value` entry of a dict.
    ///
    /// # Errors
    /// An unhashable or NaN key, or whatever writing the value returns. Misuse: no dict of the
    /// caller's own open.
    pub fn entry<K: Persist + ?Sized, V: Persist + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), WriteError> {
        let index = self.next_child(
            "entry",
            &[Kind::Dict],
            "open a dict with `begin(Container::Dict)` first; write elements of other containers with `element`",
            |_| Label::None,
        )?;
        let key_start = self.out.len();
        self.key_depth += 1;
        let written = self.write_child(key);
        self.key_depth -= 1;
        written.map_err(|e| e.within(PathSegment::Index(index)))?;
        let key_end = self.out.len();
        if let Some(frame) = self.frames.last_mut() {
            frame.label = Label::Key(key_start, key_end);
        }
        self.out.push_str(": ");
        self.write_child(value).map_err(|e| {
            let key = self.out.get(key_start..key_end).unwrap_or("?").to_owned();
            e.within(PathSegment::Key(key))
        })
    }

    /// Close the innermost container opened by [`begin`](Writer::begin).
    ///
    /// # Errors
    /// Misuse: no container of the caller's own open, or the innermost is a record (closed by
    /// [`end_record`](Writer::end_record)).
    pub fn end(&mut self) -> Result<(), WriteError> {
        self.close("end", false)
    }

    /// Close the innermost container, which must be a record if `record` (else must not).
    fn close(&mut self, method: &str, record: bool) -> Result<(), WriteError> {
        let opener = if record { "begin_record" } else { "begin" };
        let kind = self.own_top(
            method,
            &format!("every `{method}` closes a container the same impl opened with `{opener}`"),
        )?;
        if (kind == Kind::Record) != record {
            let right = if record { "end" } else { "end_record" };
            return Err(misuse(format!(
                "`Writer::{method}` was called on {}; close it with `{right}`",
                kind.article()
            )));
        }
        let Some(frame) = self.frames.pop() else {
            return Ok(());
        };
        let long = self.out.len() - frame.start > LINE_WIDTH;
        let broken = frame.count > 0 && (long || frame.multiline);
        if broken {
            self.lay_out(&frame);
        }
        self.children.truncate(frame.first_child);
        match frame.kind {
            Kind::List => self.out.push(']'),
            Kind::Tuple if frame.count == 1 && !broken => self.out.push_str(",)"),
            Kind::Tuple | Kind::Record => self.out.push(')'),
            Kind::Set if frame.count == 0 => {
                self.out.truncate(frame.start);
                self.out.push_str("set()");
            }
            Kind::Set | Kind::Dict => self.out.push('}'),
        }
        self.finish_node(frame.start, frame.height + 1, broken);
        Ok(())
    }

    /// Rewrite a container's children one per line (short ones packed up to [`LINE_WIDTH`]).
    fn lay_out(&mut self, frame: &Frame) {
        let body = self.out.split_off(frame.body);
        let children = &self.children[frame.first_child..];
        let base = frame.body;
        let mut parts: Vec<&str> = Vec::with_capacity(children.len());
        for (i, &start) in children.iter().enumerate() {
            // Children are separated by ", ", which is not part of their text.
            let end = children
                .get(i + 1)
                .map_or(base + body.len(), |next| next - 2);
            parts.push(&body[start - base..end - base]);
        }
        let depth = self.frames.len();
        let indent = INDENT.repeat(depth + 1);
        let pack = matches!(frame.kind, Kind::List | Kind::Tuple | Kind::Set)
            && parts.iter().all(|text| !text.contains('\n'));
        let mut line_len = 0;
        for (i, text) in parts.iter().enumerate() {
            if pack && i > 0 && line_len + 2 + text.len() <= LINE_WIDTH {
                self.out.push(' ');
                line_len += 1 + text.len() + 1;
            } else {
                self.out.push('\n');
                self.out.push_str(&indent);
                line_len = indent.len() + text.len() + 1;
            }
            self.out.push_str(text);
            self.out.push(',');
        }
        self.out.push('\n');
        self.out.push_str(&INDENT.repeat(depth));
    }

    /// A node of bracket height `height` ends here; hoist it when it is too deep.
    fn finish_node(&mut self, start: usize, height: u32, multiline: bool) {
        let (height, multiline) = if height >= MAX_HEIGHT && !self.frames.is_empty() {
            let name = self.helpers.temp("_t");
            self.hoist(start, &name, multiline);
            (0, false)
        } else {
            (height, multiline)
        };
        if let Some(parent) = self.frames.last_mut() {
            parent.height = parent.height.max(height);
            parent.multiline |= multiline;
        }
    }

    /// Move `out[start..]` into the statement `name = ...` and leave `name` in its place.
    fn hoist(&mut self, start: usize, name: &str, multiline: bool) {
        let mut expr = self.out.split_off(start);
        if multiline {
            // Its lines were indented for where it stood; as a statement it starts at column 0.
            let nested = format!("\n{}", INDENT.repeat(self.frames.len()));
            expr = expr.replace(&nested, "\n");
        }
        self.stmts.push_str(name);
        self.stmts.push_str(" = ");
        self.stmts.push_str(&expr);
        self.stmts.push('\n');
        self.out.push_str(name);
    }

    // ----- records --------------------------------------------------------------------------

    /// Open a struct or enum variant: `_Name(` (or the user's class given by `python = ...`).
    /// Write its fields with [`field`](Writer::field) (named) or [`element`](Writer::element)
    /// (positional), then call [`end_record`](Writer::end_record).
    ///
    /// # Errors
    /// None today; the `Result` leaves room for checks of the record description.
    pub fn begin_record(&mut self, record: &'static Record) -> Result<(), WriteError> {
        let class = self.class_for(record);
        let start = self.out.len();
        self.out.push_str(&class);
        self.open(Kind::Record, "(");
        if let Some(frame) = self.frames.last_mut() {
            frame.start = start;
        }
        Ok(())
    }

    /// Write one named field of a record as `name=value`.
    ///
    /// # Errors
    /// Whatever writing the value returns, with the field's name added to its path. Misuse: no
    /// record of the caller's own open.
    pub fn field<T: Persist + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        self.next_child(
            "field",
            &[Kind::Record],
            "open a record with `begin_record` first; write elements of other containers with `element`",
            |_| Label::Field(name),
        )?;
        self.out.push_str(name);
        self.out.push('=');
        self.write_child(value)
            .map_err(|e| e.within(PathSegment::Field(name)))
    }

    /// Close the record opened by [`begin_record`](Writer::begin_record).
    ///
    /// # Errors
    /// Misuse: no record of the caller's own open (a list, say, is closed by
    /// [`end`](Writer::end)).
    pub fn end_record(&mut self) -> Result<(), WriteError> {
        self.close("end_record", true)
    }

    /// The helper name of a record's class, defining it on first use.
    fn class_for(&mut self, record: &'static Record) -> String {
        let key = (record.rust, record.variant);
        if let Some(name) = self.helpers.classes.get(&key) {
            return name.clone();
        }
        let h = &mut self.helpers;
        let name = if let Some(python) = record.python {
            let (module, class) = python.split_once(':').unwrap_or(("__main__", python));
            let name = h.fresh(&format!("_{class}"));
            h.import_lines
                .push_str(&format!("from {module} import {class} as {name}\n"));
            name
        } else {
            let qualname = match record.variant {
                Some(variant) => format!("{}.{variant}", record.name),
                None => record.name.to_owned(),
            };
            let name = h.fresh(&format!("_{}", qualname.replace('.', "_")));
            let line = &mut h.class_lines;
            line.push_str(&name);
            line.push_str(" = _record(");
            literal::push_str(line, &qualname);
            line.push_str(", (");
            let fields: Vec<String> = match record.kind {
                RecordKind::Named(fields) => fields.iter().map(|f| (*f).to_owned()).collect(),
                RecordKind::Tuple(n) => (0..n).map(|i| format!("_{i}")).collect(),
                RecordKind::Unit => Vec::new(),
            };
            for (i, f) in fields.iter().enumerate() {
                if i > 0 {
                    line.push_str(", ");
                }
                literal::push_str(line, f);
            }
            if fields.len() == 1 {
                line.push(',');
            }
            line.push_str("), ");
            literal::push_str(line, record.rust);
            if matches!(record.kind, RecordKind::Tuple(_)) {
                line.push_str(", positional=True");
            }
            line.push_str(")\n");
            name
        };
        h.classes.insert(key, name.clone());
        name
    }

    // ----- sharing --------------------------------------------------------------------------

    /// Write the value `value` inside a shared pointer (`Rc`, `Arc`): the first time as a named
    /// statement, every time as that name, so Python sees one object. Values are told apart by
    /// address, so `value` must be the pointee of a pointer that lives as long as the archive's
    /// items (this is not public: a user's `&T` to a temporary could reuse an address).
    ///
    /// # Errors
    /// Whatever writing the value returns.
    pub(crate) fn shared<T: Persist + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        let addr = std::ptr::from_ref(value).cast::<()>() as usize;
        if let Some((name, unhashable)) = self.helpers.shared.get(&addr) {
            if *unhashable && self.key_depth > 0 {
                return Err(WriteError::new(WriteErrorKind::UnhashableKey(
                    "a value shared through Rc/Arc that holds a list, set, dict, array or NaN",
                )));
            }
            self.out.push_str(name);
            return Ok(());
        }
        let start = self.out.len();
        let unhashable_before = self.unhashable;
        // A frame keeps the value's bracket height from reaching the parent: once hoisted the
        // value is a plain name.
        self.open(Kind::Tuple, "");
        let written = self.write_child(value);
        let multiline = self.frames.pop().is_some_and(|frame| frame.multiline);
        written?;
        let name = self.helpers.temp("_s");
        self.hoist(start, &name, multiline);
        let unhashable = self.unhashable != unhashable_before;
        self.helpers.shared.insert(addr, (name, unhashable));
        Ok(())
    }

    // ----- arrays ---------------------------------------------------------------------------

    /// Mark numpy as used by the module (`import numpy as _np`).
    /// Arrays call this: it also counts the array as a value Python cannot hash.
    pub(crate) fn use_numpy(&mut self) {
        self.helpers.numpy = true;
        self.unhashable += 1;
    }

    pub(crate) fn out(&mut self) -> &mut String {
        &mut self.out
    }

    /// The indentation of a new line inside the value being written, if it breaks lines.
    pub(crate) fn child_indent(&self) -> String {
        INDENT.repeat(self.frames.len() + 1)
    }

    pub(crate) fn in_key(&self) -> bool {
        self.key_depth > 0
    }

    /// Store `array` in an external file if the archive's threshold says so: the file name.
    pub(crate) fn store_array<A, S, D>(
        &mut self,
        array: &ndarray::ArrayBase<S, D>,
    ) -> Result<Option<String>, WriteError>
    where
        A: crate::array::Element,
        S: ndarray::Data<Elem = A>,
        D: ndarray::Dimension,
    {
        let Writer {
            arrays,
            frames,
            out,
            item,
            ..
        } = self;
        arrays.store(|| item_path(item, frames, out), array)
    }

    /// Report that a node of bracket height `height` starting at `start` was written by hand.
    pub(crate) fn finished_node(&mut self, start: usize, height: u32, multiline: bool) {
        self.finish_node(start, height, multiline);
    }
}

/// The item path of the value being written, `item.field.3.key`, for naming array files.
fn item_path(item: &str, frames: &[Frame], out: &str) -> Vec<String> {
    let mut path = vec![item.to_owned()];
    for frame in frames {
        match frame.label {
            Label::None => {}
            Label::Field(name) => path.push(name.to_owned()),
            Label::Index(i) => path.push(i.to_string()),
            Label::Key(start, end) => {
                let key = &out[start..end];
                path.push(key.trim_matches(|c| c == '\'' || c == '"').to_owned());
            }
        }
    }
    path
}

/// Order source texts: integers numerically, everything else by text.
pub(crate) fn compare_source(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<i128>(), b.parse::<i128>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Ok(_), Err(_)) => std::cmp::Ordering::Less,
        (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}
