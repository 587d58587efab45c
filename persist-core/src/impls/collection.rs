//! Sequences, tuples, maps and sets.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, LinkedList, VecDeque};

use crate::error::WriteError;
use crate::persist::Persist;
use crate::python::{Container, Writer};

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

fn write_map<'a, K: Persist + 'a, V: Persist + 'a>(
    out: &mut Writer,
    sorted: bool,
    entries: impl IntoIterator<Item = (&'a K, &'a V)>,
) -> Result<(), WriteError> {
    out.begin(Container::Dict { sorted })?;
    for (k, v) in entries {
        out.entry(k, v)?;
    }
    out.end()
}

impl<T: Persist> Persist for [T] {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        write_seq(out, Container::List, self)
    }
}

impl<T: Persist, const N: usize> Persist for [T; N] {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        write_seq(out, Container::List, self)
    }
}

impl<T: Persist> Persist for Vec<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        write_seq(out, Container::List, self)
    }
}

impl<T: Persist> Persist for VecDeque<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        write_seq(out, Container::List, self)
    }
}

impl<T: Persist> Persist for LinkedList<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        write_seq(out, Container::List, self)
    }
}

/// Written in sorted order of the elements' Python source, so the output does not depend on
/// the hash order.
impl<T: Persist, S> Persist for HashSet<T, S> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        write_seq(out, Container::Set { sorted: true }, self)
    }
}

impl<T: Persist> Persist for BTreeSet<T> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        write_seq(out, Container::Set { sorted: false }, self)
    }
}

/// Written in sorted order of the keys' Python source, so the output does not depend on the
/// hash order.
impl<K: Persist, V: Persist, S> Persist for HashMap<K, V, S> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        write_map(out, true, self)
    }
}

impl<K: Persist, V: Persist> Persist for BTreeMap<K, V> {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        write_map(out, false, self)
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
