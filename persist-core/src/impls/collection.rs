//! Sequences, tuples, maps and sets. Long lists of records (`Vec`, `VecDeque`, slices, arrays)
//! go through [`Writer::write_list`], which writes them as record tables, and long maps of
//! columns through [`Writer::write_dict`], which writes them as dict tables.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, LinkedList, VecDeque};
use std::hash::{BuildHasher, Hash};

use super::key::python_value;

use crate::error::{PathSegment, WriteError, WriteErrorKind};
use crate::persist::Persist;
use crate::read::{ReadError, Reader, Value};
use crate::write::{Container, Writer, compare_source};

/// Read a list or tuple into any collection.
fn read_seq<'m, T: Persist, C: FromIterator<T>>(
    v: Value<'m>,
    r: &mut Reader<'m>,
) -> Result<C, ReadError> {
    let items = r.sequence(v)?;
    r.elements(items).collect()
}

/// Read a set (or list, or tuple) into any collection.
fn read_set<'m, T: Persist, C: FromIterator<T>>(
    v: Value<'m>,
    r: &mut Reader<'m>,
) -> Result<C, ReadError> {
    let items = r.set(v)?;
    r.elements(items).collect()
}

/// Read a dict into any map.
fn read_map<'m, K: Persist, V: Persist, C: FromIterator<(K, V)>>(
    v: Value<'m>,
    r: &mut Reader<'m>,
) -> Result<C, ReadError> {
    let entries = r.dict(v)?;
    entries
        .enumerate()
        .map(|(i, (k, v))| {
            let key = r.read_at(k, PathSegment::Index(i))?;
            let value = r.read_at(v, PathSegment::Index(i))?;
            Ok((key, value))
        })
        .collect()
}

fn write_seq<'a, T: Persist + 'a>(
    out: &mut Writer,
    container: Container,
    items: impl IntoIterator<Item = &'a T>,
) -> Result<(), WriteError> {
    out.begin(container)?;
    for item in items {
        out.element(item)?;
    }
    out.end()
}

/// Refuse keys (or set elements) that are distinct in Rust but equal in Python, where the dict
/// or set would keep only one of them: `0.0` and `-0.0` (of a bit-hashed newtype, say), `1` and
/// `1.0`, `True` and `1`. `sources` are their Python sources.
fn check_python_distinct<'s>(
    what: &str,
    sources: impl IntoIterator<Item = &'s str>,
) -> Result<(), WriteError> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for source in sources {
        if let Some(first) = seen.insert(python_value(source), source) {
            return Err(WriteError::new(WriteErrorKind::Custom(format!(
                "the {what} {} and {} are distinct in Rust but equal in Python, which would keep \
                 only one of them; map them to keys that differ in Python first",
                excerpt(first),
                excerpt(source)
            ))));
        }
    }
    Ok(())
}

/// A key's source in backticks, cut to a short excerpt.
fn excerpt(source: &str) -> String {
    format!("`{}`", crate::python::encoding::excerpt(source))
}

/// Refuse keys of a sorted collection that are equal in Python; skipped for key types whose
/// distinct values are always distinct in Python (strings, integers of one type, `bool`, `char`).
fn check_sorted_keys<'a, T: Persist + ?Sized + 'a>(
    out: &Writer,
    what: &str,
    keys: impl Iterator<Item = &'a T>,
) -> Result<(), WriteError> {
    const DISTINCT: [&str; 17] = [
        "alloc::string::String",
        "&str",
        "str",
        "bool",
        "char",
        "i8",
        "i16",
        "i32",
        "i64",
        "i128",
        "isize",
        "u8",
        "u16",
        "u32",
        "u64",
        "u128",
        "usize",
    ];
    if DISTINCT.contains(&std::any::type_name::<T>()) {
        return Ok(());
    }
    let sources = keys
        .map(|k| out.sort_key(k))
        .collect::<Result<Vec<String>, WriteError>>()?;
    check_python_distinct(what, sources.iter().map(String::as_str))
}

