//! `save(path, items, **more)`: Python values written as an archive of this crate's format, by
//! the Rust writer, so that Rust reads them back with its derived types. A Python value is first
//! turned into a [`PyValue`] (checked, with the path of anything that cannot be saved), then
//! written as the Rust value it stands for would be: an `int` as an integer, a `list` as a
//! `Vec`, a record (one of an archive's record classes, or any dataclass) as a struct or enum
//! variant of its class's name, a numpy array as an `ndarray` array (in the array store above
//! the threshold). An object reached twice is written once and shared, as `Arc` is.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;

use ndarray::{ArrayD, IxDyn, ShapeBuilder};
use num_complex::Complex;
use persist_core::{
    Container, Persist, ReadError, Reader, Record, RecordKind, Value, WriteError, Writer,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyComplex, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PySet,
    PyString, PyTuple,
};

/// A Python value as it will be written.
#[derive(Debug)]
pub(crate) enum PyValue {
    None,
    Bool(bool),
    Int(i128),
    /// An `int` above `i128::MAX` (up to `u128::MAX`).
    UInt(u128),
    Float(f64),
    Complex(f64, f64),
    Str(String),
    Bytes(Vec<u8>),
    List(Vec<PyValue>),
    Tuple(Vec<PyValue>),
    /// Entries in the dict's order.
    Dict(Vec<(PyValue, PyValue)>),
    /// Elements written in a fixed order (a set's own order changes from run to run).
    Set(Vec<PyValue>),
    Timedelta(i128),
    Datetime(i128),
    Array(Array),
    Record(&'static Record, Vec<PyValue>),
    /// A value Python reaches more than once: written once, named everywhere.
    Shared(Arc<PyValue>),
}

/// A numpy array of a dtype this crate writes.
#[derive(Debug)]
pub(crate) enum Array {
    Bool(ArrayD<bool>),
    I8(ArrayD<i8>),
    I16(ArrayD<i16>),
    I32(ArrayD<i32>),
    I64(ArrayD<i64>),
    U8(ArrayD<u8>),
    U16(ArrayD<u16>),
    U32(ArrayD<u32>),
    U64(ArrayD<u64>),
    F32(ArrayD<f32>),
    F64(ArrayD<f64>),
    C64(ArrayD<Complex<f32>>),
    C128(ArrayD<Complex<f64>>),
}

impl Persist for PyValue {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        match self {
            PyValue::None => out.write_none(),
            PyValue::Bool(b) => out.write_bool(*b),
            PyValue::Int(i) => out.write_int(*i),
            PyValue::UInt(u) => out.write_int(*u),
            PyValue::Float(f) => out.write_f64(*f)?,
            PyValue::Complex(re, im) => out.write_complex(*re, *im)?,
            PyValue::Str(s) => out.write_str(s),
            PyValue::Bytes(b) => out.write_bytes(b)?,
            PyValue::List(items) => sequence(out, Container::List, items)?,
            PyValue::Tuple(items) => sequence(out, Container::Tuple, items)?,
            PyValue::Set(items) => {
                let mut keyed = items
                    .iter()
                    .map(|v| out.sort_key(v).map(|k| (k, v)))
                    .collect::<Result<Vec<_>, _>>()?;
                keyed.sort_by(|a, b| a.0.cmp(&b.0));
                out.begin(Container::Set)?;
                for (_, v) in keyed {
                    out.element(v)?;
                }
                out.end()?;
            }
            PyValue::Dict(entries) => {
                out.begin(Container::Dict)?;
                for (k, v) in entries {
                    out.entry(k, v)?;
                }
                out.end()?;
            }
            PyValue::Timedelta(us) => out.write_timedelta(*us)?,
            PyValue::Datetime(us) => out.write_datetime_utc(*us)?,
            PyValue::Array(a) => a.to_python_source(out)?,
            PyValue::Record(record, fields) => {
                out.begin_record(record)?;
                match record.kind() {
                    RecordKind::Named(names) => {
                        for (name, value) in names.iter().zip(fields) {
                            out.field(name, value)?;
                        }
                    }
                    RecordKind::Tuple(_) | RecordKind::Unit => {
                        for value in fields {
                            out.element(value)?;
                        }
                    }
                }
                out.end_record()?;
            }
            PyValue::Shared(rc) => rc.to_python_source(out)?,
        }
        Ok(())
    }

