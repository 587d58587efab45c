//! Reading one key of a `#[persist(...)]` attribute: each key given once ([`Attr`]), the walk
//! over every key of a node's attributes, unknown keys, and a small reader per kind of value (a
//! flag, a string, `default`, a Python class, a `bound = "..."` list of predicates), each reporting
//! a malformed value at its token.

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens as _;
use syn::ext::IdentExt as _;
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::{LitStr, Token};

use super::{CONTAINER, Default, FIELD, Node, PERSIST, PythonClass, VARIANT, quoted};
use crate::ctxt::Ctxt;
use crate::name::python_name_problem;

/// The value of one key, which may be given only once.
pub(super) struct Attr<'c, T> {
    cx: &'c Ctxt,
    key: &'static str,
    value: Option<T>,
}

impl<'c, T> Attr<'c, T> {
    pub(super) fn new(cx: &'c Ctxt, key: &'static str) -> Self {
        Attr {
            cx,
            key,
            value: None,
        }
    }

    /// Set the value, or report the key (at `path`) as given twice.
    pub(super) fn set(&mut self, path: &syn::Path, value: T) {
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

    pub(super) fn get(self) -> Option<T> {
        self.value
    }
}

/// Call `each` with every key of every `#[persist(...)]` attribute in `attrs`. `each` reports
/// unknown keys and malformed values itself and returns `Err` only for syntax that leaves the rest
/// of the attribute unreadable.
pub(super) fn for_each_key(
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
pub(super) fn unknown_key(cx: &Ctxt, meta: &ParseNestedMeta, node: &Node) -> syn::Result<()> {
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
pub(super) fn string_value(
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
pub(super) fn flag(cx: &Ctxt, meta: &ParseNestedMeta, key: &str) -> syn::Result<bool> {
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
pub(super) fn default_value(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<Default>> {
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
pub(super) fn python_value(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    key: &str,
) -> syn::Result<Option<PythonClass>> {
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

/// The predicates of a `bound = "..."` string, or `None` after reporting why they do not parse.
pub(super) fn parse_bound(cx: &Ctxt, lit: &syn::LitStr) -> Option<Vec<syn::WherePredicate>> {
    let parser =
        syn::punctuated::Punctuated::<syn::WherePredicate, syn::Token![,]>::parse_terminated;
    match lit.parse_with(parser) {
        Ok(predicates) => Some(predicates.into_iter().collect()),
        Err(err) => {
            cx.error_at(
                lit.span(),
                format!(
                    "`bound = {:?}` is not a list of where-clause predicates ({err}); write for example `bound = \"T: Persist + Clone\"`",
                    lit.value()
                ),
            );
            None
        }
    }
}
