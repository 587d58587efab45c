//! A plain-data model of the Python subset an archive is written in: what
//! [`parse_module`](super::parser::parse_module) returns.
//!
//! The model owns its data (no lifetimes into the source; names and strings are [`SmolStr`]s,
//! held inline up to 23 bytes, so that most nodes need no heap block of their own) and records
//! where every statement and expression starts, so that whoever interprets it can report errors at a line and column. It
//! holds *syntax*, not values: `-1` is [`ExprKind::UnaryMinus`] of [`ExprKind::Int`],
//! `float('nan')` is a [`ExprKind::Call`], `1+2j` is a [`ExprKind::BinOp`]. Deciding what a
//! construct means (and refusing unknown callables) is the evaluator's job.

pub use smol_str::SmolStr;

/// A position in the source: 1-based line and 1-based column, counted in characters (not bytes).
///
/// ```
/// use persist_core::{LoadError, Pos};
/// let err = persist_core::from_str::<u8>("x = 1\ny = 'é'\n", "y").unwrap_err();
/// let LoadError::Item { source, .. } = &err else { panic!("{err}") };
/// assert_eq!(source.pos(), Pos::new(2, 5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    /// The line, starting at 1. `\n`, `\r\n` and a lone `\r` each end a line, as in Python.
    pub line: u32,
    /// The column, starting at 1, counted in Unicode scalar values.
    pub column: u32,
}

impl Pos {
    /// The position at line `line`, column `column`.
    ///
    /// ```
    /// use persist_core::__private::ast::Pos;
    /// assert_eq!(Pos::new(3, 10).to_string(), "line 3, column 10");
    /// ```
    pub const fn new(line: u32, column: u32) -> Self {
        Pos { line, column }
    }
}

impl std::fmt::Display for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// Move `pos` (the position of byte `from`) forward to byte `to` of `src`. (The lexer asks for
/// positions in increasing order, so every byte of a source is counted once.)
#[inline]
pub(crate) fn advance(src: &[u8], from: usize, mut pos: Pos, to: usize) -> Pos {
    let to = to.min(src.len());
    let mut column = pos.column;
    for i in from..to {
        let b = src[i];
        if b > b'\r' {
            // Every byte but a UTF-8 continuation byte (0x80..=0xBF) starts a character.
            column = column.wrapping_add(u32::from((b as i8) >= -0x40));
        } else if b == b'\n' || (b == b'\r' && src.get(i + 1) != Some(&b'\n')) {
            pos.line = pos.line.saturating_add(1);
            column = 1;
        } else if b != b'\r' {
            column = column.wrapping_add(1);
        }
    }
    pos.column = column;
    pos
}

/// A parsed archive module: its top-level statements in source order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Module {
    /// The statements, in source order. Comments and blank lines leave no trace.
    pub statements: Vec<Stmt>,
}

/// One top-level statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    /// `target = value`: an item, a hoisted temporary (`_t0`, `_s0`), a record class
    /// (`_X = _record(...)`) or the array directory (`_arrays = ...`).
    Assign {
        /// The assigned name.
        target: String,
        /// The assigned expression.
        value: Expr,
        /// Where the statement (its target) starts.
        pos: Pos,
    },
    /// `import module` or `import module as alias` (`import numpy as _np`).
    Import {
        /// The dotted module name, as written (`numpy`, `os.path`).
        module: String,
        /// The name after `as`, if any.
        alias: Option<String>,
        /// Where the `import` keyword is.
        pos: Pos,
    },
    /// `from module import name` or `from module import name as alias`.
    ImportFrom {
        /// The dotted module name (`a.b`). Relative imports are refused by the parser.
        module: String,
        /// The imported name.
        name: String,
        /// The name after `as`, if any.
        alias: Option<String>,
        /// Where the `from` keyword is.
        pos: Pos,
    },
    /// `del a, b, c`.
    Del {
        /// The deleted names, in order.
        names: Vec<String>,
        /// Where the `del` keyword is.
        pos: Pos,
    },
    /// `def _name(...): ...`, a helper function of the archive. Only names starting with `_` are
    /// accepted; the parameters and the body are skipped token by token and never interpreted.
    FunctionDef {
        /// The function's name.
        name: String,
        /// Where the `def` keyword is.
        pos: Pos,
        /// The bytes of the definition in the source, from `def` to the end of its body, so that
        /// a verifier can compare the whole definition with the helper it claims to be.
        span: std::ops::Range<usize>,
    },
    /// `sys.modules[__name__] = value` (`sys` under any alias): how a DataSet item module hands
    /// its value to whoever imports it. The only subscript an archive has.
    ReplaceModule {
        /// The name `sys` was imported as (`_sys`).
        sys: String,
        /// The value that replaces the module.
        value: Expr,
        /// Where the statement starts.
        pos: Pos,
    },
}

