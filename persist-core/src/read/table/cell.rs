//! One cell of a stored column of a record table ([`Cell`]): what the scalar accessors read
//! when a [`Value`](crate::Value) is a `Node::Cell` of a column in the array store.

use super::{Data, Loaded};
use crate::python::ast::Pos;
use crate::read::{Kind, ReadError, ReadErrorKind};

/// One cell of a stored column.
#[derive(Clone, Copy)]
pub(crate) struct Cell<'m> {
    pub loaded: &'m Loaded,
    pub row: usize,
    pub pos: Pos,
}

impl<'m> Cell<'m> {
    pub(crate) fn is_none(&self) -> bool {
        self.loaded.mask.as_ref().is_some_and(|m| !m[self.row])
    }

    pub(crate) fn data(&self) -> &'m Data {
        &self.loaded.data
    }

    /// What the cell holds, for messages.
    pub(crate) fn describe(&self) -> &'static str {
        if self.is_none() {
            return "None";
        }
        match self.loaded.data {
            Data::Bool(_) => "a bool",
            Data::Int(_) => "an int",
            Data::Float(_) => "a float",
            Data::Complex(_) => "a complex number",
            Data::Str { .. } => "a str",
            Data::List { .. } => "a list",
        }
    }

    /// The cell's list, of a column of lists: the values and the row's range of them.
    pub(crate) fn list(&self) -> Option<(&'m Loaded, std::ops::Range<usize>)> {
        match &self.loaded.data {
            Data::List { values, ends } => Some((values, ends[self.row]..ends[self.row + 1])),
            _ => None,
        }
    }

    pub(crate) fn str(&self) -> Option<&'m str> {
        match &self.loaded.data {
            Data::Str { text, offsets } if !self.is_none() => {
                Some(&text[offsets[self.row]..offsets[self.row + 1]])
            }
            _ => None,
        }
    }
}

impl Cell<'_> {
    fn expected(&self, what: &str) -> ReadError {
        ReadError::expected(what, self.describe(), self.pos)
    }

    pub(crate) fn int<T: TryFrom<i128>>(&self) -> Result<T, ReadError> {
        let value = match self.data() {
            _ if self.is_none() => return Err(self.expected("an int")),
            Data::Int(v) => v.get(self.row),
            _ => return Err(self.expected("an int")),
        };
        T::try_from(value).map_err(|_| {
            ReadError::new(
                ReadErrorKind::OutOfRange {
                    value: value.to_string(),
                    ty: std::any::type_name::<T>(),
                },
                self.pos,
            )
        })
    }

    pub(crate) fn float(&self) -> Result<f64, ReadError> {
        match self.data() {
            _ if self.is_none() => Err(self.expected("a float")),
            Data::Float(v) => Ok(v.get(self.row)),
            Data::Int(v) => Ok(v.get(self.row) as f64),
            _ => Err(self.expected("a float")),
        }
    }

    pub(crate) fn complex(&self) -> Result<(f64, f64), ReadError> {
        match self.data() {
            Data::Complex(v) if !self.is_none() => Ok(v.get(self.row)),
            _ => self
                .float()
                .map(|re| (re, 0.0))
                .map_err(|_| self.expected("a complex number")),
        }
    }

    pub(crate) fn bool(&self) -> Result<bool, ReadError> {
        match self.data() {
            Data::Bool(v) if !self.is_none() => Ok(v[self.row]),
            _ => Err(self.expected("True or False")),
        }
    }

    pub(crate) fn kind(&self) -> Kind {
        if self.is_none() {
            return Kind::None;
        }
        match self.data() {
            Data::Bool(_) => Kind::Bool,
            Data::Int(_) => Kind::Int,
            Data::Float(_) => Kind::Float,
            Data::Complex(_) => Kind::Complex,
            Data::Str { .. } => Kind::Str,
            Data::List { .. } => Kind::List,
        }
    }
}
