//! The verifier's rules for single statements: what makes an archive's statement one this crate
//! writes, so that importing an accepted archive in Python runs nothing but the archive's own
//! helpers exactly as the writer emits them.
//!
//! - `import` statements: exactly the writer's (`import numpy as _np`, `os as _os`,
//!   `h5py as _h5py`, `sys as _sys`).
//! - `from m import C as _X` (a record built with the user's own class): it runs the module `m` in
//!   Python, so it is refused unless the reader was told to trust `m`.
//! - `def` statements: token by token and line by line the same as the helper definition of that
//!   name the writer of the archive's format emits (`format::helpers::record_helper`, and each
//!   registered store's `_load` texts), indented with spaces only; a `_load` tells the store.
//! - helper values: `_arrays` and `_data` are exactly the writer's path expressions, naming the
//!   folder or file the Rust reader reads too, and are bound once.
//! - every other statement assigns data (literals, names of data, and calls of the helpers) to a
//!   name that is neither a helper's nor a dunder: [`data`] checks it (as the parser builds
//!   it, and by a walk over its tree where that is not sure), and [`check_call`] decides
//!   which calls are data.

use std::collections::HashMap;
use std::ops::Range;

use super::{Binding, ReadError, ReadErrorKind};
use crate::array::DTYPES;
use crate::format::helpers::{module_helper, record_helper, table_helper};
use crate::platform::is_plain_file_name;
use crate::python::ast::{Call, Expr, ExprKind, Pos};
use crate::python::encoding::excerpt;
use crate::python::names;
use crate::python::same::same_definition;
use crate::store::StoreKind;

/// `import module as alias`: the error message if it is not one of the writer's imports.
pub(crate) fn check_import(module: &str, alias: Option<&str>) -> Result<(), String> {
    if names::IMPORTS
        .iter()
        .any(|&(m, a)| m == module && alias == Some(a))
    {
        return Ok(());
    }
    let written = match alias {
        Some(alias) => format!("import {} as {}", excerpt(module), excerpt(alias)),
        None => format!("import {}", excerpt(module)),
    };
    Err(format!(
        "`{written}` is not an import this crate writes; an archive imports only `numpy as _np`, `os as _os`, `h5py as _h5py`, `zarr as _zarr`, `sys as _sys` and `datetime as _dt`"
    ))
}

/// `from module import name as alias`: allowed only for trusted modules.
pub(crate) fn check_import_from(
    module: &str,
    alias: Option<&str>,
    name: &str,
    trusted: &[String],
) -> Result<(), String> {
    let alias = alias.unwrap_or(name);
    if !alias.starts_with('_') || names::is_helper(alias) || is_dunder(alias) {
        return Err(format!(
            "`from {} import {} as {}` binds a name this crate never imports a class as",
            excerpt(module),
            excerpt(name),
            excerpt(alias)
        ));
    }
    if trusted.iter().any(|m| m == module) {
        return Ok(());
    }
    Err(format!(
        "the archive imports `{}`, which runs that module's code when Python imports the archive; if you trust it, allow it with `ReadOptions::new().trust_module(\"{}\")`",
        excerpt(module),
        excerpt(module)
    ))
}

/// Every helper definition of every format, each once: the format's own (`_record`, `_table`,
/// the module helpers) and each store's `_load` texts. The parser is handed these: it passes
/// over a `def` that is one of them word for word without tokenizing it ([`check_def`] then
/// says whether it is the right one for the archive's format and store).
pub(crate) fn helper_definitions() -> &'static [&'static str] {
    static ALL: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut all: Vec<&'static str> = Vec::new();
        for format in crate::format::OLDEST_FORMAT..=crate::format::FORMAT_VERSION {
            all.push(record_helper(format));
            all.extend(table_helper(format));
            for &kind in StoreKind::ALL {
                all.extend(kind.load_defs(format));
            }
            all.extend(
                ["__getattr__", "__dir__", "_item"]
                    .iter()
                    .filter_map(|name| module_helper(format, name)),
            );
        }
        let mut seen = std::collections::HashSet::new();
        all.retain(|text| text.ends_with('\n') && !text.contains('\r') && seen.insert(*text));
        all
    })
}

