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
//!
//! This file owns the [`Writer`] and the methods a `Persist` impl calls for containers and
//! records, and the hooks `array` uses; `scalar` the methods for single values; `child` writes
//! one child value, checks that impls call the container methods in order, and writes shared
//! values; `layout` breaks lines and hoists; `helpers` owns the names the module defines and its
//! record class lines; `module` writes the items and the module text around them.

mod array;
mod child;
mod helpers;
mod layout;
mod module;
mod scalar;
mod table;
mod time;

use crate::error::{PathSegment, WriteError, WriteErrorKind};
use crate::persist::Persist;
use crate::platform::with_stack;
use crate::python::names;
use crate::record::Record;
use crate::store::ArraySink;
use helpers::Helpers;
use layout::{Frame, Kind, Label, item_path};
use table::capture::{Capture, Scalar, capture_misuse};

/// Containers whose text is longer than this are written one child per line (lists of short
/// values: as many per line as fit), like a person would format them.
pub const LINE_WIDTH: usize = 96;

/// Sub-expressions are hoisted into statements of their own when they nest this many brackets.
/// Python 3 refuses 200 nested brackets; inline arrays may add up to numpy's 64 dimensions.
pub const MAX_HEIGHT: u32 = 48;

/// One level of indentation in broken containers.
const INDENT: &str = "    ";

/// A container [`Writer::begin`] can open.
///
/// ```
/// use persist_core::{Container, Writer};
/// let mut w = Writer::inline();
/// w.begin(Container::List)?;
/// w.end()?;
/// assert_eq!(w.take_expression(), "[]");
/// # Ok::<(), persist_core::WriteError>(())
/// ```
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
    /// Reused by `lay_out` for the text it rewrites.
    scratch: String,
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
    /// While the records of a record table are written: their columns (see `table`).
    capture: Option<Box<Capture>>,
    /// Lists of more records than this are written as record tables (`None`: never).
    tables: Option<usize>,
}

impl Writer {
    /// A writer that writes every array inline, whatever its size.
    ///
    /// ```
    /// use persist_core::{Persist, Writer};
    /// let mut w = Writer::inline();
    /// ndarray::arr1(&[1.5, 2.5]).to_python_source(&mut w)?;
    /// assert_eq!(w.take_expression(), "_np.array([1.5, 2.5], dtype='float64')");
    /// # Ok::<(), persist_core::WriteError>(())
    /// ```
    pub fn inline() -> Self {
        Self::new(ArraySink::Inline)
    }

    pub(crate) fn new(arrays: ArraySink) -> Self {
        let helpers = Helpers::default();
        Writer {
            out: String::new(),
            stmts: String::new(),
            scratch: String::new(),
            frames: Vec::new(),
            children: Vec::new(),
            unhashable: 0,
            key_depth: 0,
            floor: 0,
            helpers,
            arrays,
            item: String::new(),
            capture: None,
            tables: None,
        }
    }

    /// Take the expression written so far, with any hoisted statements it needs lost: for tests
    /// and for values that need no helpers. Archives use [`Archive`](crate::Archive) instead.
    ///
    /// ```
    /// use persist_core::{Persist, Writer};
    /// let mut w = Writer::inline();
    /// Some("text").to_python_source(&mut w)?;
    /// assert_eq!(w.take_expression(), "'text'");
    /// assert_eq!(w.take_expression(), "");
    /// # Ok::<(), persist_core::WriteError>(())
    /// ```
    pub fn take_expression(&mut self) -> String {
        std::mem::take(&mut self.out)
    }

    // ----- containers and records -----------------------------------------------------------

