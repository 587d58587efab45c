//! The class of a record being read ([`ClassRef`]): which struct or enum variant it stands
//! for, compared by Python name, alias, Rust path or the writer's helper name, unless the
//! reader reads by fields alone.

use super::super::{Class, ReadError, ReadErrorKind};
use crate::python::ast::Pos;
use crate::record::Record;

/// The class of a record being read: which struct or enum variant it stands for.
///
/// ```
/// use persist_core::{Persist, ReadError, Reader, Record, RecordKind, Value, WriteError, Writer};
///
/// /// An enum written by hand: two variants, one record each.
/// enum Shape { Circle(f64), Square(f64) }
///
/// static CIRCLE: Record = Record::new("geo::Shape", "Shape", RecordKind::Tuple(1)).variant("Circle");
/// static SQUARE: Record = Record::new("geo::Shape", "Shape", RecordKind::Tuple(1)).variant("Square");
///
/// impl Persist for Shape {
///     fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
///         let (record, size) = match self {
///             Shape::Circle(r) => (&CIRCLE, r),
///             Shape::Square(a) => (&SQUARE, a),
///         };
///         out.begin_record(record)?;
///         out.element(size)?;
///         out.end_record()
///     }
///     fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
///         let (class, mut args) = r.record(v)?;
///         let size = args.field::<f64>(r, 0, "_0", &[])?.ok_or_else(|| args.missing("_0"))?;
///         if class.is(&CIRCLE) {
///             Ok(Shape::Circle(size))
///         } else if class.is(&SQUARE) {
///             Ok(Shape::Square(size))
///         } else {
///             Err(class.unknown_variant("Shape", &[&CIRCLE, &SQUARE]))
///         }
///     }
/// }
///
/// let mut archive = persist_core::Archive::new();
/// archive.insert("s", Shape::Square(2.0))?;
/// let reader = persist_core::ArchiveReader::from_source(&archive.to_python_source()?)?;
/// assert!(matches!(reader.read::<Shape>("s")?, Shape::Square(a) if a == 2.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ClassRef<'m> {
    pub(super) class: &'m Class,
    pub(super) pos: Pos,
    /// [`ReadOptions::structural_records`](crate::ReadOptions::structural_records).
    pub(super) structural: bool,
}

