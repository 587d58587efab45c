//! Other spellings of the same values: keyword arguments in any order, other quote styles,
//! comments anywhere and numbers in any Python spelling.

use std::fmt::Debug;

use ndarray::{Array1, array};
use num_complex::Complex;
use persist_core::{Archive, Persist};
use persist_tests::save_package;

use super::{
    assert_python_sees_rich_items, assert_rich_items, edit, read, save_rich, write_source,
};

#[test]
fn keyword_arguments_in_any_order() {
    let saved = save_rich();
    let source = saved.source();
    // The record is written one keyword argument per line: reverse those lines.
    let start = source.find("run = _Run(\n").expect("the record") + "run = _Run(\n".len();
    let end = start + source[start..].find("\n)\n").expect("its end") + 1;
    let mut arguments: Vec<&str> = source[start..end].split_inclusive('\n').collect();
    assert_eq!(arguments.len(), 9, "{source}");
    arguments.reverse();
    let reversed = format!(
        "{}{}{}",
        &source[..start],
        arguments.concat(),
        &source[end..]
    );
    assert!(reversed.contains("run = _Run(\n    pair="), "{reversed}");
    write_source(&saved, &reversed);
    assert_rich_items(&saved);
    // The first fields as positional arguments, in the order of the record's class.
    let positional = edit(
        &source,
        "    name='first run',\n    alpha=0.5,\n",
        "'first run', 0.5,\n",
    );
    write_source(&saved, &positional);
    assert_rich_items(&saved);
    // A struct variant's field given positionally.
    let variant = edit(&source, "_Shape_Circle(radius=1.5)", "_Shape_Circle(1.5)");
    write_source(&saved, &variant);
    assert_rich_items(&saved);
    assert_python_sees_rich_items(&saved);
}

#[test]
fn other_quote_styles() {
    let saved = save_rich();
    let source = saved.source();
    let note = r#"'line one\nline \'two\'\t"end"'"#;
    assert!(source.contains(&format!("note = {note}\n")), "{source}");
    for (what, name, note) in [
        (
            "double quotes",
            r#""first run""#,
            r#""line one\nline 'two'\t\"end\"""#,
        ),
        (
            "triple quotes",
            "'''first run'''",
            "\"\"\"line one\nline 'two'\t\"end\\\"\"\"\"",
        ),
        (
            "triple single quotes over lines",
            r#"'''first run'''"#,
            "'''line one\nline \\'two\\'\t\"end\"'''",
        ),
        (
            "raw strings and concatenation",
            r#"r'first' " run""#,
            r#"'line one\n' r"line 'two'" '\t"end"'"#,
        ),
        (
            "prefixes and escapes",
            r#"u'\x66irst\u0020r\U00000075n'"#,
            r#"'line\x20one\012line \047two\'\t\u0022end\42'"#,
        ),
    ] {
        let edited = edit(&source, "name='first run'", &format!("name={name}"));
        let edited = edit(
            &edited,
            &format!("note = {note_was}", note_was = note_written()),
            &format!("note = {note}"),
        );
        write_source(&saved, &edited);
        if std::panic::catch_unwind(|| assert_rich_items(&saved)).is_err() {
            panic!("{what}: the items do not read back (see above)");
        }
        assert_python_sees_rich_items(&saved);
    }

    /// How the writer spells the note.
    fn note_written() -> &'static str {
        r#"'line one\nline \'two\'\t"end"'"#
    }
}

#[test]
fn comments_anywhere() {
    let saved = save_rich();
    let source = saved.source();
    let mut commented = edit(
        &source,
        "run = _Run(\n",
        "# The first run (a comment with brackets ) ] } and quotes ' \" of its own).\nrun = _Run(  # end of line\n    # own line inside the call\n",
    );
    commented = edit(
        &commented,
        "    steps=1000,\n",
        "    steps=1000,  # was 100\n\n    # blank line above\n",
    );
    commented = edit(
        &commented,
        "\nlong = [\n",
        "\n    # an indented comment between items\nlong = [  # [\n",
    );
    commented = commented.replace("one = (7,)", "one = (  # ' \"\n    7,  # )\n)  # (");
    commented.push_str("# the end, without a newline");
    write_source(&saved, &commented);
    assert_rich_items(&saved);
    assert_python_sees_rich_items(&saved);
}

#[derive(Persist, Debug, PartialEq)]
struct Numbers {
    thousand: u32,
    sixteen: i32,
    five: u8,
    fifteen: u16,
    negative: i64,
    huge: u128,
    kilo: f64,
    half: f64,
    whole: f64,
    small: f32,
    big: f64,
    z: Complex<f64>,
    w: Complex<f32>,
    values: Array1<f64>,
    points: Vec<f64>,
}