    fn from_python<'m>(v: Value<'m>, _: &mut Reader<'m>) -> Result<Self, ReadError> {
        Err(ReadError::custom(
            "persist_rs reads archives with `load`; a saved value is not read back as a PyValue",
            v.pos(),
        ))
    }
}

fn sequence(out: &mut Writer, container: Container, items: &[PyValue]) -> Result<(), WriteError> {
    out.begin(container)?;
    for item in items {
        out.element(item)?;
    }
    out.end()
}

impl Persist for Array {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        match self {
            Array::Bool(a) => a.to_python_source(out),
            Array::I8(a) => a.to_python_source(out),
            Array::I16(a) => a.to_python_source(out),
            Array::I32(a) => a.to_python_source(out),
            Array::I64(a) => a.to_python_source(out),
            Array::U8(a) => a.to_python_source(out),
            Array::U16(a) => a.to_python_source(out),
            Array::U32(a) => a.to_python_source(out),
            Array::U64(a) => a.to_python_source(out),
            Array::F32(a) => a.to_python_source(out),
            Array::F64(a) => a.to_python_source(out),
            Array::C64(a) => a.to_python_source(out),
            Array::C128(a) => a.to_python_source(out),
        }
    }

    fn from_python<'m>(v: Value<'m>, _: &mut Reader<'m>) -> Result<Self, ReadError> {
        Err(ReadError::custom("not read back", v.pos()))
    }
}

/// The record descriptions of the classes saved so far, made once per class for the life of
/// the process (the writer takes `&'static Record`s, as the derive's are).
static RECORDS: Mutex<Vec<&'static Record>> = Mutex::new(Vec::new());

/// The `Record` of a class: its Rust path, qualified name (`Shape.Circle` is the variant
/// `Circle` of `Shape`), fields and whether they are positional.
fn record_of(rust: &str, qualname: &str, fields: &[String], positional: bool) -> &'static Record {
    let mut known = RECORDS.lock().unwrap_or_else(|e| e.into_inner());
    let same = |r: &Record| {
        let (name, variant) = match qualname.rsplit_once('.') {
            Some((e, v)) => (e, Some(v)),
            None => (qualname, None),
        };
        r.rust() == rust
            && r.name() == name
            && r.variant_name() == variant
            && match r.kind() {
                RecordKind::Named(names) => !positional && names.iter().eq(fields.iter()),
                RecordKind::Tuple(n) => positional && n == fields.len(),
                RecordKind::Unit => fields.is_empty() && !positional,
            }
    };
    if let Some(found) = known.iter().find(|r| same(r)) {
        return found;
    }
    let leak = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
    let kind = if positional {
        RecordKind::Tuple(fields.len())
    } else if fields.is_empty() {
        RecordKind::Unit
    } else {
        let names: Vec<&'static str> = fields.iter().map(|f| leak(f)).collect();
        RecordKind::Named(Box::leak(names.into_boxed_slice()))
    };
    let record = match qualname.rsplit_once('.') {
        Some((name, variant)) => Record::new(leak(rust), leak(name), kind).variant(leak(variant)),
        None => Record::new(leak(rust), leak(qualname), kind),
    };
    let record: &'static Record = Box::leak(Box::new(record));
    known.push(record);
    record
}

/// Turns Python values into [`PyValue`]s: objects reached more than once become one shared
/// value, and a value that contains itself is refused.
pub(crate) struct Convert<'py> {
    /// How many times each container, record and array is reached (the first pass).
    seen: HashMap<usize, usize>,
    /// The shared values made so far, by object id.
    shared: HashMap<usize, Arc<PyValue>>,
    /// The ids of the objects being converted (a cycle goes back to one).
    open: Vec<usize>,
    numpy: Option<Bound<'py, PyModule>>,
    dataclasses: Bound<'py, PyModule>,
    datetime: Bound<'py, PyModule>,
}

