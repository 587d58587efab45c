//! References and smart pointers: the inner value; `Rc`/`Arc` shared values written once and
//! read back as one allocation.

use std::rc::Rc;
use std::sync::Arc;

use crate::error::WriteError;
use crate::persist::Persist;
use crate::read::{ReadError, Reader, Value};
use crate::write::Writer;

/// Written as the value it points to; cannot be read back (it borrows).
impl<T: Persist + ?Sized> Persist for &T {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        (**self).to_python_source(out)
    }
}

/// Written as the value it points to; cannot be read back (it borrows).
impl<T: Persist + ?Sized> Persist for &mut T {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        (**self).to_python_source(out)
    }
}

impl<T: Persist> Persist for Box<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        (**self).to_python_source(out)
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        T::from_python(v, r).map(Box::new)
    }
}

impl Persist for Box<str> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.write_str(self);
        Ok(())
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        r.str(v).map(Box::from)
    }
}

impl<T: Persist> Persist for Box<[T]> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        (**self).to_python_source(out)
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        Vec::<T>::from_python(v, r).map(Vec::into_boxed_slice)
    }
}

/// `Rc` and `Arc` of a sized value, of `str` and of a slice: written once per archive and
/// referenced by name everywhere else, so Python sees one object (`a.x is a.y`); read back so
/// that every reference to one written value shares one allocation (`Rc::ptr_eq`).
macro_rules! persist_shared {
    ($ptr:ident) => {
        impl<T: Persist + 'static> Persist for $ptr<T> {
            fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
                out.shared(&**self)
            }

            fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
                r.shared(v, |v, r| T::from_python(v, r).map($ptr::new))
            }
        }

        impl Persist for $ptr<str> {
            fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
                out.shared(&**self)
            }

            fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
                r.shared(v, |v, r| r.str(v).map($ptr::from))
            }
        }

        impl<T: Persist + 'static> Persist for $ptr<[T]> {
            fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
                out.shared(&**self)
            }

            fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
                r.shared(v, |v, r| Vec::<T>::from_python(v, r).map($ptr::from))
            }
        }
    };
}
persist_shared!(Rc);
persist_shared!(Arc);
