//! Statements: assignments, imports, `del`, helper `def`s (skipped), and the module around them.

use super::{NoWatch, ParseError, Parser, STATEMENT, Watch, is_keyword, keyword_statement};
use crate::python::ast::advance;
use crate::python::ast::{Expr, ExprKind, Module, Pos, Stmt};
use crate::python::lexer::{Tok, Token};

impl<'a> Parser<'a> {
    /// The whole module.
    pub(super) fn module(&mut self) -> Result<Module, ParseError> {
        let mut statements = Vec::new();
        while let Some(statement) = self.next_statement(&mut NoWatch)? {
            statements.push(statement);
        }
        Ok(Module { statements })
    }

    /// The next statement (docstrings skipped), `None` at the end of the module.
    pub(super) fn next_statement<W: Watch>(
        &mut self,
        watch: &mut W,
    ) -> Result<Option<Stmt>, ParseError> {
        loop {
            match self.tok.tok {
                Tok::Eof => return Ok(None),
                Tok::Newline => {
                    self.bump()?;
                }
                _ => {
                    if self.tok.pos.column != 1 {
                        return Err(ParseError::new(
                            self.tok.pos,
                            "unexpected indentation; expected a statement starting in column 1",
                        ));
                    }
                    let statement = self.statement(watch)?;
                    self.end_of_statement()?;
                    if statement.is_some() {
                        return Ok(statement);
                    }
                }
            }
        }
    }

    fn end_of_statement(&mut self) -> Result<(), ParseError> {
        match self.tok.tok {
            Tok::Newline => {
                self.bump()?;
                Ok(())
            }
            Tok::Eof => Ok(()),
            Tok::Equal => Err(ParseError::new(
                self.tok.pos,
                "a chained assignment `a = b = ...` is not allowed in an archive; expected the end of the line",
            )),
            _ => Err(self.unexpected("the end of the line")),
        }
    }

    /// One statement, `None` for a docstring.
    fn statement<W: Watch>(&mut self, watch: &mut W) -> Result<Option<Stmt>, ParseError> {
        let pos = self.tok.pos;
        let word = match self.tok.tok {
            Tok::Name(word) => word,
            Tok::Str(_) => {
                self.strings()?;
                return Ok(None);
            }
            _ => return Err(self.unexpected(STATEMENT)),
        };
        let statement = match word {
            "import" => self.import(pos)?,
            "from" => self.import_from(pos)?,
            "del" => self.del(pos)?,
            "def" => self.def(pos)?,
            _ if is_keyword(word) => {
                return Err(ParseError::new(
                    pos,
                    format!(
                        "{} is not allowed in an archive; expected {STATEMENT}",
                        keyword_statement(word)
                    ),
                ));
            }
            _ => self.assignment(word, pos, watch)?,
        };
        Ok(Some(statement))
    }

    fn assignment<W: Watch>(
        &mut self,
        target: &str,
        pos: Pos,
        watch: &mut W,
    ) -> Result<Stmt, ParseError> {
        self.bump()?;
        match self.tok.tok {
            Tok::Equal => {
                self.bump()?;
            }
            Tok::Colon => {
                return Err(ParseError::new(
                    self.tok.pos,
                    "an annotated assignment `name: type = value` is not allowed in an archive; expected `=`",
                ));
            }
            Tok::Op(op) if op.ends_with('=') && !matches!(op, "==" | "!=" | "<=" | ">=") => {
                return Err(ParseError::new(
                    self.tok.pos,
                    format!(
                        "an augmented assignment `{op}` is not allowed in an archive; expected `=`"
                    ),
                ));
            }
            Tok::Dot => return self.replace_module(target, pos, watch),
            Tok::LParen => {
                return Err(ParseError::new(
                    pos,
                    format!(
                        "an expression statement (`{target}...`) is not allowed in an archive, where nothing is ever run; expected an assignment `name = value`"
                    ),
                ));
            }
            Tok::LBracket => {
                return Err(ParseError::new(
                    self.tok.pos,
                    "a subscript `x[...]` is not allowed in an archive; expected `=`",
                ));
            }
            _ => return Err(self.unexpected("`=`")),
        }
        let first = self.expr(watch)?;
        let value = if self.tok.tok == Tok::Comma {
            // A bare tuple: `x = 1, 2`.
            let tuple_pos = first.pos;
            let mut items = vec![first];
            while self.tok.tok == Tok::Comma {
                self.bump()?;
                if matches!(self.tok.tok, Tok::Newline | Tok::Eof) {
                    break;
                }
                items.push(self.expr(watch)?);
            }
            Expr {
                kind: ExprKind::Tuple(items),
                pos: tuple_pos,
            }
        } else {
            first
        };
        Ok(Stmt::Assign {
            target: target.to_owned(),
            value,
            pos,
        })
    }

