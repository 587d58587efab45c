//! Reading archives back into Rust: [`ArchiveReader`] parses a module and [`Reader`] hands its
//! expressions to [`Persist::from_python`]. Nothing is ever executed: names are looked up in the
//! module's own assignments, and calls are accepted only of the archive's helpers (`float`,
//! `complex`, `set`, `_np.array`, `_np.zeros`, `_np.asfortranarray`, `_load` and the record
//! classes the module defines with `_record(...)` or imports with `from ... import ... as _X`).

mod access;
mod archive;
mod array;
mod check;
mod error;
mod file;
mod format;
mod options;
mod record;
mod value;
mod verify;

use std::any::{Any, TypeId};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::PathBuf;

pub use archive::{ArchiveReader, ReadSession, from_str, load};
pub use check::{Verified, verify};
pub use error::{LoadError, ReadError, ReadErrorKind};
pub use options::ReadOptions;
pub use record::{ClassRef, RecordArgs};
pub use value::{Entries, Kind, Seq, Value};

use ndarray::{Array, IxDyn};
use ndarray_npy::{ReadNpyExt, ReadableElement};

use crate::python::ast::{Expr, ExprKind, Module, Pos, Stmt};

/// Values read through `Rc`/`Arc`: by the statement of their hoisted name and the pointer type.
pub(crate) type SharedValues = RefCell<HashMap<(usize, TypeId), Box<dyn Any>>>;

/// What a module-level name stands for.
#[derive(Debug, Clone)]
pub(crate) enum Binding {
    /// An assignment of a value: the index of its statement.
    Value(usize),
    /// A record class: `_X = _record('Q', ('a', 'b'), 'rust::Path')` or an imported class.
    Class(Class),
    /// `import numpy as _np` and the like: the module's name.
    Module(String),
    /// One of the archive's helper functions or values (`_load`, `_record`, `_arrays`).
    Helper,
}

/// A record class of the module.
#[derive(Debug, Clone)]
pub(crate) struct Class {
    /// `Params` or `Shape.Circle`, or for an imported class `module:Class`.
    pub qualname: String,
    /// The field names, in order (empty for imported classes, which take keywords only).
    pub fields: Vec<String>,
    /// Whether the class was imported (`python = "module:Class"`).
    pub imported: bool,
}

/// The parsed module with its names bound, ready to read items from.
#[derive(Debug)]
pub(crate) struct Bound {
    pub module: Module,
    pub names: HashMap<String, Binding>,
    /// For uses of names bound more than once: the binding each use sees, by the address of
    /// the use's expression (the module's expressions do not move once parsed).
    pub uses: HashMap<usize, Binding>,
    /// The file (or dataset) names of the module's `_load('...')` calls, and where they are.
    pub loads: Vec<(String, Pos)>,
    /// Item names (module-level assignments to names not starting with `_`), in order.
    pub items: Vec<String>,
    /// Where `_load('file')` finds its files; `None` for a module read from a string.
    pub arrays: Option<PathBuf>,
    /// A display name of the source: its path or `<memory>`.
    pub origin: String,
    /// How many values one read may touch (see [`ReadOptions`]).
    pub budget: u64,
    /// The most bytes an HDF5 dataset may take in memory (`None`: in proportion to its file).
    pub hdf5_max_bytes: Option<u64>,
}

/// Reads values out of an archive. Implementations of
/// [`Persist::from_python`](crate::Persist::from_python) get one with the [`Value`] to read, and
/// interpret the value with its accessors: [`int`](Reader::int), [`float`](Reader::float),
/// [`str`](Reader::str), [`sequence`](Reader::sequence), [`dict`](Reader::dict),
/// [`record`](Reader::record) (what derived impls use) and the others below.
///
/// ```
/// use persist_core::{Persist, ReadError, Reader, Value, Writer, WriteError};
///
/// /// An angle kept in degrees in the archive, in radians in Rust.
/// struct Angle(f64);
///
/// impl Persist for Angle {
///     fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
///         out.write_f64(self.0.to_degrees())
///     }
///     fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
///         r.float(v).map(|deg| Angle(deg.to_radians()))
///     }
/// }
///
/// let a: Angle = persist_core::from_str("a = 180.0\n", "a")?;
/// assert_eq!(a.0, std::f64::consts::PI);
/// # Ok::<(), persist_core::LoadError>(())
/// ```
pub struct Reader<'m> {
    bound: &'m Bound,
    /// Values read through `Rc`/`Arc`, by the statement of their hoisted name and pointer type, so that two references
    /// to one hoisted value come back as one allocation.
    shared: &'m SharedValues,
    /// How many more values this read may touch.
    budget: Cell<u64>,
}

