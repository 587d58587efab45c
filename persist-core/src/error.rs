//! Errors of the writing layer ([`WriteError`]) and of archives ([`ArchiveError`]).

use std::fmt;
use std::path::PathBuf;

/// `Debug` for a public error: its message, as `Display` gives it. `fn main() -> Result<(),
/// Box<dyn Error>>` prints an error with `{:?}` (`Error: ...`), and the message is where the
/// hint is (`use SaveOptions::overwrite(true) to replace it`); `std::io::Error`'s `Debug`
/// shows its message too. Match on the variants to tell errors apart.
macro_rules! debug_is_the_message {
    ($($ty:ty),* $(,)?) => {$(
        impl ::core::fmt::Debug for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(self, f)
            }
        }
    )*};
}
pub(crate) use debug_is_the_message;

debug_is_the_message!(WriteErrorKind, WriteError, ArchiveError);

/// One step of the path from an item to the value where a write failed.
///
/// ```
/// use persist_core::{PathSegment, WriteError};
/// let err = WriteError::custom("too large")
///     .within(PathSegment::Index(2))
///     .within(PathSegment::Key("'a'".into()))
///     .within(PathSegment::Field("params"));
/// assert_eq!(err.path(), ".params['a'][2]");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// A named field: `.name`.
    Field(&'static str),
    /// A list, tuple or set element, or a positional field: `[3]`.
    Index(usize),
    /// The value under a dict key, as the key's Python source: `['alpha']`.
    Key(String),
}

/// What went wrong while writing a value as Python source.
///
/// ```
/// use std::collections::BTreeMap;
/// use persist_core::{Archive, WriteErrorKind};
/// let mut archive = Archive::new();
/// archive.insert("m", BTreeMap::from([(vec![1, 2], "a list key")]))?;
/// let err = archive.to_python_source().unwrap_err();
/// let persist_core::ArchiveError::Item { source, .. } = &err else { panic!("{err}") };
/// assert!(matches!(source.kind(), WriteErrorKind::UnhashableKey(_)));
/// # Ok::<(), persist_core::ArchiveError>(())
/// ```
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum WriteErrorKind {
    /// A dict key is NaN (or contains one): Python could never look it up.
    #[error(
        "a NaN cannot be a dict key: Python could never look it up; map NaN to another key first"
    )]
    NanKey,
    /// A dict key is a list, set, dict or array, which Python cannot hash.
    #[error("{0} cannot be a dict key: Python cannot hash it; use a tuple or a string instead")]
    UnhashableKey(&'static str),
    /// A path is not valid UTF-8, so it cannot become a Python `str`.
    #[error("path {0:?} is not valid UTF-8, so it cannot become a Python str")]
    NonUtf8Path(PathBuf),
    /// Writing an external array file failed.
    #[error("cannot write array file {path}: {source}")]
    ArrayFile {
        /// The file being written.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A value's own implementation refused it.
    #[error("{0}")]
    Custom(String),
    /// A [`Persist`](crate::Persist) implementation called the [`Writer`](crate::Writer)'s
    /// container methods out of order: `end` without `begin`, `element` outside a container,
    /// `field` outside a record, `end_record` on a list, or it returned with a container open.
    /// The message names the method and what to call instead.
    #[error("the value's Persist implementation misuses the Writer: {0}")]
    Misuse(String),
}

/// An error writing a value as Python source, with the path inside the item where it happened.
///
/// ```
/// use persist_core::{Archive, WriteError};
/// let mut archive = Archive::new();
/// archive.insert("run", vec![(1, f64::NAN)])?;
/// archive.to_python_source()?; // a NaN value is fine; only NaN keys are refused
/// let err = WriteError::custom("no negative masses");
/// assert_eq!(err.to_string(), "no negative masses");
/// # Ok::<(), persist_core::ArchiveError>(())
/// ```
pub struct WriteError {
    kind: WriteErrorKind,
    /// Innermost segment first (segments are added while the error travels outwards).
    path: Vec<PathSegment>,
}

impl WriteError {
    /// An error of this kind at the current value.
    ///
    /// ```
    /// use persist_core::{WriteError, WriteErrorKind};
    /// let err = WriteError::new(WriteErrorKind::NanKey);
    /// assert!(matches!(err.kind(), WriteErrorKind::NanKey));
    /// ```
    pub fn new(kind: WriteErrorKind) -> Self {
        WriteError {
            kind,
            path: Vec::new(),
        }
    }

    /// An error with a message of the implementation's own.
    ///
    /// ```
    /// use persist_core::{Persist, WriteError, Writer};
    /// struct Mass(f64);
    /// impl Persist for Mass {
    ///     fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
    ///         if self.0 < 0.0 {
    ///             return Err(WriteError::custom(format!("a negative mass {}", self.0)));
    ///         }
    ///         out.write_f64(self.0)
    ///     }
    /// }
    /// assert!(Mass(-1.0).to_python_source(&mut Writer::inline()).is_err());
    /// ```
    pub fn custom(message: impl fmt::Display) -> Self {
        Self::new(WriteErrorKind::Custom(message.to_string()))
    }

    /// The same error, one level further out.
    #[must_use]
    ///
    /// ```
    /// use persist_core::{PathSegment, WriteError};
    /// let err = WriteError::custom("bad").within(PathSegment::Field("x"));
    /// assert_eq!(err.to_string(), "at `.x`: bad");
    /// ```
    pub fn within(mut self, segment: PathSegment) -> Self {
        self.path.push(segment);
        self
    }

    /// What went wrong.
    ///
    /// ```
    /// use persist_core::{WriteError, WriteErrorKind};
    /// assert!(matches!(WriteError::custom("bad").kind(), WriteErrorKind::Custom(m) if m == "bad"));
    /// ```
    pub fn kind(&self) -> &WriteErrorKind {
        &self.kind
    }

    /// The path from the item to the failing value, as Python would spell it (`.params['a'][2]`).
    ///
    /// ```
    /// use persist_core::{PathSegment, WriteError};
    /// assert_eq!(WriteError::custom("bad").within(PathSegment::Index(0)).path(), "[0]");
    /// ```
    pub fn path(&self) -> String {
        format_path(&self.path)
    }
}

/// A path given innermost segment first, as Python would spell it from the item: `.a['k'][2]`.
pub(crate) fn format_path(path: &[PathSegment]) -> String {
    let mut s = String::new();
    for seg in path.iter().rev() {
        match seg {
            PathSegment::Field(name) => {
                s.push('.');
                s.push_str(name);
            }
            PathSegment::Index(i) => s.push_str(&format!("[{i}]")),
            PathSegment::Key(k) => s.push_str(&format!("[{k}]")),
        }
    }
    s
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.kind)
        } else {
            write!(f, "at `{}`: {}", self.path(), self.kind)
        }
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.kind)
    }
}

