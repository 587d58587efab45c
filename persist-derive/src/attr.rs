//! `#[persist(...)]` attributes, parsed into typed values.
//!
//! Each kind of node (container, variant, field) has its own list of keys. A key is parsed by a
//! small reader for its kind of value (a flag, a string, a name, a Python class, a path); an
//! unknown key, a key given twice or a malformed value is recorded in the [`Ctxt`] at the
//! offending token and parsing goes on with the next key, so that every mistake is reported at
//! once.
//!
//! Adding an attribute is one key in the node's list of keys, one field in its struct and one
//! match arm. Aliases are [`Name`]s, so that they are checked like every other Python name.
//!
//! This file owns the typed model (names, containers, variants, fields) and each node's parse;
//! `value` owns reading one key: given once, unknown keys, and the reader per kind of value;
//! `rename` the case conventions of `rename_all`.

use proc_macro2::Span;
use syn::LitStr;
use syn::ext::IdentExt as _;
use syn::spanned::Spanned as _;

use crate::ctxt::Ctxt;
use value::{Attr, default_value, flag, for_each_key, python_value, string_value, unknown_key};

mod rename;
mod value;

use rename::CASES;
pub use rename::RenameRule;

/// The path of the attribute this derive reads: `#[persist(...)]`.
const PERSIST: &str = "persist";

/// A name that reaches Python (a type, variant or field name), with where it was written so
/// that errors point there and can say how to fix it.
#[derive(Clone)]
pub struct Name {
    value: String,
    span: Span,
    origin: Origin,
}

/// Where a [`Name`] comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The Rust identifier of the type, variant or field (without `r#`).
    Ident,
    /// A `rename = "..."` string.
    Rename,
    /// An `alias = "..."` string.
    Alias,
    /// The container's `rename_all = "..."` rule applied to the identifier.
    RenameAll,
}

impl Name {
    /// The name of a Rust identifier, `r#` stripped.
    pub fn from_ident(ident: &syn::Ident) -> Self {
        Name {
            value: ident.unraw().to_string(),
            span: ident.span(),
            origin: Origin::Ident,
        }
    }

    fn from_rename(lit: &LitStr) -> Self {
        Name {
            value: lit.value(),
            span: lit.span(),
            origin: Origin::Rename,
        }
    }

    fn from_alias(lit: &LitStr) -> Self {
        Name {
            value: lit.value(),
            span: lit.span(),
            origin: Origin::Alias,
        }
    }

    /// The name `rule` makes of the identifier `ident` (a field's `snake_case` or a variant's
    /// `PascalCase`), spanned at the rule's string.
    pub fn from_rule(ident: &syn::Ident, rule: &RenameRule) -> Self {
        Name {
            value: rule.apply(&ident.unraw().to_string()),
            span: rule.span,
            origin: Origin::RenameAll,
        }
    }

    /// The name as Python sees it.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The identifier or string it was written as.
    pub fn span(&self) -> Span {
        self.span
    }

    /// Whether it is the Rust identifier, a `rename` or an `alias`.
    pub fn origin(&self) -> Origin {
        self.origin
    }
}

/// `python = "package.module:Class"`: build this Python class instead of the archive's own.
#[derive(Clone)]
pub struct PythonClass {
    /// `"package.module:Class"`, checked: every module part and the class are Python names.
    pub value: String,
    /// The string literal.
    pub span: Span,
}

/// `from = "Type"`, `try_from = "Type"` or `into = "Type"`: the type, parsed.
#[derive(Clone)]
pub struct Conversion {
    pub ty: syn::Type,
    pub span: Span,
}

/// The runtime crate's path, from `crate = "..."`.
pub enum CratePath {
    /// No `crate` attribute: `::persist_core`.
    Default,
    /// `crate = "path"`.
    Given(syn::Path),
    /// A `crate` attribute that is not a path (already reported).
    Invalid,
}

