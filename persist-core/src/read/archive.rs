//! [`ArchiveReader`]: open an archive (its statements checked and its names bound by
//! [`bind`](super::bind)), read typed items.

use std::path::{Path, PathBuf};

use super::bind::{BindContext, bind};
use super::options::ReadOptions;
use super::{Binding, Bound, LoadError, Reader, SharedValues, Value};
use crate::persist::Persist;
use crate::python::ast::Stmt;
use crate::store::Place;

/// An archive opened for reading: parsed and checked once, then read item by item.
///
/// ```no_run
/// use persist_core::ArchiveReader;
/// let archive = ArchiveReader::open("results/run_1")?; // a package folder, or `NAME.py`
/// let alpha: f64 = archive.read("alpha")?;
/// let steps: u32 = archive.read("steps")?;
/// # Ok::<(), persist_core::LoadError>(())
/// ```
///
/// A reader is `Send` and `Sync`: open once, read from several threads. Values shared through
/// `Rc`/`Arc` come back shared within one read; a [`ReadSession`] keeps them shared across
/// several reads.
#[derive(Debug)]
pub struct ArchiveReader {
    pub(super) bound: Bound,
}

/// Several reads of one archive that share what the archive shares: a value the archive names
/// once and two items use (`a.x is b.y` in Python) comes back as one `Rc`/`Arc` allocation in
/// every read of the session. Made by [`ArchiveReader::session`]; not `Send`, since it keeps
/// the `Rc`s it made.
///
/// ```
/// use std::rc::Rc;
/// let reader = persist_core::ArchiveReader::from_source("_s0 = [1, 2]\na = _s0\nb = [_s0]\n")?;
/// let session = reader.session();
/// let a: Rc<Vec<i32>> = session.read("a")?;
/// let b: Vec<Rc<Vec<i32>>> = session.read("b")?;
/// assert!(Rc::ptr_eq(&a, &b[0]));
/// // Separate reads of the reader itself make separate allocations.
/// let again: Rc<Vec<i32>> = reader.read("a")?;
/// assert!(!Rc::ptr_eq(&a, &again));
/// # Ok::<(), persist_core::LoadError>(())
/// ```
#[derive(Debug)]
pub struct ReadSession<'r> {
    reader: &'r ArchiveReader,
    shared: SharedValues,
}

impl ReadSession<'_> {
    /// Read the item `name` as a `T`, sharing `Rc`/`Arc` values with the session's other reads.
    ///
    /// # Errors
    /// As [`ArchiveReader::read`].
    ///
    /// ```
    /// let reader = persist_core::ArchiveReader::from_source("x = 1\n")?;
    /// let x: u8 = reader.session().read("x")?;
    /// assert_eq!(x, 1);
    /// # Ok::<(), persist_core::LoadError>(())
    /// ```
    pub fn read<T: Persist>(&self, name: &str) -> Result<T, LoadError> {
        self.reader.read_sharing(name, &self.shared)
    }
}