impl<'py> Convert<'py> {
    pub(crate) fn new(py: Python<'py>) -> PyResult<Self> {
        Ok(Convert {
            seen: HashMap::new(),
            shared: HashMap::new(),
            open: Vec::new(),
            numpy: py.import("numpy").ok(),
            dataclasses: py.import("dataclasses")?,
            datetime: py.import("datetime")?,
        })
    }

    /// Count the objects `value` reaches (before [`convert`](Self::convert)).
    pub(crate) fn count(&mut self, value: &Bound<'py, PyAny>) -> PyResult<()> {
        if is_scalar(value) {
            return Ok(());
        }
        let id = value.as_ptr() as usize;
        let n = self.seen.entry(id).or_insert(0);
        *n += 1;
        if *n > 1 {
            return Ok(());
        }
        for child in self.children(value)? {
            self.count(&child)?;
        }
        Ok(())
    }

    /// The values a container or record holds.
    fn children(&self, value: &Bound<'py, PyAny>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        if let Ok(d) = value.cast::<PyDict>() {
            return Ok(d.iter().flat_map(|(k, v)| [k, v]).collect());
        }
        if value.cast::<PyList>().is_ok()
            || value.cast::<PyTuple>().is_ok()
            || value.cast::<PySet>().is_ok()
            || value.cast::<PyFrozenSet>().is_ok()
        {
            return value.try_iter()?.collect();
        }
        if let Some(parts) = self.record_parts(value, "")? {
            return Ok(parts.values);
        }
        Ok(Vec::new())
    }

    /// `value` as it will be written; `path` names it in errors (`run.params[2]`).
    pub(crate) fn convert(&mut self, value: &Bound<'py, PyAny>, path: &str) -> PyResult<PyValue> {
        if is_scalar(value) {
            return self.scalar(value, path);
        }
        let id = value.as_ptr() as usize;
        if let Some(rc) = self.shared.get(&id) {
            return Ok(PyValue::Shared(rc.clone()));
        }
        if self.open.contains(&id) {
            return Err(PyValueError::new_err(format!(
                "{path}: the value contains itself; an archive holds no cycles"
            )));
        }
        self.open.push(id);
        let converted = self.compound(value, path);
        self.open.pop();
        let converted = converted?;
        if self.seen.get(&id).copied().unwrap_or(0) > 1 {
            let rc = Arc::new(converted);
            self.shared.insert(id, rc.clone());
            return Ok(PyValue::Shared(rc));
        }
        Ok(converted)
    }

    fn scalar(&mut self, value: &Bound<'py, PyAny>, path: &str) -> PyResult<PyValue> {
        if value.is_none() {
            return Ok(PyValue::None);
        }
        if let Ok(b) = value.cast::<PyBool>() {
            return Ok(PyValue::Bool(b.is_true()));
        }
        if value.cast::<PyInt>().is_ok() {
            if let Ok(i) = value.extract::<i128>() {
                return Ok(PyValue::Int(i));
            }
            return value.extract::<u128>().map(PyValue::UInt).map_err(|_| {
                PyValueError::new_err(format!(
                    "{path}: the int {} does not fit in 128 bits, the largest integer an archive holds",
                    short(value)
                ))
            });
        }
        if let Ok(f) = value.cast::<PyFloat>() {
            return Ok(PyValue::Float(f.value()));
        }
        if let Ok(c) = value.cast::<PyComplex>() {
            return Ok(PyValue::Complex(c.real(), c.imag()));
        }
        if let Ok(s) = value.cast::<PyString>() {
            return Ok(PyValue::Str(s.to_cow()?.into_owned()));
        }
        if let Ok(b) = value.cast::<PyBytes>() {
            return Ok(PyValue::Bytes(b.as_bytes().to_vec()));
        }
        if let Ok(b) = value.cast::<PyByteArray>() {
            return Ok(PyValue::Bytes(b.to_vec()));
        }
        let timedelta = self.datetime.getattr("timedelta")?;
        if value.is_instance(&timedelta)? {
            let (days, seconds, micros): (i128, i128, i128) = (
                value.getattr("days")?.extract()?,
                value.getattr("seconds")?.extract()?,
                value.getattr("microseconds")?.extract()?,
            );
            return Ok(PyValue::Timedelta(
                (days * 86_400 + seconds) * 1_000_000 + micros,
            ));
        }
        if value.is_instance(&self.datetime.getattr("datetime")?)? {
            if value.getattr("tzinfo")?.is_none() {
                return Err(PyValueError::new_err(format!(
                    "{path}: a naive datetime ({}); give it a tzinfo (an archive holds UTC times: \
                     datetime.timezone.utc, or .astimezone() for local time)",
                    short(value)
                )));
            }
            let epoch = self.datetime.getattr("datetime")?.call1((
                1970,
                1,
                1,
                0,
                0,
                0,
                0,
                self.datetime.getattr("timezone")?.getattr("utc")?,
            ))?;
            let delta = value.call_method1("__sub__", (epoch,))?;
            return match self.scalar(&delta, path)? {
                PyValue::Timedelta(us) => Ok(PyValue::Datetime(us)),
                _ => unreachable!("a datetime minus a datetime is a timedelta"),
            };
        }
        // A numpy scalar (numpy.float32(1.5), numpy.int64(3)): its Python value.
        if let Some(np) = &self.numpy
            && value.is_instance(&np.getattr("generic")?)?
        {
            return self.scalar(&value.call_method0("item")?, path);
        }
        Err(PyTypeError::new_err(format!(
            "{path}: a {} cannot be saved ({}); an archive holds None, bool, int, float, complex, \
             str, bytes, list, tuple, dict, set, numpy arrays, timedelta, datetime and records \
             (an archive's record classes and dataclasses)",
            type_name(value),
            short(value)
        )))
    }

    fn compound(&mut self, value: &Bound<'py, PyAny>, path: &str) -> PyResult<PyValue> {
        if let Ok(list) = value.cast::<PyList>() {
            return self.items(list.iter(), path).map(PyValue::List);
        }
        if let Ok(tuple) = value.cast::<PyTuple>() {
            return self.items(tuple.iter(), path).map(PyValue::Tuple);
        }
        if let Ok(set) = value.cast::<PySet>() {
            return self.items(set.iter(), path).map(PyValue::Set);
        }
        if let Ok(set) = value.cast::<PyFrozenSet>() {
            return self.items(set.iter(), path).map(PyValue::Set);
        }
        if let Ok(dict) = value.cast::<PyDict>() {
            let mut entries = Vec::with_capacity(dict.len());
            for (k, v) in dict.iter() {
                let key = self.convert(&k, &format!("{path} key {}", short(&k)))?;
                let value = self.convert(&v, &format!("{path}[{}]", short(&k)))?;
                entries.push((key, value));
            }
            return Ok(PyValue::Dict(entries));
        }
        if let Some(np) = &self.numpy
            && value.is_instance(&np.getattr("ndarray")?)?
        {
            return array(value, path).map(PyValue::Array);
        }
        if let Some(parts) = self.record_parts(value, path)? {
            let record = record_of(&parts.rust, &parts.qualname, &parts.names, parts.positional);
            let mut fields = Vec::with_capacity(parts.values.len());
            for (name, v) in parts.names.iter().zip(&parts.values) {
                fields.push(self.convert(v, &format!("{path}.{name}"))?);
            }
            return Ok(PyValue::Record(record, fields));
        }
        self.scalar(value, path)
    }

    fn items(
        &mut self,
        items: impl Iterator<Item = Bound<'py, PyAny>>,
        path: &str,
    ) -> PyResult<Vec<PyValue>> {
        items
            .enumerate()
            .map(|(i, v)| self.convert(&v, &format!("{path}[{i}]")))
            .collect()
    }

    /// What makes `value` a record: of one of an archive's record classes (`_rust`, `_fields`)
    /// or of a dataclass instance; `None` for anything else. (The counting pass needs only the
    /// values; the `Record` is looked up when the record is converted.)
    fn record_parts(
        &self,
        value: &Bound<'py, PyAny>,
        path: &str,
    ) -> PyResult<Option<RecordParts<'py>>> {
        let class = value.get_type();
        let class_dict = class.getattr("__dict__")?;
        let qualname: String = class.getattr("__qualname__")?.extract()?;
        // A class defined in a function: `make.<locals>.Params` is `Params`.
        let qualname = match qualname.rsplit_once("<locals>.") {
            Some((_, q)) => q.to_owned(),
            None => qualname,
        };
        let (rust, names, positional): (String, Vec<String>, bool) =
            if class_dict.contains("_rust")? && class_dict.contains("_fields")? {
                (
                    class.getattr("_rust")?.extract()?,
                    class.getattr("_fields")?.extract()?,
                    class.hasattr("__len__")?,
                )
            } else if self
                .dataclasses
                .call_method1("is_dataclass", (value,))?
                .is_truthy()?
                && !value.is_instance_of::<pyo3::types::PyType>()
            {
                let fields = self.dataclasses.call_method1("fields", (value,))?;
                let names = fields
                    .try_iter()?
                    .map(|f| f?.getattr("name")?.extract())
                    .collect::<PyResult<Vec<String>>>()?;
                let module: String = class.getattr("__module__")?.extract()?;
                // `Shape.Circle` is the variant `Circle` of the enum `Shape`: the Rust path is
                // the enum's, shared by its variants.
                let owner = qualname
                    .rsplit_once('.')
                    .map_or(qualname.as_str(), |(e, _)| e);
                (format!("{module}.{owner}"), names, false)
            } else {
                return Ok(None);
            };
        let dict = value.getattr("__dict__")?;
        let mut values = Vec::with_capacity(names.len());
        for name in &names {
            match dict.get_item(name) {
                Ok(v) => values.push(v),
                Err(_) => {
                    return Err(PyValueError::new_err(format!(
                        "{path}: the record {qualname} has no value for its field `{name}`"
                    )));
                }
            }
        }
        if let Ok(dict) = dict.cast::<PyDict>()
            && dict.len() > names.len()
        {
            let extra: Vec<String> = dict
                .keys()
                .iter()
                .filter_map(|k| k.extract::<String>().ok())
                .filter(|k| !names.contains(k))
                .collect();
            return Err(PyValueError::new_err(format!(
                "{path}: the record {qualname} has attributes that are not its fields: {}; \
                 they would be lost",
                extra.join(", ")
            )));
        }
        Ok(Some(RecordParts {
            rust,
            qualname,
            names,
            positional,
            values,
        }))
    }
}

