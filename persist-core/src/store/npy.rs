//! The npy array store: one `.npy` file per external array, in a folder beside the source.

use std::collections::HashSet;
use std::fs;
use std::io::BufWriter;
use std::path::PathBuf;

use ndarray::{ArrayBase, Data, Dimension};
use ndarray_npy::WriteNpyExt;

use crate::array::Element;
use crate::error::{WriteError, WriteErrorKind};

/// External `.npy` files of one archive being written.
#[derive(Debug)]
pub(crate) struct NpyStore {
    /// Where the files are written now (inside the temporary copy of the archive).
    pub dir: PathBuf,
    /// How the module finds that folder at import time: a Python expression.
    pub dir_expr: String,
    pub threshold: usize,
    /// Whether files are synced to disk before the archive is renamed into place.
    pub sync: bool,
    /// The file names written, lowercased: names that differ only in case would be one file on
    /// macOS and Windows.
    names: HashSet<String>,
}

impl NpyStore {
    pub fn new(dir: PathBuf, dir_expr: String, threshold: usize) -> Self {
        NpyStore {
            dir,
            dir_expr,
            threshold,
            sync: true,
            names: HashSet::new(),
        }
    }

    /// Whether any array was written.
    pub fn has_files(&self) -> bool {
        !self.names.is_empty()
    }

    /// Write `array` as `<path>.npy` (made unique), returning the file name.
    pub fn store<A, S, D>(
        &mut self,
        path: &[String],
        array: &ArrayBase<S, D>,
    ) -> Result<String, WriteError>
    where
        A: Element,
        S: Data<Elem = A>,
        D: Dimension,
    {
        let stem = file_stem(path);
        let mut name = format!("{stem}.npy");
        let mut n = 1;
        while !self.names.insert(name.to_lowercase()) {
            n += 1;
            name = format!("{stem}_{n}.npy");
        }
        let file_path = self.dir.join(&name);
        let io_error = |source| {
            WriteError::new(WriteErrorKind::ArrayFile {
                path: file_path.clone(),
                source,
            })
        };
        if self.names.len() == 1 {
            fs::create_dir_all(&self.dir).map_err(io_error)?;
        }
        let file = fs::File::create(&file_path).map_err(io_error)?;
        array
            .write_npy(BufWriter::with_capacity(1 << 20, &file))
            .map_err(|e| io_error(std::io::Error::other(e)))?;
        if self.sync {
            file.sync_all().map_err(io_error)?;
        }
        Ok(name)
    }

    /// Python lines defining `_load(name)`.
    pub fn loader(&self) -> String {
        format!(
            "import os as _os\n_arrays = {}\n\n\n{}\n\n",
            self.dir_expr,
            crate::python::prelude::NPY_LOAD
        )
    }
}

/// File names stay under the 255 bytes most file systems allow: the stem is cut to this many
/// bytes, leaving room for a uniqueness suffix and `.npy`.
const MAX_STEM: usize = 200;

/// A file name from an item path: the segments joined by `.`, characters other than ASCII
/// letters, digits, `_` and `-` replaced by `_`, cut to [`MAX_STEM`] bytes.
fn file_stem(path: &[String]) -> String {
    let mut stem = String::new();
    for (i, seg) in path.iter().enumerate() {
        if i > 0 {
            stem.push('.');
        }
        stem.extend(seg.chars().map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        }));
    }
    // Only ASCII is left, so any byte index is a character boundary.
    stem.truncate(MAX_STEM);
    stem
}
