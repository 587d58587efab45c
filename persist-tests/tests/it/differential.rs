//! Differential test against CPython: a corpus of tricky sources (spellings of numbers, string
//! escapes and prefixes, line ends, byte order marks, coding declarations, continuation lines)
//! is parsed by our parser and compiled by CPython (`compile()`, never `exec`). Wherever we
//! accept a source, CPython must compile it too, and the value of every assignment must be the
//! one CPython's `ast.literal_eval` gives, compared bit for bit through a canonical spelling.

use std::fmt::Write as _;

use persist_core::__private::ast::{Expr, ExprKind, Stmt};
use persist_core::__private::parse_module;
use persist_tests::run_python;

/// Sources to compare; each assigns one or more names.
fn corpus() -> Vec<String> {
    let mut cases: Vec<String> = [
        "x = 1\n",
        "x = 0x_ff\n",
        "x = 0o777\n",
        "x = 0b1010_1010\n",
        "x = 1_000_000\n",
        "x = 340282366920938463463374607431768211456\n",
        "x = -9223372036854775808\n",
        "x = 0\n",
        "x = 00\n",
        "x = 1.5\n",
        "x = 1.\n",
        "x = .5\n",
        "x = 1e-3\n",
        "x = 1E+300\n",
        "x = 1e999\n",
        "x = -1e999\n",
        "x = 1_0.2_5e1_0\n",
        "x = 5e-324\n",
        "x = 2.2250738585072011e-308\n",
        "x = 0.1\n",
        "x = -0.0\n",
        "x = +0.5\n",
        "x = --1\n",
        "x = 2j\n",
        "x = 1.5J\n",
        "x = 1+2j\n",
        "x = 1-2j\n",
        "x = -0.0+1j\n",
        "x = -1.5-0.0j\n",
        "x = 0j\n",
        "x = 'a'\n",
        "x = \"a\"\n",
        "x = '''a\nb'''\n",
        "x = '''a\r\nb'''\n",
        "x = '''a\rb'''\n",
        "x = r'\\n\\''\n",
        "x = R'a\\\\'\n",
        "x = u'\\u00e9'\n",
        "x = 'a' 'b' \"c\"\n",
        "x = ('a'\n     'b')\n",
        "x = '\\x41\\101\\0\\7\\a\\b\\f\\n\\r\\t\\v\\\\'\n",
        "x = '\\U0001F600\\u2028\\ud7ff'\n",
        "x = 'é漢字😀'\n",
        "x = 'line\\\ncontinued'\n",
        "x = '\\q'\n",
        "x = b'\\x00\\xff\\n'\n",
        "x = rb'\\x00'\n",
        "x = Br'\\\\'\n",
        "x = b'a' b'b'\n",
        "x = True, False, None\n",
        "x = (1,)\n",
        "x = ()\n",
        "x = [1, [2, [3, []]], (4,)]\n",
        "x = {'a': 1, 'b': [2.5, None], (1, 2): 'c'}\n",
        "x = {1, 2, 3}\n",
        "x = {}\n",
        "x = [\n    1,\n    2,\n]\n",
        "x = 1 \\\n    + 2j\n",
        "x = 1  # a comment\n",
        "# first\n# second\nx = 1\n",
        "x = 1\r\ny = 2\r\n",
        "x = 1\ry = 2\r",
        "x = 1\ny = 2",
        "\u{feff}x = 1\n",
        "# -*- coding: utf-8 -*-\nx = 'é'\n",
        "#!/usr/bin/env python\n# coding=utf8\nx = 'é'\n",
        "x = 1\n# coding: latin-1\ny = 'é'\n",
        "x = 1;\n",
        "x = [1,\n\n  # comment inside\n  2]\n",
        "x\t=\t1\n",
        "x = 'a' # ' quote in comment\n",
        "x = \"\"\"'''\"\"\"\n",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    cases.push(format!("x = {}\n", "7".repeat(4300)));
    cases.push(format!("x = 0x{}\n", "f".repeat(5000)));
    cases
}

/// The canonical spelling of a value, as `canon` in [`PY_CANON`] spells it.
#[derive(Clone)]
enum V {
    Int(String),
    Float(f64),
    Complex(f64, f64),
    Other(String),
}

fn spell(v: &V) -> String {
    match v {
        V::Int(d) => format!("i:{d}"),
        V::Float(f) => format!("f:{:016x}", f.to_bits()),
        V::Complex(r, i) => format!("c:{:016x}:{:016x}", r.to_bits(), i.to_bits()),
        V::Other(s) => s.clone(),
    }
}

fn big(digits: &str, radix: u32) -> String {
    // Decimal digits of an arbitrary-size integer in `radix`.
    let mut out: Vec<u32> = vec![0]; // little-endian base 1e9
    for c in digits.chars() {
        let mut carry = c.to_digit(radix).expect("a digit");
        for limb in out.iter_mut() {
            let v = u64::from(*limb) * u64::from(radix) + u64::from(carry);
            *limb = (v % 1_000_000_000) as u32;
            carry = (v / 1_000_000_000) as u32;
        }
        if carry > 0 {
            out.push(carry);
        }
    }
    let mut s = out.last().unwrap().to_string();
    for limb in out.iter().rev().skip(1) {
        write!(s, "{limb:09}").unwrap();
    }
    s
}

fn value(e: &Expr) -> V {
    match &e.kind {
        ExprKind::Int(n) => V::Int(n.to_string()),
        ExprKind::BigInt { digits, radix } => V::Int(big(digits, *radix)),
        ExprKind::Float(f) => V::Float(*f),
        ExprKind::Complex(r, i) => V::Complex(*r, *i),
        ExprKind::Str(s) => V::Other(format!(
            "s:{}",
            s.chars()
                .map(|c| format!("{:x},", c as u32))
                .collect::<String>()
        )),
        ExprKind::Bytes(b) => V::Other(format!(
            "b:{}",
            b.iter().map(|x| format!("{x:02x}")).collect::<String>()
        )),
        ExprKind::Bool(true) => V::Other("T".into()),
        ExprKind::Bool(false) => V::Other("F".into()),
        ExprKind::None => V::Other("N".into()),
        ExprKind::List(items) => V::Other(format!("[{}]", join(items))),
        ExprKind::Tuple(items) => V::Other(format!("({})", join(items))),
        ExprKind::Set(items) => {
            let mut parts: Vec<String> = items.iter().map(|i| spell(&value(i))).collect();
            parts.sort();
            parts.dedup();
            V::Other(format!("<{}>", parts.join(",")))
        }
        ExprKind::Dict(entries) => V::Other(format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{}:{},", spell(&value(k)), spell(&value(v))))
                .collect::<String>()
        )),
        ExprKind::UnaryPlus(inner) => value(inner),
        ExprKind::UnaryMinus(inner) => match value(inner) {
            V::Int(d) if d == "0" => V::Int(d),
            V::Int(d) => V::Int(d.strip_prefix('-').map_or(format!("-{d}"), str::to_owned)),
            V::Float(f) => V::Float(-f),
            V::Complex(r, i) => V::Complex(-r, -i),
            V::Other(s) => V::Other(format!("-{s}")),
        },
        // `1+2j`: what the reader makes of it (see the main loop).
        ExprKind::BinOp { .. } => V::Other("complex: read by the reader".into()),
        other => V::Other(format!("?{other:?}")),
    }
}

