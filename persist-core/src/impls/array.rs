//! `ndarray` arrays: inline `_np.array(...)` below the archive's threshold, `.npy` files above.

use ndarray::{
    Array, ArrayBase, CowRepr, Data, Dimension, IxDyn, OwnedArcRepr, OwnedRepr, RawData,
    ShapeBuilder, ViewRepr,
};
use ndarray_npy::ReadableElement;

use crate::array::Element;
use crate::error::{WriteError, WriteErrorKind};
use crate::persist::Persist;
use crate::python::ast::{Expr, ExprKind};
use crate::python::{LINE_WIDTH, Writer, literal};
use crate::read::{ReadError, ReadErrorKind, Reader, describe_expr};

/// The storages of `ndarray` arrays, and whether an array can be read back into them: owned,
/// shared (`ArcArray`) and copy-on-write arrays can; views cannot (they borrow their data).
pub trait ArrayStorage: RawData + Sized {
    /// Make an array of this storage from a freshly read owned array.
    ///
    /// # Errors
    /// Views, which cannot own what was read.
    fn from_owned<D: Dimension>(
        array: Array<Self::Elem, D>,
        expr: &Expr,
    ) -> Result<ArrayBase<Self, D>, ReadError>;
}

impl<A> ArrayStorage for OwnedRepr<A> {
    fn from_owned<D: Dimension>(array: Array<A, D>, _: &Expr) -> Result<Array<A, D>, ReadError> {
        Ok(array)
    }
}

impl<A: Clone> ArrayStorage for OwnedArcRepr<A> {
    fn from_owned<D: Dimension>(
        array: Array<A, D>,
        _: &Expr,
    ) -> Result<ArrayBase<Self, D>, ReadError> {
        Ok(array.into_shared())
    }
}

impl<A: Clone> ArrayStorage for CowRepr<'_, A> {
    fn from_owned<D: Dimension>(
        array: Array<A, D>,
        _: &Expr,
    ) -> Result<ArrayBase<Self, D>, ReadError> {
        Ok(array.into())
    }
}

impl<A> ArrayStorage for ViewRepr<&A> {
    fn from_owned<D: Dimension>(
        _: Array<A, D>,
        expr: &Expr,
    ) -> Result<ArrayBase<Self, D>, ReadError> {
        Err(ReadError::new(
            ReadErrorKind::Unsupported("an array view"),
            expr.pos,
        ))
    }
}

