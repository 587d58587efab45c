//! The stand-in of a store whose cargo feature is off (`hdf5`, `zarr`): archives using that
//! store still open (their `_load` is the writer's and is recognised), and reading or verifying
//! an array is a clear error naming the feature. Nothing can be written with it: the store's
//! `ArrayStore` variant needs the feature.
//!
//! What a store and its stand-in agree on (names, helper texts, file names) is its
//! [`StoreLayout`], so an archive is recognised the same with the feature and without.

// With every feature on, no store needs a stand-in.
#![cfg_attr(all(feature = "hdf5", feature = "zarr"), allow(dead_code))]

use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use ndarray::{ArrayBase, ArrayD, Data, Dimension};
use ndarray_npy::ReadableElement;

use super::{Store, StoreError};
use crate::array::Element;
use crate::error::{ArchiveError, WriteError};
use crate::python::encoding::excerpt;

/// What a store with a cargo feature and its stand-in without it share.
pub(crate) trait StoreLayout {
    /// The cargo feature that builds the store.
    const FEATURE: &'static str;
    /// What the store keeps, for messages: "HDF5", "Zarr".
    const WHAT: &'static str;
    /// See [`Store::PATH_NAME`].
    const PATH_NAME: &'static str;
    /// See [`Store::LOADER_NAMES`].
    const LOADER_NAMES: &'static [&'static str];
    /// See [`Store::NEEDS`].
    const NEEDS: &'static str;
    /// See [`Store::FIRST_FORMAT`].
    const FIRST_FORMAT: u32;
    /// See [`Store::load_defs`].
    fn load_defs(format: u32) -> &'static [&'static str];
    /// See [`Store::file_name`].
    fn file_name(base: &str, item: bool) -> String;
}

/// Never built: there is no `ArrayStore` variant for it.
#[derive(Debug)]
pub(crate) struct Missing<L> {
    never: std::convert::Infallible,
    layout: PhantomData<L>,
}

impl<L: StoreLayout> Store for Missing<L> {
    type Options = ();
    const PATH_NAME: &'static str = L::PATH_NAME;
    const LOADER_NAMES: &'static [&'static str] = L::LOADER_NAMES;
    const NEEDS: &'static str = L::NEEDS;
    const FIRST_FORMAT: u32 = L::FIRST_FORMAT;

    fn load_defs(format: u32) -> &'static [&'static str] {
        L::load_defs(format)
    }

    fn file_name(base: &str, item: bool) -> String {
        L::file_name(base, item)
    }

    fn create(_: PathBuf, _: &(), _: bool) -> Self {
        unreachable!(
            "no ArrayStore variant makes a {} store without the `{}` feature",
            L::WHAT,
            L::FEATURE
        )
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

    fn read<A: Element + ReadableElement>(
        path: &Path,
        name: &str,
        _: Option<usize>,
        _: Option<u64>,
    ) -> Result<ArrayD<A>, StoreError> {
        Err(StoreError::new(
            path.join(excerpt(name)),
            format!(
                "the archive stores this array in {}; enable persist-core's `{}` feature to read it",
                L::WHAT,
                L::FEATURE
            ),
        ))
    }

    fn check(path: &Path, name: &str, _: Option<u64>) -> Result<PathBuf, StoreError> {
        Err(StoreError::new(
            path,
            format!(
                "array `{}`: checking {} data needs persist-core's `{}` feature",
                excerpt(name),
                L::WHAT,
                L::FEATURE
            ),
        ))
    }
}