/// An error building or saving an [`Archive`](crate::Archive).
///
/// ```
/// use persist_core::{Archive, ArchiveError};
/// let mut archive = Archive::new();
/// archive.insert("alpha", 0.5)?;
/// let err = archive.insert("alpha", 1.0).unwrap_err();
/// assert!(matches!(err, ArchiveError::DuplicateName { .. }));
/// # Ok::<(), ArchiveError>(())
/// ```
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum ArchiveError {
    /// An item name that Python cannot use as a module attribute.
    #[error("invalid item name {name:?}: it {reason}")]
    InvalidName {
        /// The name given.
        name: String,
        /// Why Python cannot use it.
        reason: String,
    },
    /// Two items with the same name.
    #[error("duplicate item name {name:?}: the archive already has an item of that name")]
    DuplicateName {
        /// The name given twice.
        name: String,
    },
    /// The archive's own name (the file or folder name) is not an importable module name.
    #[error(
        "cannot save to {path}: the archive name {name:?} {reason}, so Python could not import it"
    )]
    InvalidArchiveName {
        /// The target path.
        path: PathBuf,
        /// The name taken from it.
        name: String,
        /// Why Python cannot import it.
        reason: String,
    },
    /// The archive's name is a module of Python's standard library, or one numpy, h5py or zarr
    /// imports: a Python started in the archive's folder would import the archive for every
    /// `import NAME`, breaking it and the libraries that use it (an archive named `inspect`
    /// breaks `import numpy` there).
    ///
    /// ```
    /// use persist_core::{Archive, ArchiveError, SaveOptions};
    /// let dir = tempfile::tempdir()?;
    /// let mut archive = Archive::new();
    /// archive.insert("x", 1)?;
    /// let err = archive.save(dir.path().join("copy"), SaveOptions::module()).unwrap_err();
    /// assert!(matches!(err, ArchiveError::ShadowsModule { ref name, .. } if name == "copy"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[error(
        "cannot save to {path}: the archive name `{name}` is {owner}, and a Python started in that folder would import the archive for every `import {name}`; choose another name (for example `{name}_run`)"
    )]
    ShadowsModule {
        /// The target path.
        path: PathBuf,
        /// The archive's name, which is the module's.
        name: String,
        /// Whose module it is ("a module of Python's standard library", ...).
        owner: &'static str,
    },
    /// The target exists and the save did not ask to overwrite it.
    #[error(
        "cannot save to {path}: it already exists; use SaveOptions::overwrite(true) to replace it"
    )]
    Exists {
        /// The existing path.
        path: PathBuf,
    },
    /// An archive of the other layout and the same name exists: `import NAME` would find the
    /// package, not the module.
    #[error(
        "cannot save to {path}: {other} exists, and `import` would find it instead; remove it or choose another name"
    )]
    OtherLayoutExists {
        /// The target path.
        path: PathBuf,
        /// The other archive.
        other: PathBuf,
    },
    /// An item could not be written.
    #[error("cannot write item `{item}`{}: {source}", in_path(.path))]
    Item {
        /// The item's name.
        item: String,
        /// The archive being saved, if any.
        path: Option<PathBuf>,
        /// What went wrong, and where inside the item.
        #[source]
        source: WriteError,
    },
    /// An array being streamed ([`Build::stream`](crate::Build::stream)) could not be
    /// started, written or finished, or a build was committed with a stream unfinished or unused.
    #[error("cannot stream array `{array}` of archive {path}: {message}")]
    Stream {
        /// The name the array was streamed under.
        array: String,
        /// The archive being built.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A file system operation failed.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done ("create", "write", "rename", ...).
        action: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl ArchiveError {
    /// A [`Stream`](ArchiveError::Stream) error about the array streamed as `array` into the
    /// archive `path`.
    pub(crate) fn stream(
        array: impl Into<String>,
        path: impl Into<PathBuf>,
        message: impl Into<String>,
    ) -> Self {
        ArchiveError::Stream {
            array: array.into(),
            path: path.into(),
            message: message.into(),
        }
    }
}

fn in_path(path: &Option<PathBuf>) -> String {
    match path {
        Some(p) => format!(" of archive {}", p.display()),
        None => String::new(),
    }
}
