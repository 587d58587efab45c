//! [`parse_module`]: reads the Python source of an archive into the [`ast`](super::ast) model,
//! without executing anything.
//!
//! # The accepted subset
//! ```text
//! module     := (statement NEWLINE)*                 (comments and blank lines anywhere)
//! statement  := NAME '=' value                        an item, a helper, a temporary
//!             | 'import' dotted ['as' NAME]
//!             | 'from' dotted 'import' NAME ['as' NAME]
//!             | 'del' NAME (',' NAME)* [',']
//!             | 'def' _NAME '(' ... ')' ':' block     skipped, never interpreted
//!             | STRING+                               a docstring, skipped
//! value      := expr (',' expr)* [',']                several: a bare tuple
//! expr       := unary [('+' | '-') unary]             the operator only between two numbers
//! unary      := ('-' | '+') unary | postfix
//! postfix    := atom ('.' NAME | '(' arguments ')')*  only on a name or an attribute
//! arguments  := [expr (',' expr)*] [NAME '=' expr (',' NAME '=' expr)*] [',']
//! atom       := INT | FLOAT | IMAGINARY | STRING+ | BYTES+ | True | False | None | NAME
//!             | '(' ')' | '(' expr ')' | '(' expr ',' [expr (',' expr)* [',']] ')'
//!             | '[' [expr (',' expr)* [',']] ']'
//!             | '{' [expr ':' expr (',' expr ':' expr)* [',']] '}'
//!             | '{' expr (',' expr)* [','] '}'
//! ```
//! Tokens follow Python's lexical rules: integers in any base with `_` and any size, floats
//! (`1.`, `.5`, `1e-3`), imaginary numbers (`2j`), strings and bytes in every quote style and
//! prefix with all escapes (except `\N{...}`, refused), adjacent literals concatenated, implicit
//! line continuation inside brackets and explicit continuation with `\`.
//!
//! `float('nan')`, `float('inf')` and `complex(1, 2)` are calls like any other: the parser does
//! not fold them. Which callables are allowed is the verifier's decision (`read/rules.rs`, the
//! one walk over data expressions), which refuses the others at their position when an archive
//! is opened. The parser already refuses
//! what can only come from code rather than data: calls and attributes of anything but names
//! (`__import__('os').system`), lambdas, comprehensions, f-strings, subscripts, starred
//! arguments, `:=`, every other operator and every other statement, `;`, chained assignment and
//! nesting deeper than [`MAX_DEPTH`].

use super::ast::{Call, Expr, Module, Pos, Stmt};
pub use super::error::ParseError;
use super::lexer::{Lexer, StrKind, StrLit, Tok, Token};

mod expr;
mod stmt;
mod string;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_refusal;

/// The deepest nesting of brackets, calls and signs the parser accepts. The writer never nests
/// more than about 120 levels (it hoists deeper values into statements of their own).
pub const MAX_DEPTH: u32 = 200;

/// What the statement position accepts, for messages.
const STATEMENT: &str = "an assignment `name = value`, an import, `del` or a helper `def`";
/// What a value position accepts, for messages.
const VALUE: &str = "a literal, a name or a call";
/// What may follow a complete value, for messages.
const AFTER_VALUE: &str = "`,`, a closing bracket or the end of the line";

/// Parse the source of an archive module. Nothing is executed; see the [module
/// docs](self) for what is accepted.
///
/// # Errors
/// A [`ParseError`] at the first syntax error or refused construct.
///
/// ```
/// use persist_core::__private::{ast::{ExprKind, Stmt}, parser::parse_module};
/// let module = parse_module("# a comment\nimport numpy as _np\nx = [1, 0x10, 2.5e3]\ndel _np\n")?;
/// assert_eq!(module.statements.len(), 3);
/// let Stmt::Assign { target, value, .. } = &module.statements[1] else { unreachable!() };
/// assert_eq!(target, "x");
/// assert!(matches!(&value.kind, ExprKind::List(items) if items.len() == 3));
/// # Ok::<(), persist_core::ParseError>(())
/// ```
pub fn parse_module(source: &str) -> Result<Module, ParseError> {
    Parser::new(source, &[])?.module()
}

/// A module parsed one statement at a time, each value shown to a [`Watch`] as it is built:
/// how the reader checks a statement against the names bound before it without walking the
/// statement's tree a second time (`read/bind.rs`).
pub(crate) struct Statements<'a>(Parser<'a>);

