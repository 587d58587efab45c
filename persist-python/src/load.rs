//! `load(path)` / `load(path, item)`: an archive or DataSet read **without executing its
//! source**. `verify` checks it first; the Rust parser then reads each source file into its
//! syntax tree, and the statements are evaluated here, one by one, into the objects `import`
//! would bind: literals are built directly, names are looked up in the module being built, and
//! the only code that runs is what `verify` has matched to this crate's own helpers (`_record`,
//! `_table`, `_load`, ...: their definitions are run, from the archive's verified text) and the
//! functions those statements call (numpy's `array`, `datetime.timedelta`, ...). No Python
//! source of the archive is compiled, so nothing but the helpers can run, and no bytecode is
//! written.

use std::ffi::CString;
use std::path::{Path, PathBuf};

use persist_core::__private::ast::{BinOp, Expr, ExprKind, Stmt};
use persist_core::__private::parser::parse_module;
use persist_core::{DATASET_MARKER, DataSet, ReadOptions};
use pyo3::exceptions::{PyKeyError, PyNameError, PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyComplex, PyDict, PyList, PyModule, PySet, PyString, PyTuple};

/// The builtins an archive's statements may call (`float('nan')`, `complex(0.0, -0.0)`,
/// `set()`, `_table(dict, ...)`): no other builtin name is looked up.
const BUILTINS: [&str; 4] = ["float", "complex", "set", "dict"];

/// What an archive's path names on disk.
enum Target {
    /// A module archive's source or a package archive's `__init__.py`, and its module name.
    Source { file: PathBuf, name: String },
    /// A DataSet's folder and its name.
    DataSet { dir: PathBuf, name: String },
}

/// Where the archive at `path` is: a folder (a package archive, or a DataSet with its marker),
/// a `NAME.py` file, or `NAME` for `NAME.py`, as the Rust reader resolves it.
fn target(path: &Path) -> PyResult<Target> {
    let name_of = |p: &Path| {
        p.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    if path.is_dir() {
        let name = name_of(path);
        return Ok(if path.join(DATASET_MARKER).is_file() {
            Target::DataSet {
                dir: path.to_path_buf(),
                name,
            }
        } else {
            Target::Source {
                file: path.join("__init__.py"),
                name,
            }
        });
    }
    let file = if path.extension().is_some_and(|e| e == "py") {
        path.to_path_buf()
    } else {
        let mut with = path.as_os_str().to_owned();
        with.push(".py");
        PathBuf::from(with)
    };
    if !file.is_file() {
        return Err(PyOSError::new_err((
            2,
            format!("no archive at {}", path.display()),
            path.display().to_string(),
        )));
    }
    Ok(Target::Source {
        name: name_of(&file),
        file,
    })
}

/// Read the archive or DataSet at `path` as `import` would give it, without executing its
/// source: `verify` checks it first (raising `RefusedError` as `verify` does), then its
/// statements are evaluated. Returns a module object with the archive's items (a DataSet's
/// items load when first used, `_info_dict` holds their metadata), or with `item`, that item's
/// value. `trust` names modules whose classes records may be built with, as for `verify`.
#[pyfunction]
#[pyo3(signature = (path, item = None, trust = None))]
pub(crate) fn load<'py>(
    py: Python<'py>,
    path: PathBuf,
    item: Option<&str>,
    trust: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = trust
        .unwrap_or_default()
        .into_iter()
        .fold(ReadOptions::new(), ReadOptions::trust_module);
    let target = target(&path)?;
    py.detach(|| persist_core::verify(&path, &options))
        .map_err(|e| crate::refusal(py, &e))?;
    match target {
        Target::Source { file, name } => {
            let module = run_module(py, &file, &name)?.module;
            match item {
                None => Ok(module.into_any()),
                Some(item) => module.getattr(item).map_err(|_| {
                    PyKeyError::new_err(format!(
                        "the archive {} has no item `{item}`",
                        file.display()
                    ))
                }),
            }
        }
        Target::DataSet { dir, name } => match item {
            Some(item) => dataset_item(py, &dir, &name, item),
            None => dataset(py, &dir, &name, options),
        },
    }
}

/// A source file evaluated: its module, and the value its `sys.modules[__name__] = value`
/// hands over (a DataSet item's), if it has one.
struct Evaluated<'py> {
    module: Bound<'py, PyModule>,
    replaced: Option<Bound<'py, PyAny>>,
}

