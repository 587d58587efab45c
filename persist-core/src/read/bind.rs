//! Binding a parsed module: its statements checked one by one against what this crate writes
//! (the imports, the helper definitions, the record classes, the data), its names bound, the
//! uses of names bound twice and the `_load` calls gathered, its record tables planned. What
//! [`ArchiveReader`](super::ArchiveReader) keeps and reads items from.

use std::collections::HashMap;

use super::options::ReadOptions;
use super::rules::Watched;
use super::{Binding, Bound, Class, LoadError, ReadError, rules};
use crate::format::FORMAT_WITH_SECOND_NAMES;
use crate::format::helpers::TABLE_HELPER_V6;
use crate::python::ast::{Expr, ExprKind, Module, Pos, Stmt};
use crate::python::names;
use crate::python::parser::Statements;
use crate::python::same::same_definition;
use crate::store::{Place, StoreKind};

/// Parse and bind the module statement by statement, checking each statement against what
/// this crate writes (see [`verify`](super::verify)) as soon as it is parsed: every expression
/// uses only names bound before it and calls only the archive's helpers (checked by a
/// [`DataWatch`](rules::DataWatch) while the statement is parsed, so its tree is not walked
/// again).
pub(super) fn bind(
    source: &str,
    format: Option<u32>,
    ctx: BindContext<'_>,
) -> Result<Bound, LoadError> {
    let BindContext {
        origin,
        place,
        options,
    } = ctx;
    let mut parser = Statements::new(source, super::rules::helper_definitions())?;
    let mut binder = Binder {
        source,
        format,
        origin,
        place,
        options,
        names: HashMap::new(),
        rebinds: HashMap::new(),
        items: Vec::new(),
        statements: Vec::new(),
        uses: rules::Uses::new(),
        store: None,
        tables: Vec::new(),
        table_v6: false,
        path_store: None,
    };
    loop {
        let mut watch = rules::DataWatch::new(&binder.names, &mut binder.uses);
        let Some(stmt) = parser.next(&mut watch)? else {
            break;
        };
        let watched = watch.finish();
        binder.statement(&stmt, watched, parser.position())?;
        binder.statements.push(stmt);
    }
    binder.finish()
}

/// A module being bound: what its statements so far have bound and asked for.
struct Binder<'s, 'o> {
    source: &'s str,
    format: Option<u32>,
    origin: String,
    place: Option<Place>,
    options: &'o ReadOptions,
    names: HashMap<String, Binding>,
    /// For names bound more than once, each binding with where it starts to hold.
    rebinds: HashMap<String, Vec<(Pos, Binding)>>,
    items: Vec<String>,
    statements: Vec<Stmt>,
    uses: rules::Uses,
    /// The store the module's `_load` belongs to.
    store: Option<StoreKind>,
    /// The record tables, by the index of their statement.
    tables: Vec<(usize, super::table::Table)>,
    /// The module's `_table` is format 6's (which alone makes dict tables and columns of lists).
    table_v6: bool,
    /// The store whose file the helper value (`_arrays`, `_data`) names, with where: it must
    /// agree with `store`.
    path_store: Option<(StoreKind, Pos)>,
}

impl Binder<'_, '_> {
    fn refuse(&self, pos: Pos, message: String) -> LoadError {
        LoadError::Module {
            path: self.origin.clone(),
            pos,
            message,
        }
    }

    fn refuse_read(&self, error: ReadError) -> LoadError {
        self.refuse(error.pos(), error.kind().to_string())
    }