fn join(items: &[Expr]) -> String {
    items.iter().map(|i| spell(&value(i)) + ",").collect()
}

/// Python's side: compile each source (one hex-encoded case a line of `cases.txt`),
/// `ast.literal_eval` each assignment's value, and spell it like [`spell`]; one line a case,
/// `ok` and the values or `refused` and why, separated by tabs (no spelling holds one).
const PY_CANON: &str = r#"
import ast, struct, sys
sys.set_int_max_str_digits(0) if hasattr(sys, 'set_int_max_str_digits') else None

def canon(v):
    if isinstance(v, bool):
        return 'T' if v else 'F'
    if v is None:
        return 'N'
    if isinstance(v, int):
        return 'i:%d' % v
    if isinstance(v, float):
        return 'f:' + struct.pack('>d', v).hex()
    if isinstance(v, complex):
        return 'c:' + struct.pack('>d', v.real).hex() + ':' + struct.pack('>d', v.imag).hex()
    if isinstance(v, str):
        return 's:' + ''.join('%x,' % ord(c) for c in v)
    if isinstance(v, bytes):
        return 'b:' + v.hex()
    if isinstance(v, list):
        return '[' + ''.join(canon(i) + ',' for i in v) + ']'
    if isinstance(v, tuple):
        return '(' + ''.join(canon(i) + ',' for i in v) + ')'
    if isinstance(v, set):
        return '<' + ','.join(sorted(canon(i) for i in v)) + '>'
    if isinstance(v, dict):
        return '{' + ''.join(canon(k) + ':' + canon(x) + ',' for k, x in v.items()) + '}'
    return '?' + repr(v)

