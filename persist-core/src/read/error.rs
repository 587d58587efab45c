//! Errors of the reading layer: [`ReadError`] (a value inside an item) and [`LoadError`] (an
//! archive on disk).

use std::fmt;
use std::path::PathBuf;

use crate::error::PathSegment;
use crate::python::ast::Pos;
use crate::python::error::ParseError;

/// What went wrong while reading a value back from Python source.
///
/// ```
/// use persist_core::{LoadError, ReadErrorKind};
/// let err = persist_core::from_str::<u8>("x = 300\n", "x").unwrap_err();
/// let LoadError::Item { source, .. } = &err else { panic!("{err}") };
/// assert!(matches!(source.kind(), ReadErrorKind::OutOfRange { .. }));
/// ```
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum ReadErrorKind {
    /// The source holds another kind of value than the Rust type needs.
    #[error("expected {expected}, found {found}")]
    Expected {
        /// What the Rust type needs ("an int", "a list of 3 elements").
        expected: String,
        /// What the source holds ("a str", "a call of `_Params`").
        found: String,
    },
    /// An integer does not fit the Rust type.
    #[error("{value} does not fit in {ty}")]
    OutOfRange {
        /// The integer as written.
        value: String,
        /// The Rust type.
        ty: &'static str,
    },
    /// A field without a default is missing.
    #[error("missing field `{field}` of `{record}`; {}", missing_hint(.field, .unread))]
    MissingField {
        /// The record's Python name.
        record: String,
        /// The field's Python name.
        field: &'static str,
        /// The fields of the archive's record that no field of the Rust type read: one may be
        /// the missing field under its old name.
        unread: Vec<String>,
    },
    /// A record of another class than the Rust type's: another struct, a struct where an enum
    /// is read, another enum's variant.
    #[error(
        "expected a record `{expected}`, found a record `{found}`; if the Rust type was renamed, add #[persist(alias = \"{found}\")] to it, or read by fields alone with ReadOptions::structural_records(true)"
    )]
    WrongRecord {
        /// The Rust type's Python name (or "a variant of `Enum`").
        expected: String,
        /// The archive's class.
        found: String,
    },
    /// A field the Rust type does not have, with `deny_unknown_fields`.
    #[error(
        "unknown field `{field}` of `{record}`{}; expected one of {expected}",
        nearest_hint(.field, .expected)
    )]
    UnknownField {
        /// The record's Python name.
        record: String,
        /// The field found.
        field: String,
        /// The fields the Rust type has.
        expected: String,
    },
    /// An enum variant the Rust type does not have.
    #[error("unknown variant `{variant}` of `{record}`; expected one of {expected}")]
    UnknownVariant {
        /// The enum's Python name.
        record: String,
        /// The variant found.
        variant: String,
        /// The variants the Rust type has.
        expected: String,
    },
    /// A name the module does not define (or a helper used where a value is needed).
    #[error("`{0}` is not defined in the archive")]
    UndefinedName(String),
    /// A call of something that is not one of the archive's helpers: refused, never executed.
    #[error(
        "a call of `{0}` is not allowed in an archive; expected a literal or one of the archive's own helpers"
    )]
    ForbiddenCall(String),
    /// An array's dtype, dimensionality or shape does not match the Rust type.
    #[error("array mismatch: {0}")]
    Array(String),
    /// An external array file cannot be read.
    #[error("cannot read array file {path}: {message}")]
    ArrayFile {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The Rust type cannot be read back (it borrows its data, like `&str` or an array view).
    #[error(
        "`{0}` cannot be read back from an archive: it borrows its data; read an owned type instead"
    )]
    Unsupported(&'static str),
    /// The Rust type was derived with `#[persist(write_only)]`: it is written, never read.
    #[error(
        "`{0}` is `#[persist(write_only)]`: it is written to archives but not read back; remove `write_only` to read it"
    )]
    WriteOnly(&'static str),
    /// A value's own implementation refused it.
    #[error("{0}")]
    Custom(String),
    /// Reading the item would touch more values than the budget allows: names used many times
    /// make the archive stand for far more than its size (see
    /// [`ReadOptions::expansion_limit`](crate::ReadOptions::expansion_limit)).
    #[error(
        "reading this value touches more than {limit} values (each use of a name is read again); the budget grows with the archive's size and is set with ReadOptions::expansion_limit"
    )]
    Budget {
        /// The budget of the read.
        limit: u64,
    },
}