/// Order the items of a hashed collection by their Python source (integers numerically), so
/// that the output does not depend on the hash order.
/// Keys equal in Python are refused (see [`check_python_distinct`]).
fn sorted_by_source<'a, T: Persist + ?Sized + 'a, X>(
    out: &Writer,
    what: &str,
    items: impl Iterator<Item = (&'a T, X)>,
) -> Result<Vec<X>, WriteError> {
    let mut keyed = items
        .map(|(key, item)| Ok((out.sort_key(key)?, item)))
        .collect::<Result<Vec<_>, WriteError>>()?;
    check_python_distinct(what, keyed.iter().map(|(source, _)| source.as_str()))?;
    keyed.sort_by(|a, b| compare_source(&a.0, &b.0));
    Ok(keyed.into_iter().map(|(_, item)| item).collect())
}

impl<T: Persist> Persist for [T] {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.write_list(self.iter())
    }
}

impl<T: Persist, const N: usize> Persist for [T; N] {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.write_list(self.iter())
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        let items = r.sequence(v)?;
        if items.len() != N {
            return Err(ReadError::expected(
                format!("a list of {N} elements"),
                format!("{} elements", items.len()),
                v.pos(),
            ));
        }
        let values: Vec<T> = r.elements(items).collect::<Result<_, _>>()?;
        Ok(values
            .try_into()
            .unwrap_or_else(|_| unreachable!("length checked above")))
    }
}

impl<T: Persist> Persist for Vec<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.write_list(self.iter())
    }

    fn column() -> Option<crate::record::Column> {
        crate::record::Column::list(T::column())
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        read_seq(v, r)
    }
}

impl<T: Persist> Persist for VecDeque<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.write_list(self.iter())
    }

    fn column() -> Option<crate::record::Column> {
        crate::record::Column::list(T::column())
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        read_seq(v, r)
    }
}

impl<T: Persist> Persist for LinkedList<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        write_seq(out, Container::List, self)
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        read_seq(v, r)
    }
}

/// Written in sorted order of the elements' Python source, so the output does not depend on
/// the hash order.
impl<T: Persist + Eq + Hash, S: BuildHasher + Default> Persist for HashSet<T, S> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        let sorted = sorted_by_source(out, "set elements", self.iter().map(|x| (x, x)))?;
        write_seq(out, Container::Set, sorted)
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        read_set(v, r)
    }
}

impl<T: Persist + Ord> Persist for BTreeSet<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        check_sorted_keys(out, "set elements", self.iter())?;
        write_seq(out, Container::Set, self)
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        read_set(v, r)
    }
}

/// Written in sorted order of the keys' Python source, so the output does not depend on the
/// hash order.
impl<K: Persist + Eq + Hash, V: Persist, S: BuildHasher + Default> Persist for HashMap<K, V, S> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        let sorted = sorted_by_source(out, "keys", self.iter().map(|(k, v)| (k, (k, v))))?;
        out.write_dict(sorted.into_iter())
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        read_map(v, r)
    }
}

impl<K: Persist + Ord, V: Persist> Persist for BTreeMap<K, V> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        check_sorted_keys(out, "keys", self.keys())?;
        out.write_dict(self.iter())
    }

    fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
        read_map(v, r)
    }
}

macro_rules! persist_tuple {
    ($($name:ident)+) => {
        impl<$($name: Persist),+> Persist for ($($name,)+) {
            #[allow(non_snake_case)]
            fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
                let ($($name,)+) = self;
                out.begin(Container::Tuple)?;
                $(out.element($name)?;)+
                out.end()
            }

            #[allow(non_snake_case, unused_assignments)]
            fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Self, ReadError> {
                let mut items = r.sequence(v)?;
                let count = [$(stringify!($name)),+].len();
                if items.len() != count {
                    return Err(ReadError::expected(
                        format!("a tuple of {count} elements"),
                        format!("{} elements", items.len()),
                        v.pos(),
                    ));
                }
                let mut index = 0;
                Ok(($({
                    let item = items.next().expect("the length was checked");
                    let value = r.read_at::<$name>(item, PathSegment::Index(index))?;
                    index += 1;
                    value
                },)+))
            }
        }
    };
}
persist_tuple!(A);
persist_tuple!(A B);
persist_tuple!(A B C);
persist_tuple!(A B C D);
persist_tuple!(A B C D E);
persist_tuple!(A B C D E F);
persist_tuple!(A B C D E F G);
persist_tuple!(A B C D E F G H);
persist_tuple!(A B C D E F G H I);
persist_tuple!(A B C D E F G H I J);
persist_tuple!(A B C D E F G H I J K);
persist_tuple!(A B C D E F G H I J K L);
