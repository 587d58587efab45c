//! Array elements ([`Element`]) and where an archive's arrays go ([`ArraySink`]).

use std::collections::HashSet;
use std::fs;
use std::io::BufWriter;
use std::path::PathBuf;

use ndarray::{ArrayBase, Data, Dimension};
use ndarray_npy::{WritableElement, WriteNpyExt};
use num_complex::Complex;

use crate::error::{WriteError, WriteErrorKind};
use crate::python::literal;

/// An element type of arrays that numpy can hold: its dtype and its inline Python spelling.
///
/// Implemented for `bool`, `i8`–`i64`, `u8`–`u64`, `f32`, `f64`, `Complex<f32>` and
/// `Complex<f64>`. (`i128`, `u128`, `char`, ... have no numpy dtype, so arrays of them do not
/// implement [`Persist`](crate::Persist): a compile error rather than a lossy file.)
pub trait Element: WritableElement + Copy + 'static {
    /// numpy's name of the dtype, as written in inline arrays: `'float64'`, `'bool'`, ...
    const DTYPE: &'static str;

    /// Append this element as a Python literal.
    fn push_inline(self, out: &mut String);
}

macro_rules! element_int {
    ($($t:ty => $dtype:literal),* $(,)?) => {$(
        impl Element for $t {
            const DTYPE: &'static str = $dtype;
            fn push_inline(self, out: &mut String) {
                literal::push_int(out, self);
            }
        }
    )*};
}
element_int!(
    i8 => "int8", i16 => "int16", i32 => "int32", i64 => "int64",
    u8 => "uint8", u16 => "uint16", u32 => "uint32", u64 => "uint64",
);

impl Element for bool {
    const DTYPE: &'static str = "bool";
    fn push_inline(self, out: &mut String) {
        out.push_str(if self { "True" } else { "False" });
    }
}

impl Element for f32 {
    const DTYPE: &'static str = "float32";
    fn push_inline(self, out: &mut String) {
        literal::push_f32(out, self);
    }
}

impl Element for f64 {
    const DTYPE: &'static str = "float64";
    fn push_inline(self, out: &mut String) {
        literal::push_f64(out, self);
    }
}

impl Element for Complex<f32> {
    const DTYPE: &'static str = "complex64";
    fn push_inline(self, out: &mut String) {
        literal::push_complex32(out, self.re, self.im);
    }
}

impl Element for Complex<f64> {
    const DTYPE: &'static str = "complex128";
    fn push_inline(self, out: &mut String) {
        literal::push_complex(out, self.re, self.im);
    }
}

/// Where the arrays of an archive go while it is written.
#[derive(Debug)]
pub(crate) enum ArraySink {
    /// Every array inline in the source.
    Inline,
    /// Arrays with more than `threshold` elements as `.npy` files in `dir`.
    Npy(NpyStore),
}

/// External `.npy` files of one archive being written.
#[derive(Debug)]
pub(crate) struct NpyStore {
    /// Where the files are written now (inside the temporary copy of the archive).
    pub dir: PathBuf,
    /// How the module finds that folder at import time: a Python expression.
    pub dir_expr: String,
    pub threshold: usize,
    names: HashSet<String>,
}

impl NpyStore {
    pub fn new(dir: PathBuf, dir_expr: String, threshold: usize) -> Self {
        NpyStore {
            dir,
            dir_expr,
            threshold,
            names: HashSet::new(),
        }
    }

    /// Write `array` as `<path>.npy` (made unique), returning the file name.
    fn store<A, S, D>(
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
        while !self.names.insert(name.clone()) {
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
        file.sync_all().map_err(io_error)?;
        Ok(name)
    }
}

/// A file name from an item path: the segments joined by `.`, characters other than ASCII
/// letters, digits, `_` and `-` replaced by `_`.
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
    stem
}

impl ArraySink {
    /// Store `array` externally if this sink does so for its size; the file name if it did.
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
            ArraySink::Npy(store) if array.len() > store.threshold => {
                store.store(&path(), array).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// Python lines defining `_load(name)` (and what it needs), if any array was stored.
    pub(crate) fn loader(&self) -> Option<String> {
        match self {
            ArraySink::Npy(store) if !store.names.is_empty() => Some(format!(
                "import os as _os\n_arrays = {}\n\n\ndef _load(name):\n    return _np.load(_os.path.join(_arrays, name), allow_pickle=False)\n\n\n",
                store.dir_expr
            )),
            _ => None,
        }
    }

    /// The helper names [`loader`](ArraySink::loader) defines.
    pub(crate) fn loader_names(&self) -> &'static [&'static str] {
        &["_os", "_arrays", "_load"]
    }

    /// Whether any array went to an external file.
    pub(crate) fn has_files(&self) -> bool {
        matches!(self, ArraySink::Npy(store) if !store.names.is_empty())
    }
}
