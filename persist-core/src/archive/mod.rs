//! [`Archive`]: named values saved as an importable Python module or package; saving goes
//! through a staging folder ([`staging`]) and an atomic swap ([`target`]).

mod build;
pub(crate) mod bytecode;
pub(crate) mod fault;
mod item;
mod options;
pub(crate) mod staging;
mod target;
#[cfg(test)]
mod tests_source;

use std::fs;
use std::io::Write as _;
use std::path::Path;

use crate::error::ArchiveError;
use crate::format::helpers;
use crate::format::{FORMAT_WITH_DATACLASSES, FORMAT_WITH_LIST_COLUMNS, FORMAT_WITHOUT_TABLES};
use crate::persist::Persist;
use crate::python::name::python_name_problem;
use crate::python::names;
use crate::store::{ArraySink, ArrayStore, Place};
use crate::write::Writer;
use staging::Staging;
use target::Target;

pub use build::{ArrayStream, Build};
pub use item::IntoItem;
use item::Item;
pub use options::SaveOptions;

/// The default array threshold: arrays with more elements than this go to external files.
///
/// ```
/// let archive = persist_core::Archive::new();
/// assert_eq!(archive.array_threshold(), persist_core::DEFAULT_ARRAY_THRESHOLD);
/// ```
pub const DEFAULT_ARRAY_THRESHOLD: usize = 100;

/// How an archive is laid out on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// `NAME.py`, with external arrays beside it in `NAME_arrays/` (npy), `NAME_arrays.npz`
    /// (npz), `NAME_data.h5` (HDF5) or `NAME_arrays.zarr` (Zarr), or under their second name
    /// (`NAME_arrays.2/`, ...) after an overwrite (see `store::second_name`).
    Module,
    /// `NAME/__init__.py`, with external arrays in `NAME/_arrays/` (npy), `NAME/_arrays.npz`
    /// (npz) or `NAME/_data.h5` (HDF5).
    Package,
}

/// A set of named values to be saved as one Python module or package.
///
/// Items are borrowed (or owned) until the archive is saved, so large arrays are streamed to their
/// files without a copy.
///
/// `Archive::new()` holds values that are `Send` (and references to `Sync` ones), so the
/// archive itself is `Send`; `Archive::local()` holds any value, `Rc` too, and stays on its
/// thread. They are the same type with another item box `V`; see [`IntoItem`].
///
/// ```no_run
/// use persist_core::{Archive, SaveOptions};
/// let field = ndarray::Array2::<f64>::zeros((512, 512));
/// let mut archive = Archive::new();
/// archive.insert("alpha", 0.5)?;
/// archive.insert("field", &field)?;
/// archive.save("results/run_2026_11_22", SaveOptions::package())?;
/// // python3 -c "import run_2026_11_22 as r; print(r.alpha, r.field.shape)"
/// # Ok::<(), persist_core::ArchiveError>(())
/// ```
pub struct Archive<'a, V: ?Sized + 'a = dyn Persist + Send + 'a> {
    items: Vec<Item<V>>,
    borrows: std::marker::PhantomData<&'a ()>,
    threshold: usize,
    store: ArrayStore,
    sync: bool,
}

impl Default for Archive<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<V: ?Sized> std::fmt::Debug for Archive<'_, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Archive")
            .field(
                "items",
                &self.items.iter().map(|i| &i.name).collect::<Vec<_>>(),
            )
            .field("threshold", &self.threshold)
            .field("store", &self.store)
            .finish()
    }
}

impl<'a> Archive<'a> {
    /// An empty archive with the default array threshold ([`DEFAULT_ARRAY_THRESHOLD`]), for
    /// values that are `Send`: the archive can be moved to another thread and saved there.
    ///
    /// ```
    /// let mut archive = persist_core::Archive::new();
    /// archive.insert("steps", 100_u32)?;
    /// # Ok::<(), persist_core::ArchiveError>(())
    /// ```
    pub fn new() -> Self {
        Self::empty()
    }
}

