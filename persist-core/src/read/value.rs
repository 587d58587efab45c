//! The reading layer's handle: [`Value`], what [`Persist::from_python`](crate::Persist::from_python)
//! receives, with [`Kind`], [`Seq`] and [`Entries`]. No syntax-tree type appears in its API.
//!
//! A `Value` says where a value is, not how it is spelled. Today every value is an expression of
//! the archive's source; other places a value can come from (a row of a column-wise record
//! table, an element of an array file) are further variants of the private `Node`, read by the
//! same [`Reader`](super::Reader) accessors, so that no implementation of `Persist` changes when
//! one is added.

use super::table::{Loaded, Table, TableRecord};
use crate::python::ast::{Expr, ExprKind, Pos};

/// One value of an archive being read: the handle that
/// [`Persist::from_python`](crate::Persist::from_python) receives and passes to the
/// [`Reader`](super::Reader)'s accessors (`r.int(v)`, `r.sequence(v)`, `r.record(v)`, ...).
///
/// It is `Copy` and cheap: it only points into the archive, which the reader keeps alive for the
/// lifetime `'m`.
///
/// ```
/// use persist_core::{Persist, ReadError, Reader, Value, Writer, WriteError};
///
/// /// A temperature written as a plain float, read back from one.
/// struct Kelvin(f64);
///
/// impl Persist for Kelvin {
///     fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
///         out.write_f64(self.0)
///     }
///     fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
///         let k = r.float(v)?;
///         if k < 0.0 {
///             return Err(ReadError::custom("a temperature below absolute zero", v.pos()));
///         }
///         Ok(Kelvin(k))
///     }
/// }
///
/// let t: Kelvin = persist_core::from_str("t = 300.5\n", "t")?;
/// assert_eq!(t.0, 300.5);
/// assert!(persist_core::from_str::<Kelvin>("t = -1.0\n", "t").is_err());
/// # Ok::<(), persist_core::LoadError>(())
/// ```
#[derive(Clone, Copy)]
pub struct Value<'m> {
    pub(crate) node: Node<'m>,
}

/// Where a [`Value`] comes from.
#[derive(Clone, Copy)]
pub(crate) enum Node<'m> {
    /// An expression of the archive's source (names are resolved by the reader).
    Expr(&'m Expr),
    /// Row `row` of a record table, as a record of `record` (the table's, or a nested one);
    /// `columns` are the column expressions of the table's statement.
    Row {
        table: &'m Table,
        record: &'m TableRecord,
        columns: &'m [Expr],
        row: usize,
    },
    /// The value of row `row` in the column `column` of a record table.
    Cell {
        table: &'m Table,
        columns: &'m [Expr],
        column: usize,
        row: usize,
    },
    /// Element `index` of the values of a stored column of lists (`pos`: the column's).
    Flat {
        loaded: &'m Loaded,
        index: usize,
        pos: Pos,
    },
}

impl<'m> Value<'m> {
    /// The value of the expression `expr`.
    pub(crate) fn expr(expr: &'m Expr) -> Self {
        Value {
            node: Node::Expr(expr),
        }
    }

    /// Where the value is in the archive's source (for error messages).
    ///
    /// ```
    /// use persist_core::{Persist, ReadError, Reader, Value};
    ///
    /// fn line_of<'m>(v: Value<'m>, _: &mut Reader<'m>) -> Result<u32, ReadError> {
    ///     Ok(v.pos().line)
    /// }
    /// # let _ = line_of;
    /// ```
    pub fn pos(&self) -> Pos {
        match self.node {
            Node::Expr(expr) => expr.pos,
            Node::Row { table, .. } => table.pos,
            Node::Cell { table, column, .. } => table.columns[column].pos,
            Node::Flat { pos, .. } => pos,
        }
    }
}

impl std::fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.node {
            Node::Expr(expr) => write!(f, "Value({} at {})", super::describe_expr(expr), expr.pos),
            Node::Row { table, row, .. } => {
                write!(f, "Value(row {row} of the table `{}`)", table.item)
            }
            Node::Cell {
                table, column, row, ..
            } => write!(
                f,
                "Value(row {row} of the column `{}`)",
                table.columns[column].path
            ),
            Node::Flat { index, pos, .. } => {
                write!(f, "Value(element {index} of a column of lists at {pos})")
            }
        }
    }
}

