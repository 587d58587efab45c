//! Tests of what the parser accepts: every literal form, formatting, statements, the writer's
//! own output.

use super::*;
use crate::python::ast::{BinOp, Call, ExprKind, Keyword, Stmt};

#[track_caller]
fn expr(source: &str) -> ExprKind {
    parse_expression(source)
        .unwrap_or_else(|e| panic!("{source:?} should parse: {e}"))
        .kind
}

#[track_caller]
fn module(source: &str) -> Module {
    parse_module(source).unwrap_or_else(|e| panic!("{source:?} should parse: {e}"))
}

#[track_caller]
fn string(source: &str) -> String {
    match expr(source) {
        ExprKind::Str(s) => s.to_string(),
        other => panic!("{source:?} is not a str: {other:?}"),
    }
}

#[track_caller]
fn bytes(source: &str) -> Vec<u8> {
    match expr(source) {
        ExprKind::Bytes(b) => b,
        other => panic!("{source:?} is not bytes: {other:?}"),
    }
}

#[track_caller]
fn float(source: &str) -> f64 {
    match expr(source) {
        ExprKind::Float(v) => v,
        other => panic!("{source:?} is not a float: {other:?}"),
    }
}

fn at(line: u32, column: u32) -> Pos {
    Pos::new(line, column)
}

fn e(kind: ExprKind, line: u32, column: u32) -> Expr {
    Expr {
        kind,
        pos: at(line, column),
    }
}

fn boxed(kind: ExprKind, line: u32, column: u32) -> Box<Expr> {
    Box::new(e(kind, line, column))
}

#[test]
fn integers_in_every_base_and_size() {
    for (source, value) in [
        ("0", 0),
        ("00", 0),
        ("0_0", 0),
        ("7", 7),
        ("1_000", 1000),
        ("1_2_3", 123),
        ("0x10", 16),
        ("0XfF", 255),
        ("0x_ff", 255),
        ("0o17", 15),
        ("0O_7", 7),
        ("0b1010", 10),
        ("0B_1_0", 2),
        ("18446744073709551615", u64::MAX),
        ("0xffff_ffff_ffff_ffff", u64::MAX),
    ] {
        assert_eq!(expr(source), ExprKind::Int(value), "{source}");
    }
    let big = |digits: &str, radix| ExprKind::BigInt {
        digits: digits.into(),
        radix,
    };
    assert_eq!(
        expr("18446744073709551616"),
        big("18446744073709551616", 10)
    );
    assert_eq!(
        expr("0x1_0000_0000_0000_0000"),
        big("10000000000000000", 16)
    );
    assert_eq!(expr(&"1".repeat(200)), big(&"1".repeat(200), 10));
    let ExprKind::BigInt { digits, radix } = expr(&u128::MAX.to_string()) else {
        panic!("u128::MAX is a BigInt");
    };
    assert_eq!(u128::from_str_radix(&digits, radix), Ok(u128::MAX));
    assert_eq!(
        expr("-170141183460469231731687303715884105728"),
        ExprKind::UnaryMinus(boxed(
            big("170141183460469231731687303715884105728", 10),
            1,
            2
        ))
    );
}

#[test]
fn floats_in_every_spelling() {
    for (source, value) in [
        ("1.5", 1.5),
        ("1.", 1.0),
        (".5", 0.5),
        ("0.0", 0.0),
        ("00.5", 0.5),
        ("09.5", 9.5),
        ("1_000.5", 1000.5),
        ("1e3", 1000.0),
        ("1E-3", 0.001),
        ("1.5e+3", 1500.0),
        ("1.e2", 100.0),
        (".5e1", 5.0),
        ("1_0e1_0", 1e11),
        ("0e0", 0.0),
        ("012e1", 120.0),
        ("5e-324", 5e-324),
        ("1.7976931348623157e308", f64::MAX),
        ("0.1", 0.1),
    ] {
        assert_eq!(float(source).to_bits(), f64::to_bits(value), "{source}");
    }
    assert_eq!(float("1e400"), f64::INFINITY);
    assert_eq!(
        expr("-0.0"),
        ExprKind::UnaryMinus(boxed(ExprKind::Float(0.0), 1, 2))
    );
}

