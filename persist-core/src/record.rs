//! [`Record`]: the compile-time description of a struct or enum variant, written by the derive.

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
