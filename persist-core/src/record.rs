//! [`Record`]: the compile-time description of a struct or enum variant, written by the derive;
//! [`Column`]: how a type is stored in a record table (a long list of records, column-wise).

/// How a record's fields are named.
///
/// ```
/// use persist_core::RecordKind;
/// let kinds = [RecordKind::Named(&["x", "y"]), RecordKind::Tuple(2), RecordKind::Unit];
/// assert_ne!(kinds[0], kinds[1]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    /// A struct or variant with named fields, in declaration order (after `rename` and `skip`).
    Named(&'static [&'static str]),
    /// A tuple struct or tuple variant with this many fields; Python names them `_0`, `_1`, ...
    /// and also allows `x[0]`, `len(x)` and iteration.
    Tuple(usize),
    /// A unit struct or unit variant.
    Unit,
}

/// Describes the Python class standing for one Rust struct or enum variant. `#[derive(Persist)]`
/// emits one as a `static` per struct and per variant; a hand-written [`Persist`](crate::Persist)
/// impl makes one with [`Record::new`] (a `const fn`, so it can be a `static`).
///
/// ```
/// use persist_core::{Persist, Record, RecordKind, WriteError, Writer};
///
/// struct Point { x: f64, y: f64 }
///
/// static RECORD: Record = Record::new("geometry::Point", "Point", RecordKind::Named(&["x", "y"]));
///
/// impl Persist for Point {
///     fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
///         out.begin_record(&RECORD)?;
///         out.field("x", &self.x)?;
///         out.field("y", &self.y)?;
///         out.end_record()
///     }
/// }
///
/// let mut w = Writer::inline();
/// Point { x: 1.0, y: 2.5 }.to_python_source(&mut w)?;
/// assert_eq!(w.take_expression(), "_Point(x=1.0, y=2.5)");
/// # Ok::<(), WriteError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// The Rust path of the type (`module_path!()` and the type's name), shown in the Python
    /// class's `_rust` attribute and used to tell types of the same name apart.
    pub(crate) rust: &'static str,
    /// The name Python shows (the type's name, or its `rename`).
    pub(crate) name: &'static str,
    /// For an enum, the variant's name as Python shows it; the class is then `Name.Variant`.
    pub(crate) variant: Option<&'static str>,
    /// The fields.
    pub(crate) kind: RecordKind,
    /// `"module:Class"`: build this user class by keyword arguments instead of the archive's own
    /// record class.
    pub(crate) python: Option<&'static str>,
    /// Other names of the type whose records it reads (`#[persist(alias = "OldName")]`): the
    /// Python names it had before a rename.
    pub(crate) aliases: &'static [&'static str],
}

impl Record {
    /// The record of a struct: its Rust path (`module_path!()` and the type's name, shown in
    /// the Python class's `_rust` attribute), the name Python shows, and its fields.
    ///
    /// ```
    /// use persist_core::{Record, RecordKind};
    /// static PAIR: Record = Record::new("geometry::Pair", "Pair", RecordKind::Tuple(2));
    /// assert_eq!(PAIR.name(), "Pair");
    /// ```
    pub const fn new(rust: &'static str, name: &'static str, kind: RecordKind) -> Self {
        Record {
            rust,
            name,
            variant: None,
            kind,
            python: None,
            aliases: &[],
        }
    }

    /// The same record as the variant `variant` of the enum it names: Python shows the class
    /// as `Name.Variant`.
    ///
    /// ```
    /// use persist_core::{Record, RecordKind};
    /// static CIRCLE: Record =
    ///     Record::new("geometry::Shape", "Shape", RecordKind::Named(&["r"])).variant("Circle");
    /// assert_eq!(CIRCLE.variant_name(), Some("Circle"));
    /// ```
    #[must_use]
    pub const fn variant(mut self, variant: &'static str) -> Self {
        self.variant = Some(variant);
        self
    }

    /// The same record built in Python by the user's class `"module:Class"` (called with
    /// keyword arguments; the archive imports it, so readers must trust the module) instead of
    /// the archive's own record class.
    ///
    /// ```
    /// use persist_core::{Record, RecordKind};
    /// static FRACTION: Record = Record::new("m::Fraction", "Fraction", RecordKind::Named(&["numerator", "denominator"]))
    ///     .python("fractions:Fraction");
    /// assert_eq!(FRACTION.python_class(), Some("fractions:Fraction"));
    /// ```
    #[must_use]
    pub const fn python(mut self, class: &'static str) -> Self {
        self.python = Some(class);
        self
    }

