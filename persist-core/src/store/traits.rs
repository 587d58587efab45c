//! The store traits, split as zarrs and ndarray-npy split theirs: [`StoreLayout`] is what the
//! writer, the reader and the verifier agree on about a store (the helper names and `_load`
//! texts it emits, its file name, what the header says Python needs), [`WriteStore`] writes
//! arrays while an archive is saved, [`ReadStore`] reads and checks them. `registry.rs` lists
//! the stores that implement them.

use std::path::{Path, PathBuf};

use ndarray::{ArrayBase, ArrayD, Data, Dimension};
use ndarray_npy::ReadableElement;

use super::stream::Slabs;
use super::{ArrayStore, StoreError, StoreLimits};
use crate::array::Element;
use crate::error::{ArchiveError, WriteError};

/// What a store declares about its files and its Python text, shared by its writing and reading
/// sides (and by its stand-in when its cargo feature is off): the verifier accepts an archive's
/// helpers by these alone.
pub(crate) trait StoreLayout {
    /// The store's name in messages: "npy", "HDF5".
    const WHAT: &'static str;
    /// The helper value its loader binds to the path of its file or folder (`_arrays`).
    const PATH_NAME: &'static str;
    /// Every helper name its loader binds: reserved while writing, deleted at the module's end.
    const LOADER_NAMES: &'static [&'static str];
    /// What the header says Python needs for an archive with arrays in this store.
    const NEEDS: &'static str;
    /// The first archive format with this store: an archive with arrays in it is written in
    /// this format at least.
    const FIRST_FORMAT: u32 = crate::format::OLDEST_FORMAT;
    /// The call its path helper value may be wrapped in (the lazy HDF5 store binds
    /// `_data = _h5py.File(<path>, 'r')`); `None`: only the path itself.
    const OPENER: Option<Opener> = None;
    /// The `_load` definitions its loader may emit in an archive of format `format`: what the
    /// verifier compares an archive's `def _load` with, token by token.
    fn load_defs(format: u32) -> &'static [&'static str];
    /// The name of its file or folder beside the source: `base` is `NAME` for a module (or
    /// `ITEM` for a DataSet item, `item`), empty for a package.
    fn file_name(base: &str, item: bool) -> String;
    /// The most bytes one array may take in memory once read, from the reader's limits; `None`
    /// where the store's files bound their arrays (the default).
    fn max_bytes(_limits: &StoreLimits) -> Option<u64> {
        None
    }
}

/// A call a store's path helper value may be wrapped in: `_h5py.File(<path>, 'r')`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Opener {
    /// The dotted callee: `_h5py.File`.
    pub call: &'static str,
    /// The one string argument after the path: `r`.
    pub mode: &'static str,
    /// The helper module the call needs imported, as (alias, module): `("_h5py", "h5py")`.
    pub module: (&'static str, &'static str),
}

/// The writing side of a store: one value per save, writing into the archive's staging folder.
pub(crate) trait WriteStore: StoreLayout + Sized {
    /// What the user sets when choosing the store (the payload of its [`ArrayStore`] variant).
    type Options;
    /// The options of this store if the user's `choice` is this store; `None` otherwise.
    fn chosen(choice: &ArrayStore) -> Option<Self::Options>;
    /// A store writing into `path` (inside the staging folder of the archive being saved).
    fn create(path: PathBuf, options: &Self::Options, sync: bool) -> Self;
    /// The first format holding what this store wrote (its options may need a newer format
    /// than [`FIRST_FORMAT`](StoreLayout::FIRST_FORMAT)).
    fn format(&self) -> u32 {
        Self::FIRST_FORMAT
    }
    /// Write `array` under a name made from the item path `path`; the name `_load` takes.
    fn store<A, S, D>(
        &mut self,
        path: &[String],
        array: &ArrayBase<S, D>,
    ) -> Result<String, WriteError>
    where
        A: Element,
        S: Data<Elem = A>,
        D: Dimension;
    /// Whether any array was written.
    fn has_files(&self) -> bool;
    /// Python lines: imports, `PATH_NAME = <path_expr>` (the file at import time), the `_load`
    /// definition.
    fn loader(&self, path_expr: &str) -> String;
    /// Finish writing: close and sync. Whether any array was written.
    fn close(self) -> Result<bool, ArchiveError>;
    /// Start streaming an array of `A` for the item path `path`, rows of `row_shape`, `rows`
    /// rows if known: its name in the store and its sink. By default a store cannot stream.
    fn stream<A: Element>(
        &mut self,
        _path: &[String],
        _row_shape: &[usize],
        _rows: Option<usize>,
    ) -> Result<(String, Slabs<A>), String> {
        Err(format!(
            "the {} store cannot stream an array; stream with ArrayStore::Npy, Hdf5 or Zarr",
            Self::WHAT
        ))
    }
}

/// The reading side of a store: an array read back, or checked without reading its data, from
/// the store's file or folder `path` beside an archive's source.
pub(crate) trait ReadStore: StoreLayout {
    /// Read the array `name` of the file or folder `path`, with dtype `A` and (when given)
    /// `ndim` dimensions, refusing links, files that announce more data than they hold and
    /// sizes above `max_bytes` (where the store has such a limit).
    fn read<A: Element + ReadableElement>(
        path: &Path,
        name: &str,
        ndim: Option<usize>,
        max_bytes: Option<u64>,
    ) -> Result<ArrayD<A>, StoreError>;
    /// What [`verify`](crate::verify) checks of the array `name` without reading its data; the
    /// file checked.
    fn check(path: &Path, name: &str, max_bytes: Option<u64>) -> Result<PathBuf, StoreError>;
}

/// `impl StoreLayout for $store` taking every item from `$layout` (a store with a cargo feature
/// shares its layout with its stand-in).
macro_rules! layout_of {
    ([$($generics:tt)*] $store:ty => $layout:ty) => {
        impl<$($generics)*> $crate::store::traits::StoreLayout for $store {
            const WHAT: &'static str = <$layout as $crate::store::traits::StoreLayout>::WHAT;
            const PATH_NAME: &'static str =
                <$layout as $crate::store::traits::StoreLayout>::PATH_NAME;
            const LOADER_NAMES: &'static [&'static str] =
                <$layout as $crate::store::traits::StoreLayout>::LOADER_NAMES;
            const NEEDS: &'static str = <$layout as $crate::store::traits::StoreLayout>::NEEDS;
            const FIRST_FORMAT: u32 =
                <$layout as $crate::store::traits::StoreLayout>::FIRST_FORMAT;
            const OPENER: Option<$crate::store::traits::Opener> =
                <$layout as $crate::store::traits::StoreLayout>::OPENER;
            fn load_defs(format: u32) -> &'static [&'static str] {
                <$layout as $crate::store::traits::StoreLayout>::load_defs(format)
            }
            fn file_name(base: &str, item: bool) -> String {
                <$layout as $crate::store::traits::StoreLayout>::file_name(base, item)
            }
            fn max_bytes(limits: &$crate::store::StoreLimits) -> Option<u64> {
                <$layout as $crate::store::traits::StoreLayout>::max_bytes(limits)
            }
        }
    };
}
pub(crate) use layout_of;
