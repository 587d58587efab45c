//! Streaming writes into a store: an array received slab by slab along its first axis, with
//! memory bounded by a slab or a band of chunks whatever the array's size. [`SlabSink`] is what
//! each store implements (npy in `npy/stream.rs`, HDF5 in `hdf5/stream.rs`, Zarr in
//! `zarr/stream.rs`), and the `Book` of a build's streams; `Open::stream` makes one for the store being written. The public face is
//! [`Build::stream`](crate::Build::stream) (`archive/build.rs`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use ndarray::{ArrayView, IxDyn};

/// One array being streamed into a store.
pub(crate) trait SlabSink<A> {
    /// Append `rows` (shape `[k, row_shape...]`, any memory layout) after the rows so far.
    fn push(&mut self, rows: &ArrayView<'_, A, IxDyn>) -> Result<(), String>;
    /// The array ends after `rows` rows: complete its file (headers, shape, sync).
    fn finish(self: Box<Self>, rows: usize) -> Result<(), String>;
}

/// A boxed sink of some store.
pub(crate) type Slabs<A> = Box<dyn SlabSink<A>>;

/// A streamed array, finished: the handle a [`Build`](crate::Build) gives for it, to be written
/// as (or in) an item of that build. In the archive it is `_load('NAME')` like any array of the
/// store; read it back as an ndarray array (`ArrayD<A>`, `Array3<A>`, ...).
///
/// ```
/// use persist_core::{Archive, SaveOptions};
/// let dir = tempfile::tempdir()?;
/// let mut build = Archive::new().build(dir.path().join("run"), SaveOptions::package())?;
/// let mut field = build.stream::<f64>("field", &[3])?;
/// field.push(&ndarray::arr1(&[1.0, 2.0, 3.0]))?;
/// let field = field.finish()?;
/// assert_eq!((field.shape(), field.dtype()), (&[1, 3][..], "float64"));
/// build.insert("field", field)?;
/// build.commit()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Streamed {
    pub(crate) build: u64,
    pub(crate) name: String,
    pub(crate) dtype: &'static str,
    pub(crate) shape: Vec<usize>,
}

impl Streamed {
    /// The array's shape: the rows streamed, then the shape of a row.
    ///
    /// ```
    /// # use persist_core::{Archive, SaveOptions};
    /// # let dir = tempfile::tempdir()?;
    /// # let mut build = Archive::new().build(dir.path().join("run"), SaveOptions::package())?;
    /// let mut s = build.stream::<i32>("counts", &[])?; // rows of one element: a 1-d array
    /// s.push(&ndarray::arr1(&[1, 2]))?;
    /// assert_eq!(s.finish()?.shape(), [2]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// numpy's name of the element type: `"float64"`, `"bool"`, ...
    ///
    /// ```
    /// # use persist_core::{Archive, SaveOptions};
    /// # let dir = tempfile::tempdir()?;
    /// # let mut build = Archive::new().build(dir.path().join("run"), SaveOptions::package())?;
    /// let s = build.stream::<bool>("mask", &[4])?;
    /// assert_eq!(s.finish()?.dtype(), "bool");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn dtype(&self) -> &str {
        self.dtype
    }

    /// The array's name in the store (the file, dataset or Zarr array `_load` opens).
    ///
    /// ```
    /// # use persist_core::{Archive, SaveOptions};
    /// # let dir = tempfile::tempdir()?;
    /// # let mut build = Archive::new().build(dir.path().join("run"), SaveOptions::package())?;
    /// let s = build.stream::<f32>("run.field", &[2])?;
    /// assert_eq!(s.finish()?.name(), "run.field.npy");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// What a build has streamed: each array by name, and whether it is finished and written.
#[derive(Debug, Default)]
pub(crate) struct Book {
    /// The build's number (0: an archive saved whole, which streams nothing).
    build: u64,
    entries: Vec<Entry>,
}

/// One streamed array of a build.
#[derive(Debug)]
struct Entry {
    /// Its name in the store.
    name: String,
    /// The name it was streamed under, for messages.
    given: String,
    state: State,
}

/// Where a streamed array is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Being written.
    Open,
    /// Complete, not yet in any item.
    Finished,
    /// Written as (part of) an item.
    Used,
}