impl std::fmt::Debug for Reader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader")
            .field("origin", &self.bound.origin)
            .finish_non_exhaustive()
    }
}

impl<'m> Reader<'m> {
    pub(crate) fn new(bound: &'m Bound, shared: &'m SharedValues) -> Self {
        Reader {
            bound,
            shared,
            budget: Cell::new(bound.budget),
        }
    }

    /// Count `n` values touched against the read's budget.
    ///
    /// # Errors
    /// The budget is spent: the archive stands for far more values than its size suggests.
    pub(crate) fn charge(&self, n: u64, pos: Pos) -> Result<(), ReadError> {
        match self.budget.get().checked_sub(n) {
            Some(left) => {
                self.budget.set(left);
                Ok(())
            }
            None => {
                self.budget.set(0);
                Err(ReadError::new(
                    ReadErrorKind::Budget {
                        limit: self.bound.budget,
                    },
                    pos,
                ))
            }
        }
    }

    /// Follow names bound to values (hoisted `_t0`, shared `_s0`, other items) to the expression
    /// they stand for.
    ///
    /// # Errors
    /// A name the module does not bind to a value.
    pub(crate) fn resolve(&self, mut expr: &'m Expr) -> Result<&'m Expr, ReadError> {
        self.charge(1, expr.pos)?;
        while let ExprKind::Name(name) = &expr.kind {
            match self.binding_of(expr, name) {
                Some(Binding::Value(index)) => expr = self.statement_value(*index),
                _ => {
                    return Err(ReadError::new(
                        ReadErrorKind::UndefinedName(name.clone()),
                        expr.pos,
                    ));
                }
            }
        }
        Ok(expr)
    }

    fn statement_value(&self, index: usize) -> &'m Expr {
        match &self.bound.module.statements[index] {
            Stmt::Assign { value, .. } => value,
            _ => unreachable!("bindings point at assignments"),
        }
    }

    /// What the name `name`, used in the expression `expr`, stands for there.
    pub(crate) fn binding_of(&self, expr: &Expr, name: &str) -> Option<&'m Binding> {
        if !self.bound.uses.is_empty()
            && let Some(binding) = self.bound.uses.get(&(expr as *const Expr as usize))
        {
            return Some(binding);
        }
        self.bound.names.get(name)
    }

    /// Read the external array `file` (a `.npy` file of the archive's array folder).
    ///
    /// The header is checked first: its shape must have `ndim` dimensions (when given) and its
    /// data must fit in the file, so a corrupt or hostile header cannot make us allocate more
    /// than the file holds.
    pub(crate) fn load_array<A: crate::array::Element + ReadableElement>(
        &self,
        file: &str,
        pos: Pos,
        ndim: Option<usize>,
    ) -> Result<Array<A, IxDyn>, ReadError> {
        let Some(dir) = &self.bound.arrays else {
            return Err(ReadError::custom(
                format!(
                    "`_load('{file}')` needs the archive's array files; open the archive from disk"
                ),
                pos,
            ));
        };
        // A dataset of the archive's HDF5 file, when it has one (a dataset name cannot leave
        // that file); otherwise a plain `.npy` file name of the array folder.
        let h5 = h5_path(dir);
        if !file.ends_with(".npy") && std::fs::symlink_metadata(&h5).is_ok() {
            return load_hdf5::<A>(&h5, file, pos, self.bound.hdf5_max_bytes);
        }
        if !verify::is_plain_file_name(file) || !file.ends_with(".npy") {
            return Err(ReadError::new(
                ReadErrorKind::ArrayFile {
                    path: dir.join(file),
                    message: "not a plain `.npy` file name of the archive's array folder".into(),
                },
                pos,
            ));
        }
        let path = dir.join(file);
        let fail = |message: String| {
            ReadError::new(
                ReadErrorKind::ArrayFile {
                    path: path.clone(),
                    message,
                },
                pos,
            )
        };
        let mut reader = file::open_array_file(dir, &path).map_err(fail)?;
        let shape = npy_header_shape(&mut reader).map_err(fail)?;
        if let Some(n) = ndim.filter(|&n| n != shape.len()) {
            return Err(ReadError::new(
                ReadErrorKind::ArrayFile {
                    path: path.clone(),
                    message: format!(
                        "array mismatch: the Rust type has {n} dimensions, the archive's array has {} (shape {shape:?})",
                        shape.len()
                    ),
                },
                pos,
            ));
        }
        std::io::Seek::rewind(&mut reader).map_err(|e| fail(e.to_string()))?;
        Array::<A, IxDyn>::read_npy(std::io::BufReader::with_capacity(1 << 20, reader)).map_err(
            |e| {
                fail(format!(
                    "{e} (the Rust element type is {})",
                    std::any::type_name::<A>()
                ))
            },
        )
    }

    /// Read a value reached through a shared pointer `P` (`Rc<T>`, `Arc<T>`): when the archive
    /// names one value in several places (`a.x is a.y` in Python), every read of it with the
    /// same `P` returns a clone of one pointer.
    ///
    /// # Errors
    /// Whatever `make` returns.
    ///
    /// ```
    /// use std::rc::Rc;
    /// let v: Vec<Rc<String>> = persist_core::from_str("_s0 = 'shared'\nv = [_s0, _s0]\n", "v")?;
    /// assert!(Rc::ptr_eq(&v[0], &v[1]));
    /// # Ok::<(), persist_core::LoadError>(())
    /// ```
    pub fn shared<P: Clone + 'static>(
        &mut self,
        value: Value<'m>,
        make: impl FnOnce(Value<'m>, &mut Reader<'m>) -> Result<P, ReadError>,
    ) -> Result<P, ReadError> {
        let value::Node::Expr(expr) = value.node;
        // Keyed by the statement the name stands for, which is one value in Python.
        let statement = match &expr.kind {
            ExprKind::Name(name) => match self.binding_of(expr, name) {
                Some(Binding::Value(index)) => *index,
                _ => return make(value, self),
            },
            _ => return make(value, self),
        };
        let key = (statement, TypeId::of::<P>());
        if let Some(found) = self
            .shared
            .borrow()
            .get(&key)
            .and_then(|p| p.downcast_ref::<P>())
        {
            return Ok(found.clone());
        }
        let read = make(value, self)?;
        self.shared.borrow_mut().insert(key, Box::new(read.clone()));
        Ok(read)
    }
}

