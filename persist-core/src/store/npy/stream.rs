//! Streaming one `.npy` file: the header is written first with room for any number of rows,
//! the rows are appended as they come, and the header is rewritten in place at the end.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::PathBuf;

use ndarray::{ArrayView, IxDyn};

use super::{NpyStore, npy_header, unique_name};
use crate::array::Element;
use crate::store::stream::{SlabSink, Slabs};

/// The largest first dimension an npy stream's header makes room for (20 digits).
const MAX_ROWS_DIGITS: usize = 20;

/// An `.npy` file being streamed: the header is written first with room for any number of
/// rows, the rows appended, and the header rewritten in place at the end.
struct NpyStream {
    path: PathBuf,
    file: BufWriter<File>,
    descr: String,
    row_shape: Vec<usize>,
    header_len: usize,
    sync: bool,
}

impl NpyStore {
    /// See [`WriteStore::stream`](crate::store::traits::WriteStore::stream).
    pub(super) fn start_stream<A: Element>(
        &mut self,
        path: &[String],
        row_shape: &[usize],
        rows: Option<usize>,
    ) -> Result<(String, Slabs<A>), String> {
        let name = unique_name(&mut self.names, path, ".npy");
        if self.names.len() == 1 {
            std::fs::create_dir_all(&self.dir).map_err(|e| e.to_string())?;
        }
        let file_path = self.dir.join(&name);
        let descr = A::type_descriptor()
            .to_string()
            .trim_matches('\'')
            .to_owned();
        let widest: Vec<usize> = std::iter::once(usize::MAX)
            .chain(row_shape.iter().copied())
            .collect();
        let room = npy_header(&descr, &widest, 0).len() + MAX_ROWS_DIGITS;
        let mut shape = vec![rows.unwrap_or(0)];
        shape.extend_from_slice(row_shape);
        let header = npy_header(&descr, &shape, room);
        let file = File::create(&file_path).map_err(|e| format!("{}: {e}", file_path.display()))?;
        let mut file = BufWriter::with_capacity(1 << 20, file);
        file.write_all(&header).map_err(|e| e.to_string())?;
        let stream = NpyStream {
            path: file_path,
            file,
            descr,
            row_shape: row_shape.to_vec(),
            header_len: header.len(),
            sync: self.sync,
        };
        Ok((name, Box::new(stream)))
    }
}

impl<A: Element> SlabSink<A> for NpyStream {
    fn push(&mut self, rows: &ArrayView<'_, A, IxDyn>) -> Result<(), String> {
        A::write_slice(&crate::store::c_order(rows), &mut self.file)
            .map_err(|e| format!("{}: {e}", self.path.display()))
    }

    fn finish(self: Box<Self>, rows: usize) -> Result<(), String> {
        let fail = |e: std::io::Error| format!("{}: {e}", self.path.display());
        let mut file = self.file.into_inner().map_err(|e| fail(e.into_error()))?;
        let mut shape = vec![rows];
        shape.extend_from_slice(&self.row_shape);
        let header = npy_header(&self.descr, &shape, self.header_len);
        debug_assert_eq!(header.len(), self.header_len, "the header keeps its length");
        file.seek(SeekFrom::Start(0)).map_err(fail)?;
        file.write_all(&header).map_err(fail)?;
        if self.sync {
            file.sync_all().map_err(fail)?;
        }
        Ok(())
    }
}