impl<'a> Statements<'a> {
    /// Before the first statement of `source` (whose encoding is checked here). A `def` that is
    /// word for word one of `known` (the helper texts of every format, which the reading layer
    /// gathers from the format and the stores) is passed over without tokenizing its body.
    pub(crate) fn new(source: &'a str, known: &'a [&'a str]) -> Result<Self, ParseError> {
        Parser::new(source, known).map(Statements)
    }

    /// The next statement, `None` at the end of the module; `watch` sees its values.
    pub(crate) fn next<W: Watch>(&mut self, watch: &mut W) -> Result<Option<Stmt>, ParseError> {
        self.0.next_statement(watch)
    }

    /// Where the parser is: after the statement [`next`](Self::next) returned and before any
    /// position of the next one.
    pub(crate) fn position(&self) -> Pos {
        self.0.tok.pos
    }
}

/// Where a complete value is, for a [`Watch`].
#[derive(Clone, Copy)]
pub(crate) enum Within<'e> {
    /// The whole value of a statement, or one element of a bare tuple (`x = a, b`).
    Top,
    /// An element of a display, or a value in parentheses (which is shown again, as what it
    /// is inside, once its `)` is read).
    Display,
    /// An argument of `call`, whose earlier arguments are already in it: a positional one if
    /// `keyword` is `None`.
    Arg {
        /// The call being parsed.
        call: &'e Call,
        /// The keyword argument's name.
        keyword: Option<&'e str>,
    },
}

/// What sees each value of a statement the moment the parser completes it, innermost first:
/// every name, attribute, call, signed value and `+`/`-` once, except the operands of a sign
/// or of `+`/`-` (shown as part of the signed value) and the function of a call (shown as part
/// of the call, after its arguments). Literals and displays ([`Expr::is_plain`]) are not
/// shown; their elements are.
pub(crate) trait Watch {
    /// `value` is complete, `within` what.
    fn value(&mut self, value: &Expr, within: Within<'_>);
}

/// A [`Watch`] that looks at nothing: plain parsing.
pub(crate) struct NoWatch;

impl Watch for NoWatch {
    #[inline(always)]
    fn value(&mut self, _: &Expr, _: Within<'_>) {}
}

/// Parse a single expression (optionally followed by a newline): for tests and tools.
///
/// # Errors
/// A [`ParseError`] at the first syntax error, refused construct or extra token.
///
/// ```
/// use persist_core::__private::{ast::ExprKind, parser::parse_expression};
/// let e = parse_expression("-1.5")?;
/// assert!(matches!(e.kind, ExprKind::UnaryMinus(_)));
/// # Ok::<(), persist_core::ParseError>(())
/// ```
pub fn parse_expression(source: &str) -> Result<Expr, ParseError> {
    let mut parser = Parser::new(source, &[])?;
    let expr = parser.expr(&mut NoWatch)?;
    if parser.tok.tok == Tok::Newline {
        parser.bump()?;
    }
    match parser.tok.tok {
        Tok::Eof => Ok(expr),
        _ => Err(parser.unexpected("the end of the expression")),
    }
}

/// Whether `name` is one of Python's hard keywords (`name::PYTHON_KEYWORDS`, spelled out as a
/// `match`, which compiles to a switch on length and bytes instead of 35 string compares: the
/// parser asks for every name it reads).
fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "False"
            | "None"
            | "True"
            | "and"
            | "as"
            | "assert"
            | "async"
            | "await"
            | "break"
            | "class"
            | "continue"
            | "def"
            | "del"
            | "elif"
            | "else"
            | "except"
            | "finally"
            | "for"
            | "from"
            | "global"
            | "if"
            | "import"
            | "in"
            | "is"
            | "lambda"
            | "nonlocal"
            | "not"
            | "or"
            | "pass"
            | "raise"
            | "return"
            | "try"
            | "while"
            | "with"
            | "yield"
    )
}

/// How a token is named in "found ..." messages.
fn describe(tok: &Tok<'_>) -> String {
    match tok {
        Tok::Name(name) if is_keyword(name) => format!("the keyword `{name}`"),
        Tok::Name(name) => format!("the name `{}`", super::encoding::excerpt(name)),
        Tok::Int(_) | Tok::BigInt(..) | Tok::Float(_) | Tok::Imag(_) => "a number".into(),
        Tok::Str(lit) => match lit.kind {
            StrKind::Str => "a string".into(),
            StrKind::Bytes => "a bytes literal".into(),
            StrKind::Formatted => "an f-string".into(),
        },
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::LBracket => "`[`".into(),
        Tok::RBracket => "`]`".into(),
        Tok::LBrace => "`{`".into(),
        Tok::RBrace => "`}`".into(),
        Tok::Comma => "`,`".into(),
        Tok::Colon => "`:`".into(),
        Tok::Dot => "`.`".into(),
        Tok::Equal => "`=`".into(),
        Tok::Plus => "`+`".into(),
        Tok::Minus => "`-`".into(),
        Tok::Semicolon => "`;`".into(),
        Tok::Op(op) => format!("`{op}`"),
        Tok::Newline => "the end of the line".into(),
        Tok::Eof => "the end of the file".into(),
    }
}