/// The HDF5 file beside an npy array folder: `X/_arrays` → `X/_data.h5`, `NAME_arrays` →
/// `NAME_data.h5`, a DataSet item's `ITEM_data` → `ITEM_data.h5`.
fn h5_path(arrays: &std::path::Path) -> PathBuf {
    let name = arrays.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let file = match name.strip_suffix("_arrays") {
        Some(stem) => format!("{stem}_data.h5"),
        None => format!("{name}.h5"),
    };
    arrays.with_file_name(file)
}

/// Read dataset `name` of the archive's HDF5 file.
#[cfg(feature = "hdf5")]
fn load_hdf5<A: crate::array::Element>(
    file: &std::path::Path,
    name: &str,
    pos: Pos,
    max_bytes: Option<u64>,
) -> Result<Array<A, IxDyn>, ReadError> {
    crate::store::read_checked::<A>(file, name, max_bytes).map_err(|message| {
        ReadError::new(
            ReadErrorKind::ArrayFile {
                path: file.join(crate::python::encoding::excerpt(name)),
                message,
            },
            pos,
        )
    })
}

/// Without the `hdf5` feature, HDF5 data is a clear error.
#[cfg(not(feature = "hdf5"))]
fn load_hdf5<A: crate::array::Element>(
    file: &std::path::Path,
    name: &str,
    pos: Pos,
    _max_bytes: Option<u64>,
) -> Result<Array<A, IxDyn>, ReadError> {
    Err(ReadError::new(
        ReadErrorKind::ArrayFile {
            path: file.join(crate::python::encoding::excerpt(name)),
            message: "the archive stores this array in HDF5; enable persist-core's `hdf5` feature to read it".into(),
        },
        pos,
    ))
}

/// Check that the dataset `name` of the HDF5 file `file` exists and can be read safely, without
/// reading its data.
#[cfg(feature = "hdf5")]
fn check_hdf5_dataset(
    file: &std::path::Path,
    name: &str,
    max_bytes: Option<u64>,
) -> Result<(), String> {
    crate::store::check_dataset(file, name, max_bytes)
        .map_err(|m| format!("{}: {m}", file.display()))
}

/// Without the `hdf5` feature, HDF5 data cannot be checked.
#[cfg(not(feature = "hdf5"))]
fn check_hdf5_dataset(
    file: &std::path::Path,
    name: &str,
    _max_bytes: Option<u64>,
) -> Result<(), String> {
    Err(format!(
        "dataset `{name}` of {}: checking HDF5 data needs persist-core's `hdf5` feature",
        file.display()
    ))
}

