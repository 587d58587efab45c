//! Tests of what the parser refuses, each at its exact position, and that it never panics.

use proptest::prelude::*;

use super::*;

/// The error for `source`, as displayed.
#[track_caller]
fn refused(source: &str) -> String {
    match parse_module(source) {
        Ok(m) => panic!("{source:?} should be refused, parsed as {m:?}"),
        Err(e) => e.to_string(),
    }
}

/// Assert that `source` is refused at `line:column` with a message containing `words`.
#[track_caller]
fn refused_at(source: &str, line: u32, column: u32, words: &str) {
    let err = parse_module(source)
        .err()
        .unwrap_or_else(|| panic!("{source:?} should be refused"));
    assert_eq!((err.line, err.column), (line, column), "{source:?}: {err}");
    assert!(err.message.contains(words), "{source:?}: {err}");
}

#[test]
fn the_issues_refusals_with_their_positions() {
    assert_eq!(
        refused("x = __import__('os').system('ls')"),
        "line 1, column 21: an attribute of the result of a call is not allowed in an archive, only of a name (as in `_np.array`); expected `,`, a closing bracket or the end of the line"
    );
    assert_eq!(
        refused("__import__('os').system('ls')\n"),
        "line 1, column 1: an expression statement (`__import__...`) is not allowed in an archive, where nothing is ever run; expected an assignment `name = value`"
    );
    assert_eq!(
        refused("x = 1\ny = lambda: 0"),
        "line 2, column 5: a lambda is not allowed in an archive; expected a literal, a name or a call"
    );
    assert_eq!(
        refused("x = [x for x in y]"),
        "line 1, column 8: a comprehension is not allowed in an archive; expected `,` or `]`"
    );
    assert_eq!(
        refused("x = a[0]"),
        "line 1, column 6: a subscript `x[...]` is not allowed in an archive; expected `,`, a closing bracket or the end of the line"
    );
    assert_eq!(
        refused("x = f'{x}'"),
        "line 1, column 5: an f-string is not allowed in an archive; expected a literal, a name or a call"
    );
    assert_eq!(
        refused("import os; os.system('x')"),
        "line 1, column 10: `;` (several statements on one line) is not allowed in an archive; expected the end of the line"
    );
    assert_eq!(
        refused("exec('...')"),
        "line 1, column 1: an expression statement (`exec...`) is not allowed in an archive, where nothing is ever run; expected an assignment `name = value`"
    );
    assert_eq!(
        refused("if True: pass"),
        "line 1, column 1: an `if` statement is not allowed in an archive; expected an assignment `name = value`, an import, `del` or a helper `def`"
    );
    assert_eq!(
        refused("\n\nclass A: pass"),
        "line 3, column 1: a class definition is not allowed in an archive; expected an assignment `name = value`, an import, `del` or a helper `def`"
    );
    assert_eq!(
        refused("x = y = 1"),
        "line 1, column 7: a chained assignment `a = b = ...` is not allowed in an archive; expected the end of the line"
    );
}

