//! Never a panic: random bytes, random Python tokens and mutated archives (in memory and on
//! disk, source and `.npy` files) load to a value or an error, within a time limit (proptest).

use std::collections::{BTreeMap, HashSet};
use std::fmt::Debug;
use std::rc::Rc;

use ndarray::{Array1, Array2, ArrayD};
use num_complex::Complex;
use persist_core::__private::parse_module;
use persist_core::{Archive, ArchiveReader, Persist, SaveOptions};
use proptest::collection::vec;
use proptest::prelude::*;

use super::{Command, within};

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
    lookup: BTreeMap<String, i64>,
    shared: Rc<Vec<i32>>,
    again: Rc<Vec<i32>>,
}

fn run_value() -> Run {
    let shared = Rc::new(vec![1, 2, 3]);
    Run {
        name: "it's a \"run\"\n\t\0😀".into(),
        alpha: -0.0,
        steps: 1000,
        tags: vec!["a".into(), String::new()],
        shapes: vec![
            Shape::Empty,
            Shape::Circle { radius: f64::NAN },
            Shape::Rect(1.0, f64::INFINITY),
        ],
        field: Array2::from_shape_fn((3, 4), |(i, j)| (i * 4 + j) as f64),
        lookup: BTreeMap::from([("k".into(), -1), ("é".into(), i64::MIN)]),
        shared: Rc::clone(&shared),
        again: shared,
    }
}

/// The source of a module archive with records, enums, arrays, shared values, escapes.
fn rich_source() -> String {
    let mut archive = Archive::local();
    archive.insert("run", run_value()).expect("insert");
    archive.insert("x", 1.5).expect("insert");
    archive
        .insert("grid", Array2::<i32>::zeros((2, 3)))
        .expect("insert");
    archive
        .insert(
            "pairs",
            vec![(1u8, Complex::new(1.0, -2.0)), (2, Complex::new(0.0, 0.5))],
        )
        .expect("insert");
    archive
        .insert("flags", HashSet::from([1i8, -2]))
        .expect("insert");
    archive.to_python_source().expect("source")
}

/// Open `source` and read every item (and a made-up one) as many types; errors are fine.
fn read_everything(reader: &ArchiveReader) {
    let items: Vec<String> = reader.items().map(str::to_owned).collect();
    for item in items.iter().map(String::as_str).chain(["nope"]) {
        let _ = reader.read::<f64>(item);
        let _ = reader.read::<i64>(item);
        let _ = reader.read::<u8>(item);
        let _ = reader.read::<bool>(item);
        let _ = reader.read::<char>(item);
        let _ = reader.read::<String>(item);
        let _ = reader.read::<()>(item);
        let _ = reader.read::<Vec<f64>>(item);
        let _ = reader.read::<Option<Vec<i32>>>(item);
        let _ = reader.read::<[u8; 2]>(item);
        let _ = reader.read::<(i32, String)>(item);
        let _ = reader.read::<Vec<(u8, Complex<f64>)>>(item);
        let _ = reader.read::<BTreeMap<String, i64>>(item);
        let _ = reader.read::<HashSet<i8>>(item);
        let _ = reader.read::<Complex<f32>>(item);
        let _ = reader.read::<Rc<Vec<i32>>>(item);
        let _ = reader.read::<Array2<f64>>(item);
        let _ = reader.read::<ArrayD<i32>>(item);
        let _ = reader.read::<Array1<bool>>(item);
        let _ = reader.read::<Shape>(item);
        let _ = reader.read::<Run>(item);
        let _ = reader.read::<Command>(item);
    }
}

/// Parse `source` and read everything from it, on a thread with a time limit.
#[track_caller]
fn load_never_panics(source: String) {
    within("loading a mutated source", move || {
        let _ = parse_module(&source);
        if let Ok(reader) = ArchiveReader::from_source(&source) {
            read_everything(&reader);
        }
    });
}

/// One edit of a source.
#[derive(Debug, Clone)]
enum Mutation {
    /// Set the byte at this fraction of the length to this value.
    Flip(f64, u8),
    /// Keep this fraction of the bytes.
    Truncate(f64),
    /// Duplicate the line at this fraction of the lines.
    DuplicateLine(f64),
    /// Delete the line at this fraction of the lines.
    DeleteLine(f64),
    /// Insert this text at this fraction of the length.
    Insert(f64, &'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0.0..1.0, any::<u8>()).prop_map(|(at, b)| Mutation::Flip(at, b)),
        (
            0.0..1.0,
            prop::sample::select(&b"()[]{},:='\"\\#\n -+.0j_"[..])
        )
            .prop_map(|(at, b)| Mutation::Flip(at, b)),
        (0.0..1.0).prop_map(Mutation::Truncate),
        (0.0..1.0).prop_map(Mutation::DuplicateLine),
        (0.0..1.0).prop_map(Mutation::DeleteLine),
        (0.0..1.0, prop::sample::select(TOKENS)).prop_map(|(at, t)| Mutation::Insert(at, t)),
    ]
}

