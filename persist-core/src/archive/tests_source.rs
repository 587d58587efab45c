//! The parser reads what the writer writes: a realistic archive from
//! [`Archive::to_python_source`], and round trips of every
//! literal spelling of [`literal`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use ndarray::{Array2, ArrayD, IxDyn, array};
use num_complex::Complex;
use proptest::prelude::*;

use super::Archive;
use crate::python::ast::{Expr, ExprKind, Module, Stmt};
use crate::python::literal;
use crate::python::parser::{parse_expression, parse_module};

/// The value of a float spelled by the writer: a literal, a signed one, or `float('...')`.
#[track_caller]
fn float_value(e: &Expr) -> f64 {
    match &e.kind {
        ExprKind::Float(v) => *v,
        ExprKind::UnaryMinus(inner) => -float_value(inner),
        ExprKind::UnaryPlus(inner) => float_value(inner),
        ExprKind::Call(call) if call.func.kind == ExprKind::Name("float".into()) => {
            match &call.args[..] {
                [
                    Expr {
                        kind: ExprKind::Str(text),
                        ..
                    },
                ] => text.parse().expect("nan, inf or -inf"),
                other => panic!("float({other:?})"),
            }
        }
        other => panic!("not a float: {other:?}"),
    }
}

/// The value of an integer spelled by the writer, as (negative, magnitude).
#[track_caller]
fn int_value(e: &Expr) -> (bool, u128) {
    match &e.kind {
        ExprKind::Int(v) => (false, u128::from(*v)),
        ExprKind::BigInt { digits, radix } => (
            false,
            u128::from_str_radix(digits, *radix).expect("fits in u128"),
        ),
        ExprKind::UnaryMinus(inner) => {
            let (negative, magnitude) = int_value(inner);
            (!negative, magnitude)
        }
        other => panic!("not an int: {other:?}"),
    }
}