#[test]
fn code_constructs_are_refused_where_they_start() {
    for (source, line, column, words) in [
        (
            "x = 1 if y else 2",
            1,
            7,
            "a conditional expression is not allowed",
        ),
        ("x = a * 2", 1, 7, "the operator `*` is not allowed"),
        ("x = 2 ** 3", 1, 7, "the operator `**`"),
        ("x = a == b", 1, 7, "the operator `==`"),
        ("x = a and b", 1, 7, "the operator `and`"),
        ("x = not a", 1, 5, "the operator `not`"),
        ("x = ~1", 1, 5, "the operator `~`"),
        ("x = (y := 1)", 1, 8, "an assignment expression `:=`"),
        ("x = f(*a)", 1, 7, "unpacking arguments"),
        ("x = f(**a)", 1, 7, "unpacking arguments"),
        ("x = [*a]", 1, 6, "the operator `*`"),
        ("x = {**a}", 1, 6, "the operator `**`"),
        ("x = 'a' + 'b'", 1, 9, "only between two numbers"),
        ("x = a - 1", 1, 7, "only between two numbers"),
        ("x = 1+2j+3", 1, 9, "a second `+` or `-`"),
        ("x = 1 .real", 1, 7, "an attribute of a literal"),
        ("x = 'a'.join([])", 1, 8, "an attribute of a string"),
        ("x = f()()", 1, 8, "a call of the result of a call"),
        ("x = (lambda: 0)()", 1, 6, "a lambda"),
        ("x = [1][0]", 1, 8, "a subscript"),
        ("x = {1: 2}[1]", 1, 11, "a subscript"),
        ("x = await y", 1, 5, "`await` is not allowed"),
        ("x = (yield)", 1, 6, "`yield` is not allowed"),
        ("x = ...", 1, 5, "the ellipsis"),
        (
            "x = f(a=1, 2)",
            1,
            12,
            "a positional argument after a keyword argument",
        ),
        (
            "x = f(a=1, a=2)",
            1,
            12,
            "the keyword argument `a` is repeated",
        ),
        ("x = f(x for x in y)", 1, 9, "a comprehension"),
        ("x = {k: v for k in y}", 1, 11, "a comprehension"),
        ("x = 'a' f'b'", 1, 9, "an f-string"),
        ("x = rf'{a}'", 1, 5, "an f-string"),
        ("x = 'a' b'b'", 1, 9, "cannot be concatenated"),
        (
            "x = class",
            1,
            5,
            "found the keyword `class`; expected a literal",
        ),
        (
            "x = a.class",
            1,
            7,
            "found the keyword `class`; expected an attribute name",
        ),
        ("x = @y", 1, 5, "the operator `@`"),
    ] {
        refused_at(source, line, column, words);
    }
}

#[test]
fn other_statements_are_refused() {
    for (source, line, column, words) in [
        ("x: int = 1", 1, 2, "an annotated assignment"),
        ("x += 1", 1, 3, "an augmented assignment `+=`"),
        ("x[0] = 1", 1, 2, "a subscript"),
        ("x.y = 1", 1, 1, "an expression statement"),
        ("print('x')", 1, 1, "an expression statement (`print...`)"),
        ("x", 1, 2, "found the end of the line; expected `=`"),
        ("x = 1\n  y = 2", 2, 3, "unexpected indentation"),
        (
            "def f(): pass",
            1,
            5,
            "only the archive's own helper functions",
        ),
        ("def _f(): pass\ndef g(): pass", 2, 5, "found `g`"),
        ("def _f():\nx = 1", 2, 1, "expected an indented block"),
        ("def _f():\n", 2, 1, "expected an indented block"),
        ("def _f(x:\n    pass", 1, 7, "this bracket is never closed"),
        (
            "def _f():\n    return (1,\n",
            2,
            12,
            "this bracket is never closed",
        ),
        (
            "def _f() pass",
            1,
            10,
            "found the keyword `pass`; expected `:`",
        ),
        ("def _f(a)) : pass", 1, 10, "found `)`; expected `:`"),
        ("async def _f(): pass", 1, 1, "an `async` statement"),
        ("for x in y: pass", 1, 1, "a `for` statement"),
        ("while 1: pass", 1, 1, "a `while` statement"),
        ("with a: pass", 1, 1, "a `with` statement"),
        ("try: pass", 1, 1, "a `try` statement"),
        ("return 1", 1, 1, "a `return` statement"),
        ("global x", 1, 1, "a `global` statement"),
        ("pass", 1, 1, "a `pass` statement"),
        ("lambda: 0", 1, 1, "a lambda"),
        ("True = 1", 1, 1, "the keyword `True`"),
        ("@decorator\ndef _f(): pass", 1, 1, "the operator `@`"),
        ("(x) = 1", 1, 1, "found `(`; expected an assignment"),
        ("1", 1, 1, "found a number; expected an assignment"),
        ("from . import x", 1, 6, "a relative import"),
        ("from .a import x", 1, 6, "a relative import"),
        ("from a import *", 1, 15, "`import *`"),
        (
            "from a import (b)",
            1,
            15,
            "found `(`; expected a name to import",
        ),
        ("from a import b, c", 1, 16, "importing several names"),
        ("import a, b", 1, 9, "importing several modules"),
        ("import a as", 1, 12, "expected a name after `as`"),
        ("del x[0]", 1, 6, "found `[`; expected the end of the line"),
        ("del", 1, 4, "expected a name to delete"),
        ("x = 1; y = 2", 1, 6, "`;`"),
        (
            "x = 1 2",
            1,
            7,
            "found a number; expected the end of the line",
        ),
        ("x = 1)", 1, 6, "found `)`; expected the end of the line"),
        (
            "x = (1, 2",
            1,
            10,
            "found the end of the file; expected `,` or `)`",
        ),
        (
            "x = [1\ny = 2",
            2,
            1,
            "found the name `y`; expected `,` or `]`",
        ),
        ("x = {1: 2, 3}", 1, 13, "found `}`; expected `:`"),
        ("x = {1: 2 3}", 1, 11, "expected `,` or `}`"),
        (
            "x = -",
            1,
            6,
            "found the end of the line; expected a literal",
        ),
        (
            "x = 'a'\n'''doc'''.strip()",
            2,
            10,
            "found `.`; expected the end of the line",
        ),
    ] {
        refused_at(source, line, column, words);
    }
}