/// Read an `.npy` header and check that the data it announces fits in the file: the shape.
fn npy_header_shape(file: &mut std::fs::File) -> Result<Vec<usize>, String> {
    use std::io::Read as _;
    let file_len = file.metadata().map_err(|e| e.to_string())?.len();
    let mut start = [0u8; 12];
    file.read_exact(&mut start)
        .map_err(|_| "not an .npy file: too short".to_owned())?;
    if &start[..6] != b"\x93NUMPY" {
        return Err("not an .npy file: no magic string".into());
    }
    let (header_len, offset) = match start[6] {
        1 => (u64::from(u16::from_le_bytes([start[8], start[9]])), 10),
        2 | 3 => (
            u64::from(u32::from_le_bytes([
                start[8], start[9], start[10], start[11],
            ])),
            12,
        ),
        v => return Err(format!("unsupported .npy format version {v}")),
    };
    if offset + header_len > file_len || header_len > 1 << 20 {
        return Err("truncated .npy header".into());
    }
    let mut header = vec![0u8; offset as usize + header_len as usize];
    std::io::Seek::rewind(file).map_err(|e| e.to_string())?;
    file.read_exact(&mut header).map_err(|e| e.to_string())?;
    let text = std::str::from_utf8(&header[offset as usize..])
        .map_err(|_| "an .npy header that is not text".to_owned())?;
    let dict = crate::python::parser::parse_expression(text.trim_end())
        .map_err(|e| format!("unreadable .npy header: {e}"))?;
    let ExprKind::Dict(entries) = &dict.kind else {
        return Err("an .npy header that is not a dict".into());
    };
    let get = |key: &str| {
        entries
            .iter()
            .find(|(k, _)| matches!(&k.kind, ExprKind::Str(s) if s == key))
            .map(|(_, v)| v)
    };
    let itemsize = match get("descr").map(|d| &d.kind) {
        Some(ExprKind::Str(descr)) => descr
            .trim_start_matches(|c: char| !c.is_ascii_digit())
            .parse::<u64>()
            .map_err(|_| format!("an .npy dtype {descr:?} this crate does not read"))?,
        _ => return Err("an .npy header without a plain 'descr'".into()),
    };
    let shape = match get("shape").map(|s| &s.kind) {
        Some(ExprKind::Tuple(dims)) => dims
            .iter()
            .map(|d| match d.kind {
                ExprKind::Int(n) => {
                    usize::try_from(n).map_err(|_| "an .npy shape too large".to_owned())
                }
                _ => Err("an .npy shape that is not a tuple of ints".to_owned()),
            })
            .collect::<Result<Vec<usize>, String>>()?,
        _ => return Err("an .npy header without a 'shape'".into()),
    };
    let bytes = shape
        .iter()
        .try_fold(itemsize, |acc, &n| acc.checked_mul(n as u64))
        .ok_or_else(|| format!("an .npy shape {shape:?} too large to exist"))?;
    let available = file_len - offset - header_len;
    if bytes > available {
        return Err(format!(
            "the header announces shape {shape:?} ({bytes} bytes) but the file holds {available} bytes of data: it is truncated or corrupt"
        ));
    }
    Ok(shape)
}

/// A short description of an expression for error messages: "an int", "a call of `_Params`".
pub(crate) fn describe_expr(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Int(_) | ExprKind::BigInt { .. } => "an int".into(),
        ExprKind::Float(_) => "a float".into(),
        ExprKind::Complex(..) => "a complex number".into(),
        ExprKind::BinOp { right, .. } if matches!(right.kind, ExprKind::Complex(..)) => {
            "a complex number".into()
        }
        ExprKind::BinOp { .. } => {
            "an arithmetic expression (an archive writes each number as one literal)".into()
        }
        ExprKind::Str(_) => "a str".into(),
        ExprKind::Bytes(_) => "a bytes literal".into(),
        ExprKind::Bool(_) => "a bool".into(),
        ExprKind::None => "None".into(),
        ExprKind::Name(name) => format!("the name `{name}`"),
        ExprKind::Attribute { .. } => {
            let mut name = String::new();
            expr.dotted_name(&mut name);
            format!("`{name}`")
        }
        ExprKind::Call(call) => {
            let mut name = String::new();
            call.func.dotted_name(&mut name);
            format!("a call of `{name}`")
        }
        ExprKind::List(items) => format!("a list of {} elements", items.len()),
        ExprKind::Tuple(items) => format!("a tuple of {} elements", items.len()),
        ExprKind::Dict(_) => "a dict".into(),
        ExprKind::Set(_) => "a set".into(),
        ExprKind::UnaryMinus(inner) | ExprKind::UnaryPlus(inner) => describe_expr(inner),
    }
}
