//! How the records `load` builds pickle: by value. An imported archive's record classes are
//! found by pickle in the archive's module (`sys.modules`), which a loaded archive is not in;
//! so each loaded record class reduces to `persist_rs._rebuild(qualname, fields, rust,
//! positional)` and its fields. Unpickling needs `persist_rs`, not the archive, and gives a
//! record equal to the imported one (a class of the same qualified name, fields and Rust type,
//! made once per process by this crate's record helper of format 5).

use std::ffi::CStr;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};

/// The Python side: `_reduce`, set as `__reduce__` of each loaded class, and the classes
/// `_rebuild` makes, one per (qualname, fields, rust, positional).
const REDUCE: &CStr = cr#"
def _reduce(self):
    import builtins as b
    c = b.type(self)
    # The fields go with the class, not after it: a record that is a dict key or a set element
    # must hash by its fields when pickle puts it there.
    return (_rebuild, (c.__qualname__, c._fields, c._rust, b.hasattr(c, '__len__'), self.__dict__))
"#;

/// The namespace `REDUCE` and the record helper of format 5 run in, made once.
static SPACE: PyOnceLock<Py<PyDict>> = PyOnceLock::new();

fn space(py: Python<'_>) -> PyResult<&Bound<'_, PyDict>> {
    SPACE
        .get_or_try_init(py, || -> PyResult<_> {
            let ns = PyDict::new(py);
            ns.set_item("__name__", "persist_rs")?;
            let record = std::ffi::CString::new(persist_core::__private::RECORD_HELPER_V5)
                .expect("the helper has no NUL");
            py.run(&record, Some(&ns), None)?;
            py.run(REDUCE, Some(&ns), None)?;
            let module = py.import("persist_rs")?;
            ns.set_item("_rebuild", module.getattr("_rebuild")?)?;
            ns.set_item("_classes", PyDict::new(py))?;
            Ok(ns.unbind())
        })
        .map(|ns| ns.bind(py))
}

/// `value` if it is one of an archive's record classes (made by `_record`, which puts `_rust`
/// in the class's own namespace).
pub(crate) fn record_class<'py>(value: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyType>>> {
    match value.cast::<PyType>() {
        Ok(class) if class.getattr("__dict__")?.contains("_rust")? => Ok(Some(class.clone())),
        _ => Ok(None),
    }
}

/// Make `value` pickle by value if it is a record class (`_X = _record(...)`, as a module
/// statement binds it).
pub(crate) fn by_value(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<()> {
    if let Some(class) = record_class(value)? {
        let reduce = space(py)?.get_item("_reduce")?.expect("defined by REDUCE");
        class.setattr("__reduce__", &reduce)?;
    }
    Ok(())
}

/// Unpickle a loaded record: a new instance with the fields `values` of the class with this
/// qualified name, fields and Rust type, made by this crate's record helper once per process.
#[pyfunction]
pub(crate) fn _rebuild<'py>(
    py: Python<'py>,
    qualname: &str,
    fields: Bound<'py, PyTuple>,
    rust: &str,
    positional: bool,
    values: Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyAny>> {
    let ns = space(py)?;
    let classes = ns.get_item("_classes")?.expect("made by space");
    let key = (qualname, &fields, rust, positional);
    let class = match classes.get_item(key) {
        Ok(class) => class,
        Err(_) => {
            let record = ns.get_item("_record")?.expect("defined by the helper");
            let kwargs = PyDict::new(py);
            kwargs.set_item("positional", positional)?;
            let class = record.call((qualname, &fields, rust), Some(&kwargs))?;
            class.setattr("__reduce__", ns.get_item("_reduce")?.expect("defined"))?;
            classes.set_item(key, &class)?;
            class
        }
    };
    let record = py
        .import("builtins")?
        .getattr("object")?
        .call_method1("__new__", (class,))?;
    record
        .getattr("__dict__")?
        .call_method1("update", (values,))?;
    Ok(record)
}