    /// Open a list, tuple, set or dict; write its contents with [`element`](Writer::element)
    /// (or [`entry`](Writer::entry) for a dict) and close it with [`end`](Writer::end).
    ///
    /// # Errors
    /// A list, set or dict inside a dict key: Python cannot hash them.
    ///
    /// ```
    /// use persist_core::{Container, Writer};
    /// let mut w = Writer::inline();
    /// w.begin(Container::Tuple)?;
    /// w.element(&1)?;
    /// w.end()?;
    /// assert_eq!(w.take_expression(), "(1,)");
    /// # Ok::<(), persist_core::WriteError>(())
    /// ```
    pub fn begin(&mut self, container: Container) -> Result<(), WriteError> {
        if self.capture.is_some() {
            return Err(capture_misuse("opened a container"));
        }
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

    /// Write one element of a list, tuple or set, or one positional field of a record.
    ///
    /// # Errors
    /// Whatever writing the element returns, with the element's index added to its path.
    /// Misuse: no list, tuple, set or record of the caller's own open, or a dict open (its
    /// entries are written with [`entry`](Writer::entry)).
    ///
    /// ```
    /// use persist_core::{Container, Writer};
    /// let mut w = Writer::inline();
    /// w.begin(Container::Set)?;
    /// w.element("a")?;
    /// w.element("b")?;
    /// w.end()?;
    /// assert_eq!(w.take_expression(), "{'a', 'b'}");
    /// # Ok::<(), persist_core::WriteError>(())
    /// ```
    pub fn element<T: Persist + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        if self.capture.is_some() {
            return Err(capture_misuse("wrote a positional element"));
        }
        let index = self.next_child(
            "element",
            &[Kind::List, Kind::Tuple, Kind::Set, Kind::Record],
            "open a list, tuple or set with `begin` (or a record with `begin_record`) first; write dict entries with `entry`",
            Label::Index(0),
        )?;
        // Set elements must be hashable in Python, like dict keys.
        let hashed = u32::from(self.frames.last().is_some_and(|f| f.kind == Kind::Set));
        self.key_depth += hashed;
        let written = self.write_child(value);
        self.key_depth -= hashed;
        within(written, PathSegment::Index(index))
    }