/// What to do about a missing field `field` when the archive's record has the fields `unread`
/// that nothing read: the likely old name first, since `#[persist(default)]` would drop its
/// value.
fn missing_hint(field: &str, unread: &[String]) -> String {
    let fix = "or give the Rust field #[persist(default)]";
    if let Some(old) = nearest(field, unread.iter().map(String::as_str)) {
        return format!(
            "the archive has `{old}`, which no field reads: if `{field}` was renamed from it, add #[persist(alias = \"{old}\")] to the field (if the archive misspells it, correct the archive); #[persist(default)] would drop its value"
        );
    }
    if unread.is_empty() {
        return format!("add it to the archive, {fix}");
    }
    let names: Vec<String> = unread.iter().take(8).map(|n| format!("`{n}`")).collect();
    format!(
        "the archive also has {}, which no field reads: if one is `{field}` under an old name, add #[persist(alias = \"...\")] to the field; else add it to the archive, {fix}",
        names.join(", ")
    )
}

/// `; did you mean `x`?` for an unknown field near one of the `expected` (comma-separated).
fn nearest_hint(field: &str, expected: &str) -> String {
    nearest(field, expected.split(", "))
        .map(|n| format!(" (did you mean `{n}`?)"))
        .unwrap_or_default()
}

/// The candidate most like `name`, if one is likely a misspelling or an old name of it: at
/// most two edits (or a third of the longer name) apart, or one's prefix.
fn nearest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .filter(|c| !c.is_empty())
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| {
            let longer = name.chars().count().max(c.chars().count());
            *d <= 2.max(longer / 3) || c.starts_with(name) || name.starts_with(*c)
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein's distance between `a` and `b`, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// An error reading a value, with where it is in the source and inside the item.
///
/// ```
/// use persist_core::LoadError;
/// let err = persist_core::from_str::<Vec<u8>>("x = [1,\n     'two']\n", "x").unwrap_err();
/// let LoadError::Item { source, .. } = &err else { panic!("{err}") };
/// assert_eq!(source.to_string(), "line 2, column 6, at `[1]`: expected an int, found a str");
/// ```
pub struct ReadError {
    kind: ReadErrorKind,
    pos: Pos,
    /// Innermost segment first.
    path: Vec<PathSegment>,
}

impl ReadError {
    /// An error of this kind at `pos`.
    ///
    /// ```
    /// use persist_core::{Pos, ReadError, ReadErrorKind};
    /// let err = ReadError::new(ReadErrorKind::UndefinedName("x".into()), Pos::new(1, 5));
    /// assert_eq!(err.to_string(), "line 1, column 5: `x` is not defined in the archive");
    /// ```
    pub fn new(kind: ReadErrorKind, pos: Pos) -> Self {
        ReadError {
            kind,
            pos,
            path: Vec::new(),
        }
    }

    /// `expected X, found Y` at `pos`.
    ///
    /// ```
    /// use persist_core::{Pos, ReadError};
    /// let err = ReadError::expected("a positive int", "-3", Pos::new(2, 1));
    /// assert_eq!(err.to_string(), "line 2, column 1: expected a positive int, found -3");
    /// ```
    pub fn expected(expected: impl Into<String>, found: impl Into<String>, pos: Pos) -> Self {
        Self::new(
            ReadErrorKind::Expected {
                expected: expected.into(),
                found: found.into(),
            },
            pos,
        )
    }

    /// An error with a message of the implementation's own.
    ///
    /// ```
    /// use persist_core::{Pos, ReadError};
    /// let err = ReadError::custom("a mass must not be negative", Pos::new(3, 7));
    /// assert_eq!(err.pos(), Pos::new(3, 7));
    /// ```
    pub fn custom(message: impl fmt::Display, pos: Pos) -> Self {
        Self::new(ReadErrorKind::Custom(message.to_string()), pos)
    }

    /// The same error, one level further out.
    #[must_use]
    ///
    /// ```
    /// use persist_core::{PathSegment, Pos, ReadError};
    /// let err = ReadError::custom("bad", Pos::new(1, 1)).within(PathSegment::Field("mass"));
    /// assert_eq!(err.path(), ".mass");
    /// ```
    pub fn within(mut self, segment: PathSegment) -> Self {
        self.path.push(segment);
        self
    }

    /// What went wrong.
    ///
    /// ```
    /// use persist_core::{Pos, ReadError, ReadErrorKind};
    /// let err = ReadError::custom("bad", Pos::new(1, 1));
    /// assert!(matches!(err.kind(), ReadErrorKind::Custom(_)));
    /// ```
    pub fn kind(&self) -> &ReadErrorKind {
        &self.kind
    }

    /// Where in the source.
    ///
    /// ```
    /// use persist_core::{Pos, ReadError};
    /// assert_eq!(ReadError::custom("bad", Pos::new(4, 2)).pos().line, 4);
    /// ```
    pub fn pos(&self) -> Pos {
        self.pos
    }

    /// The path from the item to the failing value (`.params['a'][2]`).
    ///
    /// ```
    /// use persist_core::{PathSegment, Pos, ReadError};
    /// let err = ReadError::custom("bad", Pos::new(1, 1)).within(PathSegment::Index(3));
    /// assert_eq!(err.path(), "[3]");
    /// ```
    pub fn path(&self) -> String {
        crate::error::format_path(&self.path)
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.pos.line, self.pos.column)?;
        if !self.path.is_empty() {
            write!(f, ", at `{}`", self.path())?;
        }
        write!(f, ": {}", self.kind)
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.kind)
    }
}