/// A `def` statement: it must be, token for token, one of the writer's helper definitions of
/// that name; for `_load`, the store whose definition it is. On a difference, where (in the
/// whole source) and what.
pub(crate) fn check_def(
    source: &str,
    name: &str,
    span: Range<usize>,
    pos: Pos,
    format: Option<u32>,
) -> Result<Option<StoreKind>, (Pos, String)> {
    let text = source.get(span).unwrap_or("");
    // The helpers of the format the header names; without a header (written by hand), those
    // of any format.
    let formats = match format {
        Some(format) => format..=format,
        None => crate::format::OLDEST_FORMAT..=crate::format::FORMAT_VERSION,
    };
    let mut candidates: Vec<(Option<StoreKind>, &str)> = Vec::new();
    for format in formats {
        match name {
            "_record" => candidates.push((None, record_helper(format))),
            "_table" => candidates.extend(table_helper(format).iter().map(|t| (None, *t))),
            "_load" => {
                for &kind in StoreKind::ALL {
                    candidates.extend(kind.load_defs(format).iter().map(|d| (Some(kind), *d)));
                }
            }
            other => candidates.extend(module_helper(format, other).map(|t| (None, t))),
        }
    }
    if candidates.is_empty() {
        return Err((
            pos,
            format!(
                "`def {}` is not a helper this crate writes; an archive defines only `_load`, `_record`, (from format 3 on) `_table` and (from format 5 on) `__getattr__`, `__dir__` and `_item`",
                excerpt(name)
            ),
        ));
    }
    let mut first_difference = None;
    for (store, canonical) in candidates {
        match same_definition(text, canonical) {
            Ok(()) => return Ok(store),
            Err(at) => first_difference = first_difference.max(Some(at)),
        }
    }
    let at = first_difference.unwrap_or(Pos::new(1, 1));
    let at = Pos::new(pos.line + at.line - 1, at.column);
    Err((
        at,
        format!(
            "the helper `{name}` differs here from the one this crate writes; an archive's helpers must be exactly the writer's (write the archive again, or restore the helper)"
        ),
    ))
}

/// `__all__ = ['a', 'b']` (format 5): a list of names, which `dir(module)` shows.
pub(crate) fn check_all(value: &Expr) -> Result<(), (Pos, String)> {
    let names = match &value.kind {
        ExprKind::List(items) => items,
        _ => {
            return Err((
                value.pos,
                "`__all__` is not a list; an archive sets it to the list of its item names".into(),
            ));
        }
    };
    match names.iter().find(|n| !matches!(n.kind, ExprKind::Str(_))) {
        Some(other) => Err((
            other.pos,
            "an entry of `__all__` is not a string; an archive lists its item names there".into(),
        )),
        None => Ok(()),
    }
}

/// The value of `sys.modules[__name__] = value`: a name, or format 5's `_item(name)`.
pub(crate) fn replaced_value<'e>(value: &'e Expr, names: &HashMap<String, Binding>) -> &'e Expr {
    match as_call(value, names::ITEM) {
        Some(call)
            if matches!(names.get(names::ITEM), Some(Binding::Helper))
                && call.kwargs.is_empty()
                && call.args.len() == 1 =>
        {
            &call.args[0]
        }
        _ => value,
    }
}

