//! [`ArchiveReader`]: open an archive, check its statements, read typed items.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::{Binding, Bound, Class, LoadError, ReadError, ReadErrorKind, Reader, SharedValues};
use crate::persist::Persist;
use crate::python::ast::{Expr, ExprKind, Module, Pos, Stmt};
use crate::python::parser::parse_module;

/// Modules an archive may import. Importing is only recorded, never done.
const KNOWN_MODULES: [&str; 4] = ["numpy", "os", "h5py", "sys"];

/// Builtins an archive calls: `float('nan')`, `complex(re, im)`, `set()`.
const BUILTIN_CALLS: [&str; 3] = ["float", "complex", "set"];

/// The numpy functions an archive calls (through the alias it imports numpy as).
const NUMPY_CALLS: [&str; 3] = ["array", "zeros", "asfortranarray"];

/// An archive opened for reading: parsed and checked once, then read item by item.
///
/// ```no_run
/// use persist_core::ArchiveReader;
/// let archive = ArchiveReader::open("results/run_1")?; // a package folder, or `NAME.py`
/// let alpha: f64 = archive.read("alpha")?;
/// let steps: u32 = archive.read("steps")?;
/// # Ok::<(), persist_core::LoadError>(())
/// ```
#[derive(Debug)]
pub struct ArchiveReader {
    bound: Bound,
    shared: SharedValues,
}

impl ArchiveReader {
    /// Open the archive at `path`: a package folder (`NAME/`, reading `NAME/__init__.py`) or a
    /// module (`NAME.py`; `NAME` alone works when `NAME.py` exists).
    ///
    /// # Errors
    /// The file cannot be read, does not parse, or holds a statement an archive does not have.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, LoadError> {
        let path = path.as_ref();
        let (source_path, arrays) = if path.is_dir() {
            (path.join("__init__.py"), path.join("_arrays"))
        } else {
            let source = if path.extension().is_some_and(|e| e == "py") {
                path.to_path_buf()
            } else {
                path.with_extension("py")
            };
            let mut arrays = source.with_extension("").into_os_string();
            arrays.push("_arrays");
            (source, PathBuf::from(arrays))
        };
        Self::open_with_arrays(&source_path, arrays)
    }

    fn open_with_arrays(source_path: &Path, arrays: PathBuf) -> Result<Self, LoadError> {
        let source = std::fs::read_to_string(source_path).map_err(|source| LoadError::Io {
            path: source_path.to_path_buf(),
            source,
        })?;
        Self::build(&source, source_path.display().to_string(), Some(arrays)).map_err(|e| match e {
            LoadError::Parse(p) => LoadError::Parse(p.with_path(source_path)),
            other => other,
        })
    }

    /// Open the item module `DIR/NAME.py` of a DataSet, whose arrays are in `DIR/NAME_data/`.
    pub(crate) fn open_dataset_item(path: &Path) -> Result<Self, LoadError> {
        let mut arrays = path.with_extension("").into_os_string();
        arrays.push("_data");
        Self::open_with_arrays(path, PathBuf::from(arrays))
    }

    /// Read an archive module from a string (as [`Archive::to_python_source`] makes). Its arrays
    /// must be inline: there is no folder to load external files from.
    ///
    /// [`Archive::to_python_source`]: crate::Archive::to_python_source
    ///
    /// # Errors
    /// The source does not parse, or holds a statement an archive does not have.
    ///
    /// ```
    /// use persist_core::{Archive, ArchiveReader};
    /// let mut archive = Archive::new();
    /// archive.insert("x", vec![1.5, 2.5])?;
    /// let reader = ArchiveReader::from_source(&archive.to_python_source()?)?;
    /// assert_eq!(reader.read::<Vec<f64>>("x")?, vec![1.5, 2.5]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_source(source: &str) -> Result<Self, LoadError> {
        Self::build(source, "<memory>".to_owned(), None)
    }

    fn build(source: &str, origin: String, arrays: Option<PathBuf>) -> Result<Self, LoadError> {
        // Format 1 is the only one so far; a newer one is refused here.
        let _format = super::format::check_format(source, &origin)?;
        let module = parse_module(source)?;
        let bound = bind(module, origin, arrays)?;
        Ok(ArchiveReader {
            bound,
            shared: SharedValues::default(),
        })
    }

    /// The item names, in the order the module assigns them.
    pub fn items(&self) -> impl Iterator<Item = &str> {
        self.bound.items.iter().map(String::as_str)
    }

    /// Read the item `name` as a `T`.
    ///
    /// # Errors
    /// No such item, or its value does not read as a `T`; the error names the file, the item,
    /// the line and column, and what was expected versus found.
    pub fn read<T: Persist>(&self, name: &str) -> Result<T, LoadError> {
        let index = match self.bound.names.get(name) {
            Some(Binding::Value(index)) if self.bound.items.iter().any(|i| i == name) => *index,
            _ => {
                return Err(LoadError::NoItem {
                    path: self.bound.origin.clone(),
                    item: name.to_owned(),
                    available: self.bound.items.join(", "),
                });
            }
        };
        let Stmt::Assign { value, .. } = &self.bound.module.statements[index] else {
            unreachable!("bindings point at assignments")
        };
        let mut reader = Reader::new(&self.bound, &self.shared);
        T::from_python(value, &mut reader).map_err(|source| LoadError::Item {
            path: self.bound.origin.clone(),
            item: name.to_owned(),
            source: Box::new(source),
        })
    }
}

