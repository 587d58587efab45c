//! [`Record`]: the compile-time description of a struct or enum variant, written by the derive.

/// How a record's fields are named.
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
/// impl can do the same.
///
/// ```
/// use persist_core::{Persist, Record, RecordKind, WriteError, Writer};
///
/// struct Point { x: f64, y: f64 }
///
/// impl Persist for Point {
///     fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
///         static RECORD: Record = Record {
///             rust: "geometry::Point",
///             name: "Point",
///             variant: None,
///             kind: RecordKind::Named(&["x", "y"]),
///             python: None,
///         };
///         out.begin_record(&RECORD)?;
///         out.field("x", &self.x)?;
///         out.field("y", &self.y)?;
///         out.end_record()
///     }
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// The Rust path of the type (`module_path!()` and the type's name), shown in the Python
    /// class's `_rust` attribute and used to tell types of the same name apart.
    pub rust: &'static str,
    /// The name Python shows (the type's name, or its `rename`).
    pub name: &'static str,
    /// For an enum, the variant's name as Python shows it; the class is then `Name.Variant`.
    pub variant: Option<&'static str>,
    /// The fields.
    pub kind: RecordKind,
    /// `"module:Class"`: build this user class by keyword arguments instead of the archive's own
    /// record class.
    pub python: Option<&'static str>,
}