impl<'a> Archive<'a, dyn Persist + 'a> {
    /// An empty archive for values of any type, `Rc` and `RefCell` ones too; it stays on the
    /// thread that made it.
    ///
    /// ```
    /// use std::rc::Rc;
    /// let shared = Rc::new(0.5);
    /// let mut archive = persist_core::Archive::local();
    /// archive.insert("a", &shared)?.insert("b", &shared)?;
    /// assert!(archive.to_python_source()?.contains("_s0 = 0.5"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn local() -> Self {
        Self::empty()
    }
}

impl<'a, V: ?Sized + Persist + 'a> Archive<'a, V> {
    fn empty() -> Self {
        Archive {
            items: Vec::new(),
            borrows: std::marker::PhantomData,
            threshold: DEFAULT_ARRAY_THRESHOLD,
            store: ArrayStore::Npy,
            sync: true,
        }
    }

    /// Arrays with more than `threshold` elements are saved to external files; smaller ones are
    /// written inline as numbers a person can read and edit.
    ///
    /// ```
    /// let archive = persist_core::Archive::new().with_array_threshold(1000);
    /// assert_eq!(archive.array_threshold(), 1000);
    /// ```
    #[must_use]
    pub fn with_array_threshold(mut self, threshold: usize) -> Self {
        self.threshold = threshold;
        self
    }

    /// The array threshold.
    ///
    /// ```
    /// let archive = persist_core::Archive::new().with_array_threshold(10);
    /// assert_eq!(archive.array_threshold(), 10);
    /// ```
    pub fn array_threshold(&self) -> usize {
        self.threshold
    }

    /// Where [`save`](Archive::save) writes the arrays above the threshold: `.npy` files (the
    /// default), one `.npz` file, or one HDF5 file (feature `hdf5`). See [`ArrayStore`].
    ///
    /// ```
    /// use persist_core::{Archive, ArrayStore};
    /// let archive = Archive::new().with_array_store(ArrayStore::Npy);
    /// assert_eq!(archive.array_store(), &ArrayStore::Npy);
    /// ```
    ///
    /// With the feature `hdf5`:
    ///
    /// ```no_run
    /// # #[cfg(feature = "hdf5")] {
    /// use persist_core::{Archive, ArrayStore, Hdf5Options, SaveOptions};
    /// let temperature = ndarray::Array2::<f64>::zeros((4096, 4096));
    /// let mut archive = Archive::new()
    ///     .with_array_store(ArrayStore::Hdf5(Hdf5Options::default().gzip(4).chunked(true)));
    /// archive.insert("temperature", &temperature)?;
    /// archive.save("run_1", SaveOptions::package())?; // run_1/__init__.py, run_1/_data.h5
    /// # }
    /// # Ok::<(), persist_core::ArchiveError>(())
    /// ```
    #[must_use]
    pub fn with_array_store(mut self, store: ArrayStore) -> Self {
        self.store = store;
        self
    }

    /// The array store.
    ///
    /// ```
    /// use persist_core::{Archive, ArrayStore};
    /// assert_eq!(Archive::new().array_store(), &ArrayStore::Npy);
    /// ```
    pub fn array_store(&self) -> &ArrayStore {
        &self.store
    }

    /// Add a value under `name`, which becomes an attribute of the Python module. Pass a
    /// reference to keep ownership: `archive.insert("run", &run)`.
    ///
    /// # Errors
    /// A name that is not a Python identifier, is a keyword, starts with `_` (reserved for the
    /// archive's helpers), shadows a builtin the archive uses, contains a path separator, or is
    /// already taken.
    ///
    /// ```
    /// let mut archive = persist_core::Archive::new();
    /// archive.insert("steps", 100_u32)?;
    /// assert!(archive.insert("class", 1).is_err());
    /// # Ok::<(), persist_core::ArchiveError>(())
    /// ```
    pub fn insert<T: IntoItem<'a, V>>(
        &mut self,
        name: &str,
        value: T,
    ) -> Result<&mut Self, ArchiveError> {
        check_item_name(name)?;
        if self.items.iter().any(|item| item.name == name) {
            return Err(ArchiveError::DuplicateName {
                name: name.to_owned(),
            });
        }
        let rust_type = referent_type_name(std::any::type_name::<T>());
        self.items.push(Item {
            name: name.to_owned(),
            rust_type,
            value: value.into_item(),
        });
        Ok(self)
    }

    /// The names of the items, in insertion order.
    ///
    /// ```
    /// let mut archive = persist_core::Archive::new();
    /// archive.insert("b", 1)?.insert("a", 2)?;
    /// assert_eq!(archive.names().collect::<Vec<_>>(), ["b", "a"]);
    /// # Ok::<(), persist_core::ArchiveError>(())
    /// ```
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.items.iter().map(|item| item.name.as_str())
    }

    /// The whole archive as the source of one Python module, with every array inline (there is
    /// no folder for external files in memory).
    ///
    /// # Errors
    /// A value Python cannot represent (see [`WriteError`](crate::WriteError)), naming the item.
    ///
    /// ```
    /// let mut archive = persist_core::Archive::new();
    /// archive.insert("x", vec![1, 2])?;
    /// let source = archive.to_python_source()?;
    /// assert!(source.contains("\nx = [1, 2]\n"));
    /// # Ok::<(), persist_core::ArchiveError>(())
    /// ```
    pub fn to_python_source(&self) -> Result<String, ArchiveError> {
        self.render(ArraySink::Inline, None)
            .map(|(source, _, _)| source)
    }

    /// Save the archive at `path`: `dir/NAME.py` for [`SaveOptions::module`], the folder
    /// `dir/NAME` for [`SaveOptions::package`].
    ///
    /// The archive is written into a temporary sibling and swapped into place, so a failure
    /// (a bad value, a full disk) leaves any previous archive untouched and no partial files.
    /// On Linux the swap is atomic (`renameat2(RENAME_EXCHANGE)`): the path never lacks an
    /// archive, even when the writer is killed; a module archive's source and arrays are two
    /// such swaps, arrays first. Temporary folders of writers that died are removed first.
    /// Arrays above the threshold go where [`with_array_store`](Archive::with_array_store)
    /// says, inside that temporary copy too. Saving replaces the whole previous archive,
    /// whichever store wrote it.
    /// Replacing an existing archive needs [`SaveOptions::overwrite`]. The parent folder must
    /// exist. The output is byte-for-byte deterministic.
    ///
    /// # Errors
    /// The target exists (without overwrite); the archive name is not an importable Python name;
    /// an item cannot be written; a file system operation fails. Each names the path.
    ///
    /// ```
    /// use persist_core::{Archive, ArchiveReader, SaveOptions};
    /// let dir = tempfile::tempdir()?;
    /// let field = ndarray::Array1::<f64>::linspace(0.0, 1.0, 1000);
    /// let mut archive = Archive::new();
    /// archive.insert("field", &field)?;
    /// archive.save(dir.path().join("run"), SaveOptions::package())?;
    /// assert!(dir.path().join("run/_arrays/field.npy").is_file()); // above the threshold
    /// let back: ndarray::Array1<f64> = ArchiveReader::open(dir.path().join("run"))?.read("field")?;
    /// assert_eq!(back, field);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>, options: SaveOptions) -> Result<(), ArchiveError> {
        let (target, staging, sink) = self.prepare(path.as_ref(), &options)?;
        self.finish(target, staging, sink, &options)
    }

    /// The first steps of a save: the target checked, leftovers of dead writers removed, the
    /// staging folder made and the array sink opened in it.
    fn prepare(
        &self,
        path: &Path,
        options: &SaveOptions,
    ) -> Result<(Target, Staging, ArraySink), ArchiveError> {
        let target = Target::new(path, options.layout)?;
        if let Some(other) = target.other_layout() {
            return Err(ArchiveError::OtherLayoutExists {
                path: target.path,
                other,
            });
        }
        if !options.overwrite
            && let Some(existing) = target.existing().into_iter().next()
        {
            return Err(ArchiveError::Exists { path: existing });
        }
        let prefix = target.staging_prefix();
        // Leftovers of writers of this archive that died mid-save.
        staging::clean_dead(&target.parent, &prefix);
        let staging = Staging::new_in(&target.parent, &prefix)
            .map_err(|source| io_error("create a temporary folder in", &target.parent, source))?;
        let place = Place {
            dir: staging.path().to_path_buf(),
            base: match options.layout {
                Layout::Module => target.name.clone(),
                Layout::Package => String::new(),
            },
            item: false,
            second: target.second_name_is_free(),
        };
        let sync = self.sync && options.durable;
        let sink = ArraySink::for_save(&self.store, &place, self.threshold, sync);
        Ok((target, staging, sink))
    }

    /// The last steps of a save: the source written beside the arrays of `sink`, and the
    /// staging folder swapped into place.
    fn finish(
        &self,
        target: Target,
        staging: Staging,
        sink: ArraySink,
        options: &SaveOptions,
    ) -> Result<(), ArchiveError> {
        let sync = self.sync && options.durable;
        let (source, sink, _) = self.render(sink, Some(&target.path))?;
        if let Some((array, message)) = sink.unfinished_stream() {
            return Err(ArchiveError::Stream {
                array,
                path: target.path,
                message,
            });
        }
        sink.close()?;
        let source_path = match options.layout {
            Layout::Module => staging.path().join(format!("{}.py", target.name)),
            Layout::Package => staging.path().join("__init__.py"),
        };
        write_source(&source_path, source.as_bytes(), &target.source_path(), sync)?;
        target.commit(staging)
    }

    /// Write this archive as the DataSet item module `path` (`DIR/NAME.py`, its arrays in
    /// `DIR/NAME_data/` or the `NAME_data...` file of its store), ending with
    /// `sys.modules[__name__] = NAME` so that importing the module gives the value of its one
    /// item `NAME`. `DIR` is the DataSet's staging folder: the files are written in place, and
    /// the DataSet renames them to `destination`.
    pub(crate) fn save_dataset_item(
        &self,
        path: &Path,
        destination: &Path,
    ) -> Result<(), ArchiveError> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let name = path.file_stem().and_then(|n| n.to_str()).unwrap_or("");
        let place = Place {
            dir: dir.to_path_buf(),
            base: name.to_owned(),
            item: true,
            second: false,
        };
        let sink = ArraySink::for_save(&self.store, &place, self.threshold, self.sync);
        let (mut source, sink, keeps_classes) = self.render(sink, Some(path))?;
        sink.close()?;
        if keeps_classes {
            // The module stays in `sys.modules` under another name, where pickle finds its
            // record classes.
            source.push_str("import sys as _sys\n\n\n");
            source.push_str(helpers::ITEM_HELPER);
            source.push_str(&format!("_sys.modules[__name__] = _item({name})\n"));
        } else {
            source.push_str(&format!(
                "import sys as _sys\n_sys.modules[__name__] = {name}\n"
            ));
        }
        write_source(path, source.as_bytes(), destination, self.sync)
    }

    /// Write this archive, every array inline, as the one module file `path`, which will be
    /// renamed to `destination`: a DataSet's metadata file.
    pub(crate) fn save_inline_module(
        &self,
        path: &Path,
        destination: &Path,
    ) -> Result<(), ArchiveError> {
        let (source, _, _) = self.render(ArraySink::Inline, Some(path))?;
        write_source(path, source.as_bytes(), destination, self.sync)
    }

    /// Whether files are synced to disk before they are renamed into place (default `true`).
    pub(crate) fn with_sync(mut self, sync: bool) -> Self {
        self.sync = sync;
        self
    }

    fn render(
        &self,
        sink: ArraySink,
        path: Option<&Path>,
    ) -> Result<(String, ArraySink, bool), ArchiveError> {
        let loader_names = sink.loader_names();
        let mut writer = Writer::new(sink);
        writer.with_tables(self.threshold);
        for item in &self.items {
            writer.reserve(&item.name);
        }
        // Keep record classes (`_Name`) and temporaries off the array loader's helper names.
        for name in loader_names {
            writer.reserve(name);
        }
        let mut body = String::new();
        for item in &self.items {
            writer
                .write_item(&item.name, &&*item.value, &mut body)
                .map_err(|source| ArchiveError::Item {
                    item: item.name.clone(),
                    path: path.map(Path::to_path_buf),
                    source,
                })?;
        }
        // Columns of lists and dict tables are written as format 6 only, records, other tables
        // and datetimes as format 5 (its `_record` and `_table`), anything else as format 2.
        let values = if writer.needs_format_6() {
            FORMAT_WITH_LIST_COLUMNS
        } else if writer.needs_format_5() {
            FORMAT_WITH_DATACLASSES
        } else {
            FORMAT_WITHOUT_TABLES
        };
        let keeps_classes = writer.keeps_classes();
        // The oldest format that holds the values and the store's arrays.
        let format = values.max(writer.arrays().first_format());
        let mut source = self.header(writer.arrays().needs(), format);
        let (tail, sink) = writer.finish(&mut source);
        if body.len() < SMALL_BODY {
            // One allocation of the whole text.
            source.reserve_exact(body.len() + tail.len());
            source.push_str(&body);
            source.push_str(&tail);
            return Ok((source, sink, keeps_classes));
        }
        // The body is the bulk: the short head goes in front of it, where it stands.
        body.insert_str(0, &source);
        body.push_str(&tail);
        Ok((body, sink, keeps_classes))
    }

    /// The header comment; `needed` is what Python needs, as the array store says it, and
    /// `format` the oldest format that holds the archive.
    fn header(&self, needed: &str, format: u32) -> String {
        let mut s = format!(
            "# persist archive, format {format}, written by persist-core {}.\n\
             # Plain Python source: import it ({needed} for arrays) or edit it by hand.\n",
            env!("CARGO_PKG_VERSION")
        );
        if self.items.is_empty() {
            s.push_str("# Items: none.\n");
        } else {
            s.push_str("# Items (name: Rust type):\n");
            for item in &self.items {
                for piece in ["#   ", &item.name, ": ", item.rust_type, "\n"] {
                    s.push_str(piece);
                }
            }
        }
        s.push('\n');
        s
    }
}

