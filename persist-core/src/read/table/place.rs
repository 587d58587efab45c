//! A value of a record table as the reader's accessors see it ([`Place`]): an expression of
//! the source (an inline column's element), a stored cell, or a row (a record). The one place
//! where a table meets the [`Value`]'s node, so that the table's own module does not import
//! the value layer back.

use super::Cell;
use crate::python::ast::Expr;
use crate::read::value::{Node, Value};
use crate::read::{ReadError, Reader};

/// What a value of a table is: an expression (an inline column's element), a stored cell, or
/// a row (a record).
pub(crate) enum Place<'m> {
    Expr(&'m Expr),
    Cell(Cell<'m>),
    Row,
}

impl<'m> Reader<'m> {
    /// Where a table's value is: an inline column's element is an expression of the source.
    pub(crate) fn place(&self, value: Value<'m>) -> Result<Place<'m>, ReadError> {
        match value.node {
            Node::Expr(expr) => Ok(Place::Expr(expr)),
            Node::Row { .. } => Ok(Place::Row),
            Node::Flat { loaded, index, pos } => {
                self.charge(1, pos)?;
                Ok(Place::Cell(Cell {
                    loaded,
                    row: index,
                    pos,
                }))
            }
            Node::Cell {
                table,
                columns,
                column,
                row,
            } => {
                self.charge(1, table.pos)?;
                let loaded = table.loaded(self.bound)?;
                match &loaded[column] {
                    Some(loaded) => Ok(Place::Cell(Cell {
                        loaded,
                        row,
                        pos: table.columns[column].pos,
                    })),
                    None => {
                        let items = self.sequence_expr(&columns[column])?;
                        Ok(Place::Expr(&items[row]))
                    }
                }
            }
        }
    }
}

/// The error for a row (a record) where `expected` was needed.
pub(crate) fn row_found(expected: &str, value: Value<'_>) -> ReadError {
    ReadError::expected(expected, "a record (a row of a record table)", value.pos())
}