#[test]
fn bad_tokens_are_refused() {
    for (source, line, column, words) in [
        (
            "x = '''abc",
            1,
            5,
            "this triple-quoted string is never closed",
        ),
        ("x = 'abc\ny = 1", 1, 5, "before the end of the line"),
        ("x = 'abc\\'", 1, 5, "never closed"),
        ("x = $", 1, 5, "the character `$` is not allowed here"),
        ("x = 1 ? 2", 1, 7, "the character `?`"),
        ("x = `a`", 1, 5, "the character `` ` ``"),
        ("x = \0", 1, 5, "a NUL byte, which Python refuses"),
        (
            "cafe\u{301} = 1",
            1,
            1,
            "Python would read it as `caf\u{e9}`",
        ),
        ("x = \u{fb01}", 1, 5, "Python would read it as `fi`"),
        (
            "x = 1 \u{2192} 2",
            1,
            7,
            "the character `\u{2192}` is not allowed here",
        ),
        (
            "x = \u{301}",
            1,
            5,
            "is not allowed here (other characters belong in strings",
        ),
        ("x = 1 \\ 2", 1, 7, "after the line continuation"),
        ("x = 1 \\", 1, 7, "unexpected end of file after `\\`"),
        ("x = 012", 1, 5, "leading zeros"),
        ("x = 0x", 1, 7, "invalid hexadecimal literal"),
        ("x = 0xg", 1, 7, "found `g`; expected a hexadecimal digit"),
        ("x = 0b102", 1, 9, "invalid binary literal: found `2`"),
        ("x = 0o8", 1, 7, "invalid octal literal"),
        ("x = 1__0", 1, 6, "`_` must stand between two digits"),
        ("x = 1_", 1, 6, "`_` must stand between two digits"),
        ("x = 1e", 1, 6, "digits after the exponent"),
        ("x = 1e+", 1, 6, "digits after the exponent"),
        ("x = 1abc", 1, 6, "`a` cannot follow a number"),
        ("x = 1jj", 1, 7, "`j` cannot follow a number"),
        ("x = 0x10j", 1, 9, "invalid hexadecimal literal"),
        (
            "x = 'a\\N{DASH}'",
            1,
            7,
            "named escapes `\\N{...}` are not supported",
        ),
        ("x = '\\x4'", 1, 6, "truncated `\\x` escape"),
        ("x = '\\u12'", 1, 6, "truncated `\\u` escape"),
        ("x = '\\U00110000'", 1, 6, "not a Unicode scalar value"),
        ("x = '\\ud800'", 1, 6, "not a Unicode scalar value"),
        ("x = ('a',\n  'é\\N{x}')", 2, 5, "named escapes"),
        ("x = b'\\400'", 1, 7, "larger than `\\377`"),
        ("x = b'\\xZZ'", 1, 7, "truncated `\\x` escape"),
        ("x = b'é'", 1, 7, "only ASCII characters"),
        (
            "x = ub'a'",
            1,
            7,
            "found a string; expected the end of the line",
        ),
        ("x = bu'a'", 1, 7, "found a string"),
        ("x = rr'a'", 1, 7, "found a string"),
    ] {
        refused_at(source, line, column, words);
    }
}