impl Stmt {
    /// Where the statement starts.
    ///
    /// ```
    /// use persist_core::__private::{ast::Pos, parser::parse_module};
    /// let module = parse_module("x = 1\n\ndel x\n")?;
    /// assert_eq!(module.statements[1].pos(), Pos::new(3, 1));
    /// # Ok::<(), persist_core::ParseError>(())
    /// ```
    pub fn pos(&self) -> Pos {
        match self {
            Stmt::Assign { pos, .. }
            | Stmt::Import { pos, .. }
            | Stmt::ImportFrom { pos, .. }
            | Stmt::Del { pos, .. }
            | Stmt::FunctionDef { pos, .. }
            | Stmt::ReplaceModule { pos, .. } => *pos,
        }
    }
}

/// An expression and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Where it starts: its first character (for a call, the start of the callee; for a binary
    /// operation, the start of its left operand).
    pub pos: Pos,
}

/// The expressions of the archive subset.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// An integer literal that fits in a `u64`. Python integer literals have no sign: `-5` is
    /// [`UnaryMinus`](ExprKind::UnaryMinus) of `Int(5)`.
    Int(u64),
    /// An integer literal too large for a `u64`, kept as its digits (underscores and base prefix
    /// removed) in base `radix`, so that `u128::from_str_radix(&digits, radix)` reads the 128-bit
    /// ones and anything larger is a clear overflow error for the evaluator to report.
    BigInt {
        /// The digits, without `_` and without the `0x`/`0o`/`0b` prefix.
        digits: String,
        /// 2, 8, 10 or 16.
        radix: u32,
    },
    /// A float literal (`1.5`, `1.`, `.5`, `1e-3`, `1_000.5`). `float('nan')` and
    /// `float('inf')` are not folded here: they stay [`Call`](ExprKind::Call)s.
    Float(f64),
    /// A complex literal `complex(re, im)`; the parser makes it for imaginary literals
    /// (`2j` is `Complex(0.0, 2.0)`, `1.5e3J` is `Complex(0.0, 1500.0)`).
    Complex(f64, f64),
    /// A `str` literal, adjacent literals concatenated, escapes decoded.
    Str(SmolStr),
    /// A `bytes` literal, adjacent literals concatenated, escapes decoded.
    Bytes(Vec<u8>),
    /// `True` or `False`.
    Bool(bool),
    /// `None`.
    None,
    /// A name (`_np`, `_Params`, `_t0`, `float`).
    Name(SmolStr),
    /// `value.attr`, where `value` is a [`Name`](ExprKind::Name) or another attribute (the
    /// parser refuses attributes of anything else).
    Attribute {
        /// The object whose attribute is taken.
        value: Box<Expr>,
        /// The attribute's name.
        attr: SmolStr,
    },
    /// A call of a name or an attribute (the parser refuses calls of anything else).
    Call(Box<Call>),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `(a, b)`, `(a,)`, `()`, or a bare `a, b` on the right of `=`.
    Tuple(Vec<Expr>),
    /// `{k: v}`, entries in source order (duplicates kept).
    Dict(Vec<(Expr, Expr)>),
    /// `{a, b}` (the empty set is spelled `set()`, a call).
    Set(Vec<Expr>),
    /// `-operand`.
    UnaryMinus(Box<Expr>),
    /// `+operand`.
    UnaryPlus(Box<Expr>),
    /// `left + right` or `left - right`, allowed only between numeric literals (optionally signed),
    /// for complex numbers spelled `1+2j`.
    BinOp {
        /// `+` or `-`.
        op: BinOp,
        /// The left operand.
        left: Box<Expr>,
        /// The right operand.
        right: Box<Expr>,
    },
}

/// A call: `func(args..., name=value...)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The callee: a [`ExprKind::Name`] or [`ExprKind::Attribute`].
    pub func: Expr,
    /// The positional arguments, in order.
    pub args: Vec<Expr>,
    /// The keyword arguments, in source order (any order is accepted; names are unique).
    pub kwargs: Vec<Keyword>,
}

/// A keyword argument `name=value` of a call.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyword {
    /// The argument's name.
    pub name: SmolStr,
    /// The argument's value.
    pub value: Expr,
    /// Where the name is.
    pub pos: Pos,
}

/// The two binary operators of the subset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
}

