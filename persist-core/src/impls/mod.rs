//! [`Persist`](crate::Persist) for the standard library, `num-complex` and `ndarray`.

mod array;

pub use array::ArrayStorage;
mod collection;
mod key;
mod pointer;
mod result;
mod scalar;
mod time;
mod with;
mod wrapper;
pub use with::WriteWith;
