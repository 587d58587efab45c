//! [`ParseError`]: where the lexer, the source checks and the parser refuse a source, and why.
//! It stands below all three, so that each raises it without importing the others.

use std::path::PathBuf;

use super::ast::Pos;

/// A syntax error, or a construct refused because an archive must not contain it: where it is and
/// what was found versus expected.
///
/// Displayed as `line 3, column 10: message`, or `path:3:10: message` once
/// [`with_path`](ParseError::with_path) has named the file.
///
/// ```
/// use persist_core::LoadError;
/// let err = persist_core::ArchiveReader::from_source("x = [1, 2\n").unwrap_err();
/// assert!(matches!(err, LoadError::Parse(_)), "{err}");
/// ```
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}", location(.path, *.line, *.column), .message)]
pub struct ParseError {
    /// The line, starting at 1.
    pub line: u32,
    /// The column, starting at 1, counted in characters.
    pub column: u32,
    /// What was found and what was expected, lowercase, without the position.
    pub message: String,
    /// The file the source came from, when known.
    pub path: Option<PathBuf>,
}

crate::error::debug_is_the_message!(ParseError);

fn location(path: &Option<PathBuf>, line: u32, column: u32) -> String {
    match path {
        Some(path) => format!("{}:{line}:{column}: ", path.display()),
        None => format!("line {line}, column {column}: "),
    }
}

impl ParseError {
    /// An error at `pos`, for callers that refuse a construct the parser accepted (an unknown
    /// helper, a wrong type) and want the same shape of message.
    ///
    /// ```
    /// use persist_core::__private::{ast::Pos, parser::ParseError};
    /// let err = ParseError::new(Pos::new(2, 7), "found `x`; expected a number");
    /// assert_eq!(err.to_string(), "line 2, column 7: found `x`; expected a number");
    /// ```
    pub fn new(pos: Pos, message: impl Into<String>) -> Self {
        ParseError {
            line: pos.line,
            column: pos.column,
            message: message.into(),
            path: None,
        }
    }

    /// Where the error is.
    ///
    /// ```
    /// use persist_core::__private::{ast::Pos, parser::parse_module};
    /// let err = parse_module("x = [1,\n     2 2]\n").unwrap_err();
    /// assert_eq!(err.pos(), Pos::new(2, 8));
    /// ```
    pub fn pos(&self) -> Pos {
        Pos::new(self.line, self.column)
    }

    /// The same error, naming the file it was found in.
    ///
    /// ```
    /// use persist_core::__private::parse_module;
    /// let err = parse_module("x = lambda: 0\n").unwrap_err().with_path("run/__init__.py");
    /// assert_eq!(
    ///     err.to_string(),
    ///     "run/__init__.py:1:5: a lambda is not allowed in an archive; expected a literal, a name or a call"
    /// );
    /// ```
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }
}
