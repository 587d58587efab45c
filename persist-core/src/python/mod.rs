//! The Python language, as this crate needs it and nothing more: the lexer, the parser of the
//! archive subset and its syntax tree, literal spellings, identifiers and keywords, the names an
//! archive module uses for itself, the `marshal` encoding, the comparison of two definitions
//! token by token, calendar arithmetic as `datetime` does it, and what CPython's path finder
//! imports from a folder. Writing (`write/`) and reading (`read/`) both stand on it.

pub mod ast;
pub(crate) mod civil;
pub(crate) mod encoding;
pub(crate) mod error;
pub(crate) mod finder;
mod lexer;
pub(crate) mod literal;
pub(crate) mod marshal;
pub(crate) mod name;
pub(crate) mod names;
pub mod parser;
pub(crate) mod same;

pub use literal::Integer;