#[test]
fn non_finite_floats_stay_calls() {
    let call = |arg: &str, column| {
        ExprKind::Call(Box::new(Call {
            func: e(ExprKind::Name("float".into()), 1, column),
            args: vec![e(ExprKind::Str(arg.into()), 1, column + 6)],
            kwargs: vec![],
        }))
    };
    assert_eq!(expr("float('nan')"), call("nan", 1));
    assert_eq!(expr("float(\"-inf\")"), call("-inf", 1));
    assert_eq!(
        expr("-float('inf')"),
        ExprKind::UnaryMinus(boxed(call("inf", 2), 1, 2))
    );
}

#[test]
fn imaginary_and_complex_literals() {
    assert_eq!(expr("3j"), ExprKind::Complex(0.0, 3.0));
    assert_eq!(expr("1.5e3J"), ExprKind::Complex(0.0, 1500.0));
    assert_eq!(expr("0j"), ExprKind::Complex(0.0, 0.0));
    assert_eq!(expr("010j"), ExprKind::Complex(0.0, 10.0));
    assert_eq!(expr(".5j"), ExprKind::Complex(0.0, 0.5));
    assert_eq!(
        expr("1+2j"),
        ExprKind::BinOp {
            op: BinOp::Add,
            left: boxed(ExprKind::Int(1), 1, 1),
            right: boxed(ExprKind::Complex(0.0, 2.0), 1, 3),
        }
    );
    assert_eq!(
        expr("-1.5 - 2j"),
        ExprKind::BinOp {
            op: BinOp::Sub,
            left: boxed(
                ExprKind::UnaryMinus(boxed(ExprKind::Float(1.5), 1, 2)),
                1,
                1
            ),
            right: boxed(ExprKind::Complex(0.0, 2.0), 1, 8),
        }
    );
    assert!(matches!(
        expr("(1+-2j)"),
        ExprKind::BinOp { op: BinOp::Add, .. }
    ));
    assert!(matches!(expr("complex(1.0, -0.0)"), ExprKind::Call(_)));
}

#[test]
fn strings_in_every_quote_style() {
    assert_eq!(string("'a'"), "a");
    assert_eq!(string("\"a\""), "a");
    assert_eq!(string("''"), "");
    assert_eq!(string("\"\"\"\"\"\""), "");
    assert_eq!(string("'''a'b''c\n'''"), "a'b''c\n");
    assert_eq!(string("\"\"\"a\"b\"\"c\n\"\"\""), "a\"b\"\"c\n");
    assert_eq!(string("'say \"hi\"'"), "say \"hi\"");
    assert_eq!(string("\"it's\""), "it's");
    assert_eq!(string("'é😀\u{2028}'"), "é😀\u{2028}");
    for prefix in ["u", "U"] {
        assert_eq!(string(&format!("{prefix}'a\\n'")), "a\n");
    }
}

