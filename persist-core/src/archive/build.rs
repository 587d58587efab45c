//! Building an archive in steps: [`Build`] holds the staging folder of a save from its start, so
//! that arrays can be streamed into the store slab by slab ([`ArrayStream`]) before the source
//! is written; [`Build::commit`] then writes the source and swaps the archive into place,
//! atomically like [`Archive::save`]. Until then nothing is visible at the path, and a build
//! dropped or failed leaves what was there before.

use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use ndarray::{ArrayBase, Axis, Data, Dimension, IxDyn};

use super::staging::Staging;
use super::target::Target;
use super::{Archive, IntoItem, SaveOptions};
use crate::array::Element;
use crate::error::ArchiveError;
use crate::persist::Persist;
use crate::store::ArraySink;
use crate::store::stream::{self, SharedBook, Slabs, Streamed};

/// An archive being saved, whose large arrays may be streamed into its store before it is
/// committed: for arrays that never exist whole in memory (a field written one time step at a
/// time, a result larger than memory). Made by [`Archive::build`].
///
/// Streaming works with the npy store (one `.npy` file whose header is completed at the end),
/// HDF5 (a chunked dataset, resizable along its first axis) and Zarr (chunks written as they
/// fill); memory stays within a slab plus a band of chunks whatever the array's size.
///
/// ```
/// use persist_core::{Archive, ArchiveReader, SaveOptions};
/// let dir = tempfile::tempdir()?;
/// let mut archive = Archive::new();
/// archive.insert("dt", 0.01)?;
/// let mut build = archive.build(dir.path().join("run"), SaveOptions::package())?;
/// let mut field = build.stream::<f64>("field", &[64, 64])?; // rows of 64 x 64
/// for step in 0..10 {
///     let slab = ndarray::Array2::<f64>::from_elem((64, 64), step as f64);
///     field.push(&slab)?; // one row: shape [64, 64]
/// }
/// let field = field.finish()?; // shape [10, 64, 64]
/// build.insert("field", field)?;
/// build.commit()?;
/// let back: ndarray::Array3<f64> = ArchiveReader::open(dir.path().join("run"))?.read("field")?;
/// assert_eq!(back.shape(), [10, 64, 64]);
/// assert_eq!(back[[9, 0, 0]], 9.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Build<'a, V: ?Sized + 'a = dyn Persist + Send + 'a> {
    archive: Archive<'a, V>,
    target: Target,
    staging: Staging,
    sink: ArraySink,
    book: SharedBook,
    options: SaveOptions,
}

impl<V: ?Sized> std::fmt::Debug for Build<'_, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Build")
            .field("path", &self.target.path)
            .field("staging", &self.staging.path())
            .finish_non_exhaustive()
    }
}

impl<'a, V: ?Sized + Persist + 'a> Archive<'a, V> {
    /// Start saving this archive at `path` (as [`save`](Archive::save) would) and keep the
    /// save open: arrays can then be streamed into the archive's store
    /// ([`Build::stream`]) and more items inserted, until [`Build::commit`] writes the source
    /// and swaps the archive into place. The target is checked now (name, existing archive,
    /// overwrite), and the staging folder made beside it.
    ///
    /// # Errors
    /// What [`save`](Archive::save) refuses before writing: the name, an existing archive
    /// without [`SaveOptions::overwrite`], the other layout, the staging folder.
    ///
    /// ```
    /// use persist_core::{Archive, SaveOptions};
    /// let dir = tempfile::tempdir()?;
    /// let build = Archive::new().build(dir.path().join("run"), SaveOptions::package())?;
    /// assert!(!dir.path().join("run").exists()); // nothing visible before the commit
    /// build.commit()?;
    /// assert!(dir.path().join("run/__init__.py").is_file());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build(
        self,
        path: impl AsRef<Path>,
        options: SaveOptions,
    ) -> Result<Build<'a, V>, ArchiveError> {
        let (target, staging, mut sink) = self.prepare(path.as_ref(), &options)?;
        let book = sink.book().expect("a save always has an array store");
        Ok(Build {
            archive: self,
            target,
            staging,
            sink,
            book,
            options,
        })
    }
}

