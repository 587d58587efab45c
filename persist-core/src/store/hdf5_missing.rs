//! The HDF5 store's stand-in without the `hdf5` feature: archives with HDF5 data still open
//! (their `_load` is the writer's), and reading or verifying an array is a clear error naming
//! the feature. Nothing can be written with it: `ArrayStore::Hdf5` needs the feature.

use std::path::{Path, PathBuf};

use ndarray::{ArrayBase, ArrayD, Data, Dimension};
use ndarray_npy::ReadableElement;

use super::{Store, StoreError, hdf5_layout};
use crate::array::Element;
use crate::error::{ArchiveError, WriteError};
use crate::python::encoding::excerpt;

/// Never built: there is no `ArrayStore` variant for it.
#[derive(Debug)]
pub(crate) enum Hdf5Missing {}

const MISSING: &str =
    "the archive stores this array in HDF5; enable persist-core's `hdf5` feature to read it";

impl Store for Hdf5Missing {
    type Options = ();
    const PATH_NAME: &'static str = hdf5_layout::PATH_NAME;
    const LOADER_NAMES: &'static [&'static str] = hdf5_layout::LOADER_NAMES;
    const NEEDS: &'static str = hdf5_layout::NEEDS;

    fn load_defs(_format: u32) -> &'static [&'static str] {
        hdf5_layout::LOAD_DEFS
    }

    fn file_name(base: &str, _item: bool) -> String {
        hdf5_layout::file_name(base)
    }

    fn create(_: PathBuf, _: &(), _: bool) -> Self {
        unreachable!("no ArrayStore variant makes an HDF5 store without the `hdf5` feature")
    }

    fn store<A, S, D>(&mut self, _: &[String], _: &ArrayBase<S, D>) -> Result<String, WriteError>
    where
        A: Element,
        S: Data<Elem = A>,
        D: Dimension,
    {
        match *self {}
    }

    fn has_files(&self) -> bool {
        match *self {}
    }

    fn loader(&self, _: &str) -> String {
        match *self {}
    }

    fn close(self) -> Result<bool, ArchiveError> {
        match self {}
    }

    fn read<A: Element + ReadableElement>(
        path: &Path,
        name: &str,
        _: Option<usize>,
        _: Option<u64>,
    ) -> Result<ArrayD<A>, StoreError> {
        Err(StoreError::new(path.join(excerpt(name)), MISSING))
    }

    fn check(path: &Path, name: &str, _: Option<u64>) -> Result<PathBuf, StoreError> {
        Err(StoreError::new(
            path,
            format!("dataset `{name}`: checking HDF5 data needs persist-core's `hdf5` feature"),
        ))
    }
}
