//! Writing one child value and checking that [`Persist`](crate::Persist) impls call the
//! container methods in order: each value may write into and close only the containers it
//! opened itself, and must close all of them (otherwise [`WriteErrorKind::Misuse`]). Values
//! shared through `Rc`/`Arc` are written here too, once, as a named statement.

use super::layout::{Kind, Label};
use super::{Writer, with_stack};
use crate::error::{WriteError, WriteErrorKind};
use crate::persist::Persist;

/// The error for a `Persist` impl that calls the writer's methods out of order.
fn misuse(message: String) -> WriteError {
    WriteError::new(WriteErrorKind::Misuse(message))
}

impl Writer {
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
