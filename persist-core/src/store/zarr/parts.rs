//! Parallel writers of one Zarr array: a [`Build`](crate::Build) lays out the array whole
//! ([`Build::zarr_parts`]) and gives a token; other processes (or threads) open it with
//! [`ZarrPart::open`] and write disjoint ranges of rows whose edges are chunk edges, so no two
//! writers touch one chunk file; each range written leaves a marker file in the build's
//! staging folder. [`ZarrParts::finish`] checks that the markers cover every row, so a writer
//! that died or failed is an error, never zeros in the archive.

use std::fs;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ndarray::{ArrayBase, Data, Dimension};
use zarrs::array::Array as ZarrArray;

use super::files::DeferredStore;
use super::{meta, write_rows};
use crate::array::Element;
use crate::error::ArchiveError;
use crate::store::stream::{self, SharedBook, Streamed, stream_chunk_shape};
use crate::store::{ArraySink, Open};

/// The folder of the staging copy that holds the markers of ranges written, one folder per
/// array; removed by [`ZarrParts::finish`].
const PARTS: &str = ".persist-parts";

/// One Zarr array of a [`Build`] that several writers fill in parallel: hand
/// [`token`](ZarrParts::token) to each writer ([`ZarrPart::open`]), wait for them, then
/// [`finish`](ZarrParts::finish) and insert the handle. Feature `zarr`.
///
/// ```
/// use persist_core::{Archive, ArrayStore, SaveOptions, ZarrOptions, ZarrPart};
/// let dir = tempfile::tempdir()?;
/// let archive = Archive::new().with_array_store(ArrayStore::Zarr(ZarrOptions::default()));
/// let mut build = archive.build(dir.path().join("run"), SaveOptions::package())?;
/// let parts = build.zarr_parts::<f64>("field", &[1000, 256])?; // chunks of 512 rows
/// let token = parts.token().to_owned();
/// let writers: Vec<_> = [(0, 512), (512, 1000)]
///     .into_iter()
///     .map(|(start, end)| {
///         let token = token.clone();
///         std::thread::spawn(move || {
///             let rows = ndarray::Array2::<f64>::from_elem((end - start, 256), start as f64);
///             ZarrPart::<f64>::open(&token)?.write(start, &rows)
///         })
///     })
///     .collect();
/// for w in writers {
///     w.join().unwrap()?;
/// }
/// build.insert("field", parts.finish()?)?;
/// build.commit()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct ZarrParts {
    token: String,
    given: String,
    stored: String,
    shape: Vec<usize>,
    dtype: &'static str,
    parts: PathBuf,
    book: SharedBook,
    path: PathBuf,
}

/// Lay out a Zarr array of `A` and shape `shape` in the store of `sink` (its metadata written,
/// no chunk yet) for writers in other processes or threads: what [`Build::zarr_parts`]
/// (crate::Build::zarr_parts) does, given the build's sink, book of streamed arrays, staging
/// folder and target path.
pub(crate) fn lay_out<A: Element>(
    (sink, book, staging, target): (&mut ArraySink, &SharedBook, &Path, &Path),
    name: &str,
    shape: &[usize],
) -> Result<ZarrParts, ArchiveError> {
    let book_handle = book.clone();
    let fail = |message: String| ArchiveError::stream(name, target, message);
    let ArraySink::External { open, .. } = sink else {
        return Err(fail("an archive written inline has no array store".into()));
    };
    let Open::Zarr(store) = &mut **open else {
        return Err(fail(
            "parallel writers need the Zarr store (ArrayStore::Zarr)".into(),
        ));
    };
    if shape.is_empty() {
        return Err(fail(
            "a 0-dimensional array has no rows to share out".into(),
        ));
    }
    let path: Vec<String> = name.split('.').map(str::to_owned).collect();
    // Chunks of whole rows where they fit, so that writers split the array by rows.
    let chunk = stream_chunk_shape(
        &shape[1..],
        None,
        std::mem::size_of::<A>(),
        store.options.chunk_bytes,
    );
    let (stored, _, _) = store
        .create_array_chunked::<A>(&path, shape, chunk)
        .map_err(|e| fail(e.to_string()))?;
    let array_dir = store.path.join(&stored);
    let parts = staging.join(PARTS).join(&stored);
    fs::create_dir_all(&parts).map_err(|e| fail(format!("{}: {e}", parts.display())))?;
    let (Some(array_dir), Some(parts_text)) = (array_dir.to_str(), parts.to_str()) else {
        return Err(fail("the archive's path is not valid UTF-8".into()));
    };
    let token = format!("{array_dir}\n{parts_text}");
    stream::start(book, &stored, name);
    Ok(ZarrParts {
        token,
        given: name.to_owned(),
        stored,
        shape: shape.to_vec(),
        dtype: A::DTYPE,
        parts,
        book: book_handle,
        path: target.to_path_buf(),
    })
}