impl<'a, V: ?Sized + Persist + 'a> Build<'a, V> {
    /// Add an item, as [`Archive::insert`] does: a value, or a [`Streamed`] handle of this
    /// build, or a value holding such handles (a record with a streamed field).
    ///
    /// # Errors
    /// See [`Archive::insert`].
    ///
    /// ```
    /// # use persist_core::{Archive, SaveOptions};
    /// # let dir = tempfile::tempdir()?;
    /// let mut build = Archive::new().build(dir.path().join("run"), SaveOptions::package())?;
    /// build.insert("steps", 10)?.insert("label", "run 1")?;
    /// build.commit()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn insert<T: IntoItem<'a, V>>(
        &mut self,
        name: &str,
        value: T,
    ) -> Result<&mut Self, ArchiveError> {
        self.archive.insert(name, value)?;
        Ok(self)
    }

    /// Start streaming an array of `A` whose rows have the shape `row_shape` (`&[]` for a
    /// 1-d array of single elements): push slabs of rows in order, then
    /// [`finish`](ArrayStream::finish) it. `name` names the array in the store, as an item
    /// path does (`"field"`, `"run.field"`); it needs no item of that name.
    ///
    /// # Errors
    /// The archive writes arrays inline or into the npz store (neither can stream); the store
    /// cannot write `A`; a file cannot be created.
    ///
    /// ```
    /// # use persist_core::{Archive, SaveOptions};
    /// # let dir = tempfile::tempdir()?;
    /// let mut build = Archive::new().build(dir.path().join("run"), SaveOptions::package())?;
    /// let mut trace = build.stream::<f32>("trace", &[])?;
    /// for chunk in 0..4 {
    ///     trace.push(&ndarray::Array1::<f32>::from_elem(1000, chunk as f32))?; // 1000 rows
    /// }
    /// build.insert("trace", trace.finish()?)?;
    /// build.commit()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn stream<A: Element>(
        &mut self,
        name: &str,
        row_shape: &[usize],
    ) -> Result<ArrayStream<A>, ArchiveError> {
        self.start_stream(name, row_shape, None)
    }

    /// [`stream`](Build::stream) an array whose number of rows is known: the store can lay
    /// it out whole from the start, and [`finish`](ArrayStream::finish) checks that exactly
    /// `rows` rows came.
    ///
    /// # Errors
    /// See [`stream`](Build::stream).
    ///
    /// ```
    /// # use persist_core::{Archive, SaveOptions};
    /// # let dir = tempfile::tempdir()?;
    /// let mut build = Archive::new().build(dir.path().join("run"), SaveOptions::package())?;
    /// let mut s = build.stream_rows::<u8>("pixels", 2, &[3])?;
    /// s.push(&ndarray::arr2(&[[1, 2, 3]]))?;
    /// assert!(s.finish().is_err()); // one row of two
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn stream_rows<A: Element>(
        &mut self,
        name: &str,
        rows: usize,
        row_shape: &[usize],
    ) -> Result<ArrayStream<A>, ArchiveError> {
        self.start_stream(name, row_shape, Some(rows))
    }

    fn start_stream<A: Element>(
        &mut self,
        name: &str,
        row_shape: &[usize],
        rows: Option<usize>,
    ) -> Result<ArrayStream<A>, ArchiveError> {
        let path: Vec<String> = name.split('.').map(str::to_owned).collect();
        let (stored, sink) = self
            .sink
            .stream::<A>(&path, row_shape, rows)
            .map_err(|message| self.error(name, message))?;
        stream::start(&self.book, &stored, name);
        Ok(ArrayStream {
            sink: Some(sink),
            given: name.to_owned(),
            stored,
            row_shape: row_shape.to_vec(),
            rows: 0,
            expected: rows,
            book: self.book.clone(),
            path: self.target.path.clone(),
            element: PhantomData,
        })
    }

    /// An error about the array `array` of this build.
    fn error(&self, array: &str, message: String) -> ArchiveError {
        ArchiveError::stream(array, &self.target.path, message)
    }

    /// What parallel writers of a Zarr array need (`store/zarr/parts.rs`): the sink, the book,
    /// the staging folder the archive is written in until it is committed, the target path.
    #[cfg_attr(not(feature = "zarr"), allow(dead_code))]
    pub(crate) fn parts_of(&mut self) -> (&mut ArraySink, &SharedBook, &Path, &Path) {
        (
            &mut self.sink,
            &self.book,
            self.staging.path(),
            &self.target.path,
        )
    }

    /// Write the source (every item, each streamed array as `_load('NAME')`) and swap the
    /// archive into place, atomically as [`Archive::save`] does.
    ///
    /// # Errors
    /// An item cannot be written; a stream was started but not finished, or finished but is
    /// in no item (its data would be lost or hidden); a file system step fails. The previous
    /// archive at the path, if any, is untouched.
    ///
    /// ```
    /// # use persist_core::{Archive, SaveOptions};
    /// # let dir = tempfile::tempdir()?;
    /// let mut build = Archive::new().build(dir.path().join("run"), SaveOptions::package())?;
    /// let s = build.stream::<f64>("lost", &[2])?.finish()?;
    /// let err = build.commit().unwrap_err(); // `lost` is in no item
    /// assert!(err.to_string().contains("lost"));
    /// assert!(!dir.path().join("run").exists());
    /// # let _ = s;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn commit(self) -> Result<(), ArchiveError> {
        self.archive
            .finish(self.target, self.staging, self.sink, &self.options)
    }

    /// Lay out a Zarr array of `A` and shape `shape` (its metadata written, no chunk yet) for
    /// writers in other processes or threads ([`ZarrPart`]), in chunks of whole rows where a
    /// row fits in [`ZarrOptions::chunk_bytes`](crate::ZarrOptions::chunk_bytes). `name` names the array in the
    /// group, as an item path does. Feature `zarr`.
    ///
    /// # Errors
    /// The archive's store is not Zarr; `shape` is 0-dimensional; the array cannot be made.
    ///
    /// ```
    /// # use persist_core::{Archive, ArrayStore, SaveOptions, ZarrOptions};
    /// # let dir = tempfile::tempdir()?;
    /// let archive = Archive::new().with_array_store(ArrayStore::Zarr(ZarrOptions::default()));
    /// let mut build = archive.build(dir.path().join("run"), SaveOptions::package())?;
    /// let parts = build.zarr_parts::<f32>("field", &[100, 10])?;
    /// assert!(parts.finish().is_err()); // no writer wrote its rows
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "zarr")]
    pub fn zarr_parts<A: Element>(
        &mut self,
        name: &str,
        shape: &[usize],
    ) -> Result<crate::store::ZarrParts, ArchiveError> {
        crate::store::zarr_parts::lay_out::<A>(self.parts_of(), name, shape)
    }
}