    /// The rest of `sys.modules[__name__] = value`, after `sys`; anything else starting with a
    /// name and a dot is an expression statement, which is refused.
    fn replace_module<W: Watch>(
        &mut self,
        sys: &str,
        pos: Pos,
        watch: &mut W,
    ) -> Result<Stmt, ParseError> {
        let refuse = || {
            ParseError::new(
                pos,
                format!(
                    "an expression statement (`{sys}...`) is not allowed in an archive, where nothing is ever run; expected an assignment `name = value`"
                ),
            )
        };
        self.bump()?;
        for expected in [
            Tok::Name("modules"),
            Tok::LBracket,
            Tok::Name("__name__"),
            Tok::RBracket,
            Tok::Equal,
        ] {
            if self.tok.tok != expected {
                return Err(refuse());
            }
            self.bump()?;
        }
        let value = self.expr(watch)?;
        Ok(Stmt::ReplaceModule {
            sys: sys.to_owned(),
            value,
            pos,
        })
    }

    /// `a.b.c`
    fn dotted(&mut self) -> Result<String, ParseError> {
        let mut name = self.name("a module name")?.to_owned();
        while self.tok.tok == Tok::Dot {
            self.bump()?;
            name.push('.');
            name.push_str(self.name("a module name")?);
        }
        Ok(name)
    }

    /// `as NAME`, if present.
    fn alias(&mut self) -> Result<Option<String>, ParseError> {
        if self.tok.tok != Tok::Name("as") {
            return Ok(None);
        }
        self.bump()?;
        self.name("a name after `as`")
            .map(|name| Some(name.to_owned()))
    }

    /// Refuse `, ...` after an import.
    fn one_import(&self, what: &str) -> Result<(), ParseError> {
        if self.tok.tok == Tok::Comma {
            return Err(ParseError::new(
                self.tok.pos,
                format!(
                    "importing several {what} in one statement is not allowed in an archive; expected the end of the line"
                ),
            ));
        }
        Ok(())
    }

    fn import(&mut self, pos: Pos) -> Result<Stmt, ParseError> {
        self.bump()?;
        let module = self.dotted()?;
        let alias = self.alias()?;
        self.one_import("modules")?;
        Ok(Stmt::Import { module, alias, pos })
    }

    fn import_from(&mut self, pos: Pos) -> Result<Stmt, ParseError> {
        self.bump()?;
        if matches!(self.tok.tok, Tok::Dot | Tok::Op("...")) {
            return Err(ParseError::new(
                self.tok.pos,
                "a relative import is not allowed in an archive; expected a module name",
            ));
        }
        let module = self.dotted()?;
        if self.tok.tok != Tok::Name("import") {
            return Err(self.unexpected("`import`"));
        }
        self.bump()?;
        if self.tok.tok == Tok::Op("*") {
            return Err(ParseError::new(
                self.tok.pos,
                "`import *` is not allowed in an archive; expected a name",
            ));
        }
        let name = self.name("a name to import")?.to_owned();
        let alias = self.alias()?;
        self.one_import("names")?;
        Ok(Stmt::ImportFrom {
            module,
            name,
            alias,
            pos,
        })
    }

    fn del(&mut self, pos: Pos) -> Result<Stmt, ParseError> {
        self.bump()?;
        let mut names = vec![self.name("a name to delete")?.to_owned()];
        while self.tok.tok == Tok::Comma {
            self.bump()?;
            if matches!(self.tok.tok, Tok::Newline | Tok::Eof) {
                break;
            }
            names.push(self.name("a name to delete")?.to_owned());
        }
        Ok(Stmt::Del { names, pos })
    }