for raw in open('cases.txt').read().split():
    data = bytes.fromhex(raw)
    try:
        compile(data, '<case>', 'exec')
        tree = ast.parse(data)
        values = []
        for s in tree.body:
            if isinstance(s, ast.Assign):
                try:
                    values.append(canon(ast.literal_eval(s.value)))
                except ValueError:
                    # `--1` and the like: literal_eval takes one sign only; our own corpus is
                    # safe to evaluate.
                    values.append(canon(eval(compile(ast.Expression(s.value), '<case>', 'eval'))))
        print('\t'.join(['ok'] + values))
    except Exception as e:
        print('refused\t%s: %s' % (type(e).__name__, ' '.join(str(e).split())[:80]))
"#;

#[test]
fn where_we_accept_the_values_are_what_cpython_compiles() {
    let cases = corpus();
    let dir = tempfile::tempdir().expect("temporary folder");
    let hex: Vec<String> = cases
        .iter()
        .map(|c| c.bytes().map(|b| format!("{b:02x}")).collect())
        .collect();
    std::fs::write(dir.path().join("cases.txt"), hex.join("\n")).expect("cases");
    let printed = run_python(dir.path(), PY_CANON);
    let python: Vec<PyResult> = printed.lines().map(parse_result).collect();
    assert_eq!(python.len(), cases.len());
    let mut failures = Vec::new();
    let mut accepted = 0;
    for (source, theirs) in cases.iter().zip(&python) {
        let Ok(module) = parse_module(source) else {
            continue;
        };
        accepted += 1;
        let ours: Vec<String> = module
            .statements
            .iter()
            .filter_map(|s| match s {
                Stmt::Assign {
                    value: v, target, ..
                } if matches!(v.kind, ExprKind::BinOp { .. }) => {
                    let c = persist_core::from_str::<num_complex::Complex<f64>>(source, target)
                        .expect("a complex sum reads");
                    Some(spell(&V::Complex(c.re, c.im)))
                }
                Stmt::Assign { value: v, .. } => Some(spell(&value(v))),
                _ => None,
            })
            .collect();
        match theirs {
            PyResult::Refused(why) => {
                failures.push(format!("{source:?}: we accept, CPython refuses: {why}"));
            }
            PyResult::Values(values) if *values != ours => {
                failures.push(format!("{source:?}: we read {ours:?}, CPython {values:?}"))
            }
            PyResult::Values(_) => {}
        }
    }
    assert!(accepted >= 60, "only {accepted} cases accepted");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What CPython made of one case.
enum PyResult {
    Values(Vec<String>),
    Refused(String),
}

/// One line Python printed: `ok<TAB>value<TAB>...` or `refused<TAB>why`.
fn parse_result(line: &str) -> PyResult {
    let mut fields = line.split('\t');
    match fields.next() {
        Some("ok") => PyResult::Values(fields.map(str::to_owned).collect()),
        _ => PyResult::Refused(fields.collect::<Vec<_>>().join(" ")),
    }
}
