//! [`Persist`](crate::Persist) for the standard library, `num-complex` and `ndarray`.

mod array;
mod collection;
mod pointer;
mod scalar;
