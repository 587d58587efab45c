//! The stand-in of a store whose cargo feature is off (`hdf5`, `zarr`): archives using that
//! store still open (their `_load` is the writer's and is recognised), and reading or verifying
//! an array is a clear error naming the feature. Nothing can be written with it: the store's
//! `ArrayStore` variant needs the feature.
//!
//! What a store and its stand-in agree on (names, helper texts, file names) is its
//! [`StoreLayout`], so an archive is recognised the same with the feature and without. The
//! stand-in is never chosen: its options are uninhabited.

// With every feature on, no store needs a stand-in.
#![cfg_attr(all(feature = "hdf5", feature = "zarr"), allow(dead_code))]

use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use ndarray::{ArrayBase, ArrayD, Data, Dimension};
use ndarray_npy::ReadableElement;

use super::StoreError;
use super::traits::{ReadStore, StoreLayout, WriteStore, layout_of};
use super::{ArrayStore, stream::Slabs};
use crate::array::Element;
use crate::error::{ArchiveError, WriteError};
use crate::python::encoding::excerpt;

/// A store behind a cargo feature: its layout (shared with its stand-in) and the feature.
pub(crate) trait Gated: StoreLayout {
    /// The cargo feature that builds the store.
    const FEATURE: &'static str;
}

/// Never built: there is no `ArrayStore` variant for it.
#[derive(Debug)]
pub(crate) struct Missing<L> {
    never: std::convert::Infallible,
    layout: PhantomData<L>,
}

layout_of!([L: Gated] Missing<L> => L);

impl<L: Gated> WriteStore for Missing<L> {
    /// No options: there is no `ArrayStore` variant of this store without its feature.
    type Options = std::convert::Infallible;

    fn chosen(_: &ArrayStore) -> Option<Self::Options> {
        None
    }

    fn create(_: PathBuf, options: &Self::Options, _: bool) -> Self {
        match *options {}
    }

    fn store<A, S, D>(&mut self, _: &[String], _: &ArrayBase<S, D>) -> Result<String, WriteError>
    where
        A: Element,
        S: Data<Elem = A>,
        D: Dimension,
    {
        match self.never {}
    }

    fn has_files(&self) -> bool {
        match self.never {}
    }

    fn loader(&self, _: &str) -> String {
        match self.never {}
    }

    fn close(self) -> Result<bool, ArchiveError> {
        match self.never {}
    }

    fn stream<A: Element>(
        &mut self,
        _: &[String],
        _: &[usize],
        _: Option<usize>,
    ) -> Result<(String, Slabs<A>), String> {
        match self.never {}
    }
}

impl<L: Gated> ReadStore for Missing<L> {
    fn read<A: Element + ReadableElement>(
        path: &Path,
        name: &str,
        _: Option<usize>,
        _: Option<u64>,
    ) -> Result<ArrayD<A>, StoreError> {
        Err(StoreError::NeedsFeature {
            path: path.join(excerpt(name)),
            store: L::WHAT,
            feature: L::FEATURE,
            action: "read",
        })
    }

    fn check(path: &Path, name: &str, _: Option<u64>) -> Result<PathBuf, StoreError> {
        Err(StoreError::NeedsFeature {
            path: path.join(excerpt(name)),
            store: L::WHAT,
            feature: L::FEATURE,
            action: "check",
        })
    }
}
