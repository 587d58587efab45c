//! Arrays as the reader sees them: [`Reader::array`] interprets the archive's array
//! expressions (inline `_np.array(...)`, `_np.zeros(...)`, `_np.asfortranarray(...)`, and
//! `_load('file')` of the array store) into an owned array of dynamic dimension.

use ndarray::{Array, IxDyn, ShapeBuilder};
use ndarray_npy::ReadableElement;

use super::table::place::Place;
use super::value::Value;
use super::{ReadError, ReadErrorKind, Reader, describe_expr};
use crate::array::Element;
use crate::persist::Persist;
use crate::python::ast::{Expr, ExprKind};

/// The most elements `_np.zeros(...)` in an archive may ask for (the writer only writes it for
/// empty arrays; a person may write small ones).
const MAX_ZEROS: usize = 1 << 24;

impl<'m> Reader<'m> {
    /// An array of dynamic dimension: `_np.array(...)`, `_np.zeros(...)`,
    /// `_np.asfortranarray(...)` or `_load('file')` of the archive's array store, with the dtype
    /// checked. `ndim`, when known, is checked against an external file's header before its
    /// data is read.
    pub(crate) fn array<A>(
        &mut self,
        value: Value<'m>,
        ndim: Option<usize>,
    ) -> Result<Array<A, IxDyn>, ReadError>
    where
        A: Element + Persist + ReadableElement + Default,
    {
        match self.place(value)? {
            Place::Expr(expr) => read_array(expr, self, ndim),
            Place::Cell(cell) => Err(ReadError::expected("an array", cell.describe(), cell.pos)),
            Place::Row => Err(super::table::place::row_found("an array", value)),
        }
    }
}

/// Read any array expression as an array of dynamic dimension.
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
        let given = r.str(Value::expr(&kw.value))?;
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
            let file = r.str(Value::expr(file))?;
            r.load_array::<A>(file, expr.pos, ndim)
        }
        ("asfortranarray", [inner]) => {
            let c = read_array::<A>(inner, r, ndim)?;
            let data: Vec<A> = c.t().iter().copied().collect();
            Ok(Array::from_shape_vec(c.raw_dim().f(), data).expect("the shape of the data read"))
        }
        ("zeros", [shape]) => {
            let shape = r.sequence(Value::expr(shape)).and_then(|dims| {
                dims.map(|d| r.int::<usize>(d))
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
        out.push(A::from_python(Value::expr(expr), r)?);
        return Ok(());
    };
    let items = r.sequence_expr(expr)?;
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