/// A book shared by a build, its streams and its writer.
pub(crate) type SharedBook = Arc<Mutex<Book>>;

/// A new book, with a number no other build of this process has.
pub(crate) fn new_book() -> SharedBook {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    Arc::new(Mutex::new(Book {
        build: NEXT.fetch_add(1, Ordering::Relaxed),
        entries: Vec::new(),
    }))
}

impl Book {
    /// Mark the stream `name` with `state`.
    fn set(&mut self, name: &str, state: State) {
        if let Some(entry) = self.entries.iter_mut().find(|e| e.name == name) {
            entry.state = state;
        }
    }
}

/// The book, locked (a panic elsewhere leaves it as consistent as before).
fn lock(book: &SharedBook) -> std::sync::MutexGuard<'_, Book> {
    book.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Record that the array `name` of the store, streamed as `given`, is being written.
pub(crate) fn start(book: &SharedBook, name: &str, given: &str) {
    lock(book).entries.push(Entry {
        name: name.to_owned(),
        given: given.to_owned(),
        state: State::Open,
    });
}

/// Record that the array `name` is complete: its handle, of element `dtype` and `shape`.
pub(crate) fn finished(
    book: &SharedBook,
    name: &str,
    dtype: &'static str,
    shape: Vec<usize>,
) -> Streamed {
    let mut book = lock(book);
    book.set(name, State::Finished);
    Streamed {
        build: book.build,
        name: name.to_owned(),
        dtype,
        shape,
    }
}

/// The chunk shape of a streamed array of rows of `row_shape`: what
/// [`chunk_shape`](super::chunk_shape) gives for a known number of `rows`; for a growing array,
/// one row's chunk and as many rows of it as fit in `chunk_bytes`.
#[cfg_attr(not(any(feature = "hdf5", feature = "zarr")), allow(dead_code))]
pub(crate) fn stream_chunk_shape(
    row_shape: &[usize],
    rows: Option<usize>,
    element_size: usize,
    chunk_bytes: usize,
) -> Vec<usize> {
    let shape: Vec<usize> = std::iter::once(rows.unwrap_or(1))
        .chain(row_shape.iter().copied())
        .collect();
    let mut chunk = super::chunk_shape(&shape, element_size, chunk_bytes);
    if rows.is_none() {
        let row_chunk: usize =
            chunk[1..].iter().map(|&n| n.max(1)).product::<usize>() * element_size;
        chunk[0] = (chunk_bytes / row_chunk.max(1)).max(1);
    }
    chunk.into_iter().map(|n| n.max(1)).collect()
}

/// Mark the finished stream `streamed` as used by an item of the build whose book is `book`
/// (`None`: a sink without a store, whose build streamed nothing): the name `_load` takes, or
/// why it cannot be.
pub(crate) fn claim(book: Option<&SharedBook>, streamed: &Streamed) -> Result<String, String> {
    let foreign = || {
        format!(
            "the streamed array `{}` belongs to another archive build; insert it into the Build that streamed it",
            streamed.name
        )
    };
    let Some(book) = book else {
        return Err(foreign());
    };
    let mut book = lock(book);
    if book.build != streamed.build {
        return Err(foreign());
    }
    match book.entries.iter_mut().find(|e| e.name == streamed.name) {
        Some(entry) if entry.state != State::Open => entry.state = State::Used,
        _ => return Err(foreign()),
    }
    Ok(streamed.name.clone())
}

/// A stream of `book` that is not finished or not in any item: its name and what to do, if
/// any. Saving such a build would lose or hide data.
pub(crate) fn unfinished(book: &SharedBook) -> Option<(String, String)> {
    lock(book).entries.iter().find_map(|e| match e.state {
        State::Open => Some((
            e.given.clone(),
            "it was started but never finished (call finish on the ArrayStream, or check the error its writing returned)".to_owned(),
        )),
        State::Finished => Some((
            e.given.clone(),
            "it was finished but is in no item of the build; insert the Streamed handle (or a value holding it)".to_owned(),
        )),
        State::Used => None,
    })
}

/// `book`, made a new book of a build if it is a save's (which streams nothing).
pub(crate) fn for_build(book: &mut SharedBook) -> SharedBook {
    if lock(book).build == 0 {
        *book = new_book();
    }
    book.clone()
}
