//! Expressions: literals, displays, names, attributes, calls, signs and `+`/`-` between numbers.
//!
//! Nesting is kept on an explicit stack of [`Frame`]s rather than on the call stack, so that a
//! deeply nested value costs a little heap and is refused past [`MAX_DEPTH`] with a clear error,
//! whatever the thread's stack size and the build profile.

use super::string::{DecodeError, decode_bytes, decode_str};
use super::{AFTER_VALUE, MAX_DEPTH, ParseError, Parser, VALUE, Watch, Within, is_keyword};
use crate::python::ast::advance;
use crate::python::ast::{BinOp, Call, Expr, ExprKind, Keyword, Pos, SmolStr};
use crate::python::lexer::{StrKind, StrLit, Tok, Token};

/// A construct opened and waiting for its next value.
enum Frame {
    /// After `-` or `+`: the operand.
    Sign { minus: bool, pos: Pos },
    /// After `left +` or `left -`: the right operand.
    Operator { op: BinOp, pos: Pos, left: Expr },
    /// Inside `[`.
    List { pos: Pos, items: Vec<Expr> },
    /// Inside `(`: a parenthesized value, or a tuple once a `,` is seen.
    Paren {
        pos: Pos,
        items: Vec<Expr>,
        tuple: bool,
    },
    /// Inside `{`, before its first element tells a set from a dict.
    Brace { pos: Pos },
    /// Inside `{a, ...`.
    Set { pos: Pos, items: Vec<Expr> },
    /// Inside `{k: v, ...`; `key` holds a key waiting for its value.
    Dict {
        pos: Pos,
        entries: Vec<(Expr, Expr)>,
        key: Option<Expr>,
    },
    /// Inside `func(`; `keyword` names the argument being parsed, if it is a keyword one.
    Call {
        call: Box<Call>,
        keyword: Option<(SmolStr, Pos)>,
    },
}

/// What comes after a value was handed to its frame.
enum Next {
    /// Parse another value for the frame on top.
    Value,
    /// The frame on top met its closing bracket: pop it and [`close`] it.
    Close,
}

/// How an expression is named in messages about what may not follow it.
fn describe_expr(expr: &Expr) -> &'static str {
    match expr.kind {
        ExprKind::Call(_) => "the result of a call",
        ExprKind::Str(_) | ExprKind::Bytes(_) => "a string",
        ExprKind::List(_) | ExprKind::Tuple(_) | ExprKind::Dict(_) | ExprKind::Set(_) => {
            "a display"
        }
        ExprKind::Name(_) | ExprKind::Attribute { .. } => "a name",
        _ => "a literal",
    }
}

/// Whether `.` and `(` may follow: a name or an attribute of names.
fn is_dotted(expr: &Expr) -> bool {
    matches!(expr.kind, ExprKind::Name(_) | ExprKind::Attribute { .. })
}

fn expr(kind: ExprKind, pos: Pos) -> Expr {
    Expr { kind, pos }
}

/// The value of a construct whose closing bracket was read.
fn close(frame: Frame) -> Expr {
    match frame {
        Frame::List { pos, items } => expr(ExprKind::List(items), pos),
        Frame::Set { pos, items } => expr(ExprKind::Set(items), pos),
        Frame::Paren {
            pos,
            mut items,
            tuple,
        } => match items.pop() {
            Some(inner) if !tuple => inner,
            last => {
                items.extend(last);
                expr(ExprKind::Tuple(items), pos)
            }
        },
        Frame::Dict { pos, entries, .. } => expr(ExprKind::Dict(entries), pos),
        Frame::Call { call, .. } => {
            let pos = call.func.pos;
            expr(ExprKind::Call(call), pos)
        }
        Frame::Brace { .. } | Frame::Sign { .. } | Frame::Operator { .. } => {
            unreachable!("only brackets are closed")
        }
    }
}

