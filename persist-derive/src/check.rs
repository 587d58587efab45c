//! Rules that span several attributes or fields, checked on the finished model. Each rule is one
//! function and records its errors in the [`Ctxt`]; `check` runs them all so that every mistake
//! is reported at once.

use std::collections::HashMap;

use crate::ast::{Container, Data, Field, Style};
use crate::attr::{Name, Origin, quoted};
use crate::ctxt::Ctxt;
use crate::name::{PYTHON_KEYWORDS, python_name_problem};

/// Run every rule on the model.
pub fn check(cx: &Ctxt, cont: &Container) {
    check_python_names(cx, cont);
    check_duplicate_field_names(cx, cont);
    check_aliases(cx, cont);
    check_duplicate_variant_names(cx, cont);
    check_python_on_enum(cx, cont);
    check_tuple_field_names(cx, cont);
    check_skipped_field_aliases(cx, cont);
    check_transparent(cx, cont);
    check_container_default(cx, cont);
    check_conversions(cx, cont);
    check_with(cx, cont);
    check_repr_str(cx, cont);
    check_write_only(cx, cont);
    check_container_aliases(cx, cont);
}

/// A container's `alias` names the records the type reads besides its own name's: a Python
/// name, and only on a type read from records of its own (a `transparent`, `repr = "str"`,
/// `from` or `try_from` type reads another value, and `write_only` reads nothing), where it
/// would silently do nothing.
fn check_container_aliases(cx: &Ctxt, cont: &Container) {
    let a = &cont.attrs;
    for alias in &a.aliases {
        check_python_name(cx, "type alias", alias);
        if alias.value() == cont.name.value() {
            cx.error_at(
                alias.span(),
                format!(
                    "the alias {} is the type's own Python name; remove it",
                    quoted(alias.value())
                ),
            );
        }
    }
    let Some(first) = a.aliases.first() else {
        return;
    };
    let reads_another = [
        (a.transparent, "transparent"),
        (a.repr_str, "repr = \"str\""),
        (a.from.as_ref().map(|c| c.span), "from"),
        (a.try_from.as_ref().map(|c| c.span), "try_from"),
    ];
    for (span, key) in reads_another {
        if span.is_some() {
            cx.error_at(
                first.span(),
                format!("`alias` names records the type reads, but a `{key}` type reads no record of its own; remove the alias"),
            );
        }
    }
}

/// `write_only`: nothing that only says how to read (the type is never read).
fn check_write_only(cx: &Ctxt, cont: &Container) {
    if cont.attrs.write_only.is_none() {
        return;
    }
    let error = |span: proc_macro2::Span, key: &str| {
        cx.error_at(
            span,
            format!("`{key}` says how to read the type, which `write_only` does not generate; remove one of them"),
        );
    };
    let a = &cont.attrs;
    for (key, conversion) in [("from", &a.from), ("try_from", &a.try_from)] {
        if let Some(conversion) = conversion {
            error(conversion.span, key);
        }
    }
    if let Some(span) = a.default_span {
        error(span, "default");
    }
    for fields in records(cont) {
        for field in fields {
            if let Some(alias) = field.attrs.aliases.first() {
                error(alias.span(), "alias");
            }
        }
    }
    if let Some(alias) = a.aliases.first() {
        error(alias.span(), "alias");
    }
}

/// `repr = "str"`: an enum whose variants are all unit variants, none with its own class.
fn check_repr_str(cx: &Ctxt, cont: &Container) {
    let Some(span) = cont.attrs.repr_str else {
        return;
    };
    let Data::Enum(variants) = &cont.data else {
        cx.error_at(
            span,
            "`repr = \"str\"` is for an enum of unit variants; a struct is written as its record",
        );
        return;
    };
    for variant in variants {
        if variant.style != Style::Unit {
            cx.error_spanned_by(
                variant.ident(),
                format!(
                    "`repr = \"str\"` writes each variant as its name, but `{}` has fields; use the default representation, or make every variant a unit variant",
                    variant.ident()
                ),
            );
        }
        if let Some(python) = &variant.attrs.python {
            cx.error_at(python.span, "a variant written as a string has no Python class; remove `python` or `repr = \"str\"`");
        }
    }
    let a = &cont.attrs;
    for (key, at) in [
        ("from", a.from.as_ref().map(|c| c.span)),
        ("try_from", a.try_from.as_ref().map(|c| c.span)),
        ("into", a.into.as_ref().map(|c| c.span)),
        ("transparent", a.transparent),
    ] {
        if let Some(at) = at {
            cx.error_at(
                at,
                format!("`{key}` and `repr = \"str\"` both say how the enum is written; keep one"),
            );
        }
    }
}

