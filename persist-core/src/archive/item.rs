//! The items an [`Archive`](super::Archive) holds until it is saved, and which values it may
//! hold: [`Send`] ones for [`Archive::new`](super::Archive::new) (so the archive can move to
//! another thread), any for [`Archive::local`](super::Archive::local) (`Rc` values too).

use crate::persist::Persist;

/// One named value of an archive, boxed as `V` (`dyn Persist + Send` or `dyn Persist`).
pub(super) struct Item<V: ?Sized> {
    pub name: String,
    pub rust_type: &'static str,
    pub value: Box<V>,
}

/// A value that can go into an archive holding items as `V`: every [`Persist`] value into an
/// [`Archive::local`](super::Archive::local), a `Send` one into an
/// [`Archive::new`](super::Archive::new). Implemented for every type it can be; not
/// implementable outside this crate.
///
/// ```
/// use std::rc::Rc;
/// use persist_core::Archive;
///
/// let shared = Rc::new(vec![1, 2]);
/// let mut local = Archive::local(); // may hold `Rc` values; stays on its thread
/// local.insert("a", &shared)?;
/// let mut archive = Archive::new(); // `Send`: may be saved from another thread
/// archive.insert("b", vec![1, 2])?;
/// std::thread::spawn(move || archive.to_python_source()).join().unwrap()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an item of this archive",
    label = "not an item of this archive",
    note = "an item must implement `Persist`; in an `Archive::new()`, which can move between threads, it must also be `Send` (a reference: its referent `Sync`)",
    note = "for values holding `Rc` or `RefCell`, use `Archive::local()`"
)]
pub trait IntoItem<'a, V: ?Sized>: sealed::Sealed {
    /// The value, boxed.
    #[doc(hidden)]
    fn into_item(self) -> Box<V>;
}

impl<'a, T: Persist + Send + 'a> IntoItem<'a, dyn Persist + Send + 'a> for T {
    fn into_item(self) -> Box<dyn Persist + Send + 'a> {
        Box::new(self)
    }
}

impl<'a, T: Persist + 'a> IntoItem<'a, dyn Persist + 'a> for T {
    fn into_item(self) -> Box<dyn Persist + 'a> {
        Box::new(self)
    }
}

mod sealed {
    /// Only this crate implements [`IntoItem`](super::IntoItem).
    pub trait Sealed {}
    impl<T: crate::persist::Persist> Sealed for T {}
}
