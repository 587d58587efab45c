//! The store traits and the registry of every store. A store's knowledge is split as zarrs and
//! ndarray-npy split theirs: [`StoreLayout`] is what the writer, the reader and the verifier
//! agree on (the helper names and `_load` texts it emits, its file name, the header's needs),
//! [`WriteStore`] writes arrays while an archive is saved, [`ReadStore`] reads and checks them.
//! `registry!` lists each store once and generates [`StoreKind`] (a store by name, as the
//! reader finds it in a source) and [`Open`] (a store being written), which dispatch to the
//! traits. Adding a store is one module implementing the three traits and one line in the
//! `registry!` call at the end of this file.

use std::path::{Path, PathBuf};

use ndarray::{ArrayBase, ArrayD, Data, Dimension};
use ndarray_npy::ReadableElement;

use super::stream::Slabs;
use super::{ArrayStore, Place, StoreError, StoreLimits};
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
        impl<$($generics)*> $crate::store::registry::StoreLayout for $store {
            const WHAT: &'static str = <$layout as $crate::store::registry::StoreLayout>::WHAT;
            const PATH_NAME: &'static str =
                <$layout as $crate::store::registry::StoreLayout>::PATH_NAME;
            const LOADER_NAMES: &'static [&'static str] =
                <$layout as $crate::store::registry::StoreLayout>::LOADER_NAMES;
            const NEEDS: &'static str = <$layout as $crate::store::registry::StoreLayout>::NEEDS;
            const FIRST_FORMAT: u32 =
                <$layout as $crate::store::registry::StoreLayout>::FIRST_FORMAT;
            const OPENER: Option<$crate::store::registry::Opener> =
                <$layout as $crate::store::registry::StoreLayout>::OPENER;
            fn load_defs(format: u32) -> &'static [&'static str] {
                <$layout as $crate::store::registry::StoreLayout>::load_defs(format)
            }
            fn file_name(base: &str, item: bool) -> String {
                <$layout as $crate::store::registry::StoreLayout>::file_name(base, item)
            }
            fn max_bytes(limits: &$crate::store::StoreLimits) -> Option<u64> {
                <$layout as $crate::store::registry::StoreLayout>::max_bytes(limits)
            }
        }
    };
}
pub(crate) use layout_of;

