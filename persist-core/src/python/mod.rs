//! Everything that knows Python syntax: names and keywords, the names an archive module uses for
//! itself, literal spellings, the helper code of an archive module, and the [`Writer`].

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
