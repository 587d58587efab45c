//! ndarray arrays: every element type, every dimension, both memory orders, views, empty arrays,
//! the inline/external threshold and the names and places of external `.npy` files.
//!
//! This module holds `arange`, which the layout and file tests both use.

mod dtypes;
mod files;
mod layout;
mod mmap;

use ndarray::Array;

/// `[[0, 1, ...], ...]` numbered in C order, as numpy's `arange(n).reshape(shape)`.
fn arange<D: ndarray::Dimension>(shape: D) -> Array<i64, D> {
    let n = shape.size() as i64;
    Array::from_shape_vec(shape, (0..n).collect()).unwrap()
}