/// `transparent`: a struct with exactly one written field, and nothing that names a record
/// (there is none: the struct is its field).
fn check_transparent(cx: &Ctxt, cont: &Container) {
    let Some(span) = cont.attrs.transparent else {
        return;
    };
    let fields = match &cont.data {
        Data::Struct(_, fields) => fields,
        Data::Enum(_) => {
            cx.error_at(
                span,
                "`transparent` is for a struct of one field; an enum is written as its variants",
            );
            return;
        }
    };
    let written: Vec<&Field> = fields.iter().filter(|f| f.is_written()).collect();
    if written.len() != 1 {
        cx.error_at(
            span,
            format!(
                "`transparent` needs a struct with exactly one field that is not skipped; this one has {}",
                written.len()
            ),
        );
    }
    let a = &cont.attrs;
    let conflicts = [
        ("rename", a.rename.as_ref().map(Name::span)),
        ("python", a.python.as_ref().map(|p| p.span)),
        ("deny_unknown_fields", a.deny_unknown_fields.then_some(span)),
        ("rename_all", a.rename_all.as_ref().map(|_| span)),
        ("default", a.default_span),
        ("from", a.from.as_ref().map(|c| c.span)),
        ("try_from", a.try_from.as_ref().map(|c| c.span)),
        ("into", a.into.as_ref().map(|c| c.span)),
    ];
    for (key, at) in conflicts {
        if let Some(at) = at {
            cx.error_at(
                at,
                format!("`{key}` has no meaning on a `transparent` struct, which is written as its one field; remove one of them"),
            );
        }
    }
    for field in written {
        if let Some(rename) = &field.attrs.rename {
            cx.error_at(
                rename.span(),
                "the field of a `transparent` struct has no name in the archive; remove `rename`",
            );
        }
        if let Some(alias) = field.attrs.aliases.first() {
            cx.error_at(
                alias.span(),
                "the field of a `transparent` struct has no name in the archive; remove `alias`",
            );
        }
    }
}

/// A container `default` fills missing fields of a struct with named fields.
fn check_container_default(cx: &Ctxt, cont: &Container) {
    let Some(span) = cont.attrs.default_span else {
        return;
    };
    if !matches!(cont.data, Data::Struct(Style::Struct, _)) {
        cx.error_at(
            span,
            "a container `default` fills the missing fields of a struct with named fields; on an enum or a tuple struct, put `default` on the fields",
        );
    }
}

/// `from` and `try_from` both say how to read: one at most.
fn check_conversions(cx: &Ctxt, cont: &Container) {
    if let (Some(_), Some(try_from)) = (&cont.attrs.from, &cont.attrs.try_from) {
        cx.error_at(
            try_from.span,
            "`from` and `try_from` both say how to read the type; keep one",
        );
    }
}

/// `with` replaces the field's own `Persist`: not on a skipped field, which is never written.
fn check_with(cx: &Ctxt, cont: &Container) {
    for fields in records(cont) {
        for field in fields {
            if let (Some(with), true) = (&field.attrs.with, field.attrs.skip) {
                cx.error_spanned_by(
                    with,
                    "`with` on a skipped field is never used; remove one of them",
                );
            }
        }
    }
}

/// The fields of every record that is written and read: the struct's, or those of each variant
/// that is not skipped.
fn records<'c, 'a>(cont: &'c Container<'a>) -> Vec<&'c [Field<'a>]> {
    match &cont.data {
        Data::Enum(variants) => variants
            .iter()
            .filter(|v| !v.attrs.skip)
            .map(|v| v.fields.as_slice())
            .collect(),
        Data::Struct(_, fields) => vec![fields.as_slice()],
    }
}

