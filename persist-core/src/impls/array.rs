//! `ndarray` arrays: inline `_np.array(...)` below the archive's threshold, `.npy` files above.

use ndarray::{
    Array, ArrayBase, CowRepr, Data, Dimension, IxDyn, OwnedArcRepr, OwnedRepr, RawData, ViewRepr,
};
use ndarray_npy::ReadableElement;

use crate::array::Element;
use crate::error::{WriteError, WriteErrorKind};
use crate::persist::Persist;
use crate::python::ast::Pos;
use crate::python::{LINE_WIDTH, Writer, literal};
use crate::read::{ReadError, ReadErrorKind, Reader, Value};

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
/// Python gets a `numpy.ndarray` of the same dtype and shape; a Fortran-ordered array stays
/// Fortran-ordered.
impl<A, S, D> Persist for ArrayBase<S, D>
where
    A: Element + Persist + ReadableElement + Default,
    S: Data<Elem = A> + ArrayStorage,
    D: Dimension,
{
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        if out.in_key() {
            return Err(WriteError::new(WriteErrorKind::UnhashableKey("an array")));
        }
        out.use_numpy();
        let start = out.out().len();
        let stored = out.store_array(self)?;
        let indent = out.child_indent();
        let text = out.out();
        let (height, multiline) = if let Some(file) = stored {
            text.push_str("_load(");
            literal::push_str(text, &file);
            text.push(')');
            (1, false)
        } else {
            push_inline_array(text, self, None);
            // A long matrix is easier to read and edit one row (or slab) per line.
            let long = self.ndim() > 1 && text.len() - start > LINE_WIDTH;
            if long {
                text.truncate(start);
                push_inline_array(text, self, Some(&indent));
            }
            (self.ndim() as u32 + 1, long)
        };
        out.finished_node(start, height, multiline);
        Ok(())
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

/// `_np.array([[1, 2], [3, 4]], dtype='int32')`, `_np.zeros((0, 3), dtype=...)` for empty arrays,
/// wrapped in `_np.asfortranarray(...)` for Fortran-ordered ones. With `indent`, each element
/// of the outermost axis goes on a line of its own.
fn push_inline_array<A, S, D>(out: &mut String, array: &ArrayBase<S, D>, indent: Option<&str>)
where
    A: Element,
    S: Data<Elem = A>,
    D: Dimension,
{
    if array.is_empty() {
        out.push_str("_np.zeros((");
        for (i, n) in array.shape().iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            literal::push_int(out, n);
        }
        if array.ndim() == 1 {
            out.push(',');
        }
        out.push_str("), dtype='");
        out.push_str(A::DTYPE);
        out.push_str("')");
        return;
    }
    let fortran = array.ndim() > 1 && !array.is_standard_layout() && array.t().is_standard_layout();
    if fortran {
        out.push_str("_np.asfortranarray(");
    }
    out.push_str("_np.array(");
    push_nested(out, &array.view().into_dyn(), indent);
    out.push_str(", dtype='");
    out.push_str(A::DTYPE);
    out.push_str("')");
    if fortran {
        out.push(')');
    }
}

/// Nested lists in logical (C) order; a 0-d array is its one element.
fn push_nested<A: Element>(
    out: &mut String,
    view: &ndarray::ArrayView<'_, A, IxDyn>,
    indent: Option<&str>,
) {
    let shape = view.shape();
    let ndim = shape.len();
    let mut elements = view.iter();
    if ndim == 0 {
        if let Some(e) = elements.next() {
            e.push_inline(out);
        }
        return;
    }
    let mut index = vec![0usize; ndim];
    let break_line = |out: &mut String| {
        if let Some(indent) = indent {
            out.push('\n');
            out.push_str(indent);
        }
    };
    out.push('[');
    break_line(out);
    (1..ndim).for_each(|_| out.push('['));
    for e in elements {
        e.push_inline(out);
        let mut axis = ndim;
        loop {
            axis -= 1;
            index[axis] += 1;
            if index[axis] < shape[axis] {
                break;
            }
            index[axis] = 0;
            if axis == 0 {
                if let Some(indent) = indent {
                    out.push_str(",\n");
                    out.push_str(&indent[4.min(indent.len())..]);
                }
                out.push(']');
                return;
            }
            out.push(']');
        }
        if axis == 0 && indent.is_some() {
            out.push(',');
            break_line(out);
        } else {
            out.push_str(", ");
        }
        (axis + 1..ndim).for_each(|_| out.push('['));
    }
}