/// The registry: every store by variant name and type. Generates [`StoreKind`] and [`Open`],
/// dispatching to the traits.
macro_rules! registry {
    ($($(#[$cfg:meta])* $kind:ident($store:ty)),* $(,)?) => {
        /// A registered store, as the reader decides it from an archive's source.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum StoreKind {
            $($(#[$cfg])* $kind,)*
        }

        impl StoreKind {
            /// Every registered store.
            pub(crate) const ALL: &'static [StoreKind] = &[$($(#[$cfg])* StoreKind::$kind,)*];

            /// See [`StoreLayout::WHAT`].
            pub(crate) fn what(self) -> &'static str {
                match self { $($(#[$cfg])* StoreKind::$kind => <$store>::WHAT,)* }
            }

            /// See [`StoreLayout::PATH_NAME`].
            pub(crate) fn path_name(self) -> &'static str {
                match self { $($(#[$cfg])* StoreKind::$kind => <$store>::PATH_NAME,)* }
            }

            /// See [`StoreLayout::OPENER`].
            pub(crate) fn opener(self) -> Option<Opener> {
                match self { $($(#[$cfg])* StoreKind::$kind => <$store>::OPENER,)* }
            }

            /// See [`StoreLayout::load_defs`].
            pub(crate) fn load_defs(self, format: u32) -> &'static [&'static str] {
                match self { $($(#[$cfg])* StoreKind::$kind => <$store>::load_defs(format),)* }
            }

            /// See [`StoreLayout::file_name`].
            pub(crate) fn file_name(self, base: &str, item: bool) -> String {
                match self { $($(#[$cfg])* StoreKind::$kind => <$store>::file_name(base, item),)* }
            }

            /// See [`StoreLayout::max_bytes`].
            fn max_bytes(self, limits: &StoreLimits) -> Option<u64> {
                match self { $($(#[$cfg])* StoreKind::$kind => <$store>::max_bytes(limits),)* }
            }

            /// See [`ReadStore::read`]: the array `name` of this store's file at `place`.
            pub(crate) fn read<A: Element + ReadableElement>(
                self,
                place: &Place,
                name: &str,
                ndim: Option<usize>,
                limits: &StoreLimits,
            ) -> Result<ArrayD<A>, StoreError> {
                let path = place.path_of(self);
                let max_bytes = self.max_bytes(limits);
                match self {
                    $($(#[$cfg])* StoreKind::$kind => <$store>::read(&path, name, ndim, max_bytes),)*
                }
            }

            /// See [`ReadStore::check`].
            pub(crate) fn check(
                self,
                place: &Place,
                name: &str,
                limits: &StoreLimits,
            ) -> Result<PathBuf, StoreError> {
                let path = place.path_of(self);
                let max_bytes = self.max_bytes(limits);
                match self {
                    $($(#[$cfg])* StoreKind::$kind => <$store>::check(&path, name, max_bytes),)*
                }
            }

            /// The store of the user's `choice`.
            pub(crate) fn chosen(choice: &ArrayStore) -> StoreKind {
                $($(#[$cfg])* if <$store>::chosen(choice).is_some() {
                    return StoreKind::$kind;
                })*
                unreachable!("every ArrayStore is some registered store's choice: {choice:?}")
            }
        }

        /// A store being written: one per save, behind the `Box` of
        /// [`ArraySink`](super::ArraySink).
        #[derive(Debug)]
        // Without the `hdf5` feature, `Hdf5` holds the uninhabited stand-in: never built.
        #[allow(clippy::large_enum_variant, dead_code)]
        pub(crate) enum Open {
            $($(#[$cfg])* $kind($store),)*
        }

        impl Open {
            /// The store of the user's `choice`, writing into the file or folder `path`.
            pub(crate) fn create(choice: &ArrayStore, path: PathBuf, sync: bool) -> Self {
                $($(#[$cfg])* if let Some(options) = <$store>::chosen(choice) {
                    return Open::$kind(<$store>::create(path, &options, sync));
                })*
                unreachable!("every ArrayStore is some registered store's choice: {choice:?}")
            }

            pub(crate) fn store<A, S, D>(
                &mut self,
                path: &[String],
                array: &ArrayBase<S, D>,
            ) -> Result<String, WriteError>
            where
                A: Element,
                S: Data<Elem = A>,
                D: Dimension,
            {
                match self { $($(#[$cfg])* Open::$kind(s) => s.store(path, array),)* }
            }

            pub(crate) fn has_files(&self) -> bool {
                match self { $($(#[$cfg])* Open::$kind(s) => s.has_files(),)* }
            }

            pub(crate) fn loader(&self, path_expr: &str) -> String {
                match self { $($(#[$cfg])* Open::$kind(s) => s.loader(path_expr),)* }
            }

            pub(crate) fn loader_names(&self) -> &'static [&'static str] {
                match self { $($(#[$cfg])* Open::$kind(_) => <$store>::LOADER_NAMES,)* }
            }

            pub(crate) fn needs(&self) -> &'static str {
                match self { $($(#[$cfg])* Open::$kind(_) => <$store>::NEEDS,)* }
            }

            pub(crate) fn first_format(&self) -> u32 {
                match self { $($(#[$cfg])* Open::$kind(s) => s.format(),)* }
            }

            pub(crate) fn close(self) -> Result<bool, ArchiveError> {
                match self { $($(#[$cfg])* Open::$kind(s) => s.close(),)* }
            }

            /// See [`WriteStore::stream`].
            pub(crate) fn stream<A: Element>(
                &mut self,
                path: &[String],
                row_shape: &[usize],
                rows: Option<usize>,
            ) -> Result<(String, Slabs<A>), String> {
                match self { $($(#[$cfg])* Open::$kind(s) => s.stream(path, row_shape, rows),)* }
            }
        }
    };
}

// Without its feature, `Hdf5Store` or `ZarrStore` is a stand-in that reads nothing and is never
// chosen (`missing.rs`).
registry! {
    Npy(super::npy::NpyStore),
    Npz(super::npz::NpzStore),
    Hdf5(super::Hdf5Store),
    Zarr(super::ZarrStore),
}