/// The construct a token starts, when an archive refuses it wherever it appears.
fn forbidden(tok: &Tok<'_>) -> Option<String> {
    Some(match tok {
        Tok::Name("lambda") => "a lambda".into(),
        Tok::Name("for" | "async") => "a comprehension".into(),
        Tok::Name("if" | "else") => "a conditional expression".into(),
        Tok::Name(op @ ("and" | "or" | "not" | "is" | "in")) => format!("the operator `{op}`"),
        Tok::Name(word @ ("await" | "yield")) => format!("`{word}`"),
        Tok::Str(StrLit {
            kind: StrKind::Formatted,
            ..
        }) => "an f-string".into(),
        Tok::Op(":=") => "an assignment expression `:=`".into(),
        Tok::Op("...") => "the ellipsis `...`".into(),
        Tok::Op(op) => format!("the operator `{op}`"),
        Tok::Semicolon => "`;` (several statements on one line)".into(),
        _ => return None,
    })
}

/// The statement a keyword starts, for messages.
fn keyword_statement(keyword: &str) -> String {
    match keyword {
        "class" => "a class definition".into(),
        "lambda" => "a lambda".into(),
        "if" | "for" | "while" | "with" | "try" | "return" | "pass" | "raise" | "assert"
        | "global" | "nonlocal" | "break" | "continue" | "async" | "await" | "yield" => {
            let article = if keyword.starts_with('a') || keyword == "if" {
                "an"
            } else {
                "a"
            };
            format!("{article} `{keyword}` statement")
        }
        _ => format!("the keyword `{keyword}`"),
    }
}

/// The parser: recursive descent for statements, an explicit stack for expressions (so that
/// nesting costs heap, not call stack), two tokens of lookahead.
struct Parser<'a> {
    lexer: Lexer<'a>,
    /// The current token.
    tok: Token<'a>,
    /// The token after it, once asked for.
    ahead: Option<Token<'a>>,
    /// The helper definitions passed over without tokenizing (see [`Statements::new`]).
    known: &'a [&'a str],
}

impl<'a> Parser<'a> {
    fn new(source: &'a str, known: &'a [&'a str]) -> Result<Self, ParseError> {
        super::encoding::check_source(source)?;
        let mut lexer = Lexer::new(source);
        let tok = lexer.next_token()?;
        Ok(Parser {
            lexer,
            tok,
            ahead: None,
            known,
        })
    }

    /// Move to the next token; the current one.
    fn bump(&mut self) -> Result<Token<'a>, ParseError> {
        let next = match self.ahead.take() {
            Some(token) => token,
            None => self.lexer.next_token()?,
        };
        Ok(std::mem::replace(&mut self.tok, next))
    }

    /// The token after the current one.
    fn peek2(&mut self) -> Result<&Token<'a>, ParseError> {
        let token = match self.ahead.take() {
            Some(token) => token,
            None => self.lexer.next_token()?,
        };
        Ok(self.ahead.insert(token))
    }

    /// An error at the current token: what it is (refused, or just unexpected) versus `expected`.
    fn unexpected(&self, expected: &str) -> ParseError {
        let message = match forbidden(&self.tok.tok) {
            Some(what) => format!("{what} is not allowed in an archive; expected {expected}"),
            None => format!("found {}; expected {expected}", describe(&self.tok.tok)),
        };
        ParseError::new(self.tok.pos, message)
    }

    /// Whether the current token is of the same kind as `tok` (for tokens without data: `(`,
    /// `,`, ...; cheaper than `==`).
    fn at(&self, tok: &Tok<'_>) -> bool {
        std::mem::discriminant(&self.tok.tok) == std::mem::discriminant(tok)
    }

    /// Consume the current token if it is `tok` (a token without data), else fail with
    /// `expected`.
    fn expect(&mut self, tok: &Tok<'_>, expected: &str) -> Result<Token<'a>, ParseError> {
        if self.at(tok) {
            self.bump()
        } else {
            Err(self.unexpected(expected))
        }
    }

    /// Consume a name that is not a keyword.
    fn name(&mut self, expected: &str) -> Result<&'a str, ParseError> {
        match self.tok.tok {
            Tok::Name(name) if !is_keyword(name) => {
                self.bump()?;
                Ok(name)
            }
            _ => Err(self.unexpected(expected)),
        }
    }

    /// The error for nesting past [`MAX_DEPTH`], at the current token.
    fn too_deep(&self) -> ParseError {
        ParseError::new(
            self.tok.pos,
            format!(
                "nesting deeper than {MAX_DEPTH} levels is not allowed in an archive; expected a flatter value (the writer puts deep values into statements of their own)"
            ),
        )
    }
}
