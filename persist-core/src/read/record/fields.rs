//! How a record's fields are found and filled: [`find`], a field by its place or name, [`Used`],
//! which keywords were taken, and the [`Slot`]s a field's value is read into (an `Option<T>`
//! through `T`'s `Persist` impl, [`With`] through a `with` module's function).

use super::super::{ReadError, Reader, Value};
use crate::persist::Persist;

/// Where the field `name` (or one of its `aliases`) is among `items`, whose names `name_of`
/// gives: tried at `index` first, since the writer puts a record's fields (and keywords) in the
/// order of the type's, then looked for.
pub(super) fn find<T>(
    items: &[T],
    name_of: impl Fn(&T) -> &str,
    index: usize,
    name: &str,
    aliases: &[&str],
) -> Option<usize> {
    if items.get(index).is_some_and(|item| name_of(item) == name) {
        return Some(index);
    }
    items.iter().position(|item| {
        let f = name_of(item);
        f == name || aliases.contains(&f)
    })
}

/// Which of `len` keywords (or fields of a row) a field took: bits up to 64, so that reading a
/// record allocates nothing for it.
#[derive(Debug)]
pub(super) enum Used {
    Bits { bits: u64, len: usize },
    Many(Vec<bool>),
}

impl Used {
    pub(super) fn new(len: usize) -> Self {
        if len <= 64 {
            Used::Bits { bits: 0, len }
        } else {
            Used::Many(vec![false; len])
        }
    }

    pub(super) fn set(&mut self, i: usize) {
        match self {
            Used::Bits { bits, .. } => *bits |= 1 << i,
            Used::Many(used) => used[i] = true,
        }
    }

    pub(super) fn is_set(&self, i: usize) -> bool {
        match self {
            Used::Bits { bits, .. } => bits & (1 << i) != 0,
            Used::Many(used) => used[i],
        }
    }

    pub(super) fn first_unused(&self) -> Option<usize> {
        match self {
            Used::Bits { bits, len } => {
                let all = if *len == 64 { u64::MAX } else { (1 << len) - 1 };
                let free = !bits & all;
                (free != 0).then(|| free.trailing_zeros() as usize)
            }
            Used::Many(used) => used.iter().position(|u| !u),
        }
    }
}

/// Where [`RecordArgs::read_into`] puts a field's value: an `Option<T>`, filled through `T`'s
/// `Persist` impl, or a [`With`], filled by a function.
pub(super) trait Slot<'m> {
    fn read(&mut self, value: Value<'m>, r: &mut Reader<'m>) -> Result<(), ReadError>;
}

/// A field's value read by a function (`#[persist(with = "module")]`).
pub(super) struct With<T, F> {
    pub(super) read: F,
    pub(super) value: Option<T>,
}

impl<'m, T, F> Slot<'m> for With<T, F>
where
    F: FnMut(Value<'m>, &mut Reader<'m>) -> Result<T, ReadError>,
{
    fn read(&mut self, value: Value<'m>, r: &mut Reader<'m>) -> Result<(), ReadError> {
        match (self.read)(value, r) {
            Ok(value) => {
                self.value = Some(value);
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
}

impl<'m, T: Persist> Slot<'m> for Option<T> {
    #[inline]
    fn read(&mut self, value: Value<'m>, r: &mut Reader<'m>) -> Result<(), ReadError> {
        match T::from_python(value, r) {
            Ok(value) => {
                *self = Some(value);
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Used;

    #[test]
    fn used_finds_the_first_field_not_taken_at_every_width() {
        for len in [0, 1, 5, 63, 64, 65, 200] {
            let mut used = Used::new(len);
            for i in (0..len).filter(|i| i % 3 != 2) {
                used.set(i);
            }
            let first = (0..len).find(|i| i % 3 == 2);
            assert_eq!(used.first_unused(), first, "{len}");
            for i in 0..len {
                used.set(i);
            }
            assert_eq!(used.first_unused(), None, "{len}");
        }
    }
}