/// Evaluate the verified source `file` as the module `name`.
fn run_module<'py>(py: Python<'py>, file: &Path, name: &str) -> PyResult<Evaluated<'py>> {
    let source = std::fs::read_to_string(file).map_err(|e| {
        PyOSError::new_err((
            e.raw_os_error().unwrap_or(0),
            format!("cannot read {}: {e}", file.display()),
            file.display().to_string(),
        ))
    })?;
    let parsed = parse_module(&source)
        .map_err(|e| PyValueError::new_err(format!("{}: {e}", file.display())))?;
    let module = PyModule::new(py, name)?;
    let ns = module.dict();
    ns.set_item("__file__", file.display().to_string())?;
    let mut eval = Eval {
        py,
        ns: &ns,
        builtins: py.import("builtins")?,
    };
    let mut replaced = None;
    for statement in &parsed.statements {
        match statement {
            Stmt::Import { module, alias, .. } => {
                let imported = py.import(module.as_str())?;
                match alias {
                    Some(alias) => ns.set_item(alias, imported)?,
                    // `import os.path` binds `os`.
                    None => {
                        let top = module.split('.').next().unwrap_or(module);
                        ns.set_item(top, py.import(top)?)?;
                    }
                }
            }
            Stmt::ImportFrom {
                module,
                name,
                alias,
                ..
            } => {
                let value = py.import(module.as_str())?.getattr(name.as_str())?;
                ns.set_item(alias.as_deref().unwrap_or(name), value)?;
            }
            Stmt::FunctionDef { span, pos, .. } => {
                // `verify` matched this definition to one of this crate's helpers.
                let text = &source[span.clone()];
                let code = CString::new(text).map_err(|_| {
                    PyValueError::new_err(format!("{}:{pos}: a NUL in a helper", file.display()))
                })?;
                py.run(&code, Some(&ns), None)?;
            }
            Stmt::Assign { target, value, .. } => {
                let value = eval.expr(value)?;
                crate::pickle::by_value(py, &value)?;
                ns.set_item(target, value)?;
            }
            Stmt::Del { names, .. } => {
                for name in names {
                    ns.del_item(name)?;
                }
            }
            Stmt::ReplaceModule { value, .. } => {
                replaced = Some(eval.expr(value)?);
                // As `import DATASET.ITEM` leaves them: the module's record classes say
                // `DATASET.ITEM._records`, where the module stays (`_item`).
                for value in ns.values() {
                    if let Some(class) = crate::pickle::record_class(&value)? {
                        class.setattr("__module__", format!("{name}._records"))?;
                    }
                }
            }
        }
    }
    Ok(Evaluated { module, replaced })
}

/// The evaluator of one module's expressions.
struct Eval<'a, 'py> {
    py: Python<'py>,
    ns: &'a Bound<'py, PyDict>,
    builtins: Bound<'py, PyModule>,
}

impl<'py> Eval<'_, 'py> {
    fn expr(&mut self, expr: &Expr) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        Ok(match &expr.kind {
            ExprKind::Int(n) => n.into_pyobject(py)?.into_any(),
            ExprKind::BigInt { digits, radix } => self
                .builtins
                .getattr("int")?
                .call1((digits.as_str(), *radix))?,
            ExprKind::Float(f) => f.into_pyobject(py)?.into_any(),
            ExprKind::Complex(re, im) => PyComplex::from_doubles(py, *re, *im).into_any(),
            ExprKind::Str(s) => PyString::new(py, s).into_any(),
            ExprKind::Bytes(b) => PyBytes::new(py, b).into_any(),
            ExprKind::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
            ExprKind::None => py.None().into_bound(py),
            ExprKind::Name(name) => match self.ns.get_item(name.as_str())? {
                Some(value) => value,
                None if BUILTINS.contains(&name.as_str()) => {
                    self.builtins.getattr(name.as_str())?
                }
                None => {
                    return Err(PyNameError::new_err(format!(
                        "name '{name}' is not defined (at {})",
                        expr.pos
                    )));
                }
            },
            ExprKind::Attribute { value, attr } => self.expr(value)?.getattr(attr.as_str())?,
            ExprKind::Call(call) => {
                let func = self.expr(&call.func)?;
                let args = call
                    .args
                    .iter()
                    .map(|a| self.expr(a))
                    .collect::<PyResult<Vec<_>>>()?;
                let kwargs = PyDict::new(py);
                for kw in &call.kwargs {
                    kwargs.set_item(kw.name.as_str(), self.expr(&kw.value)?)?;
                }
                func.call(PyTuple::new(py, args)?, Some(&kwargs))?
            }
            ExprKind::List(items) => PyList::new(py, self.all(items)?)?.into_any(),
            ExprKind::Tuple(items) => PyTuple::new(py, self.all(items)?)?.into_any(),
            ExprKind::Set(items) => PySet::new(py, self.all(items)?)?.into_any(),
            ExprKind::Dict(entries) => {
                let dict = PyDict::new(py);
                for (k, v) in entries {
                    dict.set_item(self.expr(k)?, self.expr(v)?)?;
                }
                dict.into_any()
            }
            ExprKind::UnaryMinus(inner) => self.expr(inner)?.neg()?,
            ExprKind::UnaryPlus(inner) => self.expr(inner)?.pos()?,
            ExprKind::BinOp { op, left, right } => {
                let (left, right) = (self.expr(left)?, self.expr(right)?);
                match op {
                    BinOp::Add => left.add(right)?,
                    BinOp::Sub => left.sub(right)?,
                }
            }
        })
    }

    fn all(&mut self, items: &[Expr]) -> PyResult<Vec<Bound<'py, PyAny>>> {
        items.iter().map(|e| self.expr(e)).collect()
    }
}

