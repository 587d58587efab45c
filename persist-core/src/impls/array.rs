//! `ndarray` arrays: inline `_np.array(...)` below the archive's threshold, `.npy` files above.

use ndarray::{ArrayBase, Data, Dimension, IxDyn};

use crate::array::Element;
use crate::error::{WriteError, WriteErrorKind};
use crate::persist::Persist;
use crate::python::{Writer, literal};

/// Any dimension, standard or Fortran layout, owned arrays and views (non-contiguous ones too).
/// Python gets a `numpy.ndarray` of the same dtype and shape; a Fortran-ordered array stays
/// Fortran-ordered.
impl<A, S, D> Persist for ArrayBase<S, D>
where
    A: Element,
    S: Data<Elem = A>,
    D: Dimension,
{
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        if out.in_key() {
            return Err(WriteError::new(WriteErrorKind::UnhashableKey("an array")));
        }
        out.use_numpy();
        let start = out.out().len();
        let stored = out.store_array(self)?;
        let text = out.out();
        let height = if let Some(file) = stored {
            text.push_str("_load(");
            literal::push_str(text, &file);
            text.push(')');
            1
        } else {
            push_inline_array(text, self);
            self.ndim() as u32 + 1
        };
        out.finished_node(start, height);
        Ok(())
    }
}

/// `_np.array([[1, 2], [3, 4]], dtype='int32')`, `_np.zeros((0, 3), dtype=...)` for empty arrays,
/// wrapped in `_np.asfortranarray(...)` for Fortran-ordered ones.
fn push_inline_array<A, S, D>(out: &mut String, array: &ArrayBase<S, D>)
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
    push_nested(out, &array.view().into_dyn());
    out.push_str(", dtype='");
    out.push_str(A::DTYPE);
    out.push_str("')");
    if fortran {
        out.push(')');
    }
}

/// Nested lists in logical (C) order; a 0-d array is its one element.
fn push_nested<A: Element>(out: &mut String, view: &ndarray::ArrayView<'_, A, IxDyn>) {
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
    (0..ndim).for_each(|_| out.push('['));
    while let Some(e) = elements.next() {
        e.push_inline(out);
        let mut axis = ndim;
        loop {
            axis -= 1;
            index[axis] += 1;
            if index[axis] < shape[axis] {
                break;
            }
            index[axis] = 0;
            out.push(']');
            if axis == 0 {
                return;
            }
        }
        out.push_str(", ");
        (axis + 1..ndim).for_each(|_| out.push('['));
    }
}