#[test]
fn numbers_in_any_python_spelling() {
    let numbers = Numbers {
        thousand: 1000,
        sixteen: 16,
        five: 5,
        fifteen: 15,
        negative: -16,
        huge: u128::MAX,
        kilo: 1000.0,
        half: 0.5,
        whole: 2.0,
        small: 1.5,
        big: 1e300,
        z: Complex::new(3.0, 0.0),
        w: Complex::new(0.0, 2.0),
        values: array![1.0, 2.5, 3.0],
        points: vec![-1.0, 4.0],
    };
    let mut archive = Archive::new();
    archive.insert("n", &numbers).expect("insert");
    let saved = save_package(&archive);
    let source = saved.source();
    let mut edited = source.clone();
    for (from, to) in [
        ("thousand=1000,", "thousand=1_000,"),
        ("sixteen=16,", "sixteen=0x10,"),
        ("five=5,", "five=0b101,"),
        ("fifteen=15,", "fifteen=0o17,"),
        ("negative=-16,", "negative=-0X1_0,"),
        (
            &format!("huge={},", u128::MAX),
            "huge=0xffff_ffff_ffff_ffff_ffff_ffff_ffff_ffff,",
        ),
        ("kilo=1000.0,", "kilo=1e3,"),
        ("half=0.5,", "half=.5,"),
        // An int where a float is expected.
        ("whole=2.0,", "whole=2,"),
        ("small=1.5,", "small=15E-1,"),
        ("big=1e300,", "big=1_000e297,"),
        ("[1.0, 2.5, 3.0]", "[1, 2.5, 3.]"),
        ("points=[-1.0, 4.0]", "points=[-1, +0x4]"),
    ] {
        edited = edit(&edited, from, to);
    }
    // Complex numbers: whatever the writer chose, respell them as literals and calls.
    let z_start = edited.find("z=").expect("z");
    let z_end = z_start + edited[z_start..].find(",\n").expect("end of z");
    edited.replace_range(z_start..z_end, "z=3");
    let w_start = edited.find("w=").expect("w");
    let w_end = w_start + edited[w_start..].find(",\n").expect("end of w");
    edited.replace_range(w_start..w_end, "w=2j");
    write_source(&saved, &edited);
    assert_eq!(read::<Numbers>(&saved, "n"), numbers, "{edited}");
    saved.check(
        "assert a.n.thousand == 1000 and a.n.sixteen == 16 and a.n.five == 5 and a.n.fifteen == 15\n\
         assert a.n.negative == -16 and a.n.huge == 2**128 - 1 and a.n.kilo == 1000.0 and a.n.w == 2j\n",
    );
    // Other spellings of the complex numbers.
    for (z, w) in [
        ("complex(3, 0)", "complex(0, 2)"),
        ("3+0j", "0+2j"),
        ("(3-0j)", "-0.0+2J"),
        ("complex(3)", "complex(0.0, 2.0)"),
    ] {
        let spelled = edit(
            &edit(&edited, "z=3,", &format!("z={z},")),
            "w=2j,",
            &format!("w={w},"),
        );
        write_source(&saved, &spelled);
        let back: Numbers = read(&saved, "n");
        assert_eq!((back.z, back.w), (numbers.z, numbers.w), "{z}, {w}");
    }
}

/// A name assigned again further down (a person reusing a temporary while editing): as in
/// Python, each use sees the assignment before it, also a use in the value that rebinds it.
#[test]
fn a_name_assigned_again() {
    let mut archive = Archive::new();
    archive.insert("total", 0.5_f64).expect("insert");
    let saved = save_package(&archive);
    let source = saved.source();
    let edited = edit(
        &source,
        "total = 0.5\n",
        "_w = 1.5\n\
         first = [_w, _w]\n\
         _w = [_w, 2.5]\n\
         second = (_w, first, _w)\n",
    );
    let edited = format!("{edited}_w = 'done'\nthird = _w\ntotal = (first, _w)\n");
    write_source(&saved, &edited);
    assert_eq!(read::<Vec<f64>>(&saved, "first"), [1.5, 1.5], "{edited}");
    type Second = (Vec<f64>, Vec<f64>, Vec<f64>);
    let second: Second = read(&saved, "second");
    assert_eq!(second, (vec![1.5, 2.5], vec![1.5, 1.5], vec![1.5, 2.5]));
    assert_eq!(read::<String>(&saved, "third"), "done");
    assert_eq!(
        read::<(Vec<f64>, String)>(&saved, "total"),
        (vec![1.5, 1.5], "done".to_owned())
    );
    saved.check(
        "assert a.first == [1.5, 1.5]\n\
         assert a.second == ([1.5, 2.5], [1.5, 1.5], [1.5, 2.5]) and a.second[0] is a.second[2]\n\
         assert a.third == 'done' and a.total == ([1.5, 1.5], 'done')\n",
    );
}