/// What kind of Python value a [`Value`] holds, as [`Reader::kind`](super::Reader::kind) sees
/// it after following names: for implementations that accept more than one spelling (a number
/// or a string, a record or `None`).
///
/// ```
/// use persist_core::{Kind, Persist, ReadError, Reader, Value, Writer, WriteError};
///
/// /// A setting given as a number of seconds or as the string "never".
/// #[derive(Debug, PartialEq)]
/// enum Timeout { Seconds(f64), Never }
///
/// impl Persist for Timeout {
///     fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
///         match self {
///             Timeout::Seconds(s) => out.write_f64(*s),
///             Timeout::Never => Ok(out.write_str("never")),
///         }
///     }
///     fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
///         match r.kind(v)? {
///             Kind::Str if r.str(v)? == "never" => Ok(Timeout::Never),
///             _ => r.float(v).map(Timeout::Seconds),
///         }
///     }
/// }
///
/// let t: Vec<Timeout> = persist_core::from_str("t = [2.5, 'never']\n", "t")?;
/// assert_eq!(t, [Timeout::Seconds(2.5), Timeout::Never]);
/// # Ok::<(), persist_core::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// `None`.
    None,
    /// `True` or `False`.
    Bool,
    /// An `int`.
    Int,
    /// A `float`, including `float('nan')` and `float('inf')`.
    Float,
    /// A `complex` number.
    Complex,
    /// A `str`.
    Str,
    /// A `bytes` literal.
    Bytes,
    /// A `list`.
    List,
    /// A `tuple`.
    Tuple,
    /// A `dict`.
    Dict,
    /// A `set`.
    Set,
    /// A record: a call of one of the archive's record classes.
    Record,
    /// A numpy array: inline or loaded from the archive's array store.
    Array,
    /// A `datetime.timedelta` (`_dt.timedelta(...)`).
    Timedelta,
    /// A timezone-aware `datetime.datetime` (`_dt.datetime(..., tzinfo=_dt.timezone.utc)`).
    Datetime,
    /// Anything else (a value the reader's accessors refuse).
    Other,
}

impl Kind {
    /// The kind of a resolved expression whose calls are not of the archive's own names.
    pub(crate) fn of(expr: &Expr) -> Kind {
        match &expr.kind {
            ExprKind::None => Kind::None,
            ExprKind::Bool(_) => Kind::Bool,
            ExprKind::Int(_) | ExprKind::BigInt { .. } => Kind::Int,
            ExprKind::Float(_) => Kind::Float,
            ExprKind::Complex(..) | ExprKind::BinOp { .. } => Kind::Complex,
            ExprKind::Str(_) => Kind::Str,
            ExprKind::Bytes(_) => Kind::Bytes,
            ExprKind::List(_) => Kind::List,
            ExprKind::Tuple(_) => Kind::Tuple,
            ExprKind::Dict(_) => Kind::Dict,
            ExprKind::Set(_) => Kind::Set,
            ExprKind::UnaryMinus(inner) | ExprKind::UnaryPlus(inner) => match Kind::of(inner) {
                kind @ (Kind::Int | Kind::Float | Kind::Complex) => kind,
                _ => Kind::Other,
            },
            ExprKind::Call(call) => {
                let mut name = String::new();
                call.func.dotted_name(&mut name);
                // Calls of the archive's own names (record classes, `_load`, `_table`) are told
                // apart by their binding, in `Reader::kind`; here only the builtins and numpy.
                match name.as_str() {
                    "float" => Kind::Float,
                    "complex" => Kind::Complex,
                    "set" => Kind::Set,
                    "_np.array" | "_np.zeros" | "_np.asfortranarray" => Kind::Array,
                    "_dt.timedelta" => Kind::Timedelta,
                    "_dt.datetime" => Kind::Datetime,
                    _ => Kind::Other,
                }
            }
            ExprKind::Name(_) | ExprKind::Attribute { .. } => Kind::Other,
        }
    }
}

/// The elements of a list, tuple or set, in order: what
/// [`Reader::sequence`](super::Reader::sequence) and [`Reader::set`](super::Reader::set) return.
/// Read them one by one with `T::from_python`, or all at once with
/// [`Reader::elements`](super::Reader::elements).
///
/// ```
/// use persist_core::{Persist, ReadError, Reader, Value, Writer, WriteError};
///
/// /// A pair written as a list of two floats.
/// struct Point(f64, f64);
///
/// impl Persist for Point {
///     fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
///         vec![self.0, self.1].to_python_source(out)
///     }
///     fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
///         let items = r.sequence(v)?;
///         if items.len() != 2 {
///             return Err(ReadError::expected("2 coordinates", format!("{}", items.len()), v.pos()));
///         }
///         let xy: Vec<f64> = r.elements(items).collect::<Result<_, _>>()?;
///         Ok(Point(xy[0], xy[1]))
///     }
/// }
///
/// let p: Point = persist_core::from_str("p = [1.0, 2.5]\n", "p")?;
/// assert_eq!((p.0, p.1), (1.0, 2.5));
/// # Ok::<(), persist_core::LoadError>(())
/// ```
#[derive(Clone)]
pub struct Seq<'m> {
    items: Items<'m>,
}

/// What a [`Seq`] walks: expressions, or the rows of a record table.
#[derive(Clone)]
enum Items<'m> {
    Exprs(std::slice::Iter<'m, Expr>),
    Rows {
        table: &'m Table,
        columns: &'m [Expr],
        rows: std::ops::Range<usize>,
    },
    /// The list of one row of a stored column of lists: `values[range]`.
    Flat {
        values: &'m Loaded,
        pos: Pos,
        range: std::ops::Range<usize>,
    },
}

