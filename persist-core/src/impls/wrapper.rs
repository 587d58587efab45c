//! Types that wrap one value and are archived as that value: `Cell`, `RefCell`, `Mutex`,
//! `RwLock`, `Wrapping` and `Reverse`; and `PhantomData`, archived as `None` (it holds nothing).

use std::cell::{Cell, RefCell};
use std::cmp::Reverse;
use std::marker::PhantomData;
use std::num::Wrapping;
use std::sync::{Mutex, RwLock};

use crate::error::WriteError;
use crate::persist::Persist;
use crate::read::{ReadError, Reader, Value};
use crate::write::Writer;

/// The inner value (a copy is written).
impl<T: Persist + Copy> Persist for Cell<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        self.get().to_python_source(out)
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        T::from_python(v, r).map(Cell::new)
    }
}

/// The inner value. Writing a `RefCell` that is mutably borrowed at that moment is an error.
impl<T: Persist> Persist for RefCell<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        match self.try_borrow() {
            Ok(value) => value.to_python_source(out),
            Err(_) => Err(WriteError::custom(
                "a RefCell is mutably borrowed while it is being written",
            )),
        }
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        T::from_python(v, r).map(RefCell::new)
    }
}

/// The inner value, written under the lock (which writing waits for). A poisoned mutex is an
/// error: a thread panicked while changing the value, which may be half changed.
impl<T: Persist> Persist for Mutex<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        match self.lock() {
            Ok(value) => value.to_python_source(out),
            Err(_) => Err(WriteError::custom(
                "a Mutex is poisoned (a thread panicked holding it), so its value may be half changed",
            )),
        }
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        T::from_python(v, r).map(Mutex::new)
    }
}

/// The inner value, written under a read lock. A poisoned lock is an error, as for `Mutex`.
impl<T: Persist> Persist for RwLock<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        match self.read() {
            Ok(value) => value.to_python_source(out),
            Err(_) => Err(WriteError::custom(
                "an RwLock is poisoned (a thread panicked holding it), so its value may be half changed",
            )),
        }
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        T::from_python(v, r).map(RwLock::new)
    }
}

/// The inner value.
impl<T: Persist> Persist for Wrapping<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        self.0.to_python_source(out)
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        T::from_python(v, r).map(Wrapping)
    }
}

/// The inner value.
impl<T: Persist> Persist for Reverse<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        self.0.to_python_source(out)
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        T::from_python(v, r).map(Reverse)
    }
}

/// `None`: it holds no value. Reading accepts only `None`.
impl<T: ?Sized> Persist for PhantomData<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.write_none();
        Ok(())
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        if r.is_none(v)? {
            Ok(PhantomData)
        } else {
            Err(ReadError::expected(
                "None (a PhantomData)",
                r.describe(v),
                v.pos(),
            ))
        }
    }
}