impl ArchiveReader {
    /// Open the archive at `path`: a package folder (`NAME/`, reading `NAME/__init__.py`) or a
    /// module (`NAME.py`; `NAME` alone works when `NAME.py` exists).
    ///
    /// # Errors
    /// The file cannot be read, does not parse, or holds a statement an archive does not have.
    ///
    /// ```
    /// use persist_core::{Archive, ArchiveReader, SaveOptions};
    /// let dir = tempfile::tempdir()?;
    /// let mut archive = Archive::new();
    /// archive.insert("steps", 100_u32)?;
    /// archive.save(dir.path().join("run"), SaveOptions::module())?;
    /// // `run.py` or just `run`:
    /// let reader = ArchiveReader::open(dir.path().join("run"))?;
    /// assert_eq!(reader.read::<u32>("steps")?, 100);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<Self, LoadError> {
        Self::open_with(path, &ReadOptions::default())
    }

    /// [`open`](ArchiveReader::open) with options: modules to trust, the expansion budget.
    ///
    /// # Errors
    /// As [`open`](ArchiveReader::open).
    ///
    /// ```no_run
    /// use persist_core::{ArchiveReader, ReadOptions};
    /// // The archive builds records with `mylab.models:Params` (`#[persist(python = ...)]`).
    /// let options = ReadOptions::new().trust_module("mylab.models");
    /// let archive = ArchiveReader::open_with("results/run_1", &options)?;
    /// # Ok::<(), persist_core::LoadError>(())
    /// ```
    pub fn open_with(path: impl AsRef<Path>, options: &ReadOptions) -> Result<Self, LoadError> {
        let path = path.as_ref();
        let (source_path, place) = if path.is_dir() {
            let place = Place {
                dir: path.to_path_buf(),
                base: String::new(),
                item: false,
                second: false,
            };
            (path.join("__init__.py"), place)
        } else {
            let source = if path.extension().is_some_and(|e| e == "py") {
                path.to_path_buf()
            } else {
                path.with_extension("py")
            };
            let place = beside(&source, false);
            (source, place)
        };
        Self::open_with_arrays(&source_path, place, options)
    }

    fn open_with_arrays(
        source_path: &Path,
        place: Place,
        options: &ReadOptions,
    ) -> Result<Self, LoadError> {
        let source = super::file::read_source(source_path)?;
        let ctx = BindContext {
            origin: source_path.display().to_string(),
            place: Some(place),
            options,
        };
        Self::build(&source, ctx).map_err(|e| match e {
            LoadError::Parse(p) => LoadError::Parse(p.with_path(source_path)),
            other => other,
        })
    }

    /// Open the item module `DIR/NAME.py` of a DataSet, whose arrays are in `DIR/NAME_data/`
    /// (or the `NAME_data...` file of another store).
    pub(crate) fn open_dataset_item_with(
        path: &Path,
        options: &ReadOptions,
    ) -> Result<Self, LoadError> {
        Self::open_with_arrays(path, beside(path, true), options)
    }

    /// Read an archive module from a string (as [`Archive::to_python_source`] makes). Its arrays
    /// must be inline: there is no folder to load external files from.
    ///
    /// [`Archive::to_python_source`]: crate::Archive::to_python_source
    ///
    /// # Errors
    /// The source does not parse, or holds a statement an archive does not have.
    ///
    /// ```
    /// use persist_core::{Archive, ArchiveReader};
    /// let mut archive = Archive::new();
    /// archive.insert("x", vec![1.5, 2.5])?;
    /// let reader = ArchiveReader::from_source(&archive.to_python_source()?)?;
    /// assert_eq!(reader.read::<Vec<f64>>("x")?, vec![1.5, 2.5]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_source(source: &str) -> Result<Self, LoadError> {
        Self::from_source_with(source, &ReadOptions::default())
    }

    /// [`from_source`](ArchiveReader::from_source) with options.
    ///
    /// # Errors
    /// As [`from_source`](ArchiveReader::from_source).
    ///
    /// ```
    /// use persist_core::{ArchiveReader, ReadOptions};
    /// let source = "a = [0, 0, 0, 0]\nb = [a, a, a, a]\nx = [b, b, b, b]\n";
    /// let strict = ReadOptions::new().expansion_limit(0, 30);
    /// let reader = ArchiveReader::from_source_with(source, &strict)?;
    /// assert!(reader.read::<Vec<Vec<Vec<i32>>>>("x").is_err()); // 85 values > 30
    /// assert!(reader.read::<Vec<i32>>("a").is_ok());
    /// # Ok::<(), persist_core::LoadError>(())
    /// ```
    pub fn from_source_with(source: &str, options: &ReadOptions) -> Result<Self, LoadError> {
        let ctx = BindContext {
            origin: "<memory>".to_owned(),
            place: None,
            options,
        };
        Self::build(source, ctx)
    }

    fn build(source: &str, ctx: BindContext<'_>) -> Result<Self, LoadError> {
        // A newer format is refused here; the format decides which helper texts are the writer's.
        let format = super::format::declared_format(source, &ctx.origin)?;
        let bound = bind(source, format, ctx)?;
        Ok(ArchiveReader { bound })
    }

    /// The item names, in the order the module assigns them.
    ///
    /// ```
    /// let reader = persist_core::ArchiveReader::from_source("b = 1\na = 2\n")?;
    /// assert_eq!(reader.items().collect::<Vec<_>>(), ["b", "a"]);
    /// # Ok::<(), persist_core::LoadError>(())
    /// ```
    pub fn items(&self) -> impl Iterator<Item = &str> {
        self.bound.items.iter().map(String::as_str)
    }

    /// Read the item `name` as a `T`.
    ///
    /// # Errors
    /// No such item, or its value does not read as a `T`; the error names the file, the item,
    /// the line and column, and what was expected versus found.
    ///
    /// ```
    /// let reader = persist_core::ArchiveReader::from_source("alpha = 0.5\n")?;
    /// let alpha: f64 = reader.read("alpha")?;
    /// assert_eq!(alpha, 0.5);
    /// assert!(reader.read::<f64>("beta").is_err());
    /// # Ok::<(), persist_core::LoadError>(())
    /// ```
    pub fn read<T: Persist>(&self, name: &str) -> Result<T, LoadError> {
        self.read_sharing(name, &SharedValues::default())
    }

    /// Several reads that keep `Rc`/`Arc` values shared across items (see [`ReadSession`]).
    ///
    /// ```
    /// let reader = persist_core::ArchiveReader::from_source("x = 1\n")?;
    /// let session = reader.session();
    /// assert_eq!(session.read::<u8>("x")?, 1);
    /// # Ok::<(), persist_core::LoadError>(())
    /// ```
    pub fn session(&self) -> ReadSession<'_> {
        ReadSession {
            reader: self,
            shared: SharedValues::default(),
        }
    }

    fn read_sharing<T: Persist>(&self, name: &str, shared: &SharedValues) -> Result<T, LoadError> {
        let index = match self.bound.names.get(name) {
            Some(Binding::Value(index)) if self.bound.items.iter().any(|i| i == name) => *index,
            _ => {
                return Err(LoadError::NoItem {
                    path: self.bound.origin.clone(),
                    item: crate::python::encoding::excerpt(name),
                    available: listing(&self.bound.items),
                });
            }
        };
        let Stmt::Assign { value, .. } = &self.bound.module.statements[index] else {
            unreachable!("bindings point at assignments")
        };
        let mut reader = Reader::new(&self.bound, shared);
        T::from_python(Value::expr(value), &mut reader).map_err(|source| LoadError::Item {
            path: self.bound.origin.clone(),
            item: name.to_owned(),
            source: Box::new(source),
        })
    }

    /// The array files of the archive, each checked: every `_load('name')` of the archive names an array its store holds, checked as the store
    /// checks it (a regular file inside the archive, not a link, a header this crate reads).
    pub(crate) fn check_arrays(&self) -> Result<Vec<PathBuf>, LoadError> {
        let bound = &self.bound;
        let mut files: Vec<PathBuf> = Vec::new();
        let Some(place) = &bound.place else {
            return Ok(files); // read from a string: `_load` is refused when read
        };
        for (name, pos) in &bound.loads {
            let fail = |message: String| LoadError::Module {
                path: bound.origin.clone(),
                pos: *pos,
                message,
            };
            let Some(store) = bound.store else {
                return Err(fail(format!(
                    "`_load('{name}')` without an array store's `_load` definition"
                )));
            };
            let checked = store
                .check(place, name, &bound.limits)
                .map_err(|e| fail(format!("`_load('{name}')`: {}: {}", e.path().display(), e)))?;
            if !files.contains(&checked) {
                files.push(checked);
            }
        }
        // Record tables: every column loads with its checks, and all have one length.
        super::table::check_tables(bound).map_err(|e| LoadError::Module {
            path: bound.origin.clone(),
            pos: e.pos(),
            message: e.kind().to_string(),
        })?;
        Ok(files)
    }
}

