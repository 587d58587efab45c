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

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens as _;
use syn::ext::IdentExt as _;
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::{LitStr, Token};

use crate::ctxt::Ctxt;
use crate::name::python_name_problem;

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
    keys: &["rename", "python", "crate", "deny_unknown_fields", "bound"],
};
const VARIANT: Node = Node {
    what: "a variant",
    keys: &["rename", "skip", "python"],
};
const FIELD: Node = Node {
    what: "a field",
    keys: &["rename", "skip", "alias", "default", "bound"],
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
        for_each_key(cx, &input.attrs, |key, meta| {
            match key {
                "bound" => {
                    if let Some(lit) = string_value(cx, meta, key, "T: Persist")?
                        && let Some(predicates) = crate::bound::parse_bound(cx, &lit)
                    {
                        bound.set(&meta.path, predicates);
                    }
                }
                "rename" => {
                    if let Some(lit) = string_value(cx, meta, key, "Name")? {
                        rename.set(&meta.path, Name::from_rename(&lit));
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
        for_each_key(cx, &field.attrs, |key, meta| {
            match key {
                "bound" => {
                    if let Some(lit) = string_value(cx, meta, key, "T: Persist")?
                        && let Some(predicates) = crate::bound::parse_bound(cx, &lit)
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
        }
    }
}

/// The value of one key, which may be given only once.
struct Attr<'c, T> {
    cx: &'c Ctxt,
    key: &'static str,
    value: Option<T>,
}

impl<'c, T> Attr<'c, T> {
    fn new(cx: &'c Ctxt, key: &'static str) -> Self {
        Attr {
            cx,
            key,
            value: None,
        }
    }

    /// Set the value, or report the key (at `path`) as given twice.
    fn set(&mut self, path: &syn::Path, value: T) {
        if self.value.is_some() {
            self.cx.error_spanned_by(
                path,
                format!(
                    "duplicate persist attribute `{}`; remove one of them",
                    self.key
                ),
            );
        } else {
            self.value = Some(value);
        }
    }

    fn get(self) -> Option<T> {
        self.value
    }
}

/// Call `each` with every key of every `#[persist(...)]` attribute in `attrs`. `each` reports
/// unknown keys and malformed values itself and returns `Err` only for syntax that leaves the rest
/// of the attribute unreadable.
fn for_each_key(
    cx: &Ctxt,
    attrs: &[syn::Attribute],
    mut each: impl FnMut(&str, &ParseNestedMeta) -> syn::Result<()>,
) {
    for attr in attrs {
        if !attr.path().is_ident(PERSIST) {
            continue;
        }
        match &attr.meta {
            syn::Meta::List(list) if list.tokens.is_empty() => {
                cx.error_spanned_by(
                    attr,
                    "empty #[persist()] attribute; remove it or add a key, like \
                     #[persist(rename = \"...\")]",
                );
                continue;
            }
            syn::Meta::List(_) => {}
            syn::Meta::Path(_) | syn::Meta::NameValue(_) => {
                cx.error_spanned_by(
                    attr,
                    "persist attributes take their keys in parentheses, like \
                     #[persist(rename = \"...\")]",
                );
                continue;
            }
        }
        let parsed = attr.parse_nested_meta(|meta| each(&path_to_string(&meta.path), &meta));
        if let Err(err) = parsed {
            cx.syn_error(err);
        }
    }
}

/// Report a key that `node` does not accept (saying where it goes, if it is a key of other
/// nodes), and skip its value.
fn unknown_key(cx: &Ctxt, meta: &ParseNestedMeta, node: &Node) -> syn::Result<()> {
    let key = path_to_string(&meta.path);
    let elsewhere: Vec<&str> = [&CONTAINER, &VARIANT, &FIELD]
        .iter()
        .filter(|other| other.keys.contains(&key.as_str()))
        .map(|other| other.what)
        .collect();
    let msg = if elsewhere.is_empty() {
        let expected: Vec<String> = node.keys.iter().map(|k| format!("`{k}`")).collect();
        format!(
            "unknown persist attribute `{key}`; expected one of {}",
            expected.join(", ")
        )
    } else {
        format!(
            "persist attribute `{key}` cannot be put on {}; it goes on {}",
            node.what,
            elsewhere.join(", or ")
        )
    };
    cx.error_spanned_by(&meta.path, msg);
    skip_value(meta.input)
}

/// `a::b` for a key written as a path.
fn path_to_string(path: &syn::Path) -> String {
    let segments: Vec<String> = path
        .segments
        .iter()
        .map(|s| s.ident.unraw().to_string())
        .collect();
    segments.join("::")
}

/// `key = "..."`: the string literal, or `None` after reporting what was written instead.
fn string_value(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    key: &str,
    example: &str,
) -> syn::Result<Option<LitStr>> {
    if !meta.input.peek(Token![=]) {
        cx.error_spanned_by(
            &meta.path,
            format!("persist attribute `{key}` needs a value; write `{key} = \"{example}\"`"),
        );
        skip_value(meta.input)?;
        return Ok(None);
    }
    let eq: Token![=] = meta.input.parse()?;
    let tokens = rest_of_value(meta.input)?;
    if tokens.is_empty() {
        cx.error_spanned_by(
            eq,
            format!("persist attribute `{key}` needs a value; write `{key} = \"{example}\"`"),
        );
        return Ok(None);
    }
    match syn::parse2::<LitStr>(tokens.clone()) {
        Ok(lit) => Ok(Some(lit)),
        Err(_) => {
            cx.error_spanned_by(
                &tokens,
                format!(
                    "expected a string for persist attribute `{key}`, found `{tokens}`; \
                     write `{key} = \"{example}\"`"
                ),
            );
            Ok(None)
        }
    }
}

/// A key that takes no value, like `skip`: `true` when it was written bare.
fn flag(cx: &Ctxt, meta: &ParseNestedMeta, key: &str) -> syn::Result<bool> {
    if meta.input.is_empty() || meta.input.peek(Token![,]) {
        return Ok(true);
    }
    // The key and everything up to the next `,`, for the error's span.
    let mut written = meta.path.to_token_stream();
    written.extend(rest_of_value(meta.input)?);
    cx.error_spanned_by(
        written,
        format!("persist attribute `{key}` takes no value; write `#[persist({key})]`"),
    );
    Ok(false)
}

/// `default` alone, or `default = "path::to_fn"` with the path parsed; `None` after reporting a
/// malformed value.
fn default_value(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<Default>> {
    const KEY: &str = "default";
    if meta.input.is_empty() || meta.input.peek(Token![,]) {
        return Ok(Some(Default::Trait));
    }
    if !meta.input.peek(Token![=]) {
        // `default(...)` and the like: report the key and what follows it.
        let mut written = meta.path.to_token_stream();
        written.extend(rest_of_value(meta.input)?);
        cx.error_spanned_by(
            written,
            "persist attribute `default` is written `default` or `default = \"path::to_fn\"`",
        );
        return Ok(None);
    }
    let Some(lit) = string_value(cx, meta, KEY, "path::to_fn")? else {
        return Ok(None);
    };
    match lit.parse::<syn::ExprPath>() {
        Ok(path) => Ok(Some(Default::Path(path))),
        Err(_) => {
            cx.error_at(
                lit.span(),
                format!(
                    "`default = {:?}` is not a path; give the path of a function that returns \
                     the field's value, like `default = \"my_module::initial\"`, or write \
                     `default` alone for `Default::default()`",
                    lit.value()
                ),
            );
            Ok(None)
        }
    }
}

/// Skip what follows an unknown or malformed key: `= value` or `(...)`, up to the next `,`.
fn skip_value(input: ParseStream) -> syn::Result<()> {
    rest_of_value(input).map(drop)
}

/// The tokens up to the next top-level `,` (or the end).
fn rest_of_value(input: ParseStream) -> syn::Result<TokenStream> {
    let mut tokens = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        let tt: TokenTree = input.parse()?;
        tokens.extend([tt]);
    }
    Ok(tokens)
}

/// `python = "package.module:Class"`, checked.
fn python_value(cx: &Ctxt, meta: &ParseNestedMeta, key: &str) -> syn::Result<Option<PythonClass>> {
    let lit = string_value(cx, meta, key, "package.module:Class")?;
    Ok(lit.and_then(|lit| python_class(cx, &lit)))
}

/// Check `python = "package.module:Class"`: every part must be a Python name, since the archive
/// writes `from package.module import Class`.
fn python_class(cx: &Ctxt, lit: &LitStr) -> Option<PythonClass> {
    let value = lit.value();
    let Some((module, class)) = value.split_once(':') else {
        cx.error_at(
            lit.span(),
            format!(
                "`python = {value:?}` names no module; write the class as \
                 \"package.module:Class\""
            ),
        );
        return None;
    };
    let mut ok = true;
    for part in module.split('.') {
        if let Some(problem) = python_name_problem(part) {
            cx.error_at(
                lit.span(),
                format!(
                    "`python = {value:?}`: module name {} {problem}; write the class as \
                     \"package.module:Class\"",
                    quoted(part)
                ),
            );
            ok = false;
        }
    }
    if let Some(problem) = python_name_problem(class) {
        cx.error_at(
            lit.span(),
            format!(
                "`python = {value:?}`: class name {} {problem}; write the class as \
                 \"package.module:Class\"",
                quoted(class)
            ),
        );
        ok = false;
    }
    ok.then(|| PythonClass {
        value,
        span: lit.span(),
    })
}

/// A name as messages quote it: `` `name` ``, or `""` when it is empty.
pub fn quoted(name: &str) -> String {
    if name.is_empty() {
        "\"\"".to_owned()
    } else {
        format!("`{name}`")
    }
}