/// Every name that reaches Python must be one Python accepts as an identifier, by the very rules
/// the runtime applies to item names (`persist_core::python::name`). A keyword would make the
/// archive a syntax error (`_P(class=1)`), and a name not in NFKC form would be changed by
/// Python's normalisation, so the value would not load back under the name Rust expects. An alias is a
/// name reading looks for in an archive, so it must be one an archive can hold. Skipped fields
/// and variants never reach Python, so their names are free. (The parts of `python = "..."` are
/// checked when the attribute is parsed.)
fn check_python_names(cx: &Ctxt, cont: &Container) {
    check_python_name(cx, "type", &cont.name);
    match &cont.data {
        Data::Enum(variants) => {
            for variant in variants.iter().filter(|v| !v.attrs.skip) {
                check_python_name(cx, "variant", &variant.name);
                check_field_names(cx, &variant.fields);
            }
        }
        Data::Struct(_, fields) => check_field_names(cx, fields),
    }
}

fn check_field_names(cx: &Ctxt, fields: &[Field]) {
    for field in fields.iter().filter(|f| f.is_written()) {
        if let Some(name) = &field.name {
            check_python_name(cx, "field", name);
            for alias in &field.attrs.aliases {
                check_python_name(cx, "alias", alias);
            }
        }
    }
}

fn check_python_name(cx: &Ctxt, what: &str, name: &Name) {
    let value = name.value();
    let Some(problem) = python_name_problem(value) else {
        return;
    };
    // For a keyword, Python's own convention is a trailing underscore (`class_`).
    let suggestion = if PYTHON_KEYWORDS.contains(&value) || value == "__debug__" {
        format!("{value}_")
    } else {
        "...".to_owned()
    };
    let q = quoted(value);
    let msg = match name.origin() {
        Origin::Ident => format!(
            "{what} name {q} {problem}; rename it with #[persist(rename = \"{suggestion}\")]"
        ),
        Origin::Rename => format!(
            "{what} name {q} {problem}; choose another name, like #[persist(rename = \
             \"{suggestion}\")]"
        ),
        Origin::Alias => {
            let holder = if what == "type alias" {
                "a record"
            } else {
                "a field"
            };
            format!(
                "alias {q} {problem}, so no archive can hold {holder} of that name; remove the alias"
            )
        }
        Origin::RenameAll => format!(
            "`rename_all` makes the {what} name {q}, which {problem}; choose another case, or give this {what} its own #[persist(rename = \"{suggestion}\")]"
        ),
    };
    cx.error_at(name.span(), msg);
}

/// Two fields of one struct or variant written under the same name would become the same keyword
/// argument twice, which Python refuses (and one value would be lost). This happens when a
/// `rename` takes the name of another field.
fn check_duplicate_field_names(cx: &Ctxt, cont: &Container) {
    match &cont.data {
        Data::Enum(variants) => {
            for variant in variants.iter().filter(|v| !v.attrs.skip) {
                check_duplicate_fields(cx, &variant.fields);
            }
        }
        Data::Struct(_, fields) => check_duplicate_fields(cx, fields),
    }
}

fn check_duplicate_fields(cx: &Ctxt, fields: &[Field]) {
    let mut seen: HashMap<&str, &Field> = HashMap::new();
    for field in fields.iter().filter(|f| f.is_written()) {
        let Some(name) = &field.name else { continue };
        if let Some(first) = seen.get(name.value()) {
            let first = rust_name(&first.member);
            let second = rust_name(&field.member);
            cx.error_at(
                name.span(),
                format!(
                    "fields `{first}` and `{second}` would both be written as {}; give one of \
                     them another name with #[persist(rename = \"...\")]",
                    quoted(name.value())
                ),
            );
        } else {
            seen.insert(name.value(), field);
        }
    }
}

/// An alias must pick out one field. Reading looks each keyword argument up among the fields'
/// names and aliases, so an alias that is also another field's name or alias would let one
/// argument fill two fields, or the wrong one. An alias that repeats the field's own name or
/// another of its aliases does nothing, and an attribute that silently does nothing is a mistake
/// waiting to happen.
fn check_aliases(cx: &Ctxt, cont: &Container) {
    for fields in records(cont) {
        let fields: Vec<(&Field, &Name)> = fields
            .iter()
            .filter(|f| f.is_written())
            .filter_map(|f| f.name.as_ref().map(|name| (f, name)))
            .collect();
        // Every name a field is read under, with the field it belongs to.
        let mut owners: HashMap<&str, &Field> = HashMap::new();
        for (field, name) in &fields {
            owners.entry(name.value()).or_insert(field);
        }
        for (field, name) in &fields {
            let this = rust_name(&field.member);
            let mut own: Vec<&str> = vec![name.value()];
            for alias in &field.attrs.aliases {
                let value = alias.value();
                let q = quoted(value);
                if value == name.value() {
                    cx.error_at(
                        alias.span(),
                        format!("alias {q} is the name of field `{this}` itself; remove it"),
                    );
                } else if own.contains(&value) {
                    cx.error_at(
                        alias.span(),
                        format!("duplicate alias {q} of field `{this}`; remove one of them"),
                    );
                } else if let Some(other) = owners.get(value) {
                    let other = rust_name(&other.member);
                    cx.error_at(
                        alias.span(),
                        format!(
                            "alias {q} of field `{this}` is also a name of field `{other}`, so \
                             reading could not tell which field `{value}=` fills; remove the \
                             alias or choose another"
                        ),
                    );
                } else {
                    owners.insert(value, field);
                }
                own.push(value);
            }
        }
    }
}

