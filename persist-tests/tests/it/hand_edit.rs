//! Hand edits: an archive saved to disk, its source edited with text operations as a person
//! would edit it in a text editor, then loaded back into Rust (and, for some, imported by
//! Python, to show the edit is plain valid Python that keeps its meaning).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::path::PathBuf;
use std::rc::Rc;

use ndarray::{Array1, Array2, Array3, ShapeBuilder, array};
use num_complex::Complex;
use persist_core::{Archive, ArchiveReader, LoadError, Persist};
use persist_tests::{Saved, save_package};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// The package archive's source file.
fn init(saved: &Saved) -> PathBuf {
    saved.dir.path().join("arch/__init__.py")
}

/// Replace the archive's source with `source`.
#[track_caller]
fn write_source(saved: &Saved, source: &str) {
    std::fs::write(init(saved), source).expect("write the edited source");
}

/// `source` with its one occurrence of `from` replaced by `to`.
#[track_caller]
fn edit(source: &str, from: &str, to: &str) -> String {
    assert_eq!(
        source.matches(from).count(),
        1,
        "`{from}` is not in the source exactly once:\n{source}"
    );
    source.replacen(from, to, 1)
}

/// Item `item` of the saved (and maybe edited) archive, read as a `T`.
#[track_caller]
fn read<T: Persist>(saved: &Saved, item: &str) -> T {
    let path = saved.dir.path().join("arch");
    // (`and_then` with a closure would trip clippy's `result_large_err`: `LoadError` is large.)
    let result = match ArchiveReader::open(&path) {
        Ok(reader) => reader.read::<T>(item),
        Err(err) => Err(err),
    };
    match result {
        Ok(value) => value,
        Err(err) => panic!(
            "reading `{item}` failed: {err}\n--- source ---\n{}",
            saved.source()
        ),
    }
}

/// The error reading item `item` of the saved archive as a `T`.
#[track_caller]
fn read_error<T: Persist + Debug>(saved: &Saved, item: &str) -> LoadError {
    let path = saved.dir.path().join("arch");
    // (`and_then` with a closure would trip clippy's `result_large_err`: `LoadError` is large.)
    let result = match ArchiveReader::open(&path) {
        Ok(reader) => reader.read::<T>(item),
        Err(err) => Err(err),
    };
    match result {
        Ok(value) => panic!(
            "reading `{item}` succeeded: {value:?}\n--- source ---\n{}",
            saved.source()
        ),
        Err(err) => err,
    }
}