    /// The same record, also reading records of the Python names `aliases` (the names the type
    /// had before a rename; for an enum, the enum's former names, each with the same variants).
    ///
    /// ```
    /// use persist_core::{Record, RecordKind};
    /// static PARAMS: Record = Record::new("m::Params", "Params", RecordKind::Named(&["alpha"]))
    ///     .aliases(&["Parameters"]);
    /// assert_eq!(PARAMS.alias_names(), &["Parameters"]);
    /// ```
    #[must_use]
    pub const fn aliases(mut self, aliases: &'static [&'static str]) -> Self {
        self.aliases = aliases;
        self
    }

    /// The other Python names whose records the type reads.
    ///
    /// ```
    /// # use persist_core::{Record, RecordKind};
    /// assert!(Record::new("m::Unit", "Unit", RecordKind::Unit).alias_names().is_empty());
    /// ```
    pub const fn alias_names(&self) -> &'static [&'static str] {
        self.aliases
    }

    /// Whether `name` is the Python name of the type or one of its aliases.
    pub(crate) fn answers_to(&self, name: &str) -> bool {
        self.name == name || self.aliases.contains(&name)
    }

    /// The Rust path of the type.
    ///
    /// ```
    /// # use persist_core::{Record, RecordKind};
    /// assert_eq!(Record::new("m::Unit", "Unit", RecordKind::Unit).rust(), "m::Unit");
    /// ```
    pub const fn rust(&self) -> &'static str {
        self.rust
    }

    /// The name Python shows.
    ///
    /// ```
    /// # use persist_core::{Record, RecordKind};
    /// assert_eq!(Record::new("m::Unit", "Unit", RecordKind::Unit).name(), "Unit");
    /// ```
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The variant's name, for a record of an enum variant.
    ///
    /// ```
    /// # use persist_core::{Record, RecordKind};
    /// assert_eq!(Record::new("m::Unit", "Unit", RecordKind::Unit).variant_name(), None);
    /// ```
    pub const fn variant_name(&self) -> Option<&'static str> {
        self.variant
    }

    /// The fields.
    ///
    /// ```
    /// # use persist_core::{Record, RecordKind};
    /// let r = Record::new("m::P", "P", RecordKind::Named(&["x"]));
    /// assert_eq!(r.kind(), RecordKind::Named(&["x"]));
    /// ```
    pub const fn kind(&self) -> RecordKind {
        self.kind
    }

    /// The user's Python class (`"module:Class"`), if the record is built by one.
    ///
    /// ```
    /// # use persist_core::{Record, RecordKind};
    /// assert_eq!(Record::new("m::P", "P", RecordKind::Unit).python_class(), None);
    /// ```
    pub const fn python_class(&self) -> Option<&'static str> {
        self.python
    }
}

/// The type of one column of a record table: what a value of a [`Column::Scalar`] is stored as
/// (its numpy dtype in an array store; strings as UTF-8 bytes plus offsets).
///
/// ```
/// use persist_core::ColumnType;
/// assert_eq!(ColumnType::F64.dtype(), "float64");
/// assert_eq!(ColumnType::Str.dtype(), "str");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ColumnType {
    /// `bool`.
    Bool,
    /// `i8`.
    I8,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u8`.
    U8,
    /// `u16`.
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `Complex<f32>`.
    Complex32,
    /// `Complex<f64>`.
    Complex64,
    /// `String`: UTF-8 bytes (`uint8`) plus `int64` offsets, one more than the rows.
    Str,
}

impl ColumnType {
    /// Every column type, in the order of the variants.
    pub const ALL: [ColumnType; 14] = [
        ColumnType::Bool,
        ColumnType::I8,
        ColumnType::I16,
        ColumnType::I32,
        ColumnType::I64,
        ColumnType::U8,
        ColumnType::U16,
        ColumnType::U32,
        ColumnType::U64,
        ColumnType::F32,
        ColumnType::F64,
        ColumnType::Complex32,
        ColumnType::Complex64,
        ColumnType::Str,
    ];

    /// The name the table statement gives the column's kind: numpy's dtype name, or `str`.
    ///
    /// ```
    /// assert_eq!(persist_core::ColumnType::U8.dtype(), "uint8");
    /// ```
    pub const fn dtype(self) -> &'static str {
        match self {
            ColumnType::Bool => "bool",
            ColumnType::I8 => "int8",
            ColumnType::I16 => "int16",
            ColumnType::I32 => "int32",
            ColumnType::I64 => "int64",
            ColumnType::U8 => "uint8",
            ColumnType::U16 => "uint16",
            ColumnType::U32 => "uint32",
            ColumnType::U64 => "uint64",
            ColumnType::F32 => "float32",
            ColumnType::F64 => "float64",
            ColumnType::Complex32 => "complex64",
            ColumnType::Complex64 => "complex128",
            ColumnType::Str => "str",
        }
    }

    /// The column type of the kind name `dtype` (see [`dtype`](ColumnType::dtype)).
    ///
    /// ```
    /// use persist_core::ColumnType;
    /// assert_eq!(ColumnType::from_dtype("int32"), Some(ColumnType::I32));
    /// assert_eq!(ColumnType::from_dtype("object"), None);
    /// ```
    pub fn from_dtype(dtype: &str) -> Option<ColumnType> {
        ColumnType::ALL.into_iter().find(|t| t.dtype() == dtype)
    }
}