/// A DataSet as a module: `_info_dict` (each item's metadata, from `_info/ITEM.py`) and its
/// items, each evaluated when first used (`module.ITEM`, `getattr`), as `import DATASET.ITEM`
/// loads one item alone.
fn dataset<'py>(
    py: Python<'py>,
    dir: &Path,
    name: &str,
    options: ReadOptions,
) -> PyResult<Bound<'py, PyAny>> {
    let items = DataSet::open_read_only(dir)
        .and_then(|ds| ds.items())
        .map_err(|e| PyOSError::new_err(format!("{}: {e}", dir.display())))?;
    let module = PyModule::new(py, name)?;
    module.setattr("__file__", dir.join("__init__.py").display().to_string())?;
    let infos = PyDict::new(py);
    for item in &items {
        let info = dir.join("_info").join(format!("{item}.py"));
        if info.is_file() {
            let evaluated = run_module(py, &info, &format!("{name}._info.{item}"))?;
            if let Ok(value) = evaluated.module.getattr("info") {
                infos.set_item(item, value)?;
            }
        }
    }
    module.setattr("_info_dict", infos)?;
    module.setattr("__all__", PyList::new(py, &items)?)?;
    let checked: Vec<_> = items
        .iter()
        .map(|item| stamp(&dir.join(format!("{item}.py"))))
        .collect();
    let (dir, name) = (dir.to_path_buf(), name.to_owned());
    let getattr = pyo3::types::PyCFunction::new_closure(
        py,
        None,
        None,
        move |args: &Bound<'_, PyTuple>, _kwargs| -> PyResult<Py<PyAny>> {
            let py = args.py();
            let item: String = args.get_item(0)?.extract()?;
            let Some(index) = items.iter().position(|i| *i == item) else {
                return Err(pyo3::exceptions::PyAttributeError::new_err(format!(
                    "the DataSet {} has no item `{item}`",
                    dir.display()
                )));
            };
            // Another process may have rewritten the item since the DataSet was checked.
            if stamp(&dir.join(format!("{item}.py"))) != checked[index] {
                py.detach(|| persist_core::verify(&dir, &options))
                    .map_err(|e| crate::refusal(py, &e))?;
            }
            dataset_item(py, &dir, &name, &item).map(Bound::unbind)
        },
    )?;
    module.setattr("__getattr__", getattr)?;
    Ok(module.into_any())
}

/// What says a file was rewritten: its size, modification time and inode.
fn stamp(file: &Path) -> Option<(u64, std::time::SystemTime, u64)> {
    let meta = std::fs::metadata(file).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some((meta.len(), meta.modified().ok()?, inode))
}

/// Item `item` of the verified DataSet at `dir`: the value its module hands over.
fn dataset_item<'py>(
    py: Python<'py>,
    dir: &Path,
    name: &str,
    item: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let file = dir.join(format!("{item}.py"));
    if !file.is_file() {
        return Err(PyKeyError::new_err(format!(
            "the DataSet {} has no item `{item}`",
            dir.display()
        )));
    }
    let evaluated = run_module(py, &file, &format!("{name}.{item}"))?;
    match evaluated.replaced {
        Some(value) => Ok(value),
        None => Ok(evaluated.module.into_any()),
    }
}