/// `_arrays = <path beside __file__>` or `_data = ...`: the helper value statements. `stores`
/// are the stores whose loader binds `target` (what they keep, and the calls their path may be
/// wrapped in); `expected` the names of the folders or files the Rust reader reads (one per
/// such store), when it reads from disk. The name the expression gives.
///
/// The modules the expression uses (`_os`, and `_h5py` for a lazy HDF5 file) must have been
/// imported before it: otherwise an error at the statement's position `pos`.
pub(crate) fn check_helper_value(
    target: &str,
    stores: &[StoreKind],
    value: &Expr,
    pos: Pos,
    expected: Option<&[String]>,
    names: &HashMap<String, Binding>,
) -> Result<String, (Pos, String)> {
    let refuse = |what: &str| {
        let kept: Vec<&str> = stores.iter().map(|kind| kind.what()).collect();
        Err((
            value.pos,
            format!(
                "`{target} = ...` is not the writer's: {what}; an archive sets `{target}` only to the path of its own array file or folder ({})",
                kept.join(", ")
            ),
        ))
    };
    let opener = match &value.kind {
        ExprKind::Call(call) => stores
            .iter()
            .filter_map(|kind| kind.opener())
            .find(|opener| dotted(&call.func) == opener.call)
            .map(|opener| (call, opener)),
        _ => None,
    };
    let os = (names::OS, "os");
    let (path, modules): (&Expr, Vec<(&str, &str)>) = match opener {
        Some((call, opener)) => match (&call.args[..], &call.kwargs[..]) {
            ([path, mode], []) if matches!(&mode.kind, ExprKind::Str(m) if m == opener.mode) => {
                (path, vec![os, opener.module])
            }
            _ => {
                return refuse(&format!(
                    "`{}` must be called with the path and `'{}'`",
                    opener.call, opener.mode
                ));
            }
        },
        None => (value, vec![os]),
    };
    let Some(name) = beside_source(path) else {
        return refuse(
            "it is not `_os.path.join(_os.path.dirname(_os.path.abspath(__file__)), 'NAME')`",
        );
    };
    if let Some(expected) = expected
        && !expected.iter().any(|e| e == name)
    {
        let expected: Vec<String> = expected.iter().map(|e| format!("`{e}`")).collect();
        return refuse(&format!(
            "it names `{}`, but the archive's arrays are in {}",
            excerpt(name),
            expected.join(" or ")
        ));
    }
    if !is_plain_file_name(name) {
        return refuse(&format!("`{}` is not a plain file name", excerpt(name)));
    }
    for (alias, module) in &modules {
        if !matches!(names.get(*alias), Some(Binding::Module(m)) if m == module) {
            return Err((
                pos,
                format!("`{target}` uses `{alias}` before `import {module} as {alias}`"),
            ));
        }
    }
    Ok(name.to_owned())
}

/// The name a record class (`_X = _record(...)`) is bound to: a private name, not a helper's.
pub(crate) fn check_class_target(target: &str) -> Result<(), String> {
    if !target.starts_with('_') || names::is_helper(target) {
        return Err(format!(
            "a record class is bound to `{}`; the writer binds classes to private names such as `_Params`",
            excerpt(target)
        ));
    }
    Ok(())
}

/// The `NAME` of `_os.path.join(_os.path.dirname(_os.path.abspath(__file__)), 'NAME')`.
fn beside_source(expr: &Expr) -> Option<&str> {
    let join = as_call(expr, "_os.path.join")?;
    let [dir, name] = &join.args[..] else {
        return None;
    };
    let dirname = as_call(dir, "_os.path.dirname")?;
    let [abspath] = &dirname.args[..] else {
        return None;
    };
    let abspath = as_call(abspath, "_os.path.abspath")?;
    let [file] = &abspath.args[..] else {
        return None;
    };
    if !matches!(&file.kind, ExprKind::Name(n) if n == "__file__") {
        return None;
    }
    match &name.kind {
        ExprKind::Str(s) => Some(s),
        _ => None,
    }
}

/// `expr` as a call of `name` with positional arguments only.
fn as_call<'e>(expr: &'e Expr, name: &str) -> Option<&'e Call> {
    match &expr.kind {
        ExprKind::Call(call) if call.kwargs.is_empty() && dotted(&call.func) == name => Some(call),
        _ => None,
    }
}

pub(super) fn dotted(expr: &Expr) -> String {
    let mut name = String::new();
    if expr.dotted_name(&mut name) {
        name
    } else {
        String::new()
    }
}

/// A dataset path of an HDF5 file: plain segments separated by `/`.
fn is_dataset_path(name: &str) -> bool {
    name.split('/').all(is_plain_file_name)
}

/// `__name__`-like names, which Python gives meaning to.
pub(crate) fn is_dunder(name: &str) -> bool {
    name.len() > 4 && name.starts_with("__") && name.ends_with("__")
}