/// How the values of a type are stored in a record table (a long list of records stored
/// column-wise): what [`Persist::column`](crate::Persist::column) returns. A list of more
/// records than the archive's array threshold is written as a table when its element type is a
/// [`Column::Record`]; every other list is written element by element.
///
/// Scalars, strings and `Option`s of them are [`Column::Scalar`]; `Vec`s and `VecDeque`s of
/// numbers or `bool`s are [`Column::List`]; `#[derive(Persist)]` makes a struct with named
/// fields that are all columns a [`Column::Record`] (nested records are flattened into their
/// fields' columns). A map with more entries than the threshold whose keys are strings,
/// integers or `bool`s and whose values are a scalar or list column is written as a dict table.
///
/// ```
/// use persist_core::{Column, ColumnType, Persist};
/// assert_eq!(f64::column(), Some(Column::Scalar { ty: ColumnType::F64, optional: false }));
/// assert_eq!(Option::<String>::column(), Some(Column::Scalar { ty: ColumnType::Str, optional: true }));
/// assert_eq!(Vec::<f64>::column(), Some(Column::List { ty: ColumnType::F64 }));
/// assert_eq!(Vec::<String>::column(), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// One value per row, of type `ty`; `optional` when a row may be `None` (a mask is stored).
    Scalar {
        /// The type of the values.
        ty: ColumnType,
        /// Whether values may be `None`.
        optional: bool,
    },
    /// One list of values of type `ty` per row (not `Str`, and no `None`s): stored as one
    /// array of all the lists' values and one of offsets, `'[float64]'` in the table
    /// statement (format 6).
    List {
        /// The type of the lists' values: a number or `bool`.
        ty: ColumnType,
    },
    /// A record whose every written field is a column, in the order of its fields.
    Record {
        /// The record's description.
        record: &'static Record,
        /// One column per field of `record`'s [`RecordKind::Named`] list.
        fields: Vec<Column>,
    },
}

impl Column {
    /// The column of a list whose elements' column is `element`: a [`Column::List`] when they
    /// are non-optional numbers or `bool`s, else `None`. What `Vec<T>::column` returns.
    ///
    /// ```
    /// use persist_core::{Column, ColumnType, Persist};
    /// assert_eq!(Column::list(i32::column()), Some(Column::List { ty: ColumnType::I32 }));
    /// assert_eq!(Column::list(Option::<i32>::column()), None);
    /// assert_eq!(Column::list(String::column()), None);
    /// ```
    pub fn list(element: Option<Column>) -> Option<Column> {
        match element? {
            Column::Scalar {
                ty,
                optional: false,
            } if ty != ColumnType::Str => Some(Column::List { ty }),
            _ => None,
        }
    }

    /// A non-optional scalar column of type `ty`.
    ///
    /// ```
    /// use persist_core::{Column, ColumnType};
    /// assert_eq!(Column::scalar(ColumnType::I32), Column::Scalar { ty: ColumnType::I32, optional: false });
    /// ```
    pub const fn scalar(ty: ColumnType) -> Column {
        Column::Scalar {
            ty,
            optional: false,
        }
    }

    /// The column of a record whose fields are described by `fields` (in the order of
    /// `record`'s named fields): `None` unless every field is a column, the record has named
    /// fields (at least one) and is built by the archive's own class (not `python = "..."`).
    /// What `#[derive(Persist)]` returns from `column`.
    ///
    /// ```
    /// use persist_core::{Column, ColumnType, Persist, Record, RecordKind};
    /// static POINT: Record = Record::new("m::Point", "Point", RecordKind::Named(&["x", "y"]));
    /// let column = Column::record(&POINT, [f64::column(), f64::column()]);
    /// assert!(matches!(column, Some(Column::Record { .. })));
    /// assert_eq!(Column::record(&POINT, [f64::column(), None]), None);
    /// ```
    pub fn record(
        record: &'static Record,
        fields: impl IntoIterator<Item = Option<Column>>,
    ) -> Option<Column> {
        let RecordKind::Named(names) = record.kind else {
            return None;
        };
        if record.python.is_some() || names.is_empty() {
            return None;
        }
        let fields = fields.into_iter().collect::<Option<Vec<Column>>>()?;
        (fields.len() == names.len()).then_some(Column::Record { record, fields })
    }

    /// [`record`](Column::record) of the columns the functions `fields` return (each field
    /// type's [`Persist::column`](crate::Persist::column)): what `#[derive(Persist)]` returns
    /// from `column`, one call with a constant slice in each derived type.
    ///
    /// ```
    /// use persist_core::{Column, Persist, Record, RecordKind};
    /// static POINT: Record = Record::new("m::Point", "Point", RecordKind::Named(&["x", "y"]));
    /// let column = Column::record_of(&POINT, &[f64::column, f64::column]);
    /// assert_eq!(column, Column::record(&POINT, [f64::column(), f64::column()]));
    /// assert_eq!(Column::record_of(&POINT, &[f64::column, Vec::<f64>::column]).is_some(), true);
    /// assert_eq!(Column::record_of(&POINT, &[f64::column]), None);
    /// ```
    pub fn record_of(record: &'static Record, fields: &[fn() -> Option<Column>]) -> Option<Column> {
        Column::record(record, fields.iter().map(|column| column()))
    }
}