impl Expr {
    /// The dotted name of a [`Name`](ExprKind::Name) or of an attribute chain of names
    /// (`_np.array`), appended to `out`; `false` (with `out` in an unspecified state) for any
    /// other expression.
    ///
    /// ```
    /// use persist_core::__private::{ast::{ExprKind, Stmt}, parser::parse_module};
    /// let module = parse_module("x = _np.array([1])\n")?;
    /// let Stmt::Assign { value, .. } = &module.statements[0] else { unreachable!() };
    /// let ExprKind::Call(call) = &value.kind else { unreachable!() };
    /// let mut name = String::new();
    /// assert!(call.func.dotted_name(&mut name));
    /// assert_eq!(name, "_np.array");
    /// # Ok::<(), persist_core::ParseError>(())
    /// ```
    pub fn dotted_name(&self, out: &mut String) -> bool {
        match &self.kind {
            ExprKind::Name(name) => {
                out.push_str(name);
                true
            }
            ExprKind::Attribute { value, attr } => {
                if !value.dotted_name(out) {
                    return false;
                }
                out.push('.');
                out.push_str(attr);
                true
            }
            _ => false,
        }
    }

    /// Whether the expression is a literal (a signed number too) or a display: nothing in it
    /// is a name or a call except in its elements (what the [parser](crate::python::parser)
    /// does not show the reader's checks of data on its own).
    ///
    /// ```
    /// use persist_core::__private::parse_expression;
    /// assert!(parse_expression("[x, 1]")?.is_plain() && parse_expression("-1+2j")?.is_plain());
    /// assert!(!parse_expression("x")?.is_plain() && !parse_expression("-x")?.is_plain());
    /// # Ok::<(), persist_core::ParseError>(())
    /// ```
    #[inline]
    pub fn is_plain(&self) -> bool {
        if let ExprKind::UnaryMinus(inner) | ExprKind::UnaryPlus(inner) = &self.kind {
            return inner.is_plain();
        }
        if let ExprKind::BinOp { left, right, .. } = &self.kind {
            return left.is_plain() && right.is_plain();
        }
        matches!(
            self.kind,
            ExprKind::Int(_)
                | ExprKind::BigInt { .. }
                | ExprKind::Float(_)
                | ExprKind::Complex(..)
                | ExprKind::Str(_)
                | ExprKind::Bytes(_)
                | ExprKind::Bool(_)
                | ExprKind::None
                | ExprKind::List(_)
                | ExprKind::Tuple(_)
                | ExprKind::Set(_)
                | ExprKind::Dict(_)
        )
    }

    /// Whether this is a numeric literal (int, float or imaginary), possibly under unary signs:
    /// what `+` and `-` may combine.
    ///
    /// ```
    /// use persist_core::__private::parse_expression;
    /// assert!(parse_expression("-2.5j")?.is_signed_number());
    /// assert!(!parse_expression("float('nan')")?.is_signed_number());
    /// # Ok::<(), persist_core::ParseError>(())
    /// ```
    pub fn is_signed_number(&self) -> bool {
        match &self.kind {
            ExprKind::Int(_)
            | ExprKind::BigInt { .. }
            | ExprKind::Float(_)
            | ExprKind::Complex(..) => true,
            ExprKind::UnaryMinus(inner) | ExprKind::UnaryPlus(inner) => inner.is_signed_number(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Pos, advance};

    /// The position after `text` from (1, 1), counted char by char: lines end at `\n`,
    /// `\r\n` and a lone `\r`; every other char is one column.
    fn counted(text: &str) -> Pos {
        let mut pos = Pos::new(1, 1);
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\n' || (c == '\r' && chars.peek() != Some(&'\n')) {
                pos = Pos::new(pos.line + 1, 1);
            } else if c != '\r' {
                pos.column += 1;
            }
        }
        pos
    }

    #[test]
    fn positions_count_lines_and_characters_at_every_offset() {
        let pieces = [
            "abcdefgh", "x = 1", "\n", "\r\n", "\r", "\t", "é", "😀", "\u{2028}", "    ",
        ];
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..40 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            let bytes = text.as_bytes();
            // Char boundaries, but not inside a `\r\n` (no token starts there; the `\r` is
            // counted with its `\n`).
            let ends: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .filter(|&i| !(text[..i].ends_with('\r') && text[i..].starts_with('\n')))
                .collect();
            for &to in &ends {
                assert_eq!(
                    advance(bytes, 0, Pos::new(1, 1), to),
                    counted(&text[..to]),
                    "{text:?} up to {to}"
                );
            }
            // In two steps, from any char boundary: the same.
            for &from in ends.iter().step_by(7) {
                let at = advance(bytes, 0, Pos::new(1, 1), from);
                let end = advance(bytes, from, at, text.len());
                assert_eq!(end, counted(&text), "{text:?} from {from}");
            }
        }
    }
}