/// The target of a data assignment: not a helper's name, not a dunder, not a builtin that data
/// calls.
pub(crate) fn check_data_target(target: &str) -> Result<(), String> {
    if names::is_helper(target) || is_dunder(target) || names::is_builtin(target) {
        return Err(format!(
            "`{}` is a name the archive's helpers rely on; an archive assigns data only to item names and temporaries",
            excerpt(target)
        ));
    }
    Ok(())
}

/// Whether the name `name` bound as `binding` may be bound again: only data may.
pub(crate) fn check_rebinding(name: &str, binding: Option<&Binding>) -> Result<(), String> {
    match binding {
        None | Some(Binding::Value(_)) => Ok(()),
        Some(_) => Err(format!(
            "`{}` is bound a second time; an archive binds each helper, module and class once",
            excerpt(name)
        )),
    }
}

/// A call in data: of a record class, of `_load` with a plain file name or dataset path, of
/// `_np.array`/`_np.zeros`/`_np.asfortranarray` with a known dtype, of `_dt.timedelta` and
/// `_dt.datetime` with integers, or of `float`, `complex` and `set`. `binding` is what the
/// callee's name stands for.
pub(crate) fn check_call(
    pos: Pos,
    call: &Call,
    name: &str,
    binding: Option<&Binding>,
) -> Result<(), ReadError> {
    let forbidden = || ReadError::new(ReadErrorKind::ForbiddenCall(excerpt(name)), pos);
    let bad = |message: String| ReadError::custom(message, pos);
    if let Some(function) = name
        .strip_prefix(names::NUMPY)
        .and_then(|rest| rest.strip_prefix('.'))
    {
        if !matches!(binding, Some(Binding::Module(m)) if m == "numpy") {
            return Err(forbidden());
        }
        let arity = match function {
            "array" | "zeros" | "asfortranarray" => 1,
            _ => return Err(forbidden()),
        };
        if call.args.len() != arity {
            return Err(bad(format!(
                "`{name}` takes {arity} positional argument in an archive"
            )));
        }
        for kw in &call.kwargs {
            let known = kw.name == "dtype"
                && function != "asfortranarray"
                && matches!(&kw.value.kind, ExprKind::Str(d) if DTYPES.contains(&d.as_str()));
            if !known {
                return Err(bad(format!(
                    "`{name}(..., {}=...)` is not how this crate writes arrays; expected `dtype=` with one of {}",
                    excerpt(&kw.name),
                    DTYPES.join(", ")
                )));
            }
        }
        return Ok(());
    }
    if let Some(function) = name
        .strip_prefix(names::DATETIME)
        .and_then(|rest| rest.strip_prefix('.'))
    {
        if !matches!(binding, Some(Binding::Module(m)) if m == "datetime") {
            return Err(forbidden());
        }
        return super::time::check_datetime_call(function, call).map_err(bad);
    }
    if name.contains('.') {
        return Err(forbidden());
    }
    match binding {
        Some(Binding::Class(_)) => Ok(()),
        Some(Binding::Helper) if name == names::LOAD => match (&call.args[..], &call.kwargs[..]) {
            ([arg], []) => match &arg.kind {
                ExprKind::Str(file) if is_dataset_path(file) => Ok(()),
                ExprKind::Str(file) => Err(bad(format!(
                    "`_load('{}')` names a file outside the archive's arrays; expected a plain file name",
                    excerpt(file)
                ))),
                _ => Err(bad("`_load` takes a string literal in an archive".into())),
            },
            _ => Err(bad("`_load` takes one string literal in an archive".into())),
        },
        Some(Binding::Helper) if name == names::TABLE => super::table::check_table_call(pos, call),
        None if names::is_builtin(name) => {
            if !call.kwargs.is_empty() || call.args.len() > 2 {
                return Err(bad(format!(
                    "`{name}(...)` takes at most two positional arguments in an archive"
                )));
            }
            Ok(())
        }
        _ => Err(forbidden()),
    }
}

mod data;
#[cfg(test)]
mod tests;

pub(crate) use data::{DataWatch, Uses, Watched, check_watched};
