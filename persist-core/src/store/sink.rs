//! [`ArraySink`]: where the arrays of an archive go while it is written (inline in the source, or
//! the store the archive was saved with), and what the source then needs from the store (its
//! `_load` helper, its header line, the oldest format that holds its files).

use ndarray::{ArrayBase, Data, Dimension};

use super::npy::NpyStore;
use super::traits::StoreLayout as _;
use super::{ArrayStore, Open, Place, stream};
use crate::array::Element;
use crate::error::{ArchiveError, WriteError};

/// Where the arrays of an archive go while it is written.
#[derive(Debug)]
pub(crate) enum ArraySink {
    /// Every array inline in the source.
    Inline,
    /// Arrays above `threshold` elements in a store, whose file Python finds with `path_expr`.
    External {
        open: Box<Open>,
        threshold: usize,
        path_expr: String,
        /// The arrays streamed into the store (`archive/build.rs`); empty when saving whole.
        book: stream::SharedBook,
        /// The store's file has its [`second_name`] (format 7).
        second: bool,
    },
}

impl ArraySink {
    /// The sink of an archive whose source is at `place` (the staging folder that becomes the
    /// package, or holds the module's files until they are renamed into place).
    pub(crate) fn for_save(
        store: &ArrayStore,
        place: &Place,
        threshold: usize,
        sync: bool,
    ) -> Self {
        let (open, file_name) = Open::create(store, place, sync);
        ArraySink::External {
            open: Box::new(open),
            threshold,
            path_expr: crate::format::helpers::beside_source(&file_name),
            book: Default::default(),
            second: place.second,
        }
    }

    /// Store `array` externally if this sink does so for its size; the name `_load` takes if it
    /// did.
    pub(crate) fn store<A, S, D>(
        &mut self,
        path: impl FnOnce() -> Vec<String>,
        array: &ArrayBase<S, D>,
    ) -> Result<Option<String>, WriteError>
    where
        A: Element,
        S: Data<Elem = A>,
        D: Dimension,
    {
        match self {
            ArraySink::External {
                open, threshold, ..
            } if array.len() > *threshold => open.store(&path(), array).map(Some),
            _ => Ok(None),
        }
    }

    /// Store a column of a record table in the store whatever its size (the table was chosen by
    /// its number of rows); `None` for an inline sink, which writes columns as list literals.
    pub(crate) fn store_column<A, S, D>(
        &mut self,
        path: &[String],
        array: &ArrayBase<S, D>,
    ) -> Result<Option<String>, WriteError>
    where
        A: Element,
        S: Data<Elem = A>,
        D: Dimension,
    {
        match self {
            ArraySink::External { open, .. } => open.store(path, array).map(Some),
            ArraySink::Inline => Ok(None),
        }
    }

    /// Whether arrays may go to a store (else every array and column is written inline).
    pub(crate) fn is_external(&self) -> bool {
        matches!(self, ArraySink::External { .. })
    }

    /// Python lines defining `_load(name)` (and what it needs), if any array was stored.
    pub(crate) fn loader(&self) -> Option<String> {
        match self {
            ArraySink::External {
                open, path_expr, ..
            } if open.has_files() => Some(open.loader(path_expr)),
            _ => None,
        }
    }

    /// The helper names [`loader`](ArraySink::loader) defines.
    pub(crate) fn loader_names(&self) -> &'static [&'static str] {
        match self {
            ArraySink::External { open, .. } => open.loader_names(),
            ArraySink::Inline => NpyStore::LOADER_NAMES,
        }
    }

    /// What Python needs to import the archive, as its header says it.
    pub(crate) fn needs(&self) -> &'static str {
        match self {
            ArraySink::External { open, .. } if open.has_files() => open.needs(),
            _ => NpyStore::NEEDS,
        }
    }

    /// The oldest archive format that holds the arrays stored so far.
    pub(crate) fn first_format(&self) -> u32 {
        match self {
            ArraySink::External { open, second, .. } if open.has_files() => {
                let named = if *second {
                    crate::format::FORMAT_WITH_SECOND_NAMES
                } else {
                    1
                };
                open.first_format().max(named)
            }
            _ => 1,
        }
    }

    /// Finish writing: close and sync what is still open. Whether any array went to a file.
    pub(crate) fn close(self) -> Result<bool, ArchiveError> {
        match self {
            ArraySink::Inline => Ok(false),
            ArraySink::External { open, .. } => open.close(),
        }
    }
}

impl ArraySink {
    /// The writer meets `streamed` in a value: the name `_load` takes, if it is a finished
    /// stream of this sink's build.
    pub(crate) fn claim_stream(&mut self, streamed: &stream::Streamed) -> Result<String, String> {
        match self {
            ArraySink::External { book, .. } => stream::claim(Some(book), streamed),
            ArraySink::Inline => stream::claim(None, streamed),
        }
    }

    /// A stream of this sink's build that is not finished or not in any item: its name and
    /// what to do, if any. Saving such a build would lose or hide data.
    pub(crate) fn unfinished_stream(&self) -> Option<(String, String)> {
        match self {
            ArraySink::External { book, .. } => stream::unfinished(book),
            ArraySink::Inline => None,
        }
    }

    /// The book of the arrays streamed into this sink (a new one for a build).
    pub(crate) fn book(&mut self) -> Option<stream::SharedBook> {
        match self {
            ArraySink::External { book, .. } => Some(stream::for_build(book)),
            ArraySink::Inline => None,
        }
    }

    /// See [`Open::stream`]; an inline sink cannot stream.
    pub(crate) fn stream<A: Element>(
        &mut self,
        path: &[String],
        row_shape: &[usize],
        rows: Option<usize>,
    ) -> Result<(String, stream::Slabs<A>), String> {
        match self {
            ArraySink::External { open, .. } => open.stream(path, row_shape, rows),
            ArraySink::Inline => Err("an archive written inline has no array store".into()),
        }
    }
}