impl ClassRef<'_> {
    /// Whether this class stands for `record`: for a struct, a class of its Python name or of
    /// one of its [aliases](Record::aliases); for an enum variant, the class `Enum.Variant` of
    /// that variant of the enum (under its name or an alias); for `python = "module:Class"`,
    /// that imported class. With
    /// [`ReadOptions::structural_records`](crate::ReadOptions::structural_records), any class
    /// of the archive's own for a struct, and any class whose name ends in the variant's for a
    /// variant.
    ///
    /// ```
    /// use persist_core::{Record, RecordKind, Value, Reader, ReadError};
    /// static ON: Record = Record::new("m::Switch", "Switch", RecordKind::Unit).variant("On");
    /// fn is_on<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<bool, ReadError> {
    ///     let (class, _) = r.record(v)?;
    ///     Ok(class.is(&ON))
    /// }
    /// # let _ = is_on;
    /// ```
    pub fn is(&self, record: &Record) -> bool {
        if let Some(python) = record.python {
            return self.class.imported && self.class.qualname == python;
        }
        if self.class.imported {
            return false;
        }
        let qualname = self.class.qualname.as_str();
        match (record.variant, self.structural) {
            (Some(variant), true) => {
                qualname.rsplit('.').next() == Some(variant) || self.names_variant(Some(variant))
            }
            (None, true) => true,
            // The type that wrote it, or one of the Python names it answers to.
            (_, false) if self.class.rust == record.rust && self.names_variant(record.variant) => {
                true
            }
            (Some(variant), false) => match qualname.rsplit_once('.') {
                Some((name, v)) => v == variant && record.answers_to(name),
                None => self.helper_named(record, Some(variant)),
            },
            (None, false) => record.answers_to(qualname) || self.helper_named(record, None),
        }
    }

    /// Whether the class stands for `variant` (for a variant: `Enum.Variant`, or the helper
    /// name `_Enum_Variant` or `_Enum_Variant_2`), or for a struct (no variant).
    fn names_variant(&self, variant: Option<&str>) -> bool {
        let qualname = self.class.qualname.as_str();
        let Some(variant) = variant else {
            return true;
        };
        if let Some((_, v)) = qualname.rsplit_once('.') {
            return v == variant;
        }
        self.helper_stems().is_some_and(|stems| {
            stems.iter().any(|name| {
                name.strip_suffix(variant)
                    .is_some_and(|stem| stem.ends_with('_'))
            })
        })
    }

    /// What the class's helper name may stand for, with and without the writer's number:
    /// `_Shape_Circle_3` gives `Shape_Circle_3` and `Shape_Circle`; `None` for a class not named
    /// by a helper name.
    fn helper_stems(&self) -> Option<[&str; 2]> {
        let rest = self.class.qualname.strip_prefix('_')?;
        Some([rest, unnumbered(rest)])
    }

    /// Whether the class is named by its helper name (`_Params`, `_Params_2`,
    /// `_Shape_Circle_3`), as the writer names a class whose name an item or another Rust type
    /// of the archive has, for one of `record`'s names.
    fn helper_named(&self, record: &Record, variant: Option<&str>) -> bool {
        let matches = |stem: &str| {
            std::iter::once(record.name)
                .chain(record.aliases.iter().copied())
                .any(|name| match variant {
                    Some(v) => stem
                        .strip_prefix(name)
                        .and_then(|s| s.strip_prefix('_'))
                        .is_some_and(|s| s == v),
                    None => stem == name,
                })
        };
        self.helper_stems()
            .is_some_and(|stems| stems.into_iter().any(matches))
    }

    /// The error for a class that is not `record`'s.
    pub(super) fn wrong_record(&self, record: &Record) -> ReadError {
        ReadError::new(
            ReadErrorKind::WrongRecord {
                expected: record.name.to_owned(),
                found: self.class.qualname.replace(':', "."),
            },
            self.pos,
        )
    }

    /// The error for a variant none of `expected` matches.
    ///
    /// ```
    /// use persist_core::{Record, RecordKind, Value, Reader, ReadError};
    /// static ON: Record = Record::new("m::Switch", "Switch", RecordKind::Unit).variant("On");
    /// fn only_on<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<(), ReadError> {
    ///     let (class, _) = r.record(v)?;
    ///     if class.is(&ON) { Ok(()) } else { Err(class.unknown_variant("Switch", &[&ON])) }
    /// }
    /// # let _ = only_on;
    /// ```
    pub fn unknown_variant(&self, enum_name: &str, expected: &[&Record]) -> ReadError {
        let variant = self
            .class
            .qualname
            .rsplit(['.', ':'])
            .next()
            .unwrap_or("")
            .to_owned();
        let names: Vec<&str> = expected.iter().filter_map(|r| r.variant).collect();
        // A class of another type altogether (a struct's `Params`, another enum's `Other.A`):
        // not a variant this enum lacks.
        let of_this_enum = self
            .class
            .qualname
            .rsplit_once('.')
            .is_some_and(|(name, _)| {
                expected.is_empty() || expected.iter().any(|r| r.answers_to(name))
            });
        if !of_this_enum && !self.structural {
            return ReadError::new(
                ReadErrorKind::WrongRecord {
                    expected: format!("a variant of {enum_name}"),
                    found: self.class.qualname.replace(':', "."),
                },
                self.pos,
            );
        }
        ReadError::new(
            ReadErrorKind::UnknownVariant {
                record: enum_name.to_owned(),
                variant,
                expected: names.join(", "),
            },
            self.pos,
        )
    }
}

/// `name` without the writer's `_N` numbering of a helper name (`Params_2` -> `Params`).
fn unnumbered(name: &str) -> &str {
    match name.rsplit_once('_') {
        Some((stem, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => stem,
        _ => name,
    }
}