/// An error loading an item from an archive.
///
/// ```
/// use persist_core::LoadError;
/// let err = persist_core::from_str::<f64>("alpha = 0.5\n", "beta").unwrap_err();
/// assert!(matches!(err, LoadError::NoItem { .. }));
/// let err = persist_core::from_str::<f64>("import subprocess\n", "x").unwrap_err();
/// assert!(err.to_string().contains("subprocess"), "{err}");
/// ```
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The archive's source cannot be read from disk.
    #[error("cannot read archive {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The source is not valid archive syntax, or holds a refused construct.
    #[error("{0}")]
    Parse(#[from] ParseError),
    /// A statement of the module is not one an archive has (an unknown import, say).
    #[error("{path}:{}:{}: {message}", .pos.line, .pos.column)]
    Module {
        /// The file (`<memory>` for a string).
        path: String,
        /// Where the statement is.
        pos: Pos,
        /// What is wrong with it.
        message: String,
    },
    /// [`verify`](crate::verify) found a file that Python would use on import and that the
    /// check cannot vouch for (a bytecode cache, a module shadowing numpy, a helper file that is
    /// not the writer's).
    #[error("{path}: {reason}")]
    Refused {
        /// The file or folder.
        path: PathBuf,
        /// Why it is refused and what to do.
        reason: String,
    },
    /// The archive's header names a newer format than this version of persist-core reads
    /// (`# persist archive, format N, ...` with `N` above [`FORMAT_VERSION`]).
    ///
    /// [`FORMAT_VERSION`]: crate::FORMAT_VERSION
    #[error(
        "{path}: archive format {found}{} is newer than format {supported}, the newest this \
         persist-core ({}) reads; upgrade persist-core to read it",
        .written_by.as_ref().map(|w| format!(" (written by {w})")).unwrap_or_default(),
        env!("CARGO_PKG_VERSION")
    )]
    NewerFormat {
        /// The file.
        path: String,
        /// The format the header names.
        found: u32,
        /// The newest format this crate reads ([`FORMAT_VERSION`]).
        ///
        /// [`FORMAT_VERSION`]: crate::FORMAT_VERSION
        supported: u32,
        /// The header's `written by ...` (`persist-core 0.3.0`), if it has one.
        written_by: Option<String>,
    },
    /// The archive has no item of that name.
    #[error("archive {path} has no item `{item}`; it has: {available}")]
    NoItem {
        /// The file.
        path: String,
        /// The name asked for.
        item: String,
        /// The items it has.
        available: String,
    },
    /// An item's value does not read as the Rust type.
    #[error("{path}:{}:{}: item `{item}`{}: {}", .source.pos().line, .source.pos().column, at_path(.source), .source.kind())]
    Item {
        /// The file.
        path: String,
        /// The item.
        item: String,
        /// What went wrong, where.
        #[source]
        source: Box<ReadError>,
    },
}

fn at_path(e: &ReadError) -> String {
    let path = e.path();
    if path.is_empty() {
        String::new()
    } else {
        format!(", at `{path}`")
    }
}

crate::error::debug_is_the_message!(ReadErrorKind, ReadError, LoadError);