#[test]
fn string_escapes() {
    assert_eq!(
        string(r#"'\\ \' \" \n \r \t \a \b \f \v'"#),
        "\\ ' \" \n \r \t \u{7} \u{8} \u{c} \u{b}"
    );
    assert_eq!(
        string(r"'\0\7\101\1010\377\777'"),
        "\0\u{7}AA0\u{ff}\u{1ff}"
    );
    assert_eq!(string(r"'\x41\xe9\xFF'"), "A\u{e9}\u{ff}");
    assert_eq!(string(r"'\u00e9\u20AC\U0001F600\U00000041'"), "é€😀A");
    assert_eq!(string("'a\\\nb'"), "ab");
    assert_eq!(string("'a\\\r\nb'"), "ab");
    assert_eq!(string("'''a\\\nb'''"), "ab");
    // Unknown escapes keep their backslash, as in Python.
    assert_eq!(string(r"'\d\w\ \é'"), "\\d\\w\\ \\é");
    // Newlines inside triple quotes are read as `\n`, whatever the file uses.
    assert_eq!(string("'''a\r\nb\rc'''"), "a\nb\nc");
}

#[test]
fn raw_strings_keep_backslashes() {
    for prefix in ["r", "R"] {
        assert_eq!(string(&format!(r"{prefix}'\n\x41'")), r"\n\x41");
    }
    assert_eq!(string(r"r'\''"), r"\'");
    assert_eq!(string(r#"r"\"""#), r#"\""#);
    assert_eq!(string(r"r'\\'"), r"\\");
    assert_eq!(string("r'''a\\\nb'''"), "a\\\nb");
    assert_eq!(string("r'a\\\r\nb'"), "a\\\nb");
}

#[test]
fn bytes_literals() {
    for prefix in ["b", "B"] {
        assert_eq!(bytes(&format!("{prefix}'ab'")), b"ab");
    }
    assert_eq!(bytes(r"b'\x00\xff\n\\\'\101\0'"), b"\x00\xff\n\\'A\0");
    assert_eq!(bytes(r"b'\u1234\N{x}'"), b"\\u1234\\N{x}");
    for prefix in ["rb", "Rb", "rB", "RB", "br", "bR", "Br", "BR"] {
        assert_eq!(bytes(&format!(r"{prefix}'\x00'")), br"\x00", "{prefix}");
    }
    assert_eq!(bytes("b'''a\r\nb'''"), b"a\nb");
    assert_eq!(bytes("b''"), b"");
    assert_eq!(bytes("b'a' B\"b\" rb'''\\c'''"), b"ab\\c");
}

#[test]
fn adjacent_strings_concatenate() {
    assert_eq!(string("'a' \"b\" '''c''' r'\\d'"), "abc\\d");
    assert_eq!(string("('a'  # first part\n   'b'\n)"), "ab");
    assert_eq!(string("'a' \\\n 'b'"), "ab");
}

#[test]
fn constants_names_and_attributes() {
    assert_eq!(expr("True"), ExprKind::Bool(true));
    assert_eq!(expr("False"), ExprKind::Bool(false));
    assert_eq!(expr("None"), ExprKind::None);
    assert_eq!(expr("_t0"), ExprKind::Name("_t0".into()));
    assert_eq!(expr("match"), ExprKind::Name("match".into()));
    assert_eq!(
        expr("_np . float64"),
        ExprKind::Attribute {
            value: boxed(ExprKind::Name("_np".into()), 1, 1),
            attr: "float64".into(),
        }
    );
    let mut name = String::new();
    assert!(parse_expression("a.b.c").unwrap().dotted_name(&mut name));
    assert_eq!(name, "a.b.c");
}

#[test]
fn displays_with_trailing_commas() {
    let int = |v, column| e(ExprKind::Int(v), 1, column);
    assert_eq!(expr("[]"), ExprKind::List(vec![]));
    assert_eq!(expr("[1,]"), ExprKind::List(vec![int(1, 2)]));
    assert_eq!(expr("()"), ExprKind::Tuple(vec![]));
    assert_eq!(expr("(1,)"), ExprKind::Tuple(vec![int(1, 2)]));
    assert_eq!(expr("(1)"), ExprKind::Int(1));
    assert_eq!(expr("((1))"), ExprKind::Int(1));
    assert_eq!(expr("(1, 2,)"), ExprKind::Tuple(vec![int(1, 2), int(2, 5)]));
    assert_eq!(expr("{}"), ExprKind::Dict(vec![]));
    assert_eq!(
        expr("{1: 2, 3: 4,}"),
        ExprKind::Dict(vec![(int(1, 2), int(2, 5)), (int(3, 8), int(4, 11))])
    );
    assert_eq!(expr("{1, 2,}"), ExprKind::Set(vec![int(1, 2), int(2, 5)]));
    assert_eq!(expr("{1}"), ExprKind::Set(vec![int(1, 2)]));
    assert_eq!(
        expr("[(), [], {}, set()]"),
        ExprKind::List(vec![
            e(ExprKind::Tuple(vec![]), 1, 2),
            e(ExprKind::List(vec![]), 1, 6),
            e(ExprKind::Dict(vec![]), 1, 10),
            e(
                ExprKind::Call(Box::new(Call {
                    func: e(ExprKind::Name("set".into()), 1, 14),
                    args: vec![],
                    kwargs: vec![],
                })),
                1,
                14
            ),
        ])
    );
}

#[test]
fn calls_with_arguments_in_any_order() {
    let ExprKind::Call(call) = expr("_X(1, 'a', b=2, a=3,)") else {
        panic!("a call");
    };
    assert_eq!(call.func.kind, ExprKind::Name("_X".into()));
    assert_eq!(call.args.len(), 2);
    assert_eq!(
        call.kwargs,
        vec![
            Keyword {
                name: "b".into(),
                value: e(ExprKind::Int(2), 1, 14),
                pos: at(1, 12),
            },
            Keyword {
                name: "a".into(),
                value: e(ExprKind::Int(3), 1, 19),
                pos: at(1, 17),
            },
        ]
    );
    let ExprKind::Call(call) =
        expr("_np.asfortranarray(_np.array([[1, 2], [3, 4]], dtype='int32'))")
    else {
        panic!("a call");
    };
    let ExprKind::Call(inner) = &call.args[0].kind else {
        panic!("a nested call");
    };
    assert_eq!(inner.kwargs[0].name, "dtype");
    assert_eq!(inner.args.len(), 1);
    assert!(matches!(expr("f()"), ExprKind::Call(c) if c.args.is_empty() && c.kwargs.is_empty()));
    assert!(matches!(expr("(f)(x=1)"), ExprKind::Call(_)));
}

#[test]
fn signs() {
    assert_eq!(
        expr("-1"),
        ExprKind::UnaryMinus(boxed(ExprKind::Int(1), 1, 2))
    );
    assert_eq!(
        expr("+1"),
        ExprKind::UnaryPlus(boxed(ExprKind::Int(1), 1, 2))
    );
    assert_eq!(
        expr("- -1"),
        ExprKind::UnaryMinus(boxed(
            ExprKind::UnaryMinus(boxed(ExprKind::Int(1), 1, 4)),
            1,
            3
        ))
    );
    assert!(
        matches!(expr("-x.y"), ExprKind::UnaryMinus(inner) if matches!(inner.kind, ExprKind::Attribute { .. }))
    );
}

#[test]
fn positions_count_characters_across_lines() {
    let m = module("# é comment\nx = ['é😀', 1,\n     2]\ny = 3\n");
    let Stmt::Assign { value, pos, .. } = &m.statements[0] else {
        panic!("an assignment");
    };
    assert_eq!(*pos, at(2, 1));
    let ExprKind::List(items) = &value.kind else {
        panic!("a list");
    };
    assert_eq!(value.pos, at(2, 5));
    assert_eq!(items[0].pos, at(2, 6));
    assert_eq!(items[1].pos, at(2, 12));
    assert_eq!(items[2].pos, at(3, 6));
    assert_eq!(m.statements[1].pos(), at(4, 1));
    // Multi-line strings move the line count along.
    let m = module("x = '''\n\n'''\ny = 'a\\\nb'\nz = 1\n");
    assert_eq!(m.statements[1].pos(), at(4, 1));
    assert_eq!(m.statements[2].pos(), at(6, 1));
}

#[test]
fn formatting_and_line_endings() {
    let source = "\u{feff}# header\n\n   \n\t\nx = [  # open\n  1,\n\n  # inside\n      2]\ny = \\\n  3\r\nz = (1,\r\n 2)\rw = 4";
    let m = module(source);
    let targets: Vec<_> = m
        .statements
        .iter()
        .map(|s| match s {
            Stmt::Assign { target, pos, .. } => (target.as_str(), pos.line),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(targets, [("x", 5), ("y", 10), ("z", 12), ("w", 14)]);
    assert_eq!(module("").statements, vec![]);
    assert_eq!(module("# only a comment").statements, vec![]);
    assert_eq!(module("\n\n# c\n").statements, vec![]);
    assert_eq!(module("x = 1 # trailing").statements.len(), 1);
    assert_eq!(module("x = 1,  2").statements.len(), 1);
    let Stmt::Assign { value, .. } = &module("x = 1, 2,\n").statements[0] else {
        panic!("an assignment");
    };
    assert!(matches!(&value.kind, ExprKind::Tuple(items) if items.len() == 2));
}

#[test]
fn imports_del_and_docstrings() {
    let m = module(
        "\"\"\"An archive.\"\"\"\nimport numpy as _np\nimport os\nimport os.path as _p\nfrom a.b import C as _C\nfrom m import D\ndel _np, _C,\ndel x\n",
    );
    assert_eq!(
        m.statements,
        vec![
            Stmt::Import {
                module: "numpy".into(),
                alias: Some("_np".into()),
                pos: at(2, 1),
            },
            Stmt::Import {
                module: "os".into(),
                alias: None,
                pos: at(3, 1),
            },
            Stmt::Import {
                module: "os.path".into(),
                alias: Some("_p".into()),
                pos: at(4, 1),
            },
            Stmt::ImportFrom {
                module: "a.b".into(),
                name: "C".into(),
                alias: Some("_C".into()),
                pos: at(5, 1),
            },
            Stmt::ImportFrom {
                module: "m".into(),
                name: "D".into(),
                alias: None,
                pos: at(6, 1),
            },
            Stmt::Del {
                names: vec!["_np".into(), "_C".into()],
                pos: at(7, 1),
            },
            Stmt::Del {
                names: vec!["x".into()],
                pos: at(8, 1),
            },
        ]
    );
}

#[test]
fn helper_definitions_are_skipped_not_read() {
    let source = "def _one(x): return [y for y in x if y]\n\
                  def _two(a, b=(1, 2), *args, **kw) -> None:\n\
                  \x20   '''doc\n\
                  at column 1 inside a string\n\
                  '''\n\
                  \n\
                  # a comment at column 1\n\
                  \x20   f = lambda q: f'{q!r} {\"x\"}' @ 2 ** 3\n\
                  \x20   if a:\n\
                  \x20       class Inner: pass\n\
                  \x20   return (a,\n\
                  b)  # continued at column 1\n\
                  x = 1\n\
                  def _three() -> (int, str):\n\
                  \x20 pass";
    let m = module(source);
    let two_start = source.find("def _two").unwrap();
    let x_start = source.find("x = 1").unwrap();
    let three_start = source.find("def _three").unwrap();
    assert_eq!(
        m.statements,
        vec![
            Stmt::FunctionDef {
                name: "_one".into(),
                pos: at(1, 1),
                span: 0..two_start - 1,
            },
            Stmt::FunctionDef {
                name: "_two".into(),
                pos: at(2, 1),
                span: two_start..x_start,
            },
            Stmt::Assign {
                target: "x".into(),
                value: e(ExprKind::Int(1), 13, 5),
                pos: at(13, 1),
            },
            Stmt::FunctionDef {
                name: "_three".into(),
                pos: at(14, 1),
                span: three_start..source.len(),
            },
        ]
    );
}

/// Parse the quickstart example's archive, a verbatim copy made with
/// `cargo run --example quickstart && cp target/examples/heat_run/__init__.py
/// persist-core/src/python/parser/testdata/heat_run.py`. The positions below refer to it; the
/// live writer's output is covered by `archive/tests_source.rs`.
#[test]
fn the_writers_quickstart_archive() {
    let m = module(include_str!("testdata/heat_run.py"));
    let shape: Vec<String> = m
        .statements
        .iter()
        .map(|s| match s {
            Stmt::Assign { target, .. } => format!("{target} ="),
            Stmt::Import { module, alias, .. } => format!("import {module} as {alias:?}"),
            Stmt::ImportFrom { .. } => "from".into(),
            Stmt::Del { names, .. } => format!("del {}", names.join(", ")),
            Stmt::FunctionDef { name, .. } => format!("def {name}"),
            Stmt::ReplaceModule { sys, .. } => format!("{sys}.modules[__name__] ="),
        })
        .collect();
    assert_eq!(
        shape,
        [
            "import numpy as Some(\"_np\")",
            "import os as Some(\"_os\")",
            "_arrays =",
            "def _load",
            "def _record",
            "_Run =",
            "_Params =",
            "_Boundary_Dirichlet =",
            "run =",
            "del _np, _os, _arrays, _load, _record, _Run, _Params, _Boundary_Dirichlet",
        ]
    );
    let Stmt::Assign { value, pos, .. } = &m.statements[8] else {
        panic!("run = ...");
    };
    assert_eq!(*pos, at(75, 1));
    let ExprKind::Call(call) = &value.kind else {
        panic!("a record call");
    };
    let names: Vec<_> = call.kwargs.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(
        names,
        ["params", "boundary", "temperature", "energy", "note"]
    );
    let ExprKind::List(energy) = &call.kwargs[3].value.kind else {
        panic!("a list of floats");
    };
    assert_eq!(energy.len(), 200);
    assert_eq!(energy[0].kind, ExprKind::Float(0.6283185307179586));
    assert_eq!(energy[0].pos, at(80, 9));
    let Stmt::Assign { value, .. } = &m.statements[7] else {
        panic!("a record class");
    };
    let ExprKind::Call(class) = &value.kind else {
        panic!("_record(...)");
    };
    assert_eq!(
        class.args[0].kind,
        ExprKind::Str("Boundary.Dirichlet".into())
    );
    assert_eq!(
        class.args[1].kind,
        ExprKind::Tuple(vec![e(ExprKind::Str("value".into()), 73, 54)])
    );
}

#[test]
fn the_keyword_match_is_python_s_keyword_list() {
    use crate::python::name::PYTHON_KEYWORDS;
    for keyword in PYTHON_KEYWORDS {
        assert!(is_keyword(keyword), "{keyword}");
        assert!(!is_keyword(&keyword[..keyword.len() - 1]), "{keyword}");
        assert!(!is_keyword(&format!("{keyword}_")), "{keyword}");
    }
    for name in [
        "match", "case", "type", "_", "print", "self", "TRUE", "none", "",
    ] {
        assert!(!is_keyword(name), "{name}");
    }
}