    /// Check and bind the next statement, `stmt`, which `watched` saw parsed; `after` is a
    /// position after it and before the next.
    fn statement(&mut self, stmt: &Stmt, watched: Watched, after: Pos) -> Result<(), LoadError> {
        let index = self.statements.len();
        if let Some(name) = bound_name(stmt) {
            rules::check_rebinding(name, self.names.get(name))
                .map_err(|m| self.refuse(stmt.pos(), m))?;
        }
        match stmt {
            Stmt::Import {
                module: name,
                alias,
                pos,
            } => {
                rules::check_import(name, alias.as_deref()).map_err(|m| self.refuse(*pos, m))?;
                self.names.insert(
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
                rules::check_import_from(
                    from,
                    alias.as_deref(),
                    name,
                    &self.options.trusted_modules,
                )
                .map_err(|m| self.refuse(*pos, m))?;
                let class = Class {
                    qualname: format!("{from}:{name}"),
                    fields: Vec::new(),
                    imported: true,
                    rust: Default::default(),
                };
                self.names.insert(
                    alias.clone().unwrap_or_else(|| name.clone()),
                    Binding::Class(class),
                );
            }
            Stmt::FunctionDef { name, pos, span } => {
                let defined = rules::check_def(self.source, name, span.clone(), *pos, self.format)
                    .map_err(|(pos, m)| self.refuse(pos, m))?;
                self.store = defined.or(self.store);
                if name == names::TABLE {
                    let text = self.source.get(span.clone()).unwrap_or("");
                    self.table_v6 = same_definition(text, TABLE_HELPER_V6).is_ok();
                }
                self.names.insert(name.clone(), Binding::Helper);
            }
            Stmt::ReplaceModule { sys, value, pos } => {
                if !matches!(self.names.get(sys.as_str()), Some(Binding::Module(m)) if m == "sys") {
                    return Err(self.refuse(*pos, format!("`{sys}` is not the `sys` module")));
                }
                let checked = rules::replaced_value(value, &self.names);
                rules::check_watched(value, checked, false, watched, &self.names, &mut self.uses)
                    .map_err(|e| self.refuse_read(e))?;
            }
            Stmt::Del { names: deleted, .. } => {
                self.items.retain(|item| !deleted.contains(item));
            }
            Stmt::Assign { target, value, pos } => {
                if self.special_assignment(target, value, *pos)? {
                    // Not data: what its watch gathered does not count.
                    self.uses.forget_loads(watched.loads);
                    return Ok(());
                }
                rules::check_data_target(target).map_err(|m| self.refuse(*pos, m))?;
                rules::check_watched(value, value, true, watched, &self.names, &mut self.uses)
                    .map_err(|e| self.refuse_read(e))?;
                if let Some(table) = super::table::plan(target, value, &self.names, self.table_v6)
                    .map_err(|e| self.refuse_read(e))?
                {
                    self.tables.push((index, table));
                }
                if !target.starts_with('_') {
                    self.items.retain(|item| item != target);
                    self.items.push(target.clone());
                }
                let binding = Binding::Value(index);
                if let Some(before) = self.names.insert(target.clone(), binding.clone()) {
                    self.rebinds
                        .entry(target.clone())
                        .or_insert_with(|| vec![(Pos::default(), before)])
                        .push((after, binding));
                }
            }
        }
        Ok(())
    }

    /// An assignment that is not data: a helper value (`_arrays`, `_data`), `__all__` or a
    /// record class, checked and bound; `false` for any other.
    fn special_assignment(
        &mut self,
        target: &String,
        value: &Expr,
        pos: Pos,
    ) -> Result<bool, LoadError> {
        if let Some(kinds) = path_helper(target) {
            // The files the Rust reader reads for each store binding this name: a module
            // archive of format 7 may name them by their second name.
            let second = self.format.unwrap_or(1) >= FORMAT_WITH_SECOND_NAMES;
            let expected: Option<Vec<(StoreKind, String, bool)>> = self
                .place
                .as_ref()
                .map(|p| expected_files(p, &kinds, second));
            let expected_names: Option<Vec<String>> = expected
                .as_ref()
                .map(|e| e.iter().map(|(_, name, _)| name.clone()).collect());
            let named = rules::check_helper_value(
                target,
                &kinds,
                value,
                pos,
                expected_names.as_deref(),
                &self.names,
            )
            .map_err(|(pos, m)| self.refuse(pos, m))?;
            if let (Some(p), Some(expected)) = (&mut self.place, &expected) {
                let found = expected.iter().find(|(_, name, _)| *name == named);
                if let Some((kind, _, second)) = found {
                    self.path_store = Some((*kind, value.pos));
                    p.second = *second;
                }
            }
            self.names.insert(target.clone(), Binding::Helper);
            return Ok(true);
        }
        if target == names::ALL {
            rules::check_all(value).map_err(|(pos, m)| self.refuse(pos, m))?;
            self.names.insert(target.clone(), Binding::Helper);
            return Ok(true);
        }
        if let Some(class) = record_class(value, &self.names) {
            rules::check_class_target(target).map_err(|m| self.refuse(pos, m))?;
            self.names.insert(target.clone(), Binding::Class(class));
            return Ok(true);
        }
        Ok(false)
    }

    /// The bound module, once its last statement is.
    fn finish(self) -> Result<Bound, LoadError> {
        if let (Some((named, pos)), Some(defined)) = (self.path_store, self.store)
            && named != defined
        {
            return Err(self.refuse(
                pos,
                format!(
                    "the archive's `_load` is the {defined:?} store's, but `{}` names the {named:?} store's file; an archive uses one store",
                    named.path_name()
                ),
            ));
        }
        let module = Module {
            statements: self.statements,
        };
        // Keyed by the address of the statement's value, which no longer moves.
        let tables = self
            .tables
            .into_iter()
            .filter_map(|(index, table)| match &module.statements[index] {
                Stmt::Assign { value, .. } => Some((std::ptr::from_ref(value) as usize, table)),
                _ => None,
            })
            .collect();
        Ok(Bound {
            module,
            names: self.names,
            rebinds: self.rebinds,
            loads: self.uses.finish(),
            items: self.items,
            place: self.place,
            store: self.store,
            origin: self.origin,
            budget: self.options.budget_for(self.source.len()),
            limits: self.options.limits,
            structural: self.options.structural,
            tables,
        })
    }
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
    let (ExprKind::Str(qualname), ExprKind::Str(rust)) = (&qualname.kind, &rust.kind) else {
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
        rust: rust.clone(),
    })
}
