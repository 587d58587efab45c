//! The tokenizer of the archive subset of Python: byte-level scanning, no regex, no allocation per
//! token (names and string bodies borrow the source; escapes are decoded later, by the parser, and
//! only for the strings it keeps).
//!
//! It knows every token of Python (operators included, f-strings kept opaque) so that the parser
//! can skip the body of a helper `def` and can name what it refuses. It follows Python's rules for
//! logical lines: newlines inside brackets and after a `\` are not line ends, comments and blank
//! lines produce nothing.

mod number;

use super::ast::{Pos, advance};
use super::error::ParseError;

/// The kind of a string literal, from its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StrKind {
    /// `'...'`, `u'...'`, `r'...'`.
    Str,
    /// `b'...'`, `rb'...'`.
    Bytes,
    /// `f'...'`, `rf'...'` (and `t'...'`): recognised only to be skipped or refused.
    Formatted,
}

/// A string literal as written: its body between the quotes, not yet decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StrLit<'a> {
    /// The text between the quotes.
    pub body: &'a str,
    /// Where `body` starts in the source, in bytes.
    pub body_start: usize,
    pub kind: StrKind,
    /// An `r` prefix: backslashes are kept.
    pub raw: bool,
    /// No backslash and no `\r` in the body: the body is the value as it stands.
    pub plain: bool,
}

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok<'a> {
    /// A name or a keyword (ASCII only).
    Name(&'a str),
    /// An integer literal that fits in a `u64`.
    Int(u64),
    /// A larger integer literal: digits without `_` or prefix, and their base.
    BigInt(String, u32),
    /// A float literal.
    Float(f64),
    /// An imaginary literal (`2j`): its imaginary part.
    Imag(f64),
    /// A string, bytes or f-string literal.
    Str(StrLit<'a>),
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Colon,
    Dot,
    Equal,
    Plus,
    Minus,
    Semicolon,
    /// Any other operator or delimiter (`*`, `**`, `:=`, `->`, `==`, `...`), as written.
    Op(&'static str),
    /// The end of a logical line.
    Newline,
    /// The end of the source.
    Eof,
}

/// A token and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token<'a> {
    pub tok: Tok<'a>,
    pub pos: Pos,
    /// Where the token starts in the source, in bytes.
    pub start: usize,
}

/// Operators other than the ones with their own [`Tok`], longest first.
const OPERATORS: [&str; 33] = [
    "**=", "//=", ">>=", "<<=", "...", "->", ":=", "==", "!=", "<=", ">=", "**", "//", "<<", ">>",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "*", "/", "%", "@", "&", "|", "^", "~",
    "<",
];
const MORE_OPERATORS: [&str; 2] = [">", "!"];

/// Whether `b` may continue a name.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Split a name that directly precedes a quote into a string kind and rawness, if it is a prefix.
fn string_prefix(name: &str) -> Option<(StrKind, bool)> {
    if name.len() > 2 {
        return None;
    }
    let (mut raw, mut bytes, mut fmt, mut unicode) = (false, false, false, false);
    for b in name.bytes() {
        let seen = match b.to_ascii_lowercase() {
            b'r' => std::mem::replace(&mut raw, true),
            b'b' => std::mem::replace(&mut bytes, true),
            b'f' | b't' => std::mem::replace(&mut fmt, true),
            b'u' => std::mem::replace(&mut unicode, true),
            _ => return None,
        };
        if seen {
            return None;
        }
    }
    let kind = match (bytes, fmt, unicode) {
        (false, false, _) => StrKind::Str,
        (true, false, false) => StrKind::Bytes,
        (false, true, false) => StrKind::Formatted,
        _ => return None,
    };
    if unicode && raw {
        return None;
    }
    Some((kind, raw))
}

/// The tokenizer: call [`next_token`](Lexer::next_token) until [`Tok::Eof`].
pub(crate) struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    i: usize,
    /// Open brackets: newlines inside them do not end the logical line.
    depth: u32,
    /// No token yet on the current logical line (blank lines produce no `Newline`).
    line_empty: bool,
    /// Position cache: byte `mark` is at `mark_pos`. Positions are asked for in increasing order,
    /// so the whole source is counted once.
    mark: usize,
    mark_pos: Pos,
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `src` (a UTF-8 byte order mark is skipped).
    pub fn new(src: &'a str) -> Self {
        let start = if src.starts_with('\u{feff}') { 3 } else { 0 };
        Lexer {
            src,
            bytes: src.as_bytes(),
            i: start,
            depth: 0,
            line_empty: true,
            mark: start,
            mark_pos: Pos::new(1, 1),
        }
    }

    /// The source being tokenized.
    pub fn source(&self) -> &'a str {
        self.src
    }

    /// Go on at byte `at`, the start of a line outside any bracket at position `pos`, as if
    /// everything before it had been tokenized (for text known in advance to be whole lines).
    pub(crate) fn resume_at(&mut self, at: usize, pos: Pos) {
        self.i = at;
        self.depth = 0;
        self.line_empty = true;
        self.mark = at;
        self.mark_pos = pos;
    }

    /// The position of byte `at`, which must not be before any position asked for earlier.
    fn pos_at(&mut self, at: usize) -> Pos {
        debug_assert!(at >= self.mark);
        self.mark_pos = advance(self.bytes, self.mark, self.mark_pos, at);
        self.mark = at.max(self.mark);
        self.mark_pos
    }

    fn error(&mut self, at: usize, message: impl Into<String>) -> ParseError {
        ParseError::new(self.pos_at(at), message)
    }

    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.i + ahead).copied().unwrap_or(0)
    }

    fn token(&mut self, start: usize, tok: Tok<'a>) -> Token<'a> {
        self.line_empty = false;
        Token {
            pos: self.pos_at(start),
            tok,
            start,
        }
    }

    /// The next token.
    pub fn next_token(&mut self) -> Result<Token<'a>, ParseError> {
        loop {
            while matches!(self.peek(0), b' ' | b'\t') {
                self.i += 1;
            }
            let start = self.i;
            let Some(&b) = self.bytes.get(start) else {
                let tok = if !self.line_empty && self.depth == 0 {
                    Tok::Newline
                } else {
                    Tok::Eof
                };
                let token = self.token(start, tok);
                self.line_empty = true;
                return Ok(token);
            };
            match b {
                b'#' => {
                    // A comment runs to the end of its line.
                    self.i = memchr::memchr2(b'\n', b'\r', &self.bytes[self.i..])
                        .map_or(self.bytes.len(), |at| self.i + at);
                }
                b'\n' | b'\r' => {
                    self.i += if b == b'\r' && self.peek(1) == b'\n' {
                        2
                    } else {
                        1
                    };
                    if self.depth == 0 && !self.line_empty {
                        let token = self.token(start, Tok::Newline);
                        self.line_empty = true;
                        return Ok(token);
                    }
                }
                b'\\' => match self.peek(1) {
                    b'\n' => self.i += 2,
                    b'\r' => self.i += if self.peek(2) == b'\n' { 3 } else { 2 },
                    _ if start + 1 >= self.bytes.len() => {
                        return Err(self.error(start, "unexpected end of file after `\\`"));
                    }
                    _ => {
                        return Err(self.error(
                            start,
                            "found a character after the line continuation `\\`; expected the end of the line",
                        ));
                    }
                },
                _ => return self.scan_token(start, b),
            }
        }
    }

    fn scan_token(&mut self, start: usize, b: u8) -> Result<Token<'a>, ParseError> {
        let simple = match b {
            b'(' => Some(Tok::LParen),
            b')' => Some(Tok::RParen),
            b'[' => Some(Tok::LBracket),
            b']' => Some(Tok::RBracket),
            b'{' => Some(Tok::LBrace),
            b'}' => Some(Tok::RBrace),
            b',' => Some(Tok::Comma),
            b';' => Some(Tok::Semicolon),
            _ => None,
        };
        if let Some(tok) = simple {
            match tok {
                Tok::LParen | Tok::LBracket | Tok::LBrace => self.depth += 1,
                Tok::RParen | Tok::RBracket | Tok::RBrace => {
                    self.depth = self.depth.saturating_sub(1);
                }
                _ => {}
            }
            self.i += 1;
            return Ok(self.token(start, tok));
        }
        if b.is_ascii_alphabetic()
            || b == b'_'
            || self.name_char_at(start, unicode_ident::is_xid_start) > 0
        {
            return self.scan_name(start);
        }
        if b.is_ascii_digit() || (b == b'.' && self.peek(1).is_ascii_digit()) {
            let tok = self.scan_number(start)?;
            return Ok(self.token(start, tok));
        }
        if b == b'\'' || b == b'"' {
            return self.scan_string(start, StrKind::Str, false);
        }
        let rest = &self.bytes[start..];
        let one = |tok| (tok, 1);
        let (tok, len) = match b {
            b'=' if self.peek(1) != b'=' => one(Tok::Equal),
            b':' if self.peek(1) != b'=' => one(Tok::Colon),
            b'.' if !rest.starts_with(b"...") => one(Tok::Dot),
            b'+' if self.peek(1) != b'=' => one(Tok::Plus),
            b'-' if !matches!(self.peek(1), b'=' | b'>') => one(Tok::Minus),
            _ => match OPERATORS
                .iter()
                .chain(MORE_OPERATORS.iter())
                .find(|op| rest.starts_with(op.as_bytes()))
            {
                Some(op) => (Tok::Op(op), op.len()),
                None => return Err(self.bad_character(start)),
            },
        };
        self.i += len;
        Ok(self.token(start, tok))
    }

    fn bad_character(&mut self, start: usize) -> ParseError {
        let c = self.src[start..].chars().next().unwrap_or('\0');
        let shown = if c.is_control() || c.is_whitespace() {
            format!("U+{:04X}", c as u32)
        } else if c == '`' {
            "`` ` ``".to_owned()
        } else {
            format!("`{c}`")
        };
        let hint = if c == '\x0c' {
            " (a form feed, which Python counts differently in indentation; use spaces)"
        } else if c.is_ascii() {
            ""
        } else {
            " (other characters belong in strings and comments)"
        };
        self.error(
            start,
            format!("the character {shown} is not allowed here{hint}; expected a token of Python"),
        )
    }

    /// The length in bytes of the non-ASCII character at `at` when `class` holds it, else 0.
    fn name_char_at(&self, at: usize, class: fn(char) -> bool) -> usize {
        if self.bytes.get(at).is_none_or(|b| b.is_ascii()) {
            return 0;
        }
        match self.src[at..].chars().next() {
            Some(c) if class(c) => c.len_utf8(),
            _ => 0,
        }
    }

    /// A name (PEP 3131: non-ASCII letters too), which must be in the NFKC form Python reads
    /// names in: otherwise Python would bind another name than the one checked here (`_ｒecord`
    /// is `_record` to Python).
    fn scan_name(&mut self, start: usize) -> Result<Token<'a>, ParseError> {
        let mut end = start + self.name_char_at(start, unicode_ident::is_xid_start).max(1);
        loop {
            if end < self.bytes.len() && is_name_byte(self.bytes[end]) {
                end += 1;
            } else {
                match self.name_char_at(end, unicode_ident::is_xid_continue) {
                    0 => break,
                    n => end += n,
                }
            }
        }
        let name = &self.src[start..end];
        if !name.is_ascii() && !unicode_normalization::is_nfkc(name) {
            let normal: String = unicode_normalization::UnicodeNormalization::nfkc(name).collect();
            return Err(self.error(
                start,
                format!(
                    "the name `{}` is not in the NFKC form Python normalises names to: Python would read it as `{}`; write it so",
                    super::encoding::excerpt(name),
                    super::encoding::excerpt(&normal)
                ),
            ));
        }
        self.i = end;
        match self.peek(0) {
            b'\'' | b'"' => {
                if let Some((kind, raw)) = string_prefix(name) {
                    return self.scan_string(start, kind, raw);
                }
            }
            b if b >= 0x80 => return Err(self.bad_character(end)),
            _ => {}
        }
        Ok(self.token(start, Tok::Name(name)))
    }

    /// Scan a string literal whose quote is at `self.i` (after any prefix starting at `start`).
    fn scan_string(
        &mut self,
        start: usize,
        kind: StrKind,
        raw: bool,
    ) -> Result<Token<'a>, ParseError> {
        let bytes = self.bytes;
        let quote = bytes[self.i];
        let triple = self.peek(1) == quote && self.peek(2) == quote;
        let body_start = self.i + if triple { 3 } else { 1 };
        let mut plain = true;
        let mut j = body_start;
        let body_end = loop {
            let Some(&b) = bytes.get(j) else {
                let what = if triple {
                    "triple-quoted string"
                } else {
                    "string"
                };
                return Err(self.error(start, format!("this {what} is never closed; expected a closing quote before the end of the file")));
            };
            match b {
                b'\\' => {
                    plain = false;
                    j += if bytes.get(j + 1) == Some(&b'\r') && bytes.get(j + 2) == Some(&b'\n') {
                        3
                    } else {
                        2
                    };
                }
                b'\n' | b'\r' if !triple => {
                    return Err(self.error(
                        start,
                        "this string is never closed; expected a closing quote before the end of the line (use triple quotes or `\\n` for a multi-line string)",
                    ));
                }
                b'\r' => {
                    plain = false;
                    j += 1;
                }
                _ if b == quote => {
                    if !triple {
                        break j;
                    }
                    if bytes.get(j + 1) == Some(&quote) && bytes.get(j + 2) == Some(&quote) {
                        break j;
                    }
                    j += 1;
                }
                _ => j += 1,
            }
        };
        // Both ends are next to an ASCII quote, so they are character boundaries.
        let body = &self.src[body_start..body_end];
        self.i = body_end + if triple { 3 } else { 1 };
        Ok(self.token(
            start,
            Tok::Str(StrLit {
                body,
                body_start,
                kind,
                raw,
                plain,
            }),
        ))
    }
}