fn same_float(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

#[track_caller]
fn item<'m>(module: &'m Module, name: &str) -> &'m Expr {
    module
        .statements
        .iter()
        .find_map(|s| match s {
            Stmt::Assign { target, value, .. } if target == name => Some(value),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no item {name}"))
}

#[test]
fn a_realistic_archive_from_the_writer() {
    let text = "quote ' double \" back \\ nul \0 newline \n cr \r tab \t bell \x07 del \x7f \u{85} é 😀 \u{2028} \u{feff}";
    let floats = vec![
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -0.0,
        0.0,
        5e-324,
        f64::MAX,
        f64::MIN_POSITIVE,
        0.1,
        -1e300,
    ];
    let shared = Rc::new(vec![1.5, -0.0]);
    let mut map = BTreeMap::new();
    map.insert("b".to_owned(), (1_i32, true));
    map.insert("a'\n".to_owned(), (-2, false));
    let mut by_int = HashMap::new();
    by_int.insert(-3_i64, vec![b'x'; 3]);
    by_int.insert(7, Vec::new());
    // 60 dimensions: more than the writer nests in one statement, so it is hoisted.
    let deep = ArrayD::<f64>::from_elem(IxDyn(&[1; 60]), 2.5);
    let ints = (i128::MIN, u128::MAX, i64::MIN, u64::MAX, -1_i8, 0_u16);

    let mut archive = Archive::local();
    archive.insert("ints", ints).unwrap();
    archive.insert("floats", floats.clone()).unwrap();
    archive
        .insert("f32s", vec![0.1_f32, f32::NAN, -f32::INFINITY])
        .unwrap();
    archive.insert("text", text).unwrap();
    archive.insert("chars", ('\'', '\0', '\u{10ffff}')).unwrap();
    archive.insert("options", vec![Some(1), None]).unwrap();
    archive.insert("map", map).unwrap();
    archive.insert("by_int", by_int).unwrap();
    archive.insert("sorted", BTreeSet::from([3, 1, 2])).unwrap();
    archive
        .insert(
            "empty",
            (BTreeSet::<i32>::new(), Vec::<u8>::new(), (), ((),)),
        )
        .unwrap();
    archive
        .insert(
            "complexes",
            vec![
                Complex::new(1.0, -0.0),
                Complex::new(f64::NAN, f64::INFINITY),
            ],
        )
        .unwrap();
    archive
        .insert("matrix", array![[1.0, 2.0], [3.0, 4.0]])
        .unwrap();
    archive
        .insert("fortran", array![[1_i32, 2, 3], [4, 5, 6]].reversed_axes())
        .unwrap();
    archive
        .insert("no_rows", Array2::<u8>::zeros((0, 3)))
        .unwrap();
    archive.insert("booleans", array![true, false]).unwrap();
    archive.insert("deep", vec![deep]).unwrap();
    archive.insert("shared", (shared.clone(), shared)).unwrap();
    let source = archive.to_python_source().unwrap();
    let module = parse_module(&source).unwrap_or_else(|e| panic!("{e}\n{source}"));

    // Every call is to a helper the archive defines or to the few callables it uses: the
    // verifier accepts the module.
    crate::read::ArchiveReader::from_source(&source).unwrap_or_else(|e| panic!("{e}\n{source}"));
    let mut hoisted = Vec::new();
    for statement in &module.statements {
        match statement {
            Stmt::Assign { target, .. } => {
                if target.starts_with('_') {
                    hoisted.push(target.clone());
                }
            }
            Stmt::Del { names, .. } => assert!(names.iter().all(|n| n.starts_with('_'))),
            Stmt::Import { module, alias, .. } => {
                assert_eq!((module.as_str(), alias.as_deref()), ("numpy", Some("_np")));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(hoisted.iter().any(|n| n.starts_with("_t")), "{source}");
    assert!(hoisted.iter().any(|n| n.starts_with("_s")), "{source}");

    let ExprKind::Str(read) = &item(&module, "text").kind else {
        panic!("text is a str");
    };
    assert_eq!(read, text);
    let ExprKind::List(read) = &item(&module, "floats").kind else {
        panic!("floats is a list");
    };
    assert_eq!(read.len(), floats.len());
    for (read, written) in read.iter().zip(&floats) {
        assert!(
            same_float(float_value(read), *written),
            "{read:?} {written}"
        );
    }
    let ExprKind::Tuple(read) = &item(&module, "ints").kind else {
        panic!("ints is a tuple");
    };
    let read: Vec<_> = read.iter().map(int_value).collect();
    assert_eq!(
        read,
        [
            (true, 1 << 127),
            (false, u128::MAX),
            (true, 1 << 63),
            (false, u128::from(u64::MAX)),
            (true, 1),
            (false, 0),
        ]
    );
    let ExprKind::Tuple(read) = &item(&module, "chars").kind else {
        panic!("chars is a tuple");
    };
    assert_eq!(read[2].kind, ExprKind::Str("\u{10ffff}".into()));
}

proptest! {
    #[test]
    fn every_string_reads_back(text in any::<String>()) {
        let mut source = String::new();
        literal::push_str(&mut source, &text);
        prop_assert_eq!(parse_expression(&source).map(|e| e.kind), Ok(ExprKind::Str(text.into())));
    }

    #[test]
    fn every_f64_reads_back(value in any::<f64>()) {
        let mut source = String::new();
        literal::push_f64(&mut source, value);
        let read = float_value(&parse_expression(&source).unwrap());
        prop_assert!(same_float(read, value), "{} read as {}", source, read);
    }

    /// Finite `f64`s are laid out as Rust's `{:?}` lays them out (what every archive has used),
    /// with zmij's digits: the same but where two shortest decimals are equally near the value
    /// (`1780087066521218.25`), whose last digit zmij rounds to even as Python's `repr` does
    /// (`...218.2`) and `{:?}` does not (`...218.3`).
    #[test]
    fn floats_are_laid_out_as_rust_debug(bits in any::<u64>(), bits32 in any::<u32>()) {
        let value = f64::from_bits(bits);
        if value.is_finite() {
            let mut source = String::new();
            literal::push_f64(&mut source, value);
            let debug = format!("{value:?}");
            let differing: Vec<usize> = (0..source.len())
                .filter(|&i| source.as_bytes().get(i) != debug.as_bytes().get(i))
                .collect();
            prop_assert!(
                source == debug
                    || (source.len() == debug.len()
                        && differing.len() == 1
                        && source.as_bytes()[differing[0]].is_ascii_digit()
                        && source.parse::<f64>() == Ok(value)),
                "{} against {}", source, debug
            );
        }
        let value = f32::from_bits(bits32);
        if value.is_finite() {
            let mut source = String::new();
            literal::push_f32(&mut source, value);
            prop_assert_eq!(source, format!("{value:?}"));
        }
    }

    #[test]
    fn every_f32_reads_back(value in any::<f32>()) {
        let mut source = String::new();
        literal::push_f32(&mut source, value);
        let read = float_value(&parse_expression(&source).unwrap());
        prop_assert!(same_float(f64::from(read as f32), f64::from(value)), "{} read as {}", source, read);
    }

    #[test]
    fn every_integer_reads_back(signed in any::<i128>(), unsigned in any::<u128>()) {
        let mut source = String::new();
        literal::push_int(&mut source, signed);
        let read = int_value(&parse_expression(&source).unwrap());
        prop_assert_eq!(read, (signed < 0, signed.unsigned_abs()));
        source.clear();
        literal::push_int(&mut source, unsigned);
        prop_assert_eq!(int_value(&parse_expression(&source).unwrap()), (false, unsigned));
    }

    #[test]
    fn every_complex_reads_back(re in any::<f64>(), im in any::<f64>()) {
        let mut source = String::new();
        literal::push_complex(&mut source, re, im);
        let ExprKind::Call(call) = parse_expression(&source).unwrap().kind else {
            panic!("complex(...) is a call");
        };
        prop_assert_eq!(&call.func.kind, &ExprKind::Name("complex".into()));
        prop_assert!(same_float(float_value(&call.args[0]), re));
        prop_assert!(same_float(float_value(&call.args[1]), im));
    }
}

/// The edges of the fraction and exponent spellings, and the extremes, spelled as `{:?}` does;
/// a tie of two shortest decimals rounded to even, as Python's `repr` spells it.
#[test]
fn float_spelling_edges_match_rust_debug() {
    let values = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.1,
        0.5,
        1e-4,
        9.999999999999999e-5,
        1e-5,
        1.5e-7,
        1e15,
        1e16,
        9999999999999998.0,
        1.2345678901234568e17,
        123456.789,
        1e300,
        f64::MAX,
        f64::MIN_POSITIVE,
        5e-324,
        2.2250738585072014e-308,
        100.0,
        1e21,
        0.001,
        123e-10,
    ];
    for value in values {
        let mut source = String::new();
        literal::push_f64(&mut source, value);
        assert_eq!(source, format!("{value:?}"), "{value:e}");
    }
    let mut tie = String::new();
    // 1780087066521218.25, exactly halfway between two shortest decimals.
    literal::push_f64(&mut tie, f64::from_bits(4_834_979_148_807_256_585));
    assert_eq!(tie, "1780087066521218.2");
    for value in [0.1_f32, 1e-4, 1e16, 3.4028235e38, 1e-45, 16777216.0, 0.3] {
        let mut source = String::new();
        literal::push_f32(&mut source, value);
        assert_eq!(source, format!("{value:?}"), "{value:e}");
    }
}