/// Where the first `needle` starts in `source`, as `line:column` (columns in characters).
#[track_caller]
fn position_of(source: &str, needle: &str) -> String {
    let offset = source
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` is not in the source:\n{source}"));
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    format!("{line}:{column}")
}

/// A piece of source: one character of code, or a whole string literal or comment (kept as is).
enum Piece {
    Code(char),
    Verbatim(String),
}

/// Split Python source into code characters and verbatim string literals and comments.
fn pieces(source: &str) -> Vec<Piece> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '\'' || c == '"' {
            let triple = chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&c);
            let quotes = if triple { 3 } else { 1 };
            i += quotes;
            loop {
                match chars.get(i) {
                    None => break,
                    Some('\\') => i += 2,
                    Some(&q)
                        if q == c
                            && (!triple
                                || (chars.get(i + 1) == Some(&c)
                                    && chars.get(i + 2) == Some(&c))) =>
                    {
                        i += quotes;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
        } else {
            out.push(Piece::Code(c));
            i += 1;
            continue;
        }
        out.push(Piece::Verbatim(
            chars[start..i.min(chars.len())].iter().collect(),
        ));
    }
    out
}

/// The source split into the helpers (up to the first item), the items, and the final `del`.
fn split_items(source: &str) -> (&str, &str, &str) {
    let is_item = |line: &str| {
        line.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && !line.starts_with("import ")
            && !line.starts_with("from ")
            && !line.starts_with("def ")
            && !line.starts_with("del ")
    };
    let mut offset = 0;
    let mut start = None;
    let mut end = source.len();
    for line in source.split_inclusive('\n') {
        if start.is_none() && is_item(line) {
            start = Some(offset);
        }
        if line.starts_with("del ") {
            end = offset;
        }
        offset += line.len();
    }
    let start = start.expect("the source has items");
    (&source[..start], &source[start..end], &source[end..])
}

/// Apply `f` to the items of the source only (the helpers are left as written).
fn on_items(source: &str, f: impl Fn(&str) -> String) -> String {
    let (head, items, tail) = split_items(source);
    format!("{head}{}{tail}", f(items))
}

/// Every item on one line: newlines and runs of spaces inside brackets become one space (none
/// next to a bracket), and the spaces around commas and `=` go too.
fn collapse(items: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut pending_space = false;
    for piece in pieces(items) {
        match piece {
            Piece::Verbatim(text) => {
                assert!(
                    depth == 0 || !text.starts_with('#'),
                    "collapse would swallow code into the comment {text}"
                );
                if pending_space && !out.ends_with(['(', '[', '{', ',']) {
                    out.push(' ');
                }
                pending_space = false;
                out.push_str(&text);
            }
            Piece::Code(c) if depth > 0 && c.is_whitespace() => pending_space = true,
            Piece::Code(c) => {
                match c {
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' => depth -= 1,
                    _ => {}
                }
                if pending_space && !out.ends_with(['(', '[', '{', ',']) && !")]},".contains(c) {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            }
        }
    }
    out
}

/// Every element on a line of its own: a newline (and indentation) after every opening bracket
/// and comma inside brackets, and a trailing comma before each closing bracket of a list, dict,
/// set, call or tuple.
fn expand(items: &str) -> String {
    /// An open bracket: which one, whether it may take a trailing comma.
    struct Open {
        close: char,
        trailing_comma: bool,
    }
    let mut out = String::new();
    let mut stack: Vec<Open> = Vec::new();
    let newline = |out: &mut String, depth: usize| {
        while out.ends_with([' ', '\n']) {
            out.pop();
        }
        out.push('\n');
        out.push_str(&"    ".repeat(depth));
    };
    let mut after_break = false;
    for piece in pieces(items) {
        match piece {
            Piece::Verbatim(text) => {
                after_break = false;
                out.push_str(&text);
            }
            Piece::Code(c) if !stack.is_empty() && c.is_whitespace() => {
                if !after_break && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            Piece::Code(c) => {
                after_break = false;
                match c {
                    '(' | '[' | '{' => {
                        let before = out.trim_end().chars().last();
                        let is_call = before.is_some_and(|b| b.is_alphanumeric() || b == '_');
                        let trailing_comma = match c {
                            // A call, or a parenthesised tuple (which already has a comma: see
                            // below); never a parenthesised expression.
                            '(' => is_call,
                            // A list display, not a subscript.
                            '[' => !is_call,
                            _ => true,
                        };
                        out.push(c);
                        stack.push(Open {
                            close: match c {
                                '(' => ')',
                                '[' => ']',
                                _ => '}',
                            },
                            trailing_comma,
                        });
                        newline(&mut out, stack.len());
                        after_break = true;
                    }
                    ',' if !stack.is_empty() => {
                        out.push(',');
                        if let Some(open) = stack.last_mut()
                            && open.close == ')'
                        {
                            open.trailing_comma = true;
                        }
                        newline(&mut out, stack.len());
                        after_break = true;
                    }
                    ')' | ']' | '}' => {
                        let open = stack.pop().expect("balanced brackets");
                        assert_eq!(open.close, c, "balanced brackets");
                        let body = out.trim_end();
                        let empty = body.ends_with(['(', '[', '{']);
                        if open.trailing_comma && !empty && !body.ends_with(',') {
                            out.truncate(body.len());
                            out.push(',');
                        }
                        newline(&mut out, stack.len());
                        out.push(c);
                    }
                    _ => out.push(c),
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

#[derive(Persist, Debug, PartialEq, Clone)]
enum Shape {
    Empty,
    Circle { radius: f64 },
    Rect(f64, f64),
}

#[derive(Persist, Debug, PartialEq, Clone)]
struct Run {
    name: String,
    alpha: f64,
    steps: u32,
    tags: Vec<String>,
    shapes: Vec<Shape>,
    field: Array2<f64>,
    lookup: BTreeMap<String, (i32, bool)>,
    seen: BTreeSet<u8>,
    pair: (Option<i64>, Complex<f64>),
}

fn run_value() -> Run {
    Run {
        name: "first run".into(),
        alpha: 0.5,
        steps: 1000,
        tags: vec!["a".into(), "b c".into()],
        shapes: vec![
            Shape::Empty,
            Shape::Circle { radius: 1.5 },
            Shape::Rect(2.0, -3.0),
        ],
        field: array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
        lookup: BTreeMap::from([("one".into(), (1, true)), ("two".into(), (2, false))]),
        seen: BTreeSet::from([3, 1, 2]),
        pair: (None, Complex::new(1.0, -2.0)),
    }
}

/// An archive of several items, all inline.
fn rich_archive() -> (Run, Vec<f64>, Array2<i32>, (u8,), String) {
    (
        run_value(),
        (0..40).map(|i| f64::from(i) * 1.5).collect(),
        Array2::from_shape_fn((3, 12).f(), |(i, j)| (i * 100 + j) as i32),
        (7,),
        "line one\nline 'two'\t\"end\"".into(),
    )
}

fn save_rich() -> Saved {
    let (run, long, matrix, one, note) = rich_archive();
    let mut archive = Archive::new().with_array_threshold(1000);
    archive.insert("run", run).expect("insert");
    archive.insert("long", long).expect("insert");
    archive.insert("matrix", matrix).expect("insert");
    archive.insert("one", one).expect("insert");
    archive.insert("note", note).expect("insert");
    save_package(&archive)
}

/// Every item of [`save_rich`]'s archive reads back equal.
#[track_caller]
fn assert_rich_items(saved: &Saved) {
    let (run, long, matrix, one, note) = rich_archive();
    assert_eq!(read::<Run>(saved, "run"), run);
    assert_eq!(read::<Vec<f64>>(saved, "long"), long);
    let back: Array2<i32> = read(saved, "matrix");
    assert_eq!(back, matrix);
    assert!(
        back.t().is_standard_layout(),
        "Fortran order is kept: {back:?}"
    );
    assert_eq!(read::<(u8,)>(saved, "one"), one);
    assert_eq!(read::<String>(saved, "note"), note);
}

/// Python imports the edited archive and sees the same values.
#[track_caller]
fn assert_python_sees_rich_items(saved: &Saved) {
    saved.check(
        "assert a.run.name == 'first run' and a.run.alpha == 0.5 and a.run.steps == 1000\n\
         assert a.run.shapes[1].radius == 1.5 and a.run.pair == (None, 1-2j)\n\
         assert a.run.field.tolist() == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]\n\
         assert a.long[-1] == 58.5 and a.matrix.flags['F_CONTIGUOUS'] and a.matrix[2, 11] == 211\n\
         assert a.one == (7,) and a.note == 'line one\\nline \\'two\\'\\t\"end\"'\n",
    );
}

// ---------------------------------------------------------------------------------------------
// Formatting, quotes, comments, numbers
// ---------------------------------------------------------------------------------------------

#[test]
fn reformatted_archives_load() {
    let saved = save_rich();
    let original = saved.source();
    let collapsed = on_items(&original, collapse);
    assert!(
        collapsed.contains("run = _Run(name='first run',alpha=0.5,steps=1000,"),
        "{collapsed}"
    );
    let expanded = on_items(&original, expand);
    assert!(expanded.contains("\none = (\n    7,\n)\n"), "{expanded}");
    for (what, source) in [
        ("every item on one line", collapsed.clone()),
        ("every element on a line, trailing commas", expanded.clone()),
        ("collapsed, then expanded", on_items(&collapsed, expand)),
        ("expanded, then collapsed", on_items(&expanded, collapse)),
        (
            "blank lines and extra spaces around `=`",
            on_items(&original, |items| {
                items
                    .replace("\nlong = ", "\n\n\n\nlong   =   ")
                    .replace("run = ", "run\t=\t")
            }),
        ),
        (
            "explicit line continuations",
            on_items(&original, |items| {
                items
                    .replace("one = ", "one = \\\n    ")
                    .replace("note = ", "note \\\n= ")
            }),
        ),
        ("Windows line ends", original.replace('\n', "\r\n")),
    ] {
        assert_ne!(source, original, "{what}: the edit changed nothing");
        write_source(&saved, &source);
        if std::panic::catch_unwind(|| assert_rich_items(&saved)).is_err() {
            panic!("{what}: the items do not read back (see above)");
        }
    }
    // The reformatted files are plain Python that means the same.
    write_source(&saved, &expanded);
    assert_python_sees_rich_items(&saved);
    write_source(&saved, &collapsed);
    assert_python_sees_rich_items(&saved);
}

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

// ---------------------------------------------------------------------------------------------
// Schema evolution: alias, default, unknown and missing fields
// ---------------------------------------------------------------------------------------------

#[derive(Persist, Debug, PartialEq)]
struct Params {
    alpha: f64,
    steps: u32,
    label: String,
}

/// The same struct after the code renamed `alpha` (old archives still read).
#[derive(Persist, Debug, PartialEq)]
#[persist(rename = "Params")]
struct ParamsRenamed {
    #[persist(alias = "alpha", alias = "rate")]
    learning_rate: f64,
    steps: u32,
    label: String,
}

/// `alpha` read under a name a person gave it in the file.
#[derive(Persist, Debug, PartialEq)]
struct ParamsAliased {
    #[persist(alias = "rate")]
    alpha: f64,
    steps: u32,
    label: String,
}

fn default_steps() -> u32 {
    7
}

mod defaults {
    pub fn label() -> String {
        "unnamed".into()
    }
}

#[derive(Persist, Debug, PartialEq)]
struct ParamsWithDefaults {
    alpha: f64,
    #[persist(default = "default_steps")]
    steps: u32,
    #[persist(default = "defaults::label")]
    label: String,
    #[persist(default)]
    extra: Option<Vec<u8>>,
    #[persist(default)]
    count: u64,
}

#[derive(Persist, Debug, PartialEq)]
#[persist(deny_unknown_fields)]
struct StrictParams {
    alpha: f64,
    #[persist(alias = "n")]
    steps: u32,
    label: String,
}

fn params() -> Params {
    Params {
        alpha: 0.5,
        steps: 3,
        label: "first".into(),
    }
}

/// A package archive holding `p` (a `Params`) and `others` (two more, in a list).
fn save_params() -> Saved {
    let mut archive = Archive::new();
    archive.insert("p", params()).expect("insert");
    archive
        .insert(
            "others",
            vec![
                Params {
                    alpha: 1.0,
                    steps: 1,
                    label: "a".into(),
                },
                Params {
                    alpha: 2.0,
                    steps: 2,
                    label: "b".into(),
                },
            ],
        )
        .expect("insert");
    save_package(&archive)
}

#[test]
fn a_field_renamed_in_the_file_reads_through_its_alias() {
    let saved = save_params();
    let source = saved.source();
    let renamed = source.replace("alpha=", "rate=");
    assert_eq!(renamed.matches("rate=").count(), 3, "{renamed}");
    write_source(&saved, &renamed);
    assert_eq!(
        read::<ParamsAliased>(&saved, "p"),
        ParamsAliased {
            alpha: 0.5,
            steps: 3,
            label: "first".into()
        }
    );
    let others: Vec<ParamsAliased> = read(&saved, "others");
    assert_eq!(
        others.iter().map(|p| p.alpha).collect::<Vec<_>>(),
        [1.0, 2.0]
    );
    // Without the alias the field is missing.
    let err = read_error::<Params>(&saved, "p");
    assert!(
        err.to_string().ends_with(
            "missing field `alpha` of `Params`; add it, or give the Rust field #[persist(default)]"
        ),
        "{err}"
    );
    // Python sees the new name.
    saved.check("assert a.p.rate == 0.5 and not hasattr(a.p, 'alpha')");
}

#[test]
fn a_field_renamed_in_the_code_reads_old_archives() {
    let saved = save_params();
    let renamed: ParamsRenamed = read(&saved, "p");
    assert_eq!(
        renamed,
        ParamsRenamed {
            learning_rate: 0.5,
            steps: 3,
            label: "first".into()
        }
    );
    // Each alias works, and positional arguments are matched through the class's field names.
    let source = saved.source();
    write_source(&saved, &source.replace("alpha=", "rate="));
    assert_eq!(read::<ParamsRenamed>(&saved, "p").learning_rate, 0.5);
    write_source(
        &saved,
        &edit(
            &source,
            "p = _Params(alpha=0.5, steps=3, label='first')",
            "p = _Params(0.5, 3, 'first')",
        ),
    );
    assert_eq!(read::<ParamsRenamed>(&saved, "p"), renamed);
}

#[test]
fn deleted_fields_are_filled_by_their_defaults() {
    let saved = save_params();
    let source = saved.source();
    let deleted = edit(&source, ", steps=3, label='first'", "");
    write_source(&saved, &deleted);
    assert_eq!(
        read::<ParamsWithDefaults>(&saved, "p"),
        ParamsWithDefaults {
            alpha: 0.5,
            steps: 7,
            label: "unnamed".into(),
            extra: None,
            count: 0
        }
    );
    // Present fields win over defaults.
    let others: Vec<ParamsWithDefaults> = read(&saved, "others");
    assert_eq!(
        others
            .iter()
            .map(|p| (p.steps, p.label.as_str()))
            .collect::<Vec<_>>(),
        [(1, "a"), (2, "b")]
    );
    let added = edit(&source, "steps=3,", "steps=3, extra=[1, 2], count=9,");
    write_source(&saved, &added);
    let back: ParamsWithDefaults = read(&saved, "p");
    assert_eq!((back.extra, back.count), (Some(vec![1, 2]), 9));
    // A deleted field without a default is an error that names it, at the record.
    write_source(&saved, &deleted);
    let err = read_error::<Params>(&saved, "p");
    assert_eq!(
        err.to_string(),
        format!(
            "{}:{}: item `p`: missing field `steps` of `Params`; add it, or give the Rust field #[persist(default)]",
            init(&saved).display(),
            position_of(&deleted, "_Params(alpha=0.5)")
        )
    );
    // Inside a list, the error says where.
    let deleted_inner = edit(&source, "alpha=2.0, steps=2, ", "alpha=2.0, ");
    write_source(&saved, &deleted_inner);
    let err = read_error::<Vec<Params>>(&saved, "others");
    assert_eq!(
        err.to_string(),
        format!(
            "{}:{}: item `others`, at `[1]`: missing field `steps` of `Params`; add it, or give the Rust field #[persist(default)]",
            init(&saved).display(),
            position_of(&deleted_inner, "_Params(alpha=2.0")
        )
    );
}

#[test]
fn unknown_fields_are_ignored_unless_denied() {
    let saved = save_params();
    let source = saved.source();
    let added = edit(&source, "steps=3, ", "steps=3, comment='tuned by hand', ");
    write_source(&saved, &added);
    assert_eq!(read::<Params>(&saved, "p"), params());
    let err = read_error::<StrictParams>(&saved, "p");
    assert_eq!(
        err.to_string(),
        format!(
            "{}:{}: item `p`: unknown field `comment` of `Params`; expected one of alpha, steps, label",
            init(&saved).display(),
            position_of(&added, "comment=")
        )
    );
    // An alias is no unknown field.
    write_source(&saved, &edit(&source, "steps=3", "n=3"));
    assert_eq!(read::<StrictParams>(&saved, "p").steps, 3);
    // Python keeps the added field as an attribute.
    write_source(&saved, &added);
    saved.check("assert a.p.comment == 'tuned by hand' and a.p.steps == 3");
}

// ---------------------------------------------------------------------------------------------
// Archives with `.npy` files and shared values
// ---------------------------------------------------------------------------------------------

#[derive(Persist, Debug, PartialEq)]
struct Simulation {
    params: Params,
    field: Array2<f64>,
    cube: Array3<i16>,
    series: Array1<f32>,
}

#[test]
fn editing_an_archive_with_npy_files_keeps_its_arrays() {
    let simulation = Simulation {
        params: params(),
        field: Array2::from_shape_fn((20, 30).f(), |(i, j)| i as f64 * 0.25 - j as f64),
        cube: Array3::from_shape_fn((4, 5, 6), |(i, j, k)| (i * 100 + j * 10 + k) as i16),
        series: Array1::from_shape_fn(200, |i| i as f32 / 3.0),
    };
    let mut archive = Archive::new().with_array_threshold(50);
    archive.insert("sim", &simulation).expect("insert");
    archive.insert("alpha", 0.5).expect("insert");
    archive
        .insert("notes", vec!["first".to_owned()])
        .expect("insert");
    let saved = save_package(&archive);
    let source = saved.source();
    assert_eq!(source.matches("_load('").count(), 3, "{source}");
    let edited = edit(&source, "alpha = 0.5\n", "alpha = 0.75  # tuned by hand\n");
    let edited = edit(
        &edited,
        "notes = ['first']\n",
        "notes = [\n    'first',\n    \"second, added by hand\",\n]\nbeta = 2\n",
    );
    let edited = edit(&edited, "steps=3", "steps=30");
    write_source(&saved, &edited);
    assert_eq!(read::<f64>(&saved, "alpha"), 0.75);
    assert_eq!(
        read::<Vec<String>>(&saved, "notes"),
        ["first", "second, added by hand"]
    );
    assert_eq!(read::<i32>(&saved, "beta"), 2);
    let back: Simulation = read(&saved, "sim");
    assert_eq!(back.params.steps, 30);
    assert_eq!(back.field, simulation.field);
    assert!(back.field.t().is_standard_layout(), "Fortran stays Fortran");
    assert_eq!(back.cube, simulation.cube);
    assert_eq!(back.series, simulation.series);
    let reader = ArchiveReader::open(saved.dir.path().join("arch")).expect("open");
    assert_eq!(
        reader.items().collect::<Vec<_>>(),
        ["sim", "alpha", "notes", "beta"]
    );
    saved.check(
        "assert a.alpha == 0.75 and a.beta == 2 and a.sim.params.steps == 30\n\
         assert a.sim.field.flags['F_CONTIGUOUS'] and a.sim.field[19, 29] == 19 * 0.25 - 29\n\
         assert a.sim.cube[3, 4, 5] == 345 and a.notes[1] == 'second, added by hand'\n",
    );
}

#[derive(Persist, Debug, PartialEq)]
struct Shared {
    a: Rc<Vec<i32>>,
    b: Rc<Vec<i32>>,
}

#[test]
fn editing_a_shared_value_changes_every_reference() {
    let list = Rc::new(vec![1, 2, 3]);
    let mut archive = Archive::local();
    archive
        .insert(
            "s",
            Shared {
                a: Rc::clone(&list),
                b: Rc::clone(&list),
            },
        )
        .expect("insert");
    let saved = save_package(&archive);
    let source = saved.source();
    let edited = edit(&source, "[1, 2, 3]", "[1, 2, 3, 4]  # one more");
    write_source(&saved, &edited);
    let back: Shared = read(&saved, "s");
    assert_eq!(*back.a, [1, 2, 3, 4]);
    assert!(Rc::ptr_eq(&back.a, &back.b), "{edited}");
    saved.check("assert a.s.a is a.s.b and a.s.a == [1, 2, 3, 4]");
}

#[test]
fn inline_arrays_edited_by_hand() {
    let mut archive = Archive::new();
    archive
        .insert("m", array![[1.0, 2.0], [3.0, 4.0]])
        .expect("insert");
    archive
        .insert(
            "f",
            Array2::<i64>::from_shape_vec((2, 2).f(), vec![1, 2, 3, 4]).expect("shape"),
        )
        .expect("insert");
    let saved = save_package(&archive);
    let source = saved.source();
    // A row added, the numbers respelled, the layout changed.
    let edited = edit(
        &source,
        "[[1.0, 2.0], [3.0, 4.0]]",
        "[\n    [1, 2.0],  # first row\n    [3e0, 4.],\n    [5, 0x6],\n]",
    );
    write_source(&saved, &edited);
    let m: Array2<f64> = read(&saved, "m");
    assert_eq!(m, array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]);
    let f: Array2<i64> = read(&saved, "f");
    assert_eq!(f, array![[1, 3], [2, 4]]);
    assert!(f.t().is_standard_layout(), "Fortran stays Fortran");
    saved.check("assert a.m.shape == (3, 2) and a.m[2, 1] == 6.0 and a.f.flags['F_CONTIGUOUS']");
}