impl ZarrParts {
    /// What a writer needs to open the array ([`ZarrPart::open`]): pass it to another process
    /// (an argument, an environment variable). Two lines of text: the array's folder and the
    /// folder of markers, both inside the build's staging folder.
    ///
    /// ```
    /// # use persist_core::{Archive, ArrayStore, SaveOptions, ZarrOptions};
    /// # let dir = tempfile::tempdir()?;
    /// # let archive = Archive::new().with_array_store(ArrayStore::Zarr(ZarrOptions::default()));
    /// # let mut build = archive.build(dir.path().join("run"), SaveOptions::package())?;
    /// let parts = build.zarr_parts::<f64>("field", &[10, 10])?;
    /// assert_eq!(parts.token().lines().count(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Check that the writers wrote every row (their markers cover the first axis), remove
    /// the markers, and give the array's handle to insert into the build.
    ///
    /// # Errors
    /// Rows no writer wrote (a writer failed, died or was never run), naming the first range.
    ///
    /// ```
    /// # use persist_core::{Archive, ArrayStore, SaveOptions, ZarrOptions, ZarrPart};
    /// # let dir = tempfile::tempdir()?;
    /// # let archive = Archive::new().with_array_store(ArrayStore::Zarr(ZarrOptions::default()));
    /// # let mut build = archive.build(dir.path().join("run"), SaveOptions::package())?;
    /// let parts = build.zarr_parts::<u8>("mask", &[4])?;
    /// ZarrPart::<u8>::open(parts.token())?.write(0, &ndarray::arr1(&[1, 2, 3, 4]))?;
    /// assert_eq!(parts.finish()?.shape(), [4]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(self) -> Result<Streamed, ArchiveError> {
        let fail = |message: String| ArchiveError::stream(&self.given, &self.path, message);
        let mut ranges = Vec::new();
        let listing = fs::read_dir(&self.parts)
            .map_err(|e| fail(format!("{}: {e}", self.parts.display())))?;
        for entry in listing {
            let entry = entry.map_err(|e| fail(e.to_string()))?;
            let name = entry.file_name();
            let range = name
                .to_str()
                .and_then(|n| n.split_once('-'))
                .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?)));
            if let Some(range) = range {
                ranges.push(range);
            }
        }
        ranges.sort_unstable();
        let mut covered = 0;
        for (start, end) in ranges {
            if start > covered {
                break;
            }
            covered = covered.max(end);
        }
        let rows = self.shape[0];
        if covered < rows {
            return Err(fail(format!(
                "rows {covered} to {rows} were written by no writer (a writer failed, died or was never run)"
            )));
        }
        fs::remove_dir_all(&self.parts)
            .map_err(|e| fail(format!("{}: {e}", self.parts.display())))?;
        if let Some(all) = self.parts.parent() {
            // The last array's markers gone, their folder goes too.
            let _ = fs::remove_dir(all);
        }
        Ok(stream::finished(
            &self.book,
            &self.stored,
            self.dtype,
            self.shape.clone(),
        ))
    }
}

/// One writer of a [`ZarrParts`] array, in any process: writes ranges of rows whose edges are
/// chunk edges (or the array's end). Feature `zarr`.
///
/// ```no_run
/// // In a worker process, given the token on its command line:
/// let token = std::env::args().nth(1).unwrap();
/// let mut part = persist_core::ZarrPart::<f64>::open(&token)?;
/// let rows = ndarray::Array2::<f64>::zeros((512, 256));
/// part.write(512, &rows)?; // rows 512..1024
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ZarrPart<A> {
    zarr: ZarrArray<DeferredStore>,
    store: Arc<DeferredStore>,
    dir: PathBuf,
    parts: PathBuf,
    shape: Vec<usize>,
    band: usize,
    element: PhantomData<A>,
}

impl<A> std::fmt::Debug for ZarrPart<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZarrPart")
            .field("array", &self.dir)
            .field("shape", &self.shape)
            .finish_non_exhaustive()
    }
}