/// Bodies shorter than this are copied after the head into a new text; longer ones get the
/// head inserted in front of them where they stand.
const SMALL_BODY: usize = 1 << 16;

fn check_item_name(name: &str) -> Result<(), ArchiveError> {
    let invalid = |reason: &str| {
        Err(ArchiveError::InvalidName {
            name: name.to_owned(),
            reason: reason.to_owned(),
        })
    };
    if name.contains(['/', '\\']) {
        return invalid("contains a path separator; use a plain Python name such as `run_1`");
    }
    if let Some(problem) = python_name_problem(name) {
        return invalid(&format!(
            "{problem}; use a plain Python name such as `run_1`"
        ));
    }
    if name.starts_with('_') {
        return invalid("starts with `_`, which is reserved for the archive's helper names");
    }
    if names::is_builtin(name) {
        return invalid(
            "shadows the Python builtin the archive uses to write values; choose another name",
        );
    }
    Ok(())
}

/// `&mut alloc::vec::Vec<u8>` → `alloc::vec::Vec<u8>`: the header names the value's type.
fn referent_type_name(mut name: &'static str) -> &'static str {
    loop {
        if let Some(rest) = name.strip_prefix('&') {
            name = rest.trim_start();
        } else if let Some(rest) = name.strip_prefix("mut ") {
            name = rest;
        } else {
            return name;
        }
    }
}

fn io_error(action: &'static str, path: &Path, source: std::io::Error) -> ArchiveError {
    ArchiveError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Write the source file `path`, which will be renamed to `destination`, with a modification
/// time no bytecode cached for `destination` matches (see [`bytecode`]).
fn write_source(
    path: &Path,
    bytes: &[u8],
    destination: &Path,
    sync: bool,
) -> Result<(), ArchiveError> {
    let mut file = fs::File::create(path).map_err(|e| io_error("create", path, e))?;
    file.write_all(bytes)
        .and_then(|()| fault::point("write-source"))
        .map_err(|e| io_error("write", path, e))?;
    bytecode::set_fresh_mtime(&file, destination)
        .map_err(|e| io_error("set the modification time of", path, e))?;
    if sync {
        file.sync_all().map_err(|e| io_error("sync", path, e))?;
    }
    Ok(())
}