/// Attributes on the struct or enum itself.
pub struct Container {
    /// `rename = "Name"`: the name Python shows.
    pub rename: Option<Name>,
    /// `python = "module:Class"` (structs only; see `check::check_python_on_enum`).
    pub python: Option<PythonClass>,
    /// `crate = "path::to::persist_core"`.
    pub crate_path: CratePath,
    /// `deny_unknown_fields`: reading refuses a keyword argument that no field takes.
    pub deny_unknown_fields: bool,
    /// `bound = "T: Persist"`: the where clause of the impl, instead of the inferred bounds.
    pub bound: Option<Vec<syn::WherePredicate>>,
    /// `transparent`: a struct of one written field is written and read as that field.
    pub transparent: Option<Span>,
    /// `rename_all = "camelCase"`: the case of the fields' (struct) or variants' (enum) names.
    pub rename_all: Option<RenameRule>,
    /// `default` or `default = "path"`: fields an archive lacks come from this value of the
    /// whole struct.
    pub default: Default,
    /// The span of the container's `default` key, for errors.
    pub default_span: Option<Span>,
    /// `from = "T"`: read a `T` and convert it with `From`.
    pub from: Option<Conversion>,
    /// `try_from = "T"`: read a `T` and convert it with `TryFrom` (its error becomes the read
    /// error's message).
    pub try_from: Option<Conversion>,
    /// `into = "T"`: write `T::from(self.clone())`.
    pub into: Option<Conversion>,
    /// `write_only`: only `to_python_source` (and `column`) are generated; reading the type
    /// is one refusal naming it (`ReadErrorKind::WriteOnly`).
    pub write_only: Option<Span>,
    /// `repr = "str"` (unit-only enums): each variant is written as its name, a Python `str`.
    pub repr_str: Option<Span>,
    /// `alias = "OldName"`, repeatable: other Python names whose records the type reads (the
    /// names it had before a rename).
    pub aliases: Vec<Name>,
}

/// Attributes on an enum variant.
pub struct Variant {
    /// `rename = "Name"`.
    pub rename: Option<Name>,
    /// `skip`: writing this variant is an error.
    pub skip: bool,
    /// `python = "module:Class"`.
    pub python: Option<PythonClass>,
}

/// Attributes on a field.
pub struct Field {
    /// `rename = "name"` (named fields only; see `check::check_tuple_field_names`).
    pub rename: Option<Name>,
    /// `skip`: the field is neither written nor read (reading fills it with its default).
    pub skip: bool,
    /// `alias = "old_name"`, repeatable: other names the field is read under (only on named
    /// fields that are read; see `check::check_tuple_field_names`, `check::check_aliases` and
    /// `check::check_skipped_field_aliases`).
    pub aliases: Vec<Name>,
    /// `default` or `default = "path"`: what reading puts in the field when it is missing.
    pub default: Default,
    /// `bound = "T: Persist"`: the bounds this field adds, instead of the inferred ones.
    pub bound: Option<Vec<syn::WherePredicate>>,
    /// `with = "module"`: written by `module::to_python_source(&field, writer)` and read by
    /// `module::from_python(value, reader)`, for a type without `Persist` (a foreign type).
    pub with: Option<syn::Path>,
}

/// What fills a field that an archive does not hold.
pub enum Default {
    /// No `default` attribute: a missing field is an error (a skipped field gets
    /// `Default::default()`).
    None,
    /// `default`: `Default::default()`.
    Trait,
    /// `default = "path::to_fn"`: a call of that function.
    Path(syn::ExprPath),
}

/// A kind of node that carries attributes, with the keys it accepts.
struct Node {
    /// The node, as messages name it.
    what: &'static str,
    keys: &'static [&'static str],
}

const CONTAINER: Node = Node {
    what: "a struct or enum",
    keys: &[
        "rename",
        "python",
        "crate",
        "deny_unknown_fields",
        "bound",
        "transparent",
        "rename_all",
        "default",
        "from",
        "try_from",
        "into",
        "repr",
        "write_only",
        "alias",
    ],
};
const VARIANT: Node = Node {
    what: "a variant",
    keys: &["rename", "skip", "python"],
};
const FIELD: Node = Node {
    what: "a field",
    keys: &[
        "rename", "skip", "alias", "default", "bound", "with", "serde", "bytes",
    ],
};