impl<A: Element> ZarrPart<A> {
    /// Open the array of `token` ([`ZarrParts::token`]) for writing; its element type must be
    /// `A`.
    ///
    /// # Errors
    /// The token is not one; the array's metadata is not the store's; its data type is not
    /// `A`'s.
    ///
    /// ```
    /// assert!(persist_core::ZarrPart::<f64>::open("not a token").is_err());
    /// ```
    pub fn open(token: &str) -> Result<Self, ArchiveError> {
        let (dir, parts) = token.split_once('\n').unwrap_or((token, ""));
        let (dir, parts) = (PathBuf::from(dir), PathBuf::from(parts));
        let fail = |message: String| ArchiveError::stream(array_name(&dir), &dir, message);
        let (Some(group), Some(name)) = (dir.parent(), dir.file_name().and_then(|n| n.to_str()))
        else {
            return Err(fail("not a token of ZarrParts".into()));
        };
        if !parts.is_dir() {
            return Err(fail(
                "not a token of ZarrParts (no folder of markers)".into(),
            ));
        }
        let meta = meta::array_meta(group, name).map_err(fail)?;
        if meta.dtype != A::DTYPE {
            return Err(fail(format!(
                "the array holds {}, not {} ({})",
                meta.dtype,
                A::DTYPE,
                std::any::type_name::<A>()
            )));
        }
        let store = Arc::new(DeferredStore::new(group).map_err(fail)?);
        let zarr =
            ZarrArray::open(store.clone(), &format!("/{name}")).map_err(|e| fail(e.to_string()))?;
        Ok(ZarrPart {
            zarr,
            store,
            band: meta.chunk[0],
            shape: meta.shape,
            dir: dir.clone(),
            parts,
            element: PhantomData,
        })
    }

    /// Write `rows` (shape `[k, ...]` of the array's other axes) as rows `start..start + k`,
    /// then leave the marker of that range. `start` must be a chunk edge, and `start + k` a
    /// chunk edge or the array's end, so that writers of disjoint ranges share no chunk.
    ///
    /// # Errors
    /// The shape or range does not fit the array or its chunks; writing fails.
    ///
    /// ```
    /// # use persist_core::{Archive, ArrayStore, SaveOptions, ZarrOptions, ZarrPart};
    /// # let dir = tempfile::tempdir()?;
    /// # let archive = Archive::new().with_array_store(ArrayStore::Zarr(ZarrOptions::default().chunk_bytes(80)));
    /// # let mut build = archive.build(dir.path().join("run"), SaveOptions::package())?;
    /// let parts = build.zarr_parts::<f64>("x", &[25])?; // chunks of 10 rows
    /// let mut part = ZarrPart::<f64>::open(parts.token())?;
    /// assert!(part.write(5, &ndarray::Array1::zeros(5)).is_err()); // 5 is inside a chunk
    /// part.write(20, &ndarray::Array1::zeros(5))?; // the last chunk, to the end
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write<S, D>(&mut self, start: usize, rows: &ArrayBase<S, D>) -> Result<(), ArchiveError>
    where
        S: Data<Elem = A>,
        D: Dimension,
    {
        let fail =
            |message: String| ArchiveError::stream(array_name(&self.dir), &self.dir, message);
        let rows = rows.view().into_dyn();
        if rows.ndim() != self.shape.len() || rows.shape()[1..] != self.shape[1..] {
            return Err(fail(format!(
                "rows of shape {:?} do not fit the array of shape {:?}",
                rows.shape(),
                self.shape
            )));
        }
        let end = start + rows.shape()[0];
        if end > self.shape[0] {
            return Err(fail(format!(
                "rows {start} to {end} are past the array's {} rows",
                self.shape[0]
            )));
        }
        if !start.is_multiple_of(self.band)
            || (!end.is_multiple_of(self.band) && end != self.shape[0])
        {
            return Err(fail(format!(
                "rows {start} to {end} do not start and end at chunk edges (every {} rows)",
                self.band
            )));
        }
        write_rows(&self.zarr, &rows, start, self.band).map_err(fail)?;
        // The rows are on disk before their marker says so.
        self.store.sync().map_err(fail)?;
        let marker = self.parts.join(format!("{start}-{end}"));
        fs::File::create(&marker)
            .and_then(|f| f.sync_all())
            .map_err(|e| fail(format!("{}: {e}", marker.display())))
    }
}

/// The name of the Zarr array whose folder is `dir`, for messages.
fn array_name(dir: &std::path::Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