    /// The Python source of `value` written on its own (hoisted statements included): what the
    /// std impls sort the elements of a `HashSet` and the entries of a `HashMap` by, so that their
    /// output does not depend on the hash order.
    ///
    /// # Errors
    /// Whatever writing the value returns.
    ///
    /// ```
    /// let w = persist_core::Writer::inline();
    /// assert_eq!(w.sort_key(&(1, "a"))?, "(1, 'a')");
    /// # Ok::<(), persist_core::WriteError>(())
    /// ```
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
    ///
    /// ```
    /// use persist_core::{Container, Writer};
    /// let mut w = Writer::inline();
    /// w.begin(Container::Dict)?;
    /// w.entry(&"alpha", &0.5)?;
    /// w.end()?;
    /// assert_eq!(w.take_expression(), "{'alpha': 0.5}");
    /// // A list cannot be a dict key in Python: refused.
    /// w.begin(Container::Dict)?;
    /// assert!(w.entry(&vec![1], &0.5).is_err());
    /// # Ok::<(), persist_core::WriteError>(())
    /// ```
    pub fn entry<K: Persist + ?Sized, V: Persist + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), WriteError> {
        if self.capture.is_some() {
            return Err(capture_misuse("wrote a dict entry"));
        }
        let index = self.next_child(
            "entry",
            &[Kind::Dict],
            "open a dict with `begin(Container::Dict)` first; write elements of other containers with `element`",
            Label::None,
        )?;
        let key_start = self.out.len();
        self.key_depth += 1;
        let written = self.write_child(key);
        self.key_depth -= 1;
        within(written, PathSegment::Index(index))?;
        let key_end = self.out.len();
        if let Some(frame) = self.frames.last_mut() {
            frame.label = Label::Key(key_start, key_end);
        }
        self.out.push_str(": ");
        let written = self.write_child(value);
        self.within_key(written, key_start..key_end)
    }

    /// Close the innermost container opened by [`begin`](Writer::begin).
    ///
    /// # Errors
    /// Misuse: no container of the caller's own open, or the innermost is a record (closed by
    /// [`end_record`](Writer::end_record)).
    ///
    /// ```
    /// use persist_core::{Container, Writer, WriteErrorKind};
    /// let mut w = Writer::inline();
    /// w.begin(Container::List)?;
    /// w.element(&1)?;
    /// w.end()?;
    /// assert_eq!(w.take_expression(), "[1]");
    /// // Called out of order, it is an error, not a panic.
    /// let err = w.end().unwrap_err();
    /// assert!(matches!(err.kind(), WriteErrorKind::Misuse(_)));
    /// # Ok::<(), persist_core::WriteError>(())
    /// ```
    pub fn end(&mut self) -> Result<(), WriteError> {
        if self.capture.is_some() {
            return Err(capture_misuse("closed a container"));
        }
        self.close("end", false)
    }

    /// Open a struct or enum variant: `_Name(` (or the user's class given by `python = ...`).
    /// Write its fields with [`field`](Writer::field) (named) or [`element`](Writer::element)
    /// (positional), then call [`end_record`](Writer::end_record).
    ///
    /// # Errors
    /// None today; the `Result` leaves room for checks of the record description.
    ///
    /// ```
    /// use persist_core::{Record, RecordKind, Writer};
    /// static POINT: Record = Record::new("geometry::Point", "Point", RecordKind::Named(&["x", "y"]));
    /// let mut w = Writer::inline();
    /// w.begin_record(&POINT)?;
    /// w.field("x", &1.0)?;
    /// w.field("y", &2.0)?;
    /// w.end_record()?;
    /// assert_eq!(w.take_expression(), "_Point(x=1.0, y=2.0)");
    /// # Ok::<(), persist_core::WriteError>(())
    /// ```
    pub fn begin_record(&mut self, record: &'static Record) -> Result<(), WriteError> {
        if self.capture.is_some() {
            return Ok(());
        }
        let start = self.out.len();
        self.push_class(record);
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
    ///
    /// ```
    /// use persist_core::{Record, RecordKind, Writer};
    /// static POINT: Record = Record::new("geometry::Point", "Point", RecordKind::Named(&["x", "y"]));
    /// let mut w = Writer::inline();
    /// w.begin_record(&POINT)?;
    /// w.field("x", &1.0)?;
    /// w.field("y", &2.0)?;
    /// w.end_record()?;
    /// assert_eq!(w.take_expression(), "_Point(x=1.0, y=2.0)");
    /// # Ok::<(), persist_core::WriteError>(())
    /// ```
    pub fn field<T: Persist + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        // A row of a table has no text of its own: its values go to the capture. (The steps of
        // `write_child`, written out: one generic function fewer per field type.)
        let entered = if self.capture.is_none() {
            self.start_field(name)?;
            Some(self.enter_child())
        } else {
            None
        };
        let written = with_stack(|| value.to_python_source(self));
        let written = match entered {
            Some(entered) => self.leave_child(entered, written),
            None => written,
        };
        within(written, PathSegment::Field(name))
    }

    /// Start the field `name` of the innermost record: `name=`.
    fn start_field(&mut self, name: &'static str) -> Result<(), WriteError> {
        self.next_child(
            "field",
            &[Kind::Record],
            "open a record with `begin_record` first; write elements of other containers with `element`",
            Label::Field(name),
        )?;
        self.out.push_str(name);
        self.out.push('=');
        Ok(())
    }

    /// Close the record opened by [`begin_record`](Writer::begin_record).
    ///
    /// # Errors
    /// Misuse: no record of the caller's own open (a list, say, is closed by
    /// [`end`](Writer::end)).
    ///
    /// ```
    /// use persist_core::{Container, Writer};
    /// let mut w = Writer::inline();
    /// w.begin(Container::List)?;
    /// // A list is closed with `end`; `end_record` is an error, not a panic.
    /// assert!(w.end_record().is_err());
    /// # Ok::<(), persist_core::WriteError>(())
    /// ```
    pub fn end_record(&mut self) -> Result<(), WriteError> {
        if self.capture.is_some() {
            return Ok(());
        }
        self.close("end_record", true)
    }

    // ----- arrays ---------------------------------------------------------------------------

    /// Mark numpy as used by the module (`import numpy as _np`).
    /// Arrays call this: it also counts the array as a value Python cannot hash.
    fn use_numpy(&mut self) {
        if let Some(capture) = &mut self.capture {
            // An array is no column: a misuse reported when the row ends.
            capture.push(&Scalar::Array);
            return;
        }
        self.helpers.numpy = true;
        self.unhashable += 1;
    }

    /// Whether a dict key is being written (Python cannot hash arrays).
    fn in_key(&self) -> bool {
        self.key_depth > 0
    }

    /// Store `array` in an external file if the archive's threshold says so: the file name.
    fn store_array<A, S, D>(
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

/// `written`, its error (if any) located at `segment` of the value: a plain function, not a
/// closure in each generic caller.
#[inline]
fn within(written: Result<(), WriteError>, segment: PathSegment) -> Result<(), WriteError> {
    written.map_err(|e| e.within(segment))
}
