//! How arrays are spelled: `_load('file')` of the archive's array store, or inline
//! `_np.array(...)`, `_np.zeros(...)` for empty arrays and `_np.asfortranarray(...)` around
//! Fortran-ordered ones (what `read/array.rs` reads back).

use ndarray::{ArrayBase, Data, Dimension, IxDyn};

use super::layout::indent;
use super::{LINE_WIDTH, Writer};
use crate::array::Element;
use crate::error::{WriteError, WriteErrorKind};
use crate::python::{literal, names};

impl Writer {
    /// Write `array`: `_load('file')` of the archive's array store above its threshold, else
    /// inline `_np.array(...)` (one row or slab per line when it is long).
    pub(crate) fn write_array<A, S, D>(&mut self, array: &ArrayBase<S, D>) -> Result<(), WriteError>
    where
        A: Element,
        S: Data<Elem = A>,
        D: Dimension,
    {
        if self.in_key() {
            return Err(WriteError::new(WriteErrorKind::UnhashableKey("an array")));
        }
        self.use_numpy();
        let start = self.out.len();
        let stored = self.store_array(array)?;
        let text = &mut self.out;
        let (height, multiline) = if let Some(file) = stored {
            text.push_str(names::LOAD);
            text.push('(');
            literal::push_str(text, &file);
            text.push(')');
            (1, false)
        } else {
            push_inline_array(text, array, None);
            // A long matrix is easier to read and edit one row (or slab) per line.
            let long = array.ndim() > 1 && text.len() - start > LINE_WIDTH;
            if long {
                text.truncate(start);
                // Rows are indented one level more than the line the array starts on.
                let rows = indent(self.lead() + 1);
                push_inline_array(&mut self.out, array, Some(rows));
            }
            (array.ndim() as u32 + 1, long)
        };
        self.finish_node(start, height, multiline);
        Ok(())
    }
}

impl Writer {
    /// Write an array streamed into the store by a [`Build`](crate::Build): `_load('name')`,
    /// if it is a finished stream of the build this writer writes.
    pub(crate) fn write_streamed(
        &mut self,
        streamed: &crate::store::stream::Streamed,
    ) -> Result<(), WriteError> {
        if self.in_key() {
            return Err(WriteError::new(WriteErrorKind::UnhashableKey("an array")));
        }
        let name = self
            .arrays
            .claim_stream(streamed)
            .map_err(|m| WriteError::new(WriteErrorKind::Misuse(m)))?;
        self.use_numpy();
        let start = self.out.len();
        self.out.push_str(names::LOAD);
        self.out.push('(');
        literal::push_str(&mut self.out, &name);
        self.out.push(')');
        self.finish_node(start, 1, false);
        Ok(())
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
        out.push_str(names::NUMPY);
        out.push_str(".zeros((");
        for (i, n) in array.shape().iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            literal::push_int(out, *n);
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
        out.push_str(names::NUMPY);
        out.push_str(".asfortranarray(");
    }
    out.push_str(names::NUMPY);
    out.push_str(".array(");
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