/// Two variants of one enum under the same name would be indistinguishable in Python (they
/// would share the class `Enum.Name`) and could not be told apart when read back.
fn check_duplicate_variant_names(cx: &Ctxt, cont: &Container) {
    let Data::Enum(variants) = &cont.data else {
        return;
    };
    let mut seen: HashMap<&str, &syn::Ident> = HashMap::new();
    for variant in variants.iter().filter(|v| !v.attrs.skip) {
        let name = &variant.name;
        if let Some(first) = seen.get(name.value()) {
            cx.error_at(
                name.span(),
                format!(
                    "variants `{first}` and `{}` would both be written as {}; give one of them \
                     another name with #[persist(rename = \"...\")]",
                    variant.ident(),
                    quoted(name.value())
                ),
            );
        } else {
            seen.insert(name.value(), variant.ident());
        }
    }
}

/// An enum is not one Python class but one per variant, each with its own fields, so one user
/// class for the whole enum cannot be built by keyword arguments; each variant names its own.
fn check_python_on_enum(cx: &Ctxt, cont: &Container) {
    if let (Data::Enum(_), Some(python)) = (&cont.data, &cont.attrs.python) {
        cx.error_at(
            python.span,
            "`python = ...` cannot be put on an enum: each variant is its own Python class; \
             put #[persist(python = \"module:Class\")] on the variants instead",
        );
    }
}

/// Tuple fields are written and read by position (Python names them `_0`, `_1`, ...), so a
/// `rename` or an `alias` would have no effect; an attribute that silently does nothing is a
/// mistake waiting to happen.
fn check_tuple_field_names(cx: &Ctxt, cont: &Container) {
    let check = |style: Style, fields: &[Field]| {
        if style != Style::Tuple {
            return;
        }
        for field in fields {
            if let Some(rename) = &field.attrs.rename {
                cx.error_at(
                    rename.span(),
                    "`rename` has no effect on a tuple field: Python numbers tuple fields \
                     (`_0`, `_1`, ...); remove it, or give the type named fields",
                );
            }
            for alias in &field.attrs.aliases {
                cx.error_at(
                    alias.span(),
                    "`alias` has no effect on a tuple field: tuple fields are read by position \
                     (`_0`, `_1`, ...); remove it, or give the type named fields",
                );
            }
        }
    };
    match &cont.data {
        Data::Enum(variants) => {
            for variant in variants {
                check(variant.style, &variant.fields);
            }
        }
        Data::Struct(style, fields) => check(*style, fields),
    }
}

/// A skipped field is never read, so an `alias` on it would have no effect (`default` does
/// have one: it fills the field).
fn check_skipped_field_aliases(cx: &Ctxt, cont: &Container) {
    let fields: Vec<&Field> = match &cont.data {
        Data::Enum(variants) => variants.iter().flat_map(|v| &v.fields).collect(),
        Data::Struct(_, fields) => fields.iter().collect(),
    };
    // Tuple fields are reported by `check_tuple_field_names`.
    for field in fields
        .into_iter()
        .filter(|f| !f.is_written() && f.name.is_some())
    {
        for alias in &field.attrs.aliases {
            cx.error_at(
                alias.span(),
                "`alias` has no effect on a skipped field: it is never read; remove it",
            );
        }
    }
}

/// The field's name in Rust, for messages.
fn rust_name(member: &syn::Member) -> String {
    match member {
        syn::Member::Named(ident) => syn::ext::IdentExt::unraw(ident).to_string(),
        syn::Member::Unnamed(index) => index.index.to_string(),
    }
}
