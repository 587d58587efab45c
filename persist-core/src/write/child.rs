//! The methods a [`Persist`](crate::Persist) impl calls to write its children (`element`,
//! `entry`, `sort_key`, `field`), writing one child value, and checking that [`Persist`](crate::Persist) impls call the
//! container methods in order: each value may write into and close only the containers it
//! opened itself, and must close all of them (otherwise [`WriteErrorKind::Misuse`]). Values
//! shared through `Rc`/`Arc` are written here too, once, as a named statement.

use super::layout::{Kind, Label};
use super::table::capture_misuse;
use super::{Writer, with_stack, within};
use crate::error::{PathSegment, WriteError, WriteErrorKind};
use crate::persist::Persist;

/// The error for a `Persist` impl that calls the writer's methods out of order.
fn misuse(message: String) -> WriteError {
    WriteError::new(WriteErrorKind::Misuse(message))
}

impl Writer {
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

    /// Write `value` as one child of the innermost container (or as the whole item): its impl
    /// may use only the containers it opens itself, and must close every one of them.
    pub(super) fn write_child<T: Persist + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        let entered = self.enter_child();
        let written = with_stack(|| value.to_python_source(self));
        self.leave_child(entered, written)
    }

    /// A child starts: the containers open now are not its own. The depth and the floor before.
    #[inline]
    pub(super) fn enter_child(&mut self) -> (usize, usize) {
        let depth = self.frames.len();
        (depth, std::mem::replace(&mut self.floor, depth))
    }

    /// The child entered at `depth` (the floor then `floor`) returned `written`: it must have
    /// closed every container it opened.
    #[inline]
    pub(super) fn leave_child(
        &mut self,
        (depth, floor): (usize, usize),
        written: Result<(), WriteError>,
    ) -> Result<(), WriteError> {
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
    fn own_top(&self, method: &str, instead: &dyn Fn() -> String) -> Result<Kind, WriteError> {
        match self.frames.last() {
            Some(frame) if self.frames.len() > self.floor => Ok(frame.kind),
            _ => Err(misuse(format!(
                "`Writer::{method}` was called with no container of its own open; {}",
                instead()
            ))),
        }
    }

    /// `written`, its error (if any) located at the dict key written at `key` in the text.
    pub(super) fn within_key(
        &self,
        written: Result<(), WriteError>,
        key: std::ops::Range<usize>,
    ) -> Result<(), WriteError> {
        written.map_err(|e| {
            let key = self.out.get(key).unwrap_or("?").to_owned();
            e.within(crate::error::PathSegment::Key(key))
        })
    }

    /// Start the next child of the innermost container, which `method` may write into if it is
    /// one of `kinds` (else the error says to do `instead`): separator, sort bookkeeping,
    /// label (a [`Label::Index`] gets the child's index). The child's index.
    #[inline]
    pub(super) fn next_child(
        &mut self,
        method: &str,
        kinds: &[Kind],
        instead: &str,
        label: Label,
    ) -> Result<usize, WriteError> {
        let kind = self.own_top(method, &|| instead.to_owned())?;
        let Some(frame) = self.frames.last_mut().filter(|_| kinds.contains(&kind)) else {
            return Err(misuse(format!(
                "`Writer::{method}` was called inside {}; {instead}",
                kind.article()
            )));
        };
        let index = frame.count;
        if index > 0 {
            self.child_line();
        }
        let frame = self.frames.last_mut().expect("the frame checked above");
        frame.count += 1;
        frame.label = match label {
            Label::Index(_) => Label::Index(index),
            label => label,
        };
        self.children.push(self.out.len());
        Ok(index)
    }

    /// Close the innermost container, which must be a record if `record` (else must not).
    pub(super) fn close(&mut self, method: &str, record: bool) -> Result<(), WriteError> {
        let opener = if record { "begin_record" } else { "begin" };
        let kind = self.own_top(method, &|| {
            format!("every `{method}` closes a container the same impl opened with `{opener}`")
        })?;
        if (kind == Kind::Record) != record {
            let right = if record { "end" } else { "end_record" };
            return Err(misuse(format!(
                "`Writer::{method}` was called on {}; close it with `{right}`",
                kind.article()
            )));
        }
        self.close_frame();
        Ok(())
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
        let name = self.helpers.temp(crate::python::names::SHARED_PREFIX);
        // The value was written inside a frame that does not stream: relative to its start.
        self.hoist(start, &name, 0, multiline);
        let unhashable = self.unhashable != unhashable_before;
        self.helpers.shared.insert(addr, (name, unhashable));
        Ok(())
    }
}
