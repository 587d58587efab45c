//! The registry of every store: `registry!` lists each store once and generates [`StoreKind`]
//! (a store by name, as the reader finds it in a source) and [`Open`] (a store being written),
//! which dispatch to the store traits of `traits.rs`. Adding a store is one module implementing
//! those traits and one line in the `registry!` call at the end of this file.

use std::path::PathBuf;

use ndarray::{ArrayBase, ArrayD, Data, Dimension};
use ndarray_npy::ReadableElement;

use super::stream::Slabs;
use super::traits::{Opener, ReadStore, StoreLayout, WriteStore};
use super::{ArrayStore, Place, StoreError, StoreLimits};
use crate::array::Element;
use crate::error::{ArchiveError, WriteError};

/// The registry: every store by variant name and type. Generates [`StoreKind`] and [`Open`],
/// dispatching to the traits.
macro_rules! registry {
    // A store whose module only the registry names (a test store): its module is declared here.
    (@module [$($attr:tt)*] $module:ident $file:literal) => {
        $($attr)* #[path = $file] mod $module;
    };
    (@module [$($attr:tt)*]) => {};
    ($($(#[$cfg:meta])* $kind:ident($store:ty) $(in $module:ident = $file:literal)?),* $(,)?) => {
        $(registry!(@module [$(#[$cfg])*] $($module $file)?);)*

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
            /// The store of the user's `choice`, writing into its file or folder at `place`, and
            /// that file's name.
            pub(crate) fn create(choice: &ArrayStore, place: &Place, sync: bool) -> (Self, String) {
                $($(#[$cfg])* if let Some(options) = <$store>::chosen(choice) {
                    let name = place.file_name(StoreKind::$kind);
                    let open = <$store>::create(place.dir.join(&name), &options, sync);
                    return (Open::$kind(open), name);
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
    #[cfg(test)]
    Memory(memory::MemoryStore) in memory = "memory.rs",
}