/// An array being streamed into an archive's store by a [`Build`]: rows are pushed in order,
/// one slab at a time, and [`finish`](ArrayStream::finish) gives the [`Streamed`] handle to
/// insert. Dropped unfinished, its build refuses to commit.
///
/// ```
/// # use persist_core::{Archive, SaveOptions};
/// # let dir = tempfile::tempdir()?;
/// let mut build = Archive::new().build(dir.path().join("run"), SaveOptions::package())?;
/// let mut s = build.stream::<i64>("samples", &[2])?;
/// s.push(&ndarray::arr1(&[1, 2]))?; // one row
/// s.push(&ndarray::arr2(&[[3, 4], [5, 6]]))?; // two rows
/// assert_eq!(s.rows(), 3);
/// assert!(s.push(&ndarray::arr1(&[1, 2, 3])).is_err()); // not a row of 2
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ArrayStream<A> {
    /// `None` once a push failed: the array is incomplete, and stays unfinished.
    sink: Option<Slabs<A>>,
    given: String,
    stored: String,
    row_shape: Vec<usize>,
    rows: usize,
    expected: Option<usize>,
    book: SharedBook,
    path: PathBuf,
    element: PhantomData<A>,
}

impl<A> std::fmt::Debug for ArrayStream<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArrayStream")
            .field("name", &self.given)
            .field("row_shape", &self.row_shape)
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl<A: Element> ArrayStream<A> {
    /// Append `slab` after the rows so far: one row (shape `row_shape`) or several (shape
    /// `[k, row_shape...]`), in any memory layout.
    ///
    /// # Errors
    /// The slab's shape is neither; more rows than [`Build::stream_rows`] announced; writing
    /// fails (the stream is then broken: its build will not commit).
    ///
    /// ```
    /// # use persist_core::{Archive, SaveOptions};
    /// # let dir = tempfile::tempdir()?;
    /// # let mut build = Archive::new().build(dir.path().join("run"), SaveOptions::package())?;
    /// let mut s = build.stream::<f64>("field", &[2, 2])?;
    /// s.push(&ndarray::Array2::<f64>::eye(2))?;
    /// s.push(&ndarray::Array3::<f64>::zeros((5, 2, 2)))?;
    /// assert_eq!(s.rows(), 6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn push<S, D>(&mut self, slab: &ArrayBase<S, D>) -> Result<(), ArchiveError>
    where
        S: Data<Elem = A>,
        D: Dimension,
    {
        let slab = slab.view().into_dyn();
        let rows = if slab.shape() == self.row_shape.as_slice() {
            slab.insert_axis(Axis(0))
        } else if slab.ndim() == self.row_shape.len() + 1 && slab.shape()[1..] == self.row_shape[..]
        {
            slab
        } else {
            return Err(self.error(format!(
                "a slab of shape {:?} is neither a row of shape {:?} nor rows of it",
                slab.shape(),
                self.row_shape
            )));
        };
        let count = rows.shape()[0];
        if let Some(expected) = self.expected
            && self.rows + count > expected
        {
            return Err(self.error(format!(
                "{} rows pushed, but the stream was started for {expected}",
                self.rows + count
            )));
        }
        let Some(sink) = self.sink.as_mut() else {
            return Err(self.error("an earlier push failed; the array is incomplete".into()));
        };
        if count == 0 {
            return Ok(());
        }
        if let Err(message) = sink.push(&rows.view().into_dimensionality::<IxDyn>().expect("dyn")) {
            self.sink = None;
            return Err(self.error(message));
        }
        self.rows += count;
        Ok(())
    }

    /// The rows pushed so far.
    ///
    /// ```
    /// # use persist_core::{Archive, SaveOptions};
    /// # let dir = tempfile::tempdir()?;
    /// # let mut build = Archive::new().build(dir.path().join("run"), SaveOptions::package())?;
    /// let s = build.stream::<u32>("counts", &[])?;
    /// assert_eq!(s.rows(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Complete the array (headers, shape, metadata) and give its handle, to insert into the
    /// build (as an item, or inside one).
    ///
    /// # Errors
    /// Fewer rows than [`Build::stream_rows`] announced; an earlier push failed; completing
    /// the file fails.
    ///
    /// ```
    /// # use persist_core::{Archive, SaveOptions};
    /// # let dir = tempfile::tempdir()?;
    /// # let mut build = Archive::new().build(dir.path().join("run"), SaveOptions::package())?;
    /// let mut s = build.stream::<f64>("x", &[])?;
    /// s.push(&ndarray::arr1(&[0.5, 1.5]))?;
    /// let x = s.finish()?;
    /// assert_eq!(x.shape(), [2]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(mut self) -> Result<Streamed, ArchiveError> {
        if let Some(expected) = self.expected
            && self.rows != expected
        {
            return Err(self.error(format!(
                "{} rows pushed, but the stream was started for {expected}",
                self.rows
            )));
        }
        let Some(sink) = self.sink.take() else {
            return Err(self.error("an earlier push failed; the array is incomplete".into()));
        };
        sink.finish(self.rows).map_err(|m| self.error(m))?;
        let mut shape = vec![self.rows];
        shape.extend_from_slice(&self.row_shape);
        Ok(stream::finished(&self.book, &self.stored, A::DTYPE, shape))
    }

    fn error(&self, message: String) -> ArchiveError {
        ArchiveError::stream(&self.given, &self.path, message)
    }
}