/// A record as Python holds it: its class's Rust path and qualified name, its field names (and
/// whether they are positional), and its field values.
struct RecordParts<'py> {
    rust: String,
    qualname: String,
    names: Vec<String>,
    positional: bool,
    values: Vec<Bound<'py, PyAny>>,
}

/// Values never shared: Python's own scalars (equal ones are interchangeable).
fn is_scalar(value: &Bound<'_, PyAny>) -> bool {
    value.is_none()
        || value.cast::<PyBool>().is_ok()
        || value.cast::<PyInt>().is_ok()
        || value.cast::<PyFloat>().is_ok()
        || value.cast::<PyComplex>().is_ok()
        || value.cast::<PyString>().is_ok()
        || value.cast::<PyBytes>().is_ok()
}

/// A numpy array as the ndarray array of its dtype, in its memory order.
fn array(value: &Bound<'_, PyAny>, path: &str) -> PyResult<Array> {
    let dtype: String = value.getattr("dtype")?.getattr("name")?.extract()?;
    let shape: Vec<usize> = value.getattr("shape")?.extract()?;
    let flags = value.getattr("flags")?;
    let fortran = shape.len() > 1
        && flags.getattr("f_contiguous")?.is_truthy()?
        && !flags.getattr("c_contiguous")?.is_truthy()?;
    let order = if fortran { "F" } else { "C" };
    // Native little-endian bytes of the array in that order.
    let bytes = value
        .call_method1(
            "astype",
            (value
                .getattr("dtype")?
                .call_method1("newbyteorder", ("<",))?,),
        )?
        .call_method1("tobytes", (order,))?;
    let bytes = bytes.cast::<PyBytes>()?.as_bytes();
    let dim: ndarray::StrideShape<IxDyn> = if fortran {
        IxDyn(&shape).f().into()
    } else {
        IxDyn(&shape).into()
    };
    macro_rules! build {
        ($variant:ident, $t:ty, $size:expr, $from:expr) => {{
            let data: Vec<$t> = bytes.chunks_exact($size).map($from).collect();
            Array::$variant(
                ArrayD::from_shape_vec(dim, data)
                    .map_err(|e| PyValueError::new_err(format!("{path}: {e}")))?,
            )
        }};
    }
    Ok(match dtype.as_str() {
        "bool" => build!(Bool, bool, 1, |b: &[u8]| b[0] != 0),
        "int8" => build!(I8, i8, 1, |b: &[u8]| b[0] as i8),
        "int16" => build!(I16, i16, 2, |b: &[u8]| i16::from_le_bytes([b[0], b[1]])),
        "int32" => build!(I32, i32, 4, |b: &[u8]| i32::from_le_bytes(
            b.try_into().expect("4")
        )),
        "int64" => build!(I64, i64, 8, |b: &[u8]| i64::from_le_bytes(
            b.try_into().expect("8")
        )),
        "uint8" => build!(U8, u8, 1, |b: &[u8]| b[0]),
        "uint16" => build!(U16, u16, 2, |b: &[u8]| u16::from_le_bytes([b[0], b[1]])),
        "uint32" => build!(U32, u32, 4, |b: &[u8]| u32::from_le_bytes(
            b.try_into().expect("4")
        )),
        "uint64" => build!(U64, u64, 8, |b: &[u8]| u64::from_le_bytes(
            b.try_into().expect("8")
        )),
        "float32" => build!(F32, f32, 4, |b: &[u8]| f32::from_le_bytes(
            b.try_into().expect("4")
        )),
        "float64" => build!(F64, f64, 8, |b: &[u8]| f64::from_le_bytes(
            b.try_into().expect("8")
        )),
        "complex64" => build!(C64, Complex<f32>, 8, |b: &[u8]| Complex::new(
            f32::from_le_bytes(b[..4].try_into().expect("4")),
            f32::from_le_bytes(b[4..].try_into().expect("4"))
        )),
        "complex128" => build!(C128, Complex<f64>, 16, |b: &[u8]| Complex::new(
            f64::from_le_bytes(b[..8].try_into().expect("8")),
            f64::from_le_bytes(b[8..].try_into().expect("8"))
        )),
        other => {
            return Err(PyTypeError::new_err(format!(
                "{path}: a numpy array of dtype {other} cannot be saved; an archive holds bool, \
                 int8 to int64, uint8 to uint64, float32, float64, complex64 and complex128"
            )));
        }
    })
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .getattr("__qualname__")
        .and_then(|q| q.extract())
        .unwrap_or_else(|_| "value".to_owned())
}

/// A short excerpt of `repr(value)` for an error message.
fn short(value: &Bound<'_, PyAny>) -> String {
    let repr = value
        .repr()
        .map(|r| r.to_string())
        .unwrap_or_else(|_| "?".to_owned());
    match repr.char_indices().nth(60) {
        Some((cut, _)) => format!("{}...", &repr[..cut]),
        None => repr,
    }
}