/// Load one item of the archive at `path` (see [`ArchiveReader::open`]).
///
/// # Errors
/// As [`ArchiveReader::open`] and [`ArchiveReader::read`].
///
/// ```no_run
/// let field: ndarray::Array2<f64> = persist_core::load("results/run_1", "field")?;
/// # Ok::<(), persist_core::LoadError>(())
/// ```
pub fn load<T: Persist>(path: impl AsRef<Path>, item: &str) -> Result<T, LoadError> {
    ArchiveReader::open(path)?.read(item)
}

/// Read one item from archive source held in a string (see [`ArchiveReader::from_source`]).
///
/// # Errors
/// As [`ArchiveReader::from_source`] and [`ArchiveReader::read`].
///
/// ```
/// let x: (i32, String) = persist_core::from_str("x = (1, 'one')\n", "x")?;
/// assert_eq!(x, (1, "one".to_owned()));
/// # Ok::<(), persist_core::LoadError>(())
/// ```
pub fn from_str<T: Persist>(source: &str, item: &str) -> Result<T, LoadError> {
    ArchiveReader::from_source(source)?.read(item)
}

/// Bind the module's names statement by statement, checking that every expression uses only
/// names bound before it and calls only the archive's helpers.
fn bind(module: Module, origin: String, arrays: Option<PathBuf>) -> Result<Bound, LoadError> {
    let mut names: HashMap<String, Binding> = HashMap::new();
    let mut items: Vec<String> = Vec::new();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for stmt in &module.statements {
        if let Some(name) = bound_name(stmt) {
            *counts.entry(name).or_default() += 1;
        }
    }
    let mut uses = Uses {
        rebound: counts
            .into_iter()
            .filter(|&(_, n)| n > 1)
            .map(|(name, _)| name)
            .collect(),
        seen: HashMap::new(),
    };
    let refuse = |pos: Pos, message: String| LoadError::Module {
        path: origin.clone(),
        pos,
        message,
    };
    for (index, stmt) in module.statements.iter().enumerate() {
        match stmt {
            Stmt::Import {
                module: name,
                alias,
                pos,
            } => {
                if !KNOWN_MODULES.contains(&name.as_str()) {
                    return Err(refuse(
                        *pos,
                        format!(
                            "`import {name}` is not an import an archive has; expected one of numpy, os, h5py, sys"
                        ),
                    ));
                }
                names.insert(
                    alias.clone().unwrap_or_else(|| name.clone()),
                    Binding::Module(name.clone()),
                );
            }
            Stmt::ImportFrom {
                module: from,
                name,
                alias,
                ..
            } => {
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
            Stmt::FunctionDef { name, .. } => {
                names.insert(name.clone(), Binding::Helper);
            }
            Stmt::ReplaceModule { sys, value, pos } => {
                if !matches!(names.get(sys.as_str()), Some(Binding::Module(m)) if m == "sys") {
                    return Err(refuse(*pos, format!("`{sys}` is not the `sys` module")));
                }
                check_expr(value, &names, &mut uses)
                    .map_err(|e| refuse(e.pos(), e.kind().to_string()))?;
            }
            Stmt::Del { names: deleted, .. } => {
                items.retain(|item| !deleted.contains(item));
            }
            Stmt::Assign { target, value, .. } => {
                if let Some(class) = record_class(value, &names) {
                    names.insert(target.clone(), Binding::Class(class));
                    continue;
                }
                if target.starts_with('_') && is_path_helper(value, &names) {
                    names.insert(target.clone(), Binding::Helper);
                    continue;
                }
                check_expr(value, &names, &mut uses)
                    .map_err(|e| refuse(e.pos(), e.kind().to_string()))?;
                if !target.starts_with('_') {
                    items.retain(|item| item != target);
                    items.push(target.clone());
                }
                names.insert(target.clone(), Binding::Value(index));
            }
        }
    }
    let uses = uses.seen;
    Ok(Bound {
        module,
        names,
        uses,
        items,
        arrays,
        origin,
    })
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
    if !matches!(names.get(func.as_str()), Some(Binding::Helper)) || func != "_record" {
        return None;
    }
    let ExprKind::Str(qualname) = &call.args.first()?.kind else {
        return None;
    };
    let fields = match &call.args.get(1)?.kind {
        ExprKind::Tuple(items) | ExprKind::List(items) => items
            .iter()
            .map(|f| match &f.kind {
                ExprKind::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?,
        _ => return None,
    };
    Some(Class {
        qualname: qualname.clone(),
        fields,
        imported: false,
    })
}

/// `_os.path.join(...)` and friends: how a module finds its array folder. Recorded as a helper
/// and never evaluated.
fn is_path_helper(value: &Expr, names: &HashMap<String, Binding>) -> bool {
    let mut root = value;
    loop {
        match &root.kind {
            ExprKind::BinOp { left, .. } => root = left,
            ExprKind::Call(call) => root = &call.func,
            ExprKind::Attribute { value, .. } => root = value,
            ExprKind::Name(name) => {
                return matches!(names.get(name.as_str()), Some(Binding::Module(m)) if m == "os" || m == "h5py");
            }
            _ => return false,
        }
    }
}

/// Check that `expr` uses only bound names and calls only the archive's helpers.
/// Names bound more than once (Python allows it; the later binding wins from there on): each
/// use of such a name records the binding it sees, by the address of its expression.
struct Uses<'a> {
    rebound: HashSet<&'a str>,
    seen: HashMap<usize, Binding>,
}

impl Uses<'_> {
    fn note(&mut self, expr: &Expr, name: &str, names: &HashMap<String, Binding>) {
        if self.rebound.contains(name)
            && let Some(binding) = names.get(name)
        {
            self.seen
                .insert(expr as *const Expr as usize, binding.clone());
        }
    }
}

fn check_expr(
    expr: &Expr,
    names: &HashMap<String, Binding>,
    uses: &mut Uses<'_>,
) -> Result<(), ReadError> {
    match &expr.kind {
        ExprKind::Name(name) => match names.get(name.as_str()) {
            Some(Binding::Value(_)) => {
                uses.note(expr, name, names);
                Ok(())
            }
            _ => Err(ReadError::new(
                ReadErrorKind::UndefinedName(name.clone()),
                expr.pos,
            )),
        },
        ExprKind::Attribute { .. } => {
            let mut name = String::new();
            expr.dotted_name(&mut name);
            Err(ReadError::new(ReadErrorKind::UndefinedName(name), expr.pos))
        }
        ExprKind::Call(call) => {
            let mut name = String::new();
            let allowed = call.func.dotted_name(&mut name) && is_allowed_call(&name, names);
            if !allowed {
                return Err(ReadError::new(ReadErrorKind::ForbiddenCall(name), expr.pos));
            }
            uses.note(&call.func, &name, names);
            for arg in &call.args {
                check_expr(arg, names, uses)?;
            }
            for kw in &call.kwargs {
                check_expr(&kw.value, names, uses)?;
            }
            Ok(())
        }
        ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => items
            .iter()
            .try_for_each(|item| check_expr(item, names, uses)),
        ExprKind::Dict(entries) => entries.iter().try_for_each(|(k, v)| {
            check_expr(k, names, uses)?;
            check_expr(v, names, uses)
        }),
        ExprKind::UnaryMinus(inner) | ExprKind::UnaryPlus(inner) => check_expr(inner, names, uses),
        ExprKind::BinOp { left, right, .. } => {
            check_expr(left, names, uses)?;
            check_expr(right, names, uses)
        }
        ExprKind::Int(_)
        | ExprKind::BigInt { .. }
        | ExprKind::Float(_)
        | ExprKind::Complex(..)
        | ExprKind::Str(_)
        | ExprKind::Bytes(_)
        | ExprKind::Bool(_)
        | ExprKind::None => Ok(()),
    }
}

fn is_allowed_call(name: &str, names: &HashMap<String, Binding>) -> bool {
    if let Some((module, function)) = name.split_once('.') {
        return matches!(names.get(module), Some(Binding::Module(m)) if m == "numpy")
            && NUMPY_CALLS.contains(&function);
    }
    match names.get(name) {
        Some(Binding::Class(_)) => true,
        Some(Binding::Helper) => name == "_load",
        Some(_) => false,
        None => BUILTIN_CALLS.contains(&name),
    }
}
