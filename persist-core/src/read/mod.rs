//! Reading archives back into Rust: [`ArchiveReader`] parses a module and [`Reader`] hands its
//! expressions to [`Persist::from_python`]. Nothing is ever executed: names are looked up in the
//! module's own assignments, and calls are accepted only of the archive's helpers (`float`,
//! `complex`, `set`, `_np.array`, `_np.zeros`, `_np.asfortranarray`, `_load` and the record
//! classes the module defines with `_record(...)` or imports with `from ... import ... as _X`).

mod access;
mod archive;
mod array;
mod bind;
mod error;
mod file;
mod format;
mod options;
mod record;
mod rules;
mod table;
mod time;
pub(crate) mod value;

use std::any::{Any, TypeId};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

pub use archive::{ArchiveReader, ReadSession, from_str, load};
pub use error::{LoadError, ReadError, ReadErrorKind};
pub(crate) use file::read_source;
pub use options::ReadOptions;
pub use record::{ClassRef, RecordArgs};
pub use value::{Entries, Kind, Seq, Value};

use ndarray::{Array, IxDyn};
use ndarray_npy::ReadableElement;

use crate::python::ast::{Expr, ExprKind, Module, Pos, SmolStr, Stmt};
use crate::store::{Place, StoreKind};

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
    /// The field names, in order (empty for imported classes, which take keywords only); the
    /// tree's strings, held inline when short.
    pub fields: Vec<SmolStr>,
    /// Whether the class was imported (`python = "module:Class"`).
    pub imported: bool,
    /// The Rust path of the type that wrote it (`_record`'s third argument; empty for an
    /// imported class).
    pub rust: SmolStr,
}

/// The parsed module with its names bound, ready to read items from.
#[derive(Debug)]
pub(crate) struct Bound {
    pub module: Module,
    pub names: HashMap<String, Binding>,
    /// For names bound more than once: each binding with the position from which it holds
    /// (after its statement), in source order. A use sees the last one before it.
    pub rebinds: HashMap<String, Vec<(Pos, Binding)>>,
    /// The file (or dataset) names of the module's `_load('...')` calls, and where they are.
    pub loads: Vec<(String, Pos)>,
    /// Item names (module-level assignments to names not starting with `_`), in order.
    pub items: Vec<String>,
    /// Where the module's source is, for its array store's files; `None` for a module read
    /// from a string.
    pub place: Option<Place>,
    /// The array store whose `_load` the module defines, if it defines one.
    pub store: Option<StoreKind>,
    /// A display name of the source: its path or `<memory>`.
    pub origin: String,
    /// How many values one read may touch (see [`ReadOptions`]).
    pub budget: u64,
    /// The most bytes an HDF5 dataset may take in memory (`None`: in proportion to its file).
    pub limits: crate::store::StoreLimits,
    /// Whether records are read by their fields alone ([`ReadOptions::structural_records`]).
    pub structural: bool,
    /// The record tables: each `_table(...)` statement value, by the address of its call.
    pub tables: HashMap<usize, table::Table>,
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
    /// The record tables whose stored cells were added to the budget (once per read: the
    /// cells are bounded by the array files, but a table named many times is read many times).
    credited: RefCell<Vec<usize>>,
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
            credited: RefCell::new(Vec::new()),
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

    /// Add `n` values to the read's budget, once per `key` (a record table's address): what
    /// the table's array files hold, which the source's size does not bound.
    pub(crate) fn credit_once(&self, key: usize, n: u64) {
        let mut credited = self.credited.borrow_mut();
        if !credited.contains(&key) {
            credited.push(key);
            self.budget.set(self.budget.get().saturating_add(n));
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
                        ReadErrorKind::UndefinedName(name.to_string()),
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
        if !self.bound.rebinds.is_empty()
            && let Some(bindings) = self.bound.rebinds.get(name)
        {
            let seen = bindings.partition_point(|(from, _)| *from <= expr.pos);
            return bindings[..seen].last().map(|(_, binding)| binding);
        }
        self.bound.names.get(name)
    }

    /// Read the external array `file` (an `.npy` file, an npz member, an HDF5 dataset) from
    /// the array store the archive's source binds, with its checks: the array must have `ndim`
    /// dimensions (when given), and a corrupt or hostile file cannot make us allocate more
    /// than it holds.
    pub(crate) fn load_array<A: crate::array::Element + ReadableElement>(
        &self,
        file: &str,
        pos: Pos,
        ndim: Option<usize>,
    ) -> Result<Array<A, IxDyn>, ReadError> {
        self.bound.load_array(file, pos, ndim)
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
        let value::Node::Expr(expr) = value.node else {
            return make(value, self);
        };
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
