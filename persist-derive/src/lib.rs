//! `#[derive(Persist)]`, re-exported by `persist_core` (feature `derive`, on by default). Use it
//! through `persist_core::Persist`; see that trait and the derive's own docs.
//!
//! The derive is a pipeline: `attr` parses `#[persist(...)]` attributes into typed values, `ast`
//! builds the model of the input (container, variants, fields), `check` applies the rules that
//! span several fields, `bound` works out the impl's generics, and `expand` generates code from
//! the model alone. Every error is collected in a `ctxt::Ctxt` and reported at its token.

mod ast;
mod attr;
mod bound;
mod check;
mod ctxt;
mod expand;

// Python's naming rules: the runtime crate's own file, compiled here too, so that names coming
// from Rust types are checked at compile time by the very rules that check item names at run
// time. (`#[path]` rather than `include!`, which refuses the file's `//!` module docs.)
#[path = "../../persist-core/src/python/name.rs"]
mod name;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Implements `persist_core::Persist` for a struct or an enum: the value is written as a call of
/// a Python class standing for the type, with one keyword argument per named field
/// (`_Params(alpha=0.5, n=3)`) or one positional argument per tuple field.
///
/// Every field's type must implement `Persist`. A type parameter gets a `Persist` bound when a
/// field that is written uses it.
///
/// ```
/// use persist_core::{Persist, Writer};
///
/// #[derive(Persist)]
/// struct Params<T> {
///     alpha: f64,
///     #[persist(rename = "n")]
///     steps: T,
///     #[persist(skip)]
///     cache: Vec<u8>,
/// }
///
/// #[derive(Persist)]
/// enum Shape {
///     Empty,
///     Circle { radius: f64 },
///     #[persist(rename = "Rect")]
///     Rectangle(f64, f64),
/// }
///
/// let mut w = Writer::inline();
/// Params { alpha: 0.5, steps: 3, cache: vec![] }.to_python_source(&mut w)?;
/// assert_eq!(w.take_expression(), "_Params(alpha=0.5, n=3)");
/// Shape::Rectangle(1.0, 2.0).to_python_source(&mut w)?;
/// assert_eq!(w.take_expression(), "_Shape_Rect(1.0, 2.0)");
/// # Ok::<(), persist_core::WriteError>(())
/// ```
///
/// # Attributes
/// All are written `#[persist(key = "value", flag, ...)]`; several keys may share one attribute.
///
/// On the struct or enum:
/// - `rename = "Name"`: the name Python shows instead of the type's name.
/// - `python = "package.module:Class"` (structs only): the archive imports `Class` from
///   `package.module` and builds it with the fields as keyword arguments (positionally for a
///   tuple struct), instead of defining a class of its own. On an enum, put it on the variants.
/// - `crate = "path::to::persist_core"`: where the runtime crate is, when it is reached through a
///   re-export.
///
/// On a variant:
/// - `rename = "Name"`: the variant's name in Python.
/// - `python = "package.module:Class"`: as on a struct.
/// - `skip`: the variant cannot be archived; writing it is an error.
///
/// On a field:
/// - `rename = "name"` (named fields only): the field's name in Python.
/// - `skip`: the field is not written.
///
/// Every name that reaches Python (type, variant and field names, after `rename` and without
/// `r#`, and the parts of `python = ...`) must be an ASCII Python identifier that is not a
/// keyword; anything else is a compile error at the name, as are unknown, repeated or malformed
/// attributes and two fields or variants that end up with the same name.
#[proc_macro_derive(Persist, attributes(persist))]
pub fn derive_persist(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive_persist(&input).into()
}
