//! Whether two helper definitions are the same text up to what Python ignores: the same tokens,
//! each logical line at the same column. How the verifier accepts a helper a person re-saved.

use super::ast::Pos;
use super::lexer::{Lexer, Tok};

/// Whether `text` and `canonical` are the same definition: the same tokens, each logical line
/// starting at the same column, after spaces only. The position (relative to `text`) of the
/// first difference otherwise.
pub(crate) fn same_definition(text: &str, canonical: &str) -> Result<(), Pos> {
    // The writer's own text, followed by blank lines only (a def's span runs to the next
    // statement): the same tokens at the same columns, without tokenizing either.
    if let Some(rest) = text.strip_prefix(canonical)
        && canonical.ends_with('\n')
        && rest.bytes().all(|b| matches!(b, b' ' | b'\n'))
    {
        return Ok(());
    }
    let mut ours = Lexer::new(text);
    let mut theirs = Lexer::new(canonical);
    let mut line_start = true;
    loop {
        let (Ok(a), Ok(b)) = (ours.next_token(), theirs.next_token()) else {
            return Err(Pos::new(1, 1));
        };
        let same = match (&a.tok, &b.tok) {
            (Tok::Str(x), Tok::Str(y)) => x.body == y.body && x.kind == y.kind && x.raw == y.raw,
            (x, y) => x == y,
        };
        if !same || (line_start && !indented_by_spaces(text, a.start, a.pos, b.pos)) {
            return Err(a.pos);
        }
        match a.tok {
            Tok::Eof => return Ok(()),
            Tok::Newline => line_start = true,
            _ => line_start = false,
        }
    }
}

/// Whether the token at byte `start` of `text` (at `ours`) starts its line at the canonical
/// column, preceded by spaces only.
fn indented_by_spaces(text: &str, start: usize, ours: Pos, canonical: Pos) -> bool {
    let line = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    ours.column == canonical.column && text[line..start].bytes().all(|b| b == b' ')
}