impl std::fmt::Debug for Seq<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Seq({} left)", self.len())
    }
}

impl<'m> Seq<'m> {
    pub(crate) fn of(items: &'m [Expr]) -> Self {
        Seq {
            items: Items::Exprs(items.iter()),
        }
    }

    /// The elements `range` of the values of a stored column of lists.
    pub(crate) fn flat(values: &'m Loaded, range: std::ops::Range<usize>, pos: Pos) -> Self {
        Seq {
            items: Items::Flat { values, pos, range },
        }
    }

    /// The `rows` rows of a record table.
    pub(crate) fn rows(table: &'m Table, columns: &'m [Expr], rows: usize) -> Self {
        Seq {
            items: Items::Rows {
                table,
                columns,
                rows: 0..rows,
            },
        }
    }
}

impl<'m> Iterator for Seq<'m> {
    type Item = Value<'m>;

    fn next(&mut self) -> Option<Value<'m>> {
        match &mut self.items {
            Items::Exprs(items) => items.next().map(Value::expr),
            Items::Rows {
                table,
                columns,
                rows,
            } => {
                let row = rows.next()?;
                Some(Value {
                    node: match &table.root {
                        Some(record) => Node::Row {
                            table,
                            record,
                            columns,
                            row,
                        },
                        // A one-column table: its rows are the column's values.
                        None => Node::Cell {
                            table,
                            columns,
                            column: 0,
                            row,
                        },
                    },
                })
            }
            Items::Flat { values, pos, range } => range.next().map(|index| Value {
                node: Node::Flat {
                    loaded: values,
                    index,
                    pos: *pos,
                },
            }),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = match &self.items {
            Items::Exprs(items) => items.len(),
            Items::Rows { rows: range, .. } | Items::Flat { range, .. } => range.len(),
        };
        (n, Some(n))
    }
}

impl ExactSizeIterator for Seq<'_> {}

/// The entries of a dict, in order, as pairs of key and value: what
/// [`Reader::dict`](super::Reader::dict) returns.
///
/// ```
/// use std::collections::BTreeMap;
/// use persist_core::{Persist, ReadError, Reader, Value, Writer, WriteError};
///
/// /// Counts kept as a dict of str to int, read into sorted pairs.
/// struct Counts(Vec<(String, u32)>);
///
/// impl Persist for Counts {
///     fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
///         self.0.iter().cloned().collect::<BTreeMap<_, _>>().to_python_source(out)
///     }
///     fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
///         let mut pairs = Vec::new();
///         for (key, value) in r.dict(v)? {
///             pairs.push((String::from_python(key, r)?, u32::from_python(value, r)?));
///         }
///         pairs.sort();
///         Ok(Counts(pairs))
///     }
/// }
///
/// let c: Counts = persist_core::from_str("c = {'b': 2, 'a': 1}\n", "c")?;
/// assert_eq!(c.0, [("a".to_owned(), 1), ("b".to_owned(), 2)]);
/// # Ok::<(), persist_core::LoadError>(())
/// ```
#[derive(Clone)]
pub struct Entries<'m> {
    entries: EntryItems<'m>,
}

/// Where the entries are: a dict literal's, or the rows of a dict table (keys in column 0,
/// values in column 1).
#[derive(Clone)]
enum EntryItems<'m> {
    Exprs(std::slice::Iter<'m, (Expr, Expr)>),
    Table {
        table: &'m Table,
        columns: &'m [Expr],
        rows: std::ops::Range<usize>,
    },
}

impl std::fmt::Debug for Entries<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Entries({} left)", self.len())
    }
}

impl<'m> Entries<'m> {
    pub(crate) fn of(entries: &'m [(Expr, Expr)]) -> Self {
        Entries {
            entries: EntryItems::Exprs(entries.iter()),
        }
    }

    /// The `rows` entries of a dict table.
    pub(crate) fn table(table: &'m Table, columns: &'m [Expr], rows: usize) -> Self {
        Entries {
            entries: EntryItems::Table {
                table,
                columns,
                rows: 0..rows,
            },
        }
    }
}

impl<'m> Iterator for Entries<'m> {
    type Item = (Value<'m>, Value<'m>);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.entries {
            EntryItems::Exprs(entries) => entries
                .next()
                .map(|(k, v)| (Value::expr(k), Value::expr(v))),
            EntryItems::Table {
                table,
                columns,
                rows,
            } => {
                let row = rows.next()?;
                let cell = |column| Value {
                    node: Node::Cell {
                        table,
                        columns,
                        column,
                        row,
                    },
                };
                Some((cell(0), cell(1)))
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = match &self.entries {
            EntryItems::Exprs(entries) => entries.len(),
            EntryItems::Table { rows, .. } => rows.len(),
        };
        (n, Some(n))
    }
}

impl ExactSizeIterator for Entries<'_> {}