/// Bits of Python the mutations insert.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "=",
    "'",
    "\"",
    "'''",
    "\\",
    "\n",
    "#",
    " ",
    "-",
    "+",
    "1e999",
    "0x",
    "1_",
    "2j",
    "float('nan')",
    "_np.array(",
    "dtype='int8'",
    "_load(",
    "x",
    "_s0",
    "None",
    "True",
    "lambda",
    "for",
    "\\N{DASH}",
    "\\x",
    "\\u12",
    "\r",
    "\t",
    "\u{0}",
    "😀",
    "_np.zeros((3, 3), dtype='float64')",
    "_np.asfortranarray(",
    "set()",
    "complex(1, 2)",
];

fn apply(source: &str, mutations: &[Mutation]) -> String {
    let mut bytes = source.as_bytes().to_vec();
    let at = |fraction: f64, len: usize| ((fraction * len as f64) as usize).min(len);
    for m in mutations {
        match m {
            Mutation::Flip(f, b) => {
                if !bytes.is_empty() {
                    let i = at(*f, bytes.len() - 1);
                    bytes[i] = *b;
                }
            }
            Mutation::Truncate(f) => bytes.truncate(at(*f, bytes.len())),
            Mutation::DuplicateLine(f) | Mutation::DeleteLine(f) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
                if !lines.is_empty() {
                    let i = at(*f, lines.len() - 1);
                    if matches!(m, Mutation::DeleteLine(_)) {
                        lines.remove(i);
                    } else {
                        lines.insert(i, lines[i]);
                    }
                }
                bytes = lines.concat().into_bytes();
            }
            Mutation::Insert(f, text) => {
                let i = at(*f, bytes.len());
                bytes.splice(i..i, text.bytes());
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_bytes_never_panic(bytes in vec(any::<u8>(), 0..400)) {
        load_never_panics(String::from_utf8_lossy(&bytes).into_owned());
    }

    #[test]
    fn random_python_tokens_never_panic(tokens in vec(prop::sample::select(TOKENS), 0..60)) {
        load_never_panics(format!("x = {}", tokens.concat()));
    }

    #[test]
    fn mutated_archives_never_panic(mutations in vec(mutation(), 1..6)) {
        load_never_panics(apply(&rich_source(), &mutations));
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// A saved package archive with its source and its `.npy` files mutated: opening and
    /// reading from disk never panics.
    #[test]
    fn mutated_archives_on_disk_never_panic(
        source_mutations in vec(mutation(), 0..4),
        npy_mutations in vec(mutation(), 0..4),
    ) {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("arch");
        let mut archive = Archive::local().with_array_threshold(4);
        archive.insert("run", run_value()).expect("insert");
        archive.insert("grid", Array2::<i32>::zeros((3, 3))).expect("insert");
        archive.save(&path, SaveOptions::package()).expect("save");
        let init = path.join("__init__.py");
        let source = std::fs::read_to_string(&init).expect("source");
        std::fs::write(&init, apply(&source, &source_mutations)).expect("write source");
        for entry in std::fs::read_dir(path.join("_arrays")).expect("array folder") {
            let file = entry.expect("entry").path();
            let bytes = std::fs::read(&file).expect("read npy");
            // Mutate the raw bytes (not through UTF-8).
            let mut mutated = bytes;
            for m in &npy_mutations {
                match m {
                    Mutation::Flip(f, b) if !mutated.is_empty() => {
                        let i = ((f * mutated.len() as f64) as usize).min(mutated.len() - 1);
                        mutated[i] = *b;
                    }
                    Mutation::Truncate(f) => {
                        let keep = (f * mutated.len() as f64) as usize;
                        mutated.truncate(keep);
                    }
                    _ => {}
                }
            }
            std::fs::write(&file, mutated).expect("write npy");
        }
        within("loading a mutated archive from disk", move || {
            if let Ok(reader) = ArchiveReader::open(&path) {
                read_everything(&reader);
            }
        });
    }
}