impl Container {
    /// Read the `#[persist(...)]` attributes of a struct or enum.
    pub fn from_ast(cx: &Ctxt, input: &syn::DeriveInput) -> Self {
        let mut rename = Attr::new(cx, "rename");
        let mut python = Attr::new(cx, "python");
        let mut crate_path = Attr::new(cx, "crate");
        let mut crate_invalid = false;
        let mut deny_unknown_fields = Attr::new(cx, "deny_unknown_fields");
        let mut bound = Attr::new(cx, "bound");
        let mut transparent = Attr::new(cx, "transparent");
        let mut rename_all = Attr::new(cx, "rename_all");
        let mut default = Attr::new(cx, "default");
        let mut default_span = None;
        let mut from = Attr::new(cx, "from");
        let mut try_from = Attr::new(cx, "try_from");
        let mut into = Attr::new(cx, "into");
        let mut repr = Attr::new(cx, "repr");
        let mut write_only = Attr::new(cx, "write_only");
        let mut aliases = Vec::new();
        for_each_key(cx, &input.attrs, |key, meta| {
            match key {
                "write_only" => {
                    if flag(cx, meta, key)? {
                        write_only.set(&meta.path, meta.path.span());
                    }
                }
                "repr" => {
                    if let Some(lit) = string_value(cx, meta, key, "str")? {
                        if lit.value() == "str" {
                            repr.set(&meta.path, lit.span());
                        } else {
                            cx.error_at(
                                lit.span(),
                                format!(
                                    "`repr = {:?}` is not a representation this derive knows; `repr = \"str\"` writes each variant of a unit-only enum as its name",
                                    lit.value()
                                ),
                            );
                        }
                    }
                }
                "transparent" => {
                    if flag(cx, meta, key)? {
                        transparent.set(&meta.path, meta.path.span());
                    }
                }
                "rename_all" => {
                    if let Some(lit) = string_value(cx, meta, key, "camelCase")? {
                        match CASES.iter().find(|(name, _)| *name == lit.value()) {
                            Some(&(_, case)) => rename_all.set(
                                &meta.path,
                                RenameRule {
                                    case,
                                    span: lit.span(),
                                },
                            ),
                            None => cx.error_at(
                                lit.span(),
                                format!(
                                    "`rename_all = {:?}` is not a case this derive knows; use one of {}",
                                    lit.value(),
                                    CASES.map(|(name, _)| format!("\"{name}\"")).join(", ")
                                ),
                            ),
                        }
                    }
                }
                "default" => {
                    if let Some(value) = default_value(cx, meta)? {
                        default_span = Some(meta.path.span());
                        default.set(&meta.path, value);
                    }
                }
                "from" | "try_from" | "into" => {
                    if let Some(lit) = string_value(cx, meta, key, "OtherType")? {
                        match lit.parse::<syn::Type>() {
                            Ok(ty) => {
                                let conversion = Conversion {
                                    ty,
                                    span: lit.span(),
                                };
                                match key {
                                    "from" => from.set(&meta.path, conversion),
                                    "try_from" => try_from.set(&meta.path, conversion),
                                    _ => into.set(&meta.path, conversion),
                                }
                            }
                            Err(_) => cx.error_at(
                                lit.span(),
                                format!(
                                    "`{key} = {:?}` is not a type; give the type to convert through, like `{key} = \"f64\"`",
                                    lit.value()
                                ),
                            ),
                        }
                    }
                }
                "bound" => {
                    if let Some(lit) = string_value(cx, meta, key, "T: Persist")?
                        && let Some(predicates) = value::parse_bound(cx, &lit)
                    {
                        bound.set(&meta.path, predicates);
                    }
                }
                "rename" => {
                    if let Some(lit) = string_value(cx, meta, key, "Name")? {
                        rename.set(&meta.path, Name::from_rename(&lit));
                    }
                }
                "alias" => {
                    if let Some(lit) = string_value(cx, meta, key, "OldName")? {
                        aliases.push(Name::from_alias(&lit));
                    }
                }
                "python" => {
                    if let Some(class) = python_value(cx, meta, key)? {
                        python.set(&meta.path, class);
                    }
                }
                "crate" => match string_value(cx, meta, key, "my_crate::persist")? {
                    Some(lit) => match lit.parse::<syn::Path>() {
                        Ok(path) => crate_path.set(&meta.path, path),
                        Err(_) => {
                            crate_invalid = true;
                            cx.error_at(
                                lit.span(),
                                format!(
                                    "`crate = {:?}` is not a path; give the path of persist_core \
                                     or of a re-export of it, like `crate = \"my_crate::persist\"`",
                                    lit.value()
                                ),
                            );
                        }
                    },
                    None => crate_invalid = true,
                },
                "deny_unknown_fields" => {
                    if flag(cx, meta, key)? {
                        deny_unknown_fields.set(&meta.path, ());
                    }
                }
                _ => return unknown_key(cx, meta, &CONTAINER),
            }
            Ok(())
        });
        let crate_path = match crate_path.get() {
            Some(path) => CratePath::Given(path),
            None if crate_invalid => CratePath::Invalid,
            None => CratePath::Default,
        };
        Container {
            rename: rename.get(),
            python: python.get(),
            crate_path,
            deny_unknown_fields: deny_unknown_fields.get().is_some(),
            bound: bound.get(),
            transparent: transparent.get(),
            rename_all: rename_all.get(),
            default: default.get().unwrap_or(Default::None),
            default_span,
            from: from.get(),
            try_from: try_from.get(),
            into: into.get(),
            repr_str: repr.get(),
            write_only: write_only.get(),
            aliases,
        }
    }
}

