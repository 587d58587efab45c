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

// Python's naming rules: a copy of the runtime crate's `python/name.rs` (a published crate can
// hold only its own files), so that names coming from Rust types are checked at compile time by
// the very rules that check item names at run time. A test in persist-tests keeps the two
// files identical. (`python_file_name_problem`, the runtime's rule for file names, is unused
// here.)
#[allow(dead_code)]
mod name;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Implements `persist_core::Persist` for a struct or an enum: the value is written as a call of
/// a Python class standing for the type, with one keyword argument per named field
/// (`_Params(alpha=0.5, n=3)`) or one positional argument per tuple field, and read back from
/// such a call (`from_python`), with its keyword arguments in any order.
///
/// Every field's type must implement `Persist`, and a skipped field's type `Default` (unless it
/// has `default = "path"`). In a generic type, each written field whose type mentions a type
/// parameter adds `FieldType: Persist` to the impl's where clause (and `FieldType: Default` when
/// reading may fill it with its default); `#[persist(bound = "T: Persist")]` on the type or on a
/// field replaces those bounds.
///
/// ```
/// use persist_core::{Archive, Persist, Writer};
///
/// #[derive(Persist, Debug, PartialEq)]
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
///
/// let params = Params { alpha: 0.5, steps: 3_u32, cache: vec![1] };
/// let mut archive = Archive::new();
/// archive.insert("params", &params)?;
/// let source = archive.to_python_source()?;
/// let back: Params<u32> = persist_core::from_str(&source, "params")?;
/// assert_eq!(back, Params { cache: vec![], ..params }); // skipped: filled by `Default`
/// # Ok::<(), Box<dyn std::error::Error>>(())
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
/// - `deny_unknown_fields`: reading refuses a keyword argument that no field takes (by default
///   it is ignored, so an archive written by a newer version of the type still loads).
/// - `transparent` (a struct with one field that is not skipped): written and read as that
///   field (`300.0`, not `_Kelvin(300.0)`); skipped fields are filled by their defaults.
/// - `rename_all = "camelCase"`: serde's cases (`lowercase`, `UPPERCASE`, `PascalCase`,
///   `camelCase`, `snake_case`, `SCREAMING_SNAKE_CASE`; the kebab cases make names Python
///   refuses) for the fields of a struct or the variants of an enum without a `rename`.
/// - `default` or `default = "path::to_fn"` (structs with named fields): a field the archive
///   lacks, and a skipped field, is taken from `Default::default()` (or `path::to_fn()`) of the
///   whole struct, unless it has a `default` of its own.
/// - `from = "T"` or `try_from = "T"`: read a `T` and convert it (`From`, or `TryFrom` whose
///   error becomes the read error's message); `into = "T"`: write `T::from(self.clone())`
///   (needs `Clone`), with `T`'s column for record tables.
/// - `repr = "str"` (enums of unit variants only): each variant is written as its name, a
///   Python `str` (after `rename`/`rename_all`), and read back from it; in a record table it is
///   a string column. By default a variant is a record of its own class (`_Mode_Fast()`).
/// - `write_only`: only the writing half is generated (`to_python_source`, and the column of
///   record tables); reading the type is an error naming it (`ReadErrorKind::WriteOnly`). For
///   types that are only ever saved (results, reports), it halves the code the derive
///   generates and the build time it costs; what is written is the same. Keys that only say
///   how to read (`from`, `try_from`, a container `default`, `alias`) are refused beside it.
///
/// On a variant:
/// - `rename = "Name"`: the variant's name in Python.
/// - `python = "package.module:Class"`: as on a struct.
/// - `skip`: the variant cannot be archived; writing it is an error, and reading never makes it.
///
/// On a field:
/// - `rename = "name"` (named fields only): the field's name in Python.
/// - `skip`: the field is neither written nor read; reading fills it with `Default::default()`,
///   or with `default = "path"` when it has one.
/// - `alias = "old_name"` (named fields only; repeatable): reading also takes the field from a
///   keyword argument of this name, so that archives written before a rename still load.
/// - `default`: when the archive lacks the field, reading fills it with `Default::default()`
///   instead of failing (for a tuple field, the archive may lack it only at the end).
/// - `default = "path::to_fn"`: the same, with the value `path::to_fn()` returns.
/// - `serde` (persist-core's feature `serde`): the field goes through serde as plain Python data,
///   `with = "persist_core::serde_bridge"`.
/// - `bytes`: a `Vec<u8>`, `Box<[u8]>`, `[u8; N]`, `Cow<[u8]>` or `&[u8]` field as a Python
///   `bytes` object instead of a list of ints, `with = "persist_core::bytes"`.
/// - `with = "module"`: written by `module::to_python_source(&field, writer)` and read by
///   `module::from_python(value, reader)` (functions of the `Persist` methods' shape), for a type
///   without `Persist`, such as a type of another crate:
///
/// ```
/// use std::time::Duration;
/// use persist_core::{Persist, Writer};
///
/// mod secs {
///     use std::time::Duration;
///     use persist_core::{Persist, ReadError, Reader, Value, WriteError, Writer};
///     pub fn to_python_source(d: &Duration, out: &mut Writer) -> Result<(), WriteError> {
///         d.as_secs_f64().to_python_source(out)
///     }
///     pub fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Duration, ReadError> {
///         Duration::try_from_secs_f64(r.float(v)?).map_err(|e| ReadError::custom(e, v.pos()))
///     }
/// }
///
/// #[derive(Persist, Debug, PartialEq)]
/// #[persist(rename_all = "camelCase")]
/// struct Job {
///     #[persist(with = "secs")]
///     time_limit: Duration,
/// }
///
/// let mut w = Writer::inline();
/// Job { time_limit: Duration::from_millis(1500) }.to_python_source(&mut w)?;
/// assert_eq!(w.take_expression(), "_Job(timeLimit=1.5)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// ```
/// use persist_core::{Archive, Persist};
///
/// /// The type as an old archive was written.
/// mod v1 {
///     #[derive(persist_core::Persist)]
///     pub struct Params { pub rate: f64 }
/// }
///
/// fn default_steps() -> u32 { 100 }
///
/// /// The type today: `rate` renamed, `steps` and `label` added.
/// #[derive(Persist, Debug, PartialEq)]
/// #[persist(deny_unknown_fields)]
/// struct Params {
///     #[persist(alias = "rate")]
///     alpha: f64,
///     #[persist(default = "default_steps")]
///     steps: u32,
///     #[persist(default)]
///     label: String,
/// }
///
/// let mut archive = Archive::new();
/// archive.insert("params", v1::Params { rate: 0.5 })?;
/// let old = archive.to_python_source()?;
/// let params: Params = persist_core::from_str(&old, "params")?;
/// assert_eq!(params, Params { alpha: 0.5, steps: 100, label: String::new() });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Every name that reaches Python (type, variant and field names, after `rename` and without
/// `r#`, aliases, and the parts of `python = ...`) must be a Python identifier (non-ASCII
/// letters too, as PEP 3131 allows, in the NFKC form Python reads names in) that is not a
/// keyword; anything else is a compile error at the name, as are unknown, repeated or
/// malformed attributes, two fields or variants that end up with the same name, and an alias
/// that is also a name of another field (or repeats a name of its own field).
#[proc_macro_derive(Persist, attributes(persist))]
pub fn derive_persist(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive_persist(&input).into()
}
