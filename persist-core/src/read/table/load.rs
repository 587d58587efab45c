//! Loading one stored column of a record table from the array store, with its checks: the
//! dtype and the dimension of each array, the offsets of strings (in order, within the bytes,
//! on character boundaries) and of lists (in order, within the values), and masks of one
//! length with the values.

use super::data::{Complexes, Floats, Ints};
use super::{Bound, Data, Loaded, Stored, Table, TableColumn};
use crate::array::Element;
use crate::python::ast::Pos;
use crate::read::ReadError;
use crate::record::ColumnType;
use ndarray_npy::ReadableElement;

/// The one-dimensional array `file` of the store.
fn vec<A: Element + ReadableElement>(
    bound: &Bound,
    file: &str,
    pos: Pos,
) -> Result<Vec<A>, ReadError> {
    let array = bound.load_array::<A>(file, pos, Some(1))?;
    Ok(array.into_raw_vec_and_offset().0)
}

/// Checked offsets into `len` units (`unit`: bytes, or list values): from 0, in order, ending
/// at `len`; `boundary` says where an offset may fall.
fn offsets(
    raw: Vec<i64>,
    (len, unit): (usize, &str),
    boundary: impl Fn(usize) -> bool,
    refuse: impl Fn(String) -> ReadError,
) -> Result<Vec<usize>, ReadError> {
    if raw.first() != Some(&0) {
        return Err(refuse("its offsets do not start at 0".into()));
    }
    let mut previous = 0usize;
    for &offset in &raw {
        let Ok(offset) = usize::try_from(offset) else {
            return Err(refuse(format!("the offset {offset} is negative")));
        };
        if offset < previous || offset > len {
            return Err(refuse(format!(
                "the offset {offset} is out of order or beyond its {len} {unit}"
            )));
        }
        if !boundary(offset) {
            return Err(refuse(format!("the offset {offset} cuts a character")));
        }
        previous = offset;
    }
    if previous != len {
        return Err(refuse(format!(
            "its offsets end at {previous}, not at its {len} {unit}"
        )));
    }
    // Checked non-negative above; collected in place (an `i64` and a `usize` have one layout),
    // so the offsets are never copied.
    Ok(raw.into_iter().map(|offset| offset as usize).collect())
}

/// The values of type `ty` in the files `files` (strings: bytes, then offsets).
fn values(
    bound: &Bound,
    ty: ColumnType,
    files: &[String],
    pos: Pos,
    refuse: &impl Fn(String) -> ReadError,
) -> Result<Data, ReadError> {
    let file = files[0].as_str();
    Ok(match ty {
        ColumnType::Bool => Data::Bool(vec::<bool>(bound, file, pos)?),
        ColumnType::I8 => Data::Int(Ints::I8(vec(bound, file, pos)?)),
        ColumnType::I16 => Data::Int(Ints::I16(vec(bound, file, pos)?)),
        ColumnType::I32 => Data::Int(Ints::I32(vec(bound, file, pos)?)),
        ColumnType::I64 => Data::Int(Ints::I64(vec(bound, file, pos)?)),
        ColumnType::U8 => Data::Int(Ints::U8(vec(bound, file, pos)?)),
        ColumnType::U16 => Data::Int(Ints::U16(vec(bound, file, pos)?)),
        ColumnType::U32 => Data::Int(Ints::U32(vec(bound, file, pos)?)),
        ColumnType::U64 => Data::Int(Ints::U64(vec(bound, file, pos)?)),
        ColumnType::F32 => Data::Float(Floats::F32(vec(bound, file, pos)?)),
        ColumnType::F64 => Data::Float(Floats::F64(vec(bound, file, pos)?)),
        ColumnType::Complex32 => Data::Complex(Complexes::C32(vec(bound, file, pos)?)),
        ColumnType::Complex64 => Data::Complex(Complexes::C64(vec(bound, file, pos)?)),
        _ => {
            let bytes = vec::<u8>(bound, file, pos)?;
            let raw = vec::<i64>(bound, &files[1], pos)?;
            let text = String::from_utf8(bytes)
                .map_err(|e| refuse(format!("its bytes are not UTF-8 ({e})")))?;
            let offsets = offsets(
                raw,
                (text.len(), "bytes"),
                |i| text.is_char_boundary(i),
                refuse,
            )?;
            Data::Str { text, offsets }
        }
    })
}

/// Read one stored column with its checks.
pub(super) fn load(
    bound: &Bound,
    table: &Table,
    stored: &Stored,
    column: &TableColumn,
) -> Result<Loaded, ReadError> {
    let pos = column.pos;
    let refuse = |m: String| table.refuse(column, m);
    let mut data = values(bound, stored.ty, &stored.files, pos, &refuse)?;
    if stored.list {
        // A column of lists: the values of all rows, then where each row's list ends.
        let raw = vec::<i64>(bound, &stored.files[1], pos)?;
        let ends = offsets(raw, (data.len(), "values"), |_| true, refuse)?;
        data = Data::List {
            values: Box::new(Loaded { data, mask: None }),
            ends,
        };
    }
    let mask = if stored.optional {
        let mask = vec::<bool>(bound, stored.files.last().expect("a mask file"), pos)?;
        if mask.len() != data.len() {
            return Err(table.refuse(
                column,
                format!("a mask of {} rows for {} values", mask.len(), data.len()),
            ));
        }
        Some(mask)
    } else {
        None
    };
    Ok(Loaded { data, mask })
}