impl Variant {
    /// Read the `#[persist(...)]` attributes of an enum variant.
    pub fn from_ast(cx: &Ctxt, variant: &syn::Variant) -> Self {
        let mut rename = Attr::new(cx, "rename");
        let mut skip = Attr::new(cx, "skip");
        let mut python = Attr::new(cx, "python");
        for_each_key(cx, &variant.attrs, |key, meta| {
            match key {
                "rename" => {
                    if let Some(lit) = string_value(cx, meta, key, "Name")? {
                        rename.set(&meta.path, Name::from_rename(&lit));
                    }
                }
                "skip" => {
                    if flag(cx, meta, key)? {
                        skip.set(&meta.path, ());
                    }
                }
                "python" => {
                    if let Some(class) = python_value(cx, meta, key)? {
                        python.set(&meta.path, class);
                    }
                }
                _ => return unknown_key(cx, meta, &VARIANT),
            }
            Ok(())
        });
        Variant {
            rename: rename.get(),
            skip: skip.get().is_some(),
            python: python.get(),
        }
    }
}

impl Field {
    /// Read the `#[persist(...)]` attributes of a field.
    pub fn from_ast(cx: &Ctxt, field: &syn::Field) -> Self {
        let mut rename = Attr::new(cx, "rename");
        let mut skip = Attr::new(cx, "skip");
        let mut aliases = Vec::new();
        let mut default = Attr::new(cx, "default");
        let mut bound = Attr::new(cx, "bound");
        let mut with = Attr::new(cx, "with");
        let mut serde = Attr::new(cx, "serde");
        let mut bytes = Attr::new(cx, "bytes");
        for_each_key(cx, &field.attrs, |key, meta| {
            match key {
                "serde" => {
                    if flag(cx, meta, key)? {
                        serde.set(&meta.path, meta.path.span());
                    }
                }
                "bytes" => {
                    if flag(cx, meta, key)? {
                        bytes.set(&meta.path, meta.path.span());
                    }
                }
                "with" => {
                    if let Some(lit) = string_value(cx, meta, key, "my_module")? {
                        match lit.parse::<syn::Path>() {
                            Ok(path) => with.set(&meta.path, path),
                            Err(_) => cx.error_at(
                                lit.span(),
                                format!(
                                    "`with = {:?}` is not a path; give the module that has `to_python_source` and `from_python` for the field's type, like `with = \"my_crate::duration_secs\"`",
                                    lit.value()
                                ),
                            ),
                        }
                    }
                }
                "bound" => {
                    if let Some(lit) = string_value(cx, meta, key, "T: Persist")?
                        && let Some(predicates) = value::parse_bound(cx, &lit)
                    {
                        bound.set(&meta.path, predicates);
                    }
                }
                "rename" => {
                    if let Some(lit) = string_value(cx, meta, key, "name")? {
                        rename.set(&meta.path, Name::from_rename(&lit));
                    }
                }
                "skip" => {
                    if flag(cx, meta, key)? {
                        skip.set(&meta.path, ());
                    }
                }
                "alias" => {
                    if let Some(lit) = string_value(cx, meta, key, "old_name")? {
                        aliases.push(Name::from_alias(&lit));
                    }
                }
                "default" => {
                    if let Some(value) = default_value(cx, meta)? {
                        default.set(&meta.path, value);
                    }
                }
                _ => return unknown_key(cx, meta, &FIELD),
            }
            Ok(())
        });
        Field {
            rename: rename.get(),
            skip: skip.get().is_some(),
            aliases,
            default: default.get().unwrap_or(Default::None),
            bound: bound.get(),
            with: with_module(
                cx,
                with.get(),
                [(serde.get(), "serde"), (bytes.get(), "bytes")],
            ),
        }
    }
}

/// The module a field is written and read through: `with = "..."`, or the module a shorthand
/// stands for (`serde`: `persist_core::serde_bridge`, `bytes`: `persist_core::bytes`). At most
/// one of them.
fn with_module(
    cx: &Ctxt,
    with: Option<syn::Path>,
    shorthands: [(Option<proc_macro2::Span>, &str); 2],
) -> Option<syn::Path> {
    let mut chosen: Option<(syn::Path, String)> = with.map(|w| (w, "with".to_owned()));
    for (span, key) in shorthands {
        let Some(span) = span else { continue };
        let module = if key == "serde" { "serde_bridge" } else { key };
        if let Some((_, other)) = &chosen {
            cx.error_at(
                span,
                format!("`{key}` is `with = \"persist_core::{module}\"`; keep one of `{key}` and `{other}`"),
            );
            continue;
        }
        let ident = syn::Ident::new(module, span);
        chosen = Some((
            syn::parse_quote_spanned!(span=> _persist::#ident),
            key.to_owned(),
        ));
    }
    chosen.map(|(path, _)| path)
}

/// A name as messages quote it: `` `name` ``, or `""` when it is empty.
pub fn quoted(name: &str) -> String {
    if name.is_empty() {
        "\"\"".to_owned()
    } else {
        format!("`{name}`")
    }
}