/// The first names of `items`, and how many more there are: an error message stays short.
fn listing(items: &[String]) -> String {
    const SHOWN: usize = 20;
    let mut list: Vec<String> = items
        .iter()
        .take(SHOWN)
        .map(|i| crate::python::encoding::excerpt(i))
        .collect();
    if items.len() > SHOWN {
        list.push(format!("and {} more", items.len() - SHOWN));
    }
    list.join(", ")
}

/// Load one item of the archive at `path` (see [`ArchiveReader::open`]).
///
/// # Errors
/// As [`ArchiveReader::open`] and [`ArchiveReader::read`].
///
/// ```no_run
/// let field: ndarray::Array2<f64> = persist_core::load("results/run_1", "field")?;
/// # Ok::<(), persist_core::LoadError>(())
/// ```
pub fn load<T: Persist>(path: impl AsRef<Path>, item: &str) -> Result<T, LoadError> {
    ArchiveReader::open(path)?.read(item)
}

/// Read one item from archive source held in a string (see [`ArchiveReader::from_source`]).
///
/// # Errors
/// As [`ArchiveReader::from_source`] and [`ArchiveReader::read`].
///
/// ```
/// let x: (i32, String) = persist_core::from_str("x = (1, 'one')\n", "x")?;
/// assert_eq!(x, (1, "one".to_owned()));
/// # Ok::<(), persist_core::LoadError>(())
/// ```
pub fn from_str<T: Persist>(source: &str, item: &str) -> Result<T, LoadError> {
    ArchiveReader::from_source(source)?.read(item)
}

/// The place of the module `source` (`DIR/NAME.py`): its folder and name, for an archive or
/// (`item`) a DataSet item.
fn beside(source: &Path, item: bool) -> Place {
    let dir = match source.parent() {
        Some(p) => p.to_path_buf(),
        None => PathBuf::new(),
    };
    let base = source
        .file_stem()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_owned();
    Place {
        dir,
        base,
        item,
        second: false,
    }
}
