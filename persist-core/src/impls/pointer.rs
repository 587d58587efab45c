//! References and smart pointers: the inner value; `Rc`/`Arc` shared values written once.

use std::rc::Rc;
use std::sync::Arc;

use crate::error::WriteError;
use crate::persist::Persist;
use crate::python::Writer;

impl<T: Persist + ?Sized> Persist for &T {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        (**self).to_python_source(out)
    }
}

impl<T: Persist + ?Sized> Persist for &mut T {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        (**self).to_python_source(out)
    }
}

impl<T: Persist + ?Sized> Persist for Box<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        (**self).to_python_source(out)
    }
}

/// Written once per archive and referenced by name everywhere else, so that Python sees one
/// object (`a.x is a.y`).
impl<T: Persist + ?Sized> Persist for Rc<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.shared(Rc::as_ptr(self).cast::<()>(), &**self)
    }
}

/// Written once per archive and referenced by name everywhere else, like [`Rc`].
impl<T: Persist + ?Sized> Persist for Arc<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.shared(Arc::as_ptr(self).cast::<()>(), &**self)
    }
}