impl<A> ArrayStorage for ViewRepr<&mut A> {
    fn from_owned<D: Dimension>(
        _: Array<A, D>,
        expr: &Expr,
    ) -> Result<ArrayBase<Self, D>, ReadError> {
        Err(ReadError::new(
            ReadErrorKind::Unsupported("an array view"),
            expr.pos,
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
    fn from_python<'m>(expr: &'m Expr, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        let array = read_array::<A>(expr, r, D::NDIM)?;
        let ndim = array.ndim();
        let array = array.into_dimensionality::<D>().map_err(|_| {
            ReadError::new(
                ReadErrorKind::Array(format!(
                    "the Rust type has {} dimensions, the archive's array has {ndim}",
                    D::NDIM.map_or("any number of".to_owned(), |n| n.to_string())
                )),
                expr.pos,
            )
        })?;
        S::from_owned(array, expr)
    }
}

/// The most elements `_np.zeros(...)` in an archive may ask for (the writer only writes it for
/// empty arrays; a person may write small ones).
const MAX_ZEROS: usize = 1 << 24;

/// Read any array expression as an array of dynamic dimension.
/// `ndim`, when known, is checked against an external file's header before its data is read.
fn read_array<'m, A>(
    expr: &'m Expr,
    r: &mut Reader<'m>,
    ndim: Option<usize>,
) -> Result<Array<A, IxDyn>, ReadError>
where
    A: Element + Persist + ReadableElement + Default,
{
    let expr = r.resolve(expr)?;
    let ExprKind::Call(call) = &expr.kind else {
        return Err(ReadError::expected(
            "an array (`_np.array(...)` or `_load(...)`)",
            describe_expr(expr),
            expr.pos,
        ));
    };
    let mut name = String::new();
    call.func.dotted_name(&mut name);
    let function = name.rsplit('.').next().unwrap_or("");
    let dtype = call.kwargs.iter().find(|kw| kw.name == "dtype");
    if let Some(kw) = dtype {
        let given = r.str(&kw.value)?;
        if given != A::DTYPE {
            return Err(ReadError::new(
                ReadErrorKind::Array(format!(
                    "dtype '{given}' where the Rust type needs '{}'",
                    A::DTYPE
                )),
                kw.value.pos,
            ));
        }
    }
    match (function, call.args.as_slice()) {
        ("_load", [file]) => {
            let file = r.str(file)?;
            r.load_array::<A>(file, expr.pos, ndim)
        }
        ("asfortranarray", [inner]) => {
            let c = read_array::<A>(inner, r, ndim)?;
            let data: Vec<A> = c.t().iter().copied().collect();
            Ok(Array::from_shape_vec(c.raw_dim().f(), data).expect("the shape of the data read"))
        }
        ("zeros", [shape]) => {
            let shape = r.sequence(shape).and_then(|dims| {
                dims.iter()
                    .map(|d| r.int::<usize>(d))
                    .collect::<Result<Vec<_>, _>>()
            })?;
            // Hand-written shapes are bounded: an archive must not make us allocate without limit.
            let count = shape.iter().try_fold(1usize, |acc, &n| acc.checked_mul(n));
            match count {
                Some(n) if n <= MAX_ZEROS => Ok(Array::from_elem(IxDyn(&shape), A::default())),
                _ => Err(ReadError::new(
                    ReadErrorKind::Array(format!(
                        "`_np.zeros` of shape {shape:?} is larger than {MAX_ZEROS} elements; store large arrays in files"
                    )),
                    expr.pos,
                )),
            }
        }
        ("array", [data]) if dtype.is_some() => {
            let mut shape = Vec::new();
            let mut probe = r.resolve(data)?;
            while let ExprKind::List(items) | ExprKind::Tuple(items) = &probe.kind {
                shape.push(items.len());
                match items.first() {
                    Some(first) => probe = r.resolve(first)?,
                    None => break,
                }
            }
            // The shape is guessed from first elements, which names may repeat: its product is
            // checked, and the values are counted against the read's budget as they are read,
            // so capacity is only reserved up to a small bound.
            let Some(count) = shape.iter().try_fold(1usize, |acc, &n| acc.checked_mul(n)) else {
                return Err(ReadError::new(
                    ReadErrorKind::Array(format!(
                        "an inline array of shape {shape:?}, more elements than can exist"
                    )),
                    expr.pos,
                ));
            };
            let mut values = Vec::with_capacity(count.min(1 << 16));
            collect_elements(data, &shape, r, &mut values)?;
            Ok(Array::from_shape_vec(IxDyn(&shape), values).expect("the shape was checked"))
        }
        _ => Err(ReadError::expected(
            "`_np.array(data, dtype=...)`, `_np.zeros(shape, dtype=...)`, `_np.asfortranarray(...)` or `_load(file)`",
            describe_expr(expr),
            expr.pos,
        )),
    }
}

/// Append the elements of nested lists in C order, checking that every level has its length.
fn collect_elements<'m, A: Persist>(
    expr: &'m Expr,
    shape: &[usize],
    r: &mut Reader<'m>,
    out: &mut Vec<A>,
) -> Result<(), ReadError> {
    let Some((&len, rest)) = shape.split_first() else {
        out.push(A::from_python(expr, r)?);
        return Ok(());
    };
    let items = r.sequence(expr)?;
    if items.len() != len {
        return Err(ReadError::new(
            ReadErrorKind::Array(format!(
                "a ragged array: a row of {} elements where {len} were expected",
                items.len()
            )),
            expr.pos,
        ));
    }
    for item in items {
        collect_elements(item, rest, r, out)?;
    }
    Ok(())
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