impl<'a> Parser<'a> {
    /// An expression: a signed operand, or `a + b` / `a - b` between two numbers. `watch` sees
    /// each value as it is completed.
    pub(super) fn expr<W: Watch>(&mut self, watch: &mut W) -> Result<Expr, ParseError> {
        let mut stack: Vec<Frame> = Vec::new();
        'value: loop {
            // Signs and opening brackets, down to a literal or a name.
            let mut value = loop {
                let pos = self.tok.pos;
                let frame = match self.tok.tok {
                    Tok::Minus | Tok::Plus => Frame::Sign {
                        minus: self.at(&Tok::Minus),
                        pos,
                    },
                    Tok::LBracket => Frame::List {
                        pos,
                        items: Vec::new(),
                    },
                    Tok::LParen => Frame::Paren {
                        pos,
                        items: Vec::new(),
                        tuple: false,
                    },
                    Tok::LBrace => Frame::Brace { pos },
                    _ => break self.atom()?,
                };
                if stack.len() >= MAX_DEPTH as usize {
                    return Err(self.too_deep());
                }
                self.bump()?;
                let empty = match (&frame, &self.tok.tok) {
                    (Frame::List { .. }, Tok::RBracket) => Some(ExprKind::List(Vec::new())),
                    (Frame::Paren { .. }, Tok::RParen) => Some(ExprKind::Tuple(Vec::new())),
                    (Frame::Brace { .. }, Tok::RBrace) => Some(ExprKind::Dict(Vec::new())),
                    _ => None,
                };
                if let Some(kind) = empty {
                    self.bump()?;
                    break expr(kind, pos);
                }
                stack.push(frame);
            };
            loop {
                // Attributes and calls, of names only.
                match self.tok.tok {
                    Tok::Dot => {
                        self.check_dotted(&value, "an attribute", "`_np.array`")?;
                        self.bump()?;
                        let attr = SmolStr::new(self.name("an attribute name")?);
                        let pos = value.pos;
                        value = expr(
                            ExprKind::Attribute {
                                value: Box::new(value),
                                attr,
                            },
                            pos,
                        );
                        continue;
                    }
                    Tok::LParen => {
                        self.check_dotted(&value, "a call", "`_np.array(...)`")?;
                        if stack.len() >= MAX_DEPTH as usize {
                            return Err(self.too_deep());
                        }
                        self.bump()?;
                        let call = Box::new(Call {
                            func: value,
                            args: Vec::new(),
                            kwargs: Vec::new(),
                        });
                        if self.at(&Tok::RParen) {
                            self.bump()?;
                            let pos = call.func.pos;
                            value = expr(ExprKind::Call(call), pos);
                            continue;
                        }
                        let keyword = self.argument(&call)?;
                        stack.push(Frame::Call { call, keyword });
                        continue 'value;
                    }
                    Tok::LBracket => {
                        return Err(ParseError::new(
                            self.tok.pos,
                            format!(
                                "a subscript `x[...]` is not allowed in an archive; expected {AFTER_VALUE}"
                            ),
                        ));
                    }
                    _ => {}
                }
                // Signs, then `+` or `-` between numbers.
                while let Some(Frame::Sign { .. }) = stack.last() {
                    let Some(Frame::Sign { minus, pos }) = stack.pop() else {
                        unreachable!("the frame on top is a sign");
                    };
                    let operand = Box::new(value);
                    let kind = if minus {
                        ExprKind::UnaryMinus(operand)
                    } else {
                        ExprKind::UnaryPlus(operand)
                    };
                    value = expr(kind, pos);
                }
                if let Some(Frame::Operator { .. }) = stack.last() {
                    let Some(Frame::Operator { op, pos, left }) = stack.pop() else {
                        unreachable!("the frame on top is an operator");
                    };
                    value = self.binary(op, pos, left, value)?;
                } else if let Tok::Plus | Tok::Minus = self.tok.tok {
                    if stack.len() >= MAX_DEPTH as usize {
                        return Err(self.too_deep());
                    }
                    let op_token = self.bump()?;
                    let op = if op_token.tok == Tok::Plus {
                        BinOp::Add
                    } else {
                        BinOp::Sub
                    };
                    stack.push(Frame::Operator {
                        op,
                        pos: op_token.pos,
                        left: value,
                    });
                    continue 'value;
                }
                // A complete value: hand it to the construct around it.
                let Some(frame) = stack.last_mut() else {
                    if !value.is_plain() {
                        watch.value(&value, Within::Top);
                    }
                    return Ok(value);
                };
                if !value.is_plain() {
                    let within = match &*frame {
                        Frame::Call { call, keyword } => Within::Arg {
                            call,
                            keyword: keyword.as_ref().map(|(name, _)| name.as_str()),
                        },
                        _ => Within::Display,
                    };
                    watch.value(&value, within);
                }
                match self.deliver(frame, value)? {
                    Next::Value => continue 'value,
                    Next::Close => match stack.pop() {
                        Some(frame) => value = close(frame),
                        None => unreachable!("a frame was just delivered to"),
                    },
                }
            }
        }
    }

    /// Refuse `.` or `(` after anything but a name or an attribute.
    fn check_dotted(&self, value: &Expr, what: &str, example: &str) -> Result<(), ParseError> {
        if is_dotted(value) {
            return Ok(());
        }
        Err(ParseError::new(
            self.tok.pos,
            format!(
                "{what} of {} is not allowed in an archive, only of a name (as in {example}); expected {AFTER_VALUE}",
                describe_expr(value)
            ),
        ))
    }

    /// `left op right`, refused unless both are numbers and no other operator follows.
    fn binary(&self, op: BinOp, pos: Pos, left: Expr, right: Expr) -> Result<Expr, ParseError> {
        let sign = if op == BinOp::Add { '+' } else { '-' };
        if !left.is_signed_number() || !right.is_signed_number() {
            return Err(ParseError::new(
                pos,
                format!(
                    "the operator `{sign}` is allowed in an archive only between two numbers, as in `1+2j`; expected {AFTER_VALUE}"
                ),
            ));
        }
        if let Tok::Plus | Tok::Minus = self.tok.tok {
            return Err(ParseError::new(
                self.tok.pos,
                format!(
                    "a second `+` or `-` is not allowed in an archive, which allows one between two numbers, as in `1+2j`; expected {AFTER_VALUE}"
                ),
            ));
        }
        let pos = left.pos;
        Ok(expr(
            ExprKind::BinOp {
                op,
                left: Box::new(left),
                right: Box::new(right),
            },
            pos,
        ))
    }

    /// Start the next argument of `call`: a keyword argument's name and `=`, if it is one.
    fn argument(&mut self, call: &Call) -> Result<Option<(SmolStr, Pos)>, ParseError> {
        let keyword = match self.tok.tok {
            Tok::Name(name) if !is_keyword(name) => self.peek2()?.tok == Tok::Equal,
            _ => false,
        };
        if keyword {
            let pos = self.tok.pos;
            let name = self.name("an argument name")?;
            self.bump()?;
            if call.kwargs.iter().any(|k| k.name == name) {
                return Err(ParseError::new(
                    pos,
                    format!(
                        "the keyword argument `{}` is repeated; expected each name once",
                        crate::python::encoding::excerpt(name)
                    ),
                ));
            }
            return Ok(Some((SmolStr::new(name), pos)));
        }
        if matches!(self.tok.tok, Tok::Op("*" | "**")) {
            return Err(ParseError::new(
                self.tok.pos,
                "unpacking arguments with `*` or `**` is not allowed in an archive; expected an argument",
            ));
        }
        if !call.kwargs.is_empty() {
            return Err(ParseError::new(
                self.tok.pos,
                "a positional argument after a keyword argument is not allowed (Python refuses it too); expected a keyword argument `name=value`",
            ));
        }
        Ok(None)
    }

    /// Hand a complete `value` to the construct `frame`, and read what separates it from the next.
    #[inline(always)]
    fn deliver(&mut self, frame: &mut Frame, value: Expr) -> Result<Next, ParseError> {
        if let Frame::Brace { pos } = *frame {
            if self.at(&Tok::Colon) {
                self.bump()?;
                *frame = Frame::Dict {
                    pos,
                    entries: Vec::new(),
                    key: Some(value),
                };
                return Ok(Next::Value);
            }
            *frame = Frame::Set {
                pos,
                items: Vec::new(),
            };
        }
        match frame {
            Frame::List { items, .. } | Frame::Set { items, .. } => {
                items.push(value);
                let close = if matches!(frame, Frame::List { .. }) {
                    (Tok::RBracket, "`,` or `]`")
                } else {
                    (Tok::RBrace, "`,` or `}`")
                };
                self.separator(&close.0, close.1)
            }
            Frame::Paren { items, tuple, .. } => {
                items.push(value);
                *tuple |= self.at(&Tok::Comma);
                self.separator(&Tok::RParen, "`,` or `)`")
            }
            Frame::Dict { entries, key, .. } => match key.take() {
                None => {
                    self.expect(&Tok::Colon, "`:`")?;
                    *key = Some(value);
                    Ok(Next::Value)
                }
                Some(k) => {
                    entries.push((k, value));
                    self.separator(&Tok::RBrace, "`,` or `}`")
                }
            },
            Frame::Call { call, keyword } => {
                match keyword.take() {
                    Some((name, pos)) => call.kwargs.push(Keyword { name, value, pos }),
                    None => call.args.push(value),
                }
                let next = self.separator(&Tok::RParen, "`,` or `)`")?;
                if let Next::Value = next {
                    *keyword = self.argument(call)?;
                }
                Ok(next)
            }
            Frame::Brace { .. } | Frame::Sign { .. } | Frame::Operator { .. } => {
                unreachable!("signs and operators are applied before a value is delivered")
            }
        }
    }

    /// After an element of a display or call: `,` and another element, or the closing bracket
    /// (after an optional trailing comma), which is consumed.
    fn separator(&mut self, close: &Tok<'_>, expected: &str) -> Result<Next, ParseError> {
        if self.at(&Tok::Comma) {
            self.bump()?;
            if !self.at(close) {
                return Ok(Next::Value);
            }
        }
        self.expect(close, expected)?;
        Ok(Next::Close)
    }

    /// A literal or a name.
    #[inline(always)]
    fn atom(&mut self) -> Result<Expr, ParseError> {
        let pos = self.tok.pos;
        let kind = match &self.tok.tok {
            Tok::Int(v) => ExprKind::Int(*v),
            Tok::BigInt(digits, radix) => ExprKind::BigInt {
                digits: digits.clone(),
                radix: *radix,
            },
            Tok::Float(v) => ExprKind::Float(*v),
            Tok::Imag(v) => ExprKind::Complex(0.0, *v),
            Tok::Name("True") => ExprKind::Bool(true),
            Tok::Name("False") => ExprKind::Bool(false),
            Tok::Name("None") => ExprKind::None,
            Tok::Name(name) if !is_keyword(name) => ExprKind::Name(SmolStr::new(name)),
            Tok::Str(_) => return self.strings(),
            _ => return Err(self.unexpected(VALUE)),
        };
        self.bump()?;
        Ok(expr(kind, pos))
    }

    /// Adjacent string (or bytes) literals, concatenated.
    pub(super) fn strings(&mut self) -> Result<Expr, ParseError> {
        let pos = self.tok.pos;
        let mut text = String::new();
        let mut bytes = Vec::new();
        let mut first: Option<StrKind> = None;
        // A lone literal without escapes is its value as written: no decoding buffer.
        let mut plain: Option<&'a str> = None;
        while let Tok::Str(lit) = self.tok.tok {
            if lit.kind == StrKind::Formatted {
                return Err(self.unexpected(VALUE));
            }
            if first.is_some_and(|kind| kind != lit.kind) {
                return Err(ParseError::new(
                    self.tok.pos,
                    "a bytes literal and a str literal cannot be concatenated; expected a literal of the same kind",
                ));
            }
            if let Some(body) = plain.take() {
                text.push_str(body);
            } else if first.is_none() && lit.kind == StrKind::Str && lit.plain {
                first = Some(lit.kind);
                plain = Some(lit.body);
                self.bump()?;
                continue;
            }
            first = Some(lit.kind);
            let decoded = if lit.kind == StrKind::Bytes {
                decode_bytes(&lit, &mut bytes)
            } else {
                decode_str(&lit, &mut text)
            };
            decoded.map_err(|e| self.decode_error(&self.tok, &lit, e))?;
            self.bump()?;
        }
        let kind = if first == Some(StrKind::Bytes) {
            ExprKind::Bytes(bytes)
        } else if let Some(body) = plain {
            ExprKind::Str(SmolStr::new(body))
        } else {
            ExprKind::Str(SmolStr::from(text))
        };
        Ok(expr(kind, pos))
    }

    /// A decoding error of `lit` (of `token`), at the offending escape.
    fn decode_error(
        &self,
        token: &Token<'_>,
        lit: &StrLit<'_>,
        (at, message): DecodeError,
    ) -> ParseError {
        let source = self.lexer.source().as_bytes();
        let pos = advance(source, token.start, token.pos, lit.body_start + at);
        ParseError::new(pos, message)
    }
}
