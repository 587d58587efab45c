//! Binding a parsed module: its statements checked one by one against what this crate writes
//! (the imports, the helper definitions, the record classes, the data), its names bound, the
//! uses of names bound twice and the `_load` calls gathered, its record tables planned. What
//! [`ArchiveReader`](super::ArchiveReader) keeps and reads items from.

use std::collections::HashMap;

use super::options::ReadOptions;
use super::{Binding, Bound, Class, LoadError, verify};
use crate::archive::FORMAT_WITH_SECOND_NAMES;
use crate::python::ast::{Expr, ExprKind, Module, Pos, Stmt};
use crate::python::names;
use crate::python::prelude::{TABLE_HELPER_V6, same_definition};
use crate::store::{Place, StoreKind};

/// Bind the module's names statement by statement, checking each statement against what this
/// crate writes (see [`verify`](super::verify)): every expression uses only names bound before
/// it and calls only the archive's helpers.
pub(super) fn bind(
    module: Module,
    source: &str,
    format: Option<u32>,
    ctx: BindContext<'_>,
) -> Result<Bound, LoadError> {
    let BindContext {
        origin,
        mut place,
        options,
    } = ctx;
    let mut names: HashMap<String, Binding> = HashMap::new();
    let mut items: Vec<String> = Vec::new();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for stmt in &module.statements {
        if let Some(name) = bound_name(stmt) {
            *counts.entry(name).or_default() += 1;
        }
    }
    let mut uses = verify::Uses::new(
        counts
            .into_iter()
            .filter(|&(_, n)| n > 1)
            .map(|(name, _)| name)
            .collect(),
    );
    let refuse = |pos: Pos, message: String| LoadError::Module {
        path: origin.clone(),
        pos,
        message,
    };
    // The store the module's `_load` belongs to, and the store whose file its helper value
    // (`_arrays`, `_data`) names, with where: the two must agree.
    let mut store: Option<StoreKind> = None;
    let mut tables = HashMap::new();
    let mut table_v6 = false;
    let mut path_store: Option<(StoreKind, Pos)> = None;
    for (index, stmt) in module.statements.iter().enumerate() {
        if let Some(name) = bound_name(stmt) {
            verify::check_rebinding(name, names.get(name)).map_err(|m| refuse(stmt.pos(), m))?;
        }
        match stmt {
            Stmt::Import {
                module: name,
                alias,
                pos,
            } => {
                verify::check_import(name, alias.as_deref()).map_err(|m| refuse(*pos, m))?;
                names.insert(
                    alias.clone().unwrap_or_else(|| name.clone()),
                    Binding::Module(name.clone()),
                );
            }
            Stmt::ImportFrom {
                module: from,
                name,
                alias,
                pos,
            } => {
                verify::check_import_from(from, alias.as_deref(), name, &options.trusted_modules)
                    .map_err(|m| refuse(*pos, m))?;
                let class = Class {
                    qualname: format!("{from}:{name}"),
                    fields: Vec::new(),
                    imported: true,
                };
                names.insert(
                    alias.clone().unwrap_or_else(|| name.clone()),
                    Binding::Class(class),
                );
            }
            Stmt::FunctionDef { name, pos, span } => {
                let defined = verify::check_def(source, name, span.clone(), *pos, format)
                    .map_err(|(pos, m)| refuse(pos, m))?;
                store = defined.or(store);
                if name == names::TABLE {
                    // Only format 6's `_table` makes dict tables and columns of lists.
                    let text = source.get(span.clone()).unwrap_or("");
                    table_v6 = same_definition(text, TABLE_HELPER_V6).is_ok();
                }
                names.insert(name.clone(), Binding::Helper);
            }
            Stmt::ReplaceModule { sys, value, pos } => {
                if !matches!(names.get(sys.as_str()), Some(Binding::Module(m)) if m == "sys") {
                    return Err(refuse(*pos, format!("`{sys}` is not the `sys` module")));
                }
                let value = verify::replaced_value(value, &names);
                verify::check_data(value, &names, &mut uses)
                    .map_err(|e| refuse(e.pos(), e.kind().to_string()))?;
            }
            Stmt::Del { names: deleted, .. } => {
                items.retain(|item| !deleted.contains(item));
            }
            Stmt::Assign { target, value, pos } => {
                if let Some(kinds) = path_helper(target) {
                    // The files the Rust reader reads for each store binding this name: a
                    // module archive of format 7 may name them by their second name.
                    let second = format.unwrap_or(1) >= FORMAT_WITH_SECOND_NAMES;
                    let expected: Option<Vec<(StoreKind, String, bool)>> =
                        place.as_ref().map(|p| expected_files(p, &kinds, second));
                    let expected_names: Option<Vec<String>> = expected
                        .as_ref()
                        .map(|e| e.iter().map(|(_, name, _)| name.clone()).collect());
                    let named = verify::check_helper_value(
                        target,
                        value,
                        *pos,
                        expected_names.as_deref(),
                        &names,
                    )
                    .map_err(|(pos, m)| refuse(pos, m))?;
                    if let (Some(p), Some(expected)) = (&mut place, &expected) {
                        let found = expected.iter().find(|(_, name, _)| *name == named);
                        if let Some((kind, _, second)) = found {
                            path_store = Some((*kind, value.pos));
                            p.second = *second;
                        }
                    }
                    names.insert(target.clone(), Binding::Helper);
                    continue;
                }
                if target == names::ALL {
                    verify::check_all(value).map_err(|(pos, m)| refuse(pos, m))?;
                    names.insert(target.clone(), Binding::Helper);
                    continue;
                }
                if let Some(class) = record_class(value, &names) {
                    verify::check_class_target(target).map_err(|m| refuse(*pos, m))?;
                    names.insert(target.clone(), Binding::Class(class));
                    continue;
                }
                verify::check_data_target(target).map_err(|m| refuse(*pos, m))?;
                uses.statement = std::ptr::from_ref(value) as usize;
                verify::check_data(value, &names, &mut uses)
                    .map_err(|e| refuse(e.pos(), e.kind().to_string()))?;
                if let Some(table) = super::table::plan(target, value, &names, table_v6)
                    .map_err(|e| refuse(e.pos(), e.kind().to_string()))?
                {
                    tables.insert(std::ptr::from_ref(value) as usize, table);
                }
                if !target.starts_with('_') {
                    items.retain(|item| item != target);
                    items.push(target.clone());
                }
                names.insert(target.clone(), Binding::Value(index));
            }
        }
    }
    if let (Some((named, pos)), Some(defined)) = (path_store, store)
        && named != defined
    {
        return Err(refuse(
            pos,
            format!(
                "the archive's `_load` is the {defined:?} store's, but `{}` names the {named:?} store's file; an archive uses one store",
                named.path_name()
            ),
        ));
    }
    let (seen, loads) = uses.finish();
    Ok(Bound {
        module,
        names,
        uses: seen,
        loads,
        items,
        place,
        store,
        origin,
        budget: options.budget_for(source.len()),
        limits: options.limits,
        tables,
    })
}

