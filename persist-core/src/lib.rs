//! Archive Rust values as importable Python packages.
//!
//! `#[derive(Persist)]` on your types, one call to save, and a colleague can `import` the archive
//! in Python with nothing but numpy; a person can fix it in a text editor. Large arrays go to
//! `.npy` files beside the source.
//!
//! ```no_run
//! use persist_core::{Archive, Persist, SaveOptions};
//!
//! #[derive(Persist)]
//! struct Params { alpha: f64, steps: u32 }
//!
//! let params = Params { alpha: 0.5, steps: 100 };
//! let mut archive = Archive::new();
//! archive.insert("params", &params)?;
//! archive.save("run_1", SaveOptions::package())?;
//! // $ python3 -c "import run_1; print(run_1.params)"
//! // Params(alpha=0.5, steps=100)
//! # Ok::<(), persist_core::ArchiveError>(())
//! ```
//!
//! # API map
//! - [`Persist`]: a value that can be written as Python source; derive it with
//!   `#[derive(Persist)]` (feature `derive`, on by default).
//! - [`Archive`], [`SaveOptions`]: named values saved as a module (`NAME.py`) or a
//!   package (`NAME/__init__.py`), atomically.
//! - [`Writer`], [`Container`], [`Record`], [`RecordKind`]: what a hand-written [`Persist`] impl
//!   uses.
//! - [`ArrayStore`] (and `Hdf5Options`, feature `hdf5`): where an archive's large arrays go,
//!   `.npy` files, one `.npz` file or one HDF5 file.
//! - [`Element`], [`Elements`]: the array element types numpy can hold.
//! - [`ArchiveReader`], [`ReadSession`], [`load`], [`from_str`]: read items back by parsing the
//!   archive, never executing it; [`verify`] checks every file Python would run.
//! - The reading layer, what a hand-written [`Persist::from_python`] uses: a [`Value`] of the
//!   archive, interpreted with the [`Reader`]'s accessors ([`Kind`], [`Seq`], [`Entries`],
//!   [`RecordArgs`], [`ClassRef`]); [`Pos`] says where a value is in the source.
//! - [`WriteError`], [`ArchiveError`], [`ReadError`], [`LoadError`]: what can go wrong.
//!
//! # How Rust values map to Python
//! | Rust | Python |
//! |---|---|
//! | `bool`, integers of every width, `f32`, `f64` | `bool`, `int`, `float` (exact, inf and -0.0 too; a NaN keeps neither sign nor payload) |
//! | `char`, `String`, `&str`, `Cow<str>`, `PathBuf`, `Path` | `str` |
//! | `Option<T>`, `()` | the value or `None`, `None` |
//! | `Vec`, `VecDeque`, `LinkedList`, slices, `[T; N]` | `list` |
//! | tuples (up to 12) | `tuple` |
//! | `HashMap`, `BTreeMap` | `dict` |
//! | `HashSet`, `BTreeSet` | `set` |
//! | `Box`, `&T`, `Rc`, `Arc` | the inner value; a shared `Rc`/`Arc` is written once (`a.x is a.y`) |
//! | `Cell`, `RefCell`, `Mutex`, `RwLock`, `Wrapping`, `Reverse` | the inner value (a `RefCell` borrowed mutably or a poisoned lock is an error when writing) |
//! | `PhantomData` | `None` |
//! | `num_complex::Complex<f32/f64>` | `complex` |
//! | `ndarray` arrays of `bool`, `i8`–`i64`, `u8`–`u64`, `f32`, `f64`, complex | `numpy.ndarray`, same dtype, shape and order |
//! | structs, tuple structs, unit structs | objects with attribute access, `==` and a repr showing the type name |
//! | enums | the same, one class per variant, shown as `Enum.Variant(...)` |

#![warn(missing_docs)]

mod python;

mod archive;
mod array;
pub mod bytes;
mod dataset;
mod error;
mod format;
mod impls;
mod persist;
mod platform;
mod read;
mod record;
#[cfg(feature = "serde")]
pub mod serde_bridge;
mod store;
mod verify;
mod write;

pub use archive::{Archive, ArrayStream, Build, DEFAULT_ARRAY_THRESHOLD, IntoItem, SaveOptions};
pub use array::{Element, Elements};
pub use dataset::{DATASET_MARKER, DEFAULT_LOCK_TIMEOUT, DataSet, DataSetError};
pub use error::{ArchiveError, PathSegment, WriteError, WriteErrorKind};
pub use format::FORMAT_VERSION;
pub use impls::ArrayStorage;
pub use persist::Persist;
#[cfg(feature = "derive")]
pub use persist_derive::Persist;
pub use python::Integer;
pub use python::ast::Pos;
pub use python::error::ParseError;
pub use read::{
    ArchiveReader, ClassRef, Entries, Kind, LoadError, ReadError, ReadErrorKind, ReadOptions,
    ReadSession, Reader, RecordArgs, Seq, Value, from_str, load,
};
pub use record::{Column, ColumnType, Record, RecordKind};
pub use store::ArrayStore;
pub use store::stream::Streamed;
#[cfg(feature = "hdf5")]
pub use store::{HDF5_MAX_EXPANSION, HDF5_MIN_READ_LIMIT, Hdf5Options};
#[cfg(feature = "zarr")]
pub use store::{
    ZARR_MAX_CHUNK_BYTES, ZARR_MAX_CHUNKS, ZARR_READ_LIMIT, ZarrCompression, ZarrOptions, ZarrPart,
    ZarrParts,
};
pub use verify::{Verified, verify};
pub use write::{Container, Writer};

/// What this crate's own tests, fuzz targets, derive and Python package reach that is not part
/// of the API: the parser and its syntax tree, and the `persist-check` command line. Not
/// covered by semver; do not use.
#[doc(hidden)]
pub mod __private {
    pub use crate::format::helpers::RECORD_HELPER_V5;
    pub use crate::impls::WriteWith;
    pub use crate::python::ast;
    pub use crate::python::parser;
    pub use crate::python::parser::{parse_expression, parse_module};
    pub use crate::verify::command::{USAGE as PERSIST_CHECK_USAGE, run as persist_check};
}