    /// `def _name(...): ...`: the name is kept, the rest is skipped token by token (or, when it
    /// is the writer's own text word for word, at once).
    fn def(&mut self, pos: Pos) -> Result<Stmt, ParseError> {
        let start = self.tok.start;
        self.bump()?;
        let name_pos = self.tok.pos;
        let name = self.name("a function name")?.to_owned();
        if !name.starts_with('_') {
            return Err(ParseError::new(
                name_pos,
                format!(
                    "only the archive's own helper functions, whose names start with `_`, may be defined; found `{}`",
                    crate::python::encoding::excerpt(&name)
                ),
            ));
        }
        if self.tok.tok != Tok::LParen {
            return Err(self.unexpected("`(`"));
        }
        let known = self.skip_known_definition(start, pos);
        if !known {
            self.skip_until_colon()?;
            self.bump()?;
            if self.tok.tok != Tok::Newline {
                // The body on the `def` line itself.
                self.skip_line()?;
                let span = start..self.tok.start;
                return Ok(Stmt::FunctionDef { name, pos, span });
            }
        }
        // The writer's text counts as the first line of the body; what follows it may still
        // belong to the body: the loop decides, as for any other body.
        let mut lines = usize::from(known);
        loop {
            let next = self.peek2()?;
            if next.tok == Tok::Eof || next.pos.column == 1 {
                if lines == 0 {
                    return Err(ParseError::new(
                        next.pos,
                        "expected an indented block after the `def` line",
                    ));
                }
                let span = start..next.start;
                return Ok(Stmt::FunctionDef { name, pos, span });
            }
            self.bump()?;
            self.skip_line()?;
            lines += 1;
        }
    }

    /// If the `def` at byte `start` (at `pos`, column 1) is word for word one of the writer's
    /// helper definitions (the parser's `known` texts), go past it without tokenizing it: the
    /// current token becomes the `Newline` ending its last line. Whether it is the right
    /// helper is the verifier's to say; this only saves the tokenizing.
    fn skip_known_definition(&mut self, start: usize, pos: Pos) -> bool {
        let src = self.lexer.source();
        let Some(text) = (self.ahead.is_none() && pos.column == 1)
            .then(|| self.known.iter().find(|d| src[start..].starts_with(**d)))
            .flatten()
        else {
            return false;
        };
        let end = start + text.len();
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() as u32;
        let last_line = text[..text.len() - 1].rfind('\n').map_or(0, |i| i + 1);
        let column = advance(text.as_bytes(), last_line, Pos::new(1, 1), text.len() - 1).column;
        self.lexer.resume_at(end, Pos::new(pos.line + lines, 1));
        self.tok = Token {
            tok: Tok::Newline,
            pos: Pos::new(pos.line + lines - 1, column),
            start: end - 1,
        };
        true
    }

    /// Skip the parameters of a `def` (and any return annotation), up to the `:` that ends its
    /// line; the current token is the `(`.
    fn skip_until_colon(&mut self) -> Result<(), ParseError> {
        const EXPECTED: &str = "`:` ending the `def` line";
        let mut open: Vec<Pos> = Vec::new();
        let mut annotation = false;
        loop {
            match self.tok.tok {
                Tok::Colon if open.is_empty() => return Ok(()),
                Tok::Op("->") if open.is_empty() => annotation = true,
                Tok::LParen | Tok::LBracket | Tok::LBrace => open.push(self.tok.pos),
                Tok::RParen | Tok::RBracket | Tok::RBrace if !open.is_empty() => {
                    open.pop();
                }
                Tok::Newline => return Err(self.unexpected(EXPECTED)),
                Tok::Eof => return Err(never_closed(open.first().copied(), self.tok.pos)),
                _ if open.is_empty() && !annotation => return Err(self.unexpected(EXPECTED)),
                _ => {}
            }
            self.bump()?;
        }
    }

    /// Skip the tokens of one logical line of a helper's body, up to (not including) its end.
    fn skip_line(&mut self) -> Result<(), ParseError> {
        let mut first_open: Option<Pos> = None;
        let mut depth = 0u32;
        loop {
            match self.tok.tok {
                Tok::Newline => return Ok(()),
                Tok::Eof if depth == 0 => return Ok(()),
                Tok::Eof => return Err(never_closed(first_open, self.tok.pos)),
                Tok::LParen | Tok::LBracket | Tok::LBrace => {
                    if depth == 0 {
                        first_open = Some(self.tok.pos);
                    }
                    depth += 1;
                }
                Tok::RParen | Tok::RBracket | Tok::RBrace => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.bump()?;
        }
    }
}

/// The error for a bracket opened at `open` and still open at the end of the file.
fn never_closed(open: Option<Pos>, eof: Pos) -> ParseError {
    ParseError::new(
        open.unwrap_or(eof),
        "this bracket is never closed; expected its closing bracket before the end of the file",
    )
}