/// Where a module being bound comes from and how to read it.
pub(super) struct BindContext<'o> {
    pub(super) origin: String,
    pub(super) place: Option<Place>,
    pub(super) options: &'o ReadOptions,
}

/// The files the reader may read for the stores `kinds` at `place`, with whether each is a
/// second name (only a module archive's, and only if `second`: format 7 and later).
fn expected_files(
    place: &Place,
    kinds: &[StoreKind],
    second: bool,
) -> Vec<(StoreKind, String, bool)> {
    let names: &[bool] = if second && !place.item && !place.base.is_empty() {
        &[false, true]
    } else {
        &[false]
    };
    names
        .iter()
        .flat_map(|&second| {
            kinds
                .iter()
                .map(move |&k| (k, place.file_name_as(k, second), second))
        })
        .collect()
}

/// The stores whose loader binds the helper value `target` (`_arrays`, `_data`), if any does.
fn path_helper(target: &str) -> Option<Vec<StoreKind>> {
    let kinds: Vec<StoreKind> = StoreKind::ALL
        .iter()
        .copied()
        .filter(|k| k.path_name() == target)
        .collect();
    (!kinds.is_empty()).then_some(kinds)
}

/// The name a statement binds, if any.
fn bound_name(stmt: &Stmt) -> Option<&str> {
    match stmt {
        Stmt::Assign { target, .. } => Some(target),
        Stmt::Import { module, alias, .. } => Some(alias.as_deref().unwrap_or(module)),
        Stmt::ImportFrom { name, alias, .. } => Some(alias.as_deref().unwrap_or(name)),
        Stmt::FunctionDef { name, .. } => Some(name),
        Stmt::Del { .. } | Stmt::ReplaceModule { .. } => None,
    }
}

/// `_record('Q', ('a', 'b'), 'rust::Path', positional=True)` with literal arguments.
fn record_class(value: &Expr, names: &HashMap<String, Binding>) -> Option<Class> {
    let ExprKind::Call(call) = &value.kind else {
        return None;
    };
    let ExprKind::Name(func) = &call.func.kind else {
        return None;
    };
    if !matches!(names.get(func.as_str()), Some(Binding::Helper)) || func != names::RECORD {
        return None;
    }
    let is_bool = |e: &Expr| matches!(e.kind, ExprKind::Bool(_));
    let (qualname, fields, rust) = match &call.args[..] {
        [q, f, r] | [q, f, r, _] => (q, f, r),
        _ => return None,
    };
    let positional_ok = match (call.args.get(3), &call.kwargs[..]) {
        (None, []) => true,
        (Some(p), []) => is_bool(p),
        (None, [kw]) => kw.name == "positional" && is_bool(&kw.value),
        _ => false,
    };
    let (ExprKind::Str(qualname), ExprKind::Str(_)) = (&qualname.kind, &rust.kind) else {
        return None;
    };
    let fields = match &fields.kind {
        ExprKind::Tuple(items) | ExprKind::List(items) => items
            .iter()
            .map(|f| match &f.kind {
                ExprKind::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?,
        _ => return None,
    };
    positional_ok.then(|| Class {
        qualname: qualname.to_string(),
        fields,
        imported: false,
    })
}