#[test]
fn errors_name_the_file_when_told() {
    let err = parse_module("x = lambda: 0").unwrap_err();
    assert_eq!(err.pos(), Pos::new(1, 5));
    assert_eq!(
        err.with_path("data/run.py").to_string(),
        "data/run.py:1:5: a lambda is not allowed in an archive; expected a literal, a name or a call"
    );
}

fn nested(depth: usize, open: &str, inner: &str, close: &str) -> String {
    format!("x = {}{inner}{}\n", open.repeat(depth), close.repeat(depth))
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for (open, close) in [("[", "]"), ("(", ",)"), ("{", "}"), ("f(", ")"), ("-", "")] {
        let source = nested(5000, open, "1", close);
        let err = parse_module(&source).unwrap_err();
        assert!(
            err.message
                .starts_with("nesting deeper than 200 levels is not allowed in an archive"),
            "{open}: {err}"
        );
        assert_eq!(err.line, 1);
    }
    // 200 brackets are accepted, the 201st is refused.
    let err = parse_module(&nested(5000, "[", "1", "]")).unwrap_err();
    assert_eq!(err.column, 4 + 201);
    parse_module(&nested(200, "[", "1", "]")).unwrap();
    // Up to the limit is fine, on a test thread's default stack.
    parse_module(&nested(190, "[", "1", "]")).unwrap();
    parse_module(&nested(99, "_X(a=", "1", ")")).unwrap();
    parse_module(&nested(190, "(", "1", ",)")).unwrap();
    parse_module(&nested(190, "-", "1", "")).unwrap();
    // A helper's body is skipped without recursion, however deep.
    parse_module(&format!("def _f():\n    {}", nested(5000, "[", "1", "]"))).unwrap();
}

/// The quickstart archive, as a seed for mutations.
const ARCHIVE: &str = include_str!("testdata/heat_run.py");

/// Python-looking text: the characters archives and attacks are made of.
fn python_like() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("'".to_owned()),
            Just("\"".to_owned()),
            Just("'''".to_owned()),
            Just("\\".to_owned()),
            Just("\n".to_owned()),
            Just("\r".to_owned()),
            Just("    ".to_owned()),
            Just("#".to_owned()),
            "[\\[\\](){},:=+\\-*.;@]",
            "[a-z_]{1,6}",
            "[0-9a-fxobjeE_.]{1,6}",
            Just("def _f():".to_owned()),
            Just("lambda".to_owned()),
            Just("é".to_owned()),
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn never_panics_on_arbitrary_text(source in any::<String>()) {
        let _ = parse_module(&source);
    }

    #[test]
    fn never_panics_on_python_like_text(source in python_like()) {
        let _ = parse_module(&source);
        let _ = parse_expression(&source);
    }

    #[test]
    fn never_panics_on_mutated_archives(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..8)
    ) {
        let mut bytes = ARCHIVE.as_bytes().to_vec();
        for (index, byte, action) in edits {
            let i = index.index(bytes.len() + 1);
            match action {
                0 => bytes.insert(i, byte),
                1 if i < bytes.len() => bytes[i] = byte,
                _ if i < bytes.len() => {
                    bytes.remove(i);
                }
                _ => bytes.truncate(i),
            }
        }
        let _ = parse_module(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn never_panics_on_truncated_archives(index in any::<prop::sample::Index>()) {
        let end = index.index(ARCHIVE.len() + 1);
        if let Some(prefix) = ARCHIVE.get(..end) {
            let _ = parse_module(prefix);
        }
    }
}
