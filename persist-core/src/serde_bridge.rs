//! The serde bridge (feature `serde`): any `Serialize + DeserializeOwned` value archived as
//! plain Python data (dict, list, str, int, float, bool, None), through serde's data model as
//! `serde_json::Value` holds it, and loaded back through serde. `#[persist(serde)]` on a field
//! uses it, as `with = "persist_core::serde_bridge"` would.
//!
//! What serde's JSON model cannot hold is an error, never a silent change: a float that is NaN or
//! infinite, an integer beyond `i64`/`u64`, a dict key that is not a string (serde_json writes
//! the integer keys of a map as strings, as JSON does), a value nested deeper than
//! [`MAX_DEPTH`] when reading.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value as Json};

use crate::error::WriteError;
use crate::persist::Persist;
use crate::read::{Kind, ReadError, Reader, Value};
use crate::write::{Container, Writer};

/// How deeply nested a value read through serde may be (serde_json's own parser stops at 128
/// too): deeper archives are refused rather than risking the stack in serde's recursion.
///
/// ```
/// assert_eq!(persist_core::serde_bridge::MAX_DEPTH, 128);
/// ```
pub const MAX_DEPTH: usize = 128;

/// Write `value` as plain Python data, through `serde::Serialize`.
///
/// # Errors
/// The value's `Serialize` fails, or serde's JSON model cannot hold it (a NaN, a map with
/// keys that are not strings or numbers).
///
/// ```
/// use persist_core::Writer;
/// let mut w = Writer::inline();
/// let tags = std::collections::BTreeMap::from([("a", vec![1, 2])]);
/// persist_core::serde_bridge::to_python_source(&tags, &mut w)?;
/// assert_eq!(w.take_expression(), "{'a': [1, 2]}");
/// # Ok::<(), persist_core::WriteError>(())
/// ```
pub fn to_python_source<T: Serialize + ?Sized>(
    value: &T,
    out: &mut Writer,
) -> Result<(), WriteError> {
    let json = serde_json::to_value(value).map_err(|e| {
        WriteError::custom(format_args!("serde could not serialize the value: {e}"))
    })?;
    Plain(&json).to_python_source(out)
}

/// Read a `T` through `serde::Deserialize` from plain Python data (what
/// [`to_python_source`] writes, or the same by hand).
///
/// # Errors
/// The value is not plain data (a record, an array, a complex, bytes), a dict key is not a
/// string, an integer is beyond `i64`/`u64`, a float is NaN or infinite, the nesting is deeper
/// than [`MAX_DEPTH`], or `T`'s `Deserialize` refuses the data (serde's message).
///
/// ```
/// use std::collections::BTreeMap;
/// #[derive(persist_core::Persist)]
/// struct Run {
///     #[persist(serde)] // as `with = "persist_core::serde_bridge"`
///     tags: BTreeMap<String, Vec<u8>>,
/// }
/// let mut archive = persist_core::Archive::new();
/// archive.insert("x", Run { tags: BTreeMap::from([("a".to_owned(), vec![1, 2])]) })?;
/// let source = archive.to_python_source()?;
/// assert!(source.contains("tags={'a': [1, 2]}"));
/// let run: Run = persist_core::from_str(&source, "x")?;
/// assert_eq!(run.tags["a"], [1, 2]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn from_python<'m, T: DeserializeOwned>(
    value: Value<'m>,
    r: &mut Reader<'m>,
) -> Result<T, ReadError> {
    let json = to_json(value, r, 0)?;
    serde_json::from_value(json)
        .map_err(|e| ReadError::custom(format_args!("serde: {e}"), value.pos()))
}

/// A `serde_json::Value` written as Python data.
struct Plain<'a>(&'a Json);

impl Persist for Plain<'_> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        match self.0 {
            Json::Null => Option::<u8>::None.to_python_source(out),
            Json::Bool(b) => b.to_python_source(out),
            Json::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => i.to_python_source(out),
                (None, Some(u), _) => u.to_python_source(out),
                (None, None, Some(f)) => f.to_python_source(out),
                _ => Err(WriteError::custom(format_args!(
                    "serde gave the number {n}, which Python data cannot hold"
                ))),
            },
            Json::String(s) => s.to_python_source(out),
            Json::Array(items) => {
                out.begin(Container::List)?;
                for item in items {
                    out.element(&Plain(item))?;
                }
                out.end()
            }
            Json::Object(map) => {
                out.begin(Container::Dict)?;
                for (key, value) in map {
                    out.entry(key, &Plain(value))?;
                }
                out.end()
            }
        }
    }

    fn from_python<'m>(value: Value<'m>, _: &mut Reader<'m>) -> Result<Self, ReadError> {
        Err(ReadError::custom("written only", value.pos()))
    }
}

/// The plain data `value` as a `serde_json::Value`, at nesting `depth`.
fn to_json<'m>(value: Value<'m>, r: &mut Reader<'m>, depth: usize) -> Result<Json, ReadError> {
    if depth > MAX_DEPTH {
        return Err(ReadError::custom(
            format_args!(
                "the value is nested deeper than {MAX_DEPTH} levels, more than serde reads"
            ),
            value.pos(),
        ));
    }
    let kind = r.kind(value)?;
    let json = match kind {
        Kind::None => Json::Null,
        Kind::Bool => Json::Bool(r.bool(value)?),
        Kind::Int => {
            let n: i128 = r.int(value)?;
            match (i64::try_from(n), u64::try_from(n)) {
                (Ok(i), _) => Json::Number(i.into()),
                (_, Ok(u)) => Json::Number(u.into()),
                _ => {
                    return Err(ReadError::custom(
                        format_args!(
                            "the integer {n} is beyond what serde's data model holds (i64 or u64)"
                        ),
                        value.pos(),
                    ));
                }
            }
        }
        Kind::Float => {
            let f = r.float(value)?;
            Json::Number(Number::from_f64(f).ok_or_else(|| {
                ReadError::custom(
                    format_args!("the float {f} has no place in serde's data model"),
                    value.pos(),
                )
            })?)
        }
        Kind::Str => Json::String(r.str(value)?.to_owned()),
        Kind::List | Kind::Tuple | Kind::Set => {
            let items: Vec<Value<'m>> = if kind == Kind::Set {
                r.set(value)?.collect()
            } else {
                r.sequence(value)?.collect()
            };
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(to_json(item, r, depth + 1)?);
            }
            Json::Array(out)
        }
        Kind::Dict => {
            let entries: Vec<(Value<'m>, Value<'m>)> = r.dict(value)?.collect();
            let mut map = Map::new();
            for (key, item) in entries {
                let key = match r.kind(key)? {
                    Kind::Str => r.str(key)?.to_owned(),
                    _ => {
                        return Err(ReadError::custom(
                            format_args!(
                                "a dict key read through serde must be a str, not {}",
                                r.describe(key)
                            ),
                            key.pos(),
                        ));
                    }
                };
                map.insert(key, to_json(item, r, depth + 1)?);
            }
            Json::Object(map)
        }
        _ => {
            return Err(ReadError::custom(
                format_args!(
                    "{} is not plain data (dict, list, str, number, bool, None) that serde reads",
                    r.describe(value)
                ),
                value.pos(),
            ));
        }
    };
    Ok(json)
}
