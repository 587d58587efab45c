//! `ndarray` arrays: the `Persist` impl for every storage and dimension. How they are spelled is
//! the writer's (`write/array.rs`), how they are read the reader's (`read/array.rs`).

use ndarray::{
    Array, ArrayBase, CowRepr, Data, Dimension, OwnedArcRepr, OwnedRepr, RawData, ViewRepr,
};
use ndarray_npy::ReadableElement;

use crate::array::Element;
use crate::error::WriteError;
use crate::persist::Persist;
use crate::python::ast::Pos;
use crate::read::{ReadError, ReadErrorKind, Reader, Value};
use crate::write::Writer;

/// The storages of `ndarray` arrays, and whether an array can be read back into them: owned,
/// shared (`ArcArray`) and copy-on-write arrays can; views cannot (they borrow their data).
///
/// Implemented for every storage of `ndarray`; it only appears as a bound of the arrays'
/// [`Persist`] impl.
///
/// ```
/// use ndarray::{ArcArray1, Array1};
/// let source = "import numpy as _np\na = _np.array([1.5], dtype='float64')\n";
/// let a: Array1<f64> = persist_core::from_str(source, "a")?;
/// let s: ArcArray1<f64> = persist_core::from_str(source, "a")?;
/// assert_eq!(a, s);
/// # Ok::<(), persist_core::LoadError>(())
/// ```
pub trait ArrayStorage: RawData + Sized {
    /// Make an array of this storage from a freshly read owned array.
    ///
    /// # Errors
    /// Views, which cannot own what was read.
    #[doc(hidden)]
    fn from_owned<D: Dimension>(
        array: Array<Self::Elem, D>,
        pos: Pos,
    ) -> Result<ArrayBase<Self, D>, ReadError>;
}

impl<A> ArrayStorage for OwnedRepr<A> {
    fn from_owned<D: Dimension>(array: Array<A, D>, _: Pos) -> Result<Array<A, D>, ReadError> {
        Ok(array)
    }
}

impl<A: Clone> ArrayStorage for OwnedArcRepr<A> {
    fn from_owned<D: Dimension>(
        array: Array<A, D>,
        _: Pos,
    ) -> Result<ArrayBase<Self, D>, ReadError> {
        Ok(array.into_shared())
    }
}

impl<A: Clone> ArrayStorage for CowRepr<'_, A> {
    fn from_owned<D: Dimension>(
        array: Array<A, D>,
        _: Pos,
    ) -> Result<ArrayBase<Self, D>, ReadError> {
        Ok(array.into())
    }
}

impl<A> ArrayStorage for ViewRepr<&A> {
    fn from_owned<D: Dimension>(_: Array<A, D>, pos: Pos) -> Result<ArrayBase<Self, D>, ReadError> {
        Err(ReadError::new(
            ReadErrorKind::Unsupported("an array view"),
            pos,
        ))
    }
}

impl<A> ArrayStorage for ViewRepr<&mut A> {
    fn from_owned<D: Dimension>(_: Array<A, D>, pos: Pos) -> Result<ArrayBase<Self, D>, ReadError> {
        Err(ReadError::new(
            ReadErrorKind::Unsupported("an array view"),
            pos,
        ))
    }
}

/// Any dimension, standard or Fortran layout, owned arrays and views (non-contiguous ones too).
/// An array streamed by a [`Build`](crate::Build): written as the `_load('NAME')` of its store.
/// A handle is written only; read the item (or field) back as an ndarray array of the
/// streamed element type, which reads that `_load` like any array of the store.
impl Persist for crate::store::stream::Streamed {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.write_streamed(self)
    }

    fn from_python<'m>(value: Value<'m>, _: &mut Reader<'m>) -> Result<Self, ReadError> {
        Err(ReadError::custom(
            "a Streamed handle is written only: read this array as an ndarray array (ArrayD<A>, Array3<A>, ...) of the element type that was streamed",
            value.pos(),
        ))
    }
}

/// Python gets a `numpy.ndarray` of the same dtype and shape; a Fortran-ordered array stays
/// Fortran-ordered.
impl<A, S, D> Persist for ArrayBase<S, D>
where
    A: Element + Persist + ReadableElement + Default,
    S: Data<Elem = A> + ArrayStorage,
    D: Dimension,
{
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.write_array(self)
    }

    /// Reads `_np.array(...)`, `_np.zeros(...)`, `_np.asfortranarray(...)` and `_load('file')`,
    /// checking the dtype, the number of dimensions and (for nested lists) a regular shape.
    fn from_python<'m>(value: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        let array = r.array::<A>(value, D::NDIM)?;
        let ndim = array.ndim();
        let array = array.into_dimensionality::<D>().map_err(|_| {
            ReadError::new(
                ReadErrorKind::Array(format!(
                    "the Rust type has {} dimensions, the archive's array has {ndim}",
                    D::NDIM.map_or("any number of".to_owned(), |n| n.to_string())
                )),
                value.pos(),
            )
        })?;
        S::from_owned(array, value.pos())
    }
}
