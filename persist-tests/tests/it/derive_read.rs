//! `#[derive(Persist)]` reading back: every shape of struct and enum through a written archive,
//! and schema evolution (`alias`, `default`, `deny_unknown_fields`) through archives edited by
//! text operations, as a person would edit them.

use std::fmt::Debug;

use persist_core::{Archive, Persist};

/// The source of a module archive holding `value` as `x`.
#[track_caller]
fn source_of<T: Persist>(value: &T) -> String {
    let mut archive = Archive::local();
    if let Err(err) = archive.insert("x", value) {
        panic!("insert failed: {err}");
    }
    match archive.to_python_source() {
        Ok(source) => source,
        Err(err) => panic!("rendering failed: {err}"),
    }
}

/// The item `x` of `source`, read as a `T`.
#[track_caller]
fn read<T: Persist>(source: &str) -> T {
    match persist_core::from_str(source, "x") {
        Ok(value) => value,
        Err(err) => panic!("reading failed: {err}\n--- source ---\n{source}"),
    }
}

/// The message of the error reading the item `x` of `source` as a `T`.
#[track_caller]
fn read_error<T: Persist + Debug>(source: &str) -> String {
    match persist_core::from_str::<T>(source, "x") {
        Ok(value) => panic!("reading succeeded: {value:?}\n--- source ---\n{source}"),
        Err(err) => err.to_string(),
    }
}

/// `value` written and read back equal.
#[track_caller]
fn round_trip<T: Persist + PartialEq + Debug>(value: T) {
    let source = source_of(&value);
    let back: T = read(&source);
    assert_eq!(back, value, "\n--- source ---\n{source}");
}

/// `source` with its one occurrence of `from` replaced by `to`.
#[track_caller]
fn edit(source: &str, from: &str, to: &str) -> String {
    assert_eq!(
        source.matches(from).count(),
        1,
        "`{from}` is not in the source exactly once:\n{source}"
    );
    source.replace(from, to)
}

/// Where `needle` starts in `source`, as `line:column` (both from 1; columns in characters).
#[track_caller]
fn position_of(source: &str, needle: &str) -> String {
    let offset = source.find(needle).expect("needle in source");
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    format!("{line}:{column}")
}

#[derive(Persist, Debug, PartialEq)]
struct Params<T> {
    alpha: f64,
    #[persist(rename = "n")]
    steps: T,
    #[persist(skip)]
    cache: Vec<u8>,
}

#[test]
fn named_struct_with_rename_and_skip() {
    let params = Params {
        alpha: 0.5,
        steps: 3_u32,
        cache: vec![1, 2],
    };
    let source = source_of(&params);
    let back: Params<u32> = read(&source);
    // The skipped field is filled by `Default`.
    assert_eq!(
        back,
        Params {
            cache: vec![],
            ..params
        }
    );
}

/// A type whose default is not all zeros, to see that `Default` fills skipped fields.
#[derive(Debug, PartialEq)]
struct Seven(u8);

impl Default for Seven {
    fn default() -> Self {
        Seven(7)
    }
}

#[derive(Persist, Debug, PartialEq)]
struct Pair(i32, #[persist(skip)] Seven, f64);

#[derive(Persist, Debug, PartialEq)]
struct Marker;

#[derive(Persist, Debug, PartialEq)]
struct Braces {}

#[derive(Persist, Debug, PartialEq)]
struct NoFields();

#[test]
fn tuple_and_unit_structs() {
    let back: Pair = read(&source_of(&Pair(1, Seven(0), 2.5)));
    assert_eq!(back, Pair(1, Seven(7), 2.5));
    round_trip(Marker);
    round_trip(Braces {});
    round_trip(NoFields());
}

#[derive(Persist, Debug, PartialEq)]
enum Shape {
    Empty,
    Circle {
        radius: f64,
    },
    #[persist(rename = "Rect")]
    Rectangle(f64, f64),
    Labelled {
        #[persist(rename = "text")]
        label: String,
        #[persist(skip)]
        cached_width: Seven,
        size: u8,
    },
    Sparse(#[persist(skip)] Seven, char),
    Nothing {},
    NoTuple(),
}

#[test]
fn enum_variants_of_every_kind() {
    round_trip(Shape::Empty);
    round_trip(Shape::Circle { radius: 1.5 });
    round_trip(Shape::Rectangle(1.0, -2.0));
    round_trip(Shape::Labelled {
        label: "a".into(),
        cached_width: Seven(7),
        size: 2,
    });
    round_trip(Shape::Sparse(Seven(7), 'z'));
    round_trip(Shape::Nothing {});
    round_trip(Shape::NoTuple());
    // All in one archive, sharing its record classes.
    round_trip(vec![
        Shape::Rectangle(1.0, 2.0),
        Shape::Empty,
        Shape::Circle { radius: 0.25 },
        Shape::Rectangle(3.0, 4.0),
    ]);
}

#[derive(Persist, Debug, PartialEq)]
#[persist(rename = "Settings")]
struct Config {
    r#type: u8,
    r#loop: bool,
}

#[derive(Persist, Debug, PartialEq)]
#[persist(rename = "Colour")]
enum Color {
    #[persist(rename = "Red_")]
    Red,
    Green,
}

#[test]
fn renamed_types_variants_and_raw_identifiers() {
    round_trip(Config {
        r#type: 1,
        r#loop: true,
    });
    round_trip(Color::Red);
    round_trip(Color::Green);
}

#[derive(Persist, Debug, PartialEq)]
enum Tree<T> {
    Leaf(T),
    Node(Box<Tree<T>>, Box<Tree<T>>),
}

/// A parameter used only by a skipped field needs `Default`, not `Persist`.
#[derive(Persist, Debug, PartialEq)]
struct Cache<T> {
    hits: u64,
    #[persist(skip)]
    memo: Vec<T>,
}

/// An associated type used by a field.
#[derive(Persist)]
struct Peeked<I: Iterator> {
    next: Option<I::Item>,
}

#[derive(Persist, Debug, PartialEq)]
struct Fixed<const N: usize> {
    values: [u16; N],
}

#[test]
fn generics() {
    round_trip(Tree::Node(
        Box::new(Tree::Leaf("a".to_owned())),
        Box::new(Tree::Node(
            Box::new(Tree::Leaf("b".to_owned())),
            Box::new(Tree::Leaf("c".to_owned())),
        )),
    ));
    #[derive(Default)]
    struct NotPersist;
    let cache = Cache {
        hits: 4,
        memo: vec![NotPersist],
    };
    let back: Cache<NotPersist> = read(&source_of(&cache));
    assert_eq!((back.hits, back.memo.len()), (4, 0));
    let peeked = Peeked::<std::vec::IntoIter<u8>> { next: Some(7) };
    let back: Peeked<std::vec::IntoIter<u8>> = read(&source_of(&peeked));
    assert_eq!(back.next, Some(7));
    round_trip(Fixed { values: [1, 2, 3] });
}

#[derive(Persist, Debug, PartialEq)]
#[persist(python = "mylib.geometry:Point")]
struct Point {
    x: i32,
    y: i32,
}

#[derive(Persist, Debug, PartialEq)]
enum Length {
    #[persist(python = "units:Metre")]
    Metre {
        value: f64,
    },
    Foot {
        value: f64,
    },
}

#[test]
fn python_classes_of_the_user() {
    // Importing the user's module runs its code in Python: the reader reads such archives only
    // when told to trust that module.
    let options = persist_core::ReadOptions::new().trust_module("mylib.geometry");
    let point = Point { x: 1, y: -2 };
    let source = source_of(&point);
    let err = persist_core::from_str::<Point>(&source, "x").unwrap_err();
    assert!(
        err.to_string()
            .contains("imports `mylib.geometry`, which runs that module's code"),
        "{err}"
    );
    let reader = persist_core::ArchiveReader::from_source_with(&source, &options).expect("trusted");
    assert_eq!(reader.read::<Point>("x").expect("read"), point);
    let lengths = vec![Length::Foot { value: 3.0 }, Length::Metre { value: 1.0 }];
    let source = source_of(&lengths);
    let reader = persist_core::ArchiveReader::from_source_with(
        &source,
        &persist_core::ReadOptions::new().trust_module("units"),
    )
    .expect("trusted");
    assert_eq!(reader.read::<Vec<Length>>("x").expect("read"), lengths);
}

#[derive(Persist, Debug, PartialEq)]
struct Run {
    params: Params<u32>,
    shapes: Vec<Shape>,
    best: Option<Pair>,
    config: Config,
}

#[test]
fn derived_types_nest() {
    round_trip(Run {
        params: Params {
            alpha: 0.25,
            steps: 10,
            cache: vec![],
        },
        shapes: vec![Shape::Empty, Shape::Circle { radius: 2.0 }],
        best: Some(Pair(1, Seven(7), 2.5)),
        config: Config {
            r#type: 3,
            r#loop: false,
        },
    });
}

#[test]
fn keyword_arguments_in_any_order_and_unknown_ones_ignored() {
    let source = source_of(&Params {
        alpha: 0.5,
        steps: 3_u32,
        cache: vec![],
    });
    let edited = edit(
        &source,
        "(alpha=0.5, n=3)",
        "(n=3, comment='hi', alpha=0.5)",
    );
    let back: Params<u32> = read(&edited);
    assert_eq!((back.alpha, back.steps), (0.5, 3));
}

#[derive(Persist, Debug, PartialEq)]
struct Renamed {
    #[persist(alias = "rate", alias = "learning_rate")]
    alpha: f64,
    #[persist(rename = "n", alias = "steps")]
    count: u32,
}

#[derive(Persist, Debug, PartialEq)]
enum Step {
    Scale {
        #[persist(alias = "factor")]
        by: f64,
    },
}

#[test]
fn alias_reads_a_field_under_its_old_name() {
    let value = Renamed {
        alpha: 0.5,
        count: 3,
    };
    let source = source_of(&value);
    let old = edit(&source, "alpha=0.5", "rate=0.5");
    assert_eq!(read::<Renamed>(&old), value);
    let older = edit(&source, "alpha=0.5", "learning_rate=0.5");
    let older = edit(&older, "n=3", "steps=3");
    assert_eq!(read::<Renamed>(&older), value);
    // In an enum variant too.
    let source = source_of(&Step::Scale { by: 2.0 });
    let old = edit(&source, "by=2.0", "factor=2.0");
    assert_eq!(read::<Step>(&old), Step::Scale { by: 2.0 });
}

fn default_steps() -> u32 {
    100
}

mod defaults {
    pub fn label() -> String {
        "unnamed".into()
    }
}

#[derive(Persist, Debug, PartialEq)]
struct Evolved {
    alpha: f64,
    #[persist(default)]
    tags: Vec<String>,
    #[persist(default = "default_steps")]
    steps: u32,
    #[persist(default = "defaults::label", alias = "name")]
    label: String,
    #[persist(skip, default = "default_steps")]
    derived: u32,
}

#[derive(Persist, Debug, PartialEq)]
struct Sample(
    f64,
    #[persist(default)] Option<u8>,
    #[persist(default = "default_steps")] u32,
);

#[test]
fn default_fills_a_deleted_field() {
    let value = Evolved {
        alpha: 0.5,
        tags: vec!["a".into()],
        steps: 3,
        label: "run".into(),
        derived: 9,
    };
    let source = source_of(&value);
    assert!(
        source.contains("x = _Evolved(alpha=0.5, tags=['a'], steps=3, label='run')"),
        "{source}"
    );
    assert_eq!(
        read::<Evolved>(&source),
        Evolved {
            derived: 100,
            ..value
        }
    );
    let edited = edit(&source, "tags=['a'], steps=3, label='run'", "");
    let expected = Evolved {
        alpha: 0.5,
        tags: vec![],
        steps: 100,
        label: "unnamed".into(),
        derived: 100,
    };
    assert_eq!(read::<Evolved>(&edited), expected);
    // Trailing tuple fields.
    let source = source_of(&Sample(1.5, Some(2), 3));
    assert_eq!(read::<Sample>(&source), Sample(1.5, Some(2), 3));
    let edited = edit(&source, "_Sample(1.5, 2, 3)", "_Sample(1.5)");
    assert_eq!(read::<Sample>(&edited), Sample(1.5, None, 100));
}

#[derive(Persist, Debug, PartialEq)]
#[persist(deny_unknown_fields)]
struct Strict {
    alpha: f64,
    #[persist(alias = "count")]
    steps: u32,
}

#[derive(Persist, Debug, PartialEq)]
#[persist(deny_unknown_fields)]
enum StrictShape {
    Circle { radius: f64 },
}

#[test]
fn deny_unknown_fields_refuses_an_added_field() {
    let source = source_of(&Strict {
        alpha: 0.5,
        steps: 3,
    });
    // An alias is no unknown field.
    let aliased = edit(&source, "steps=3", "count=3");
    assert_eq!(
        read::<Strict>(&aliased),
        Strict {
            alpha: 0.5,
            steps: 3
        }
    );
    let added = edit(&source, "steps=3)", "steps=3, extra=1)");
    let at = position_of(&added, "extra=1");
    let err = read_error::<Strict>(&added);
    assert_eq!(
        err,
        format!(
            "<memory>:{at}: item `x`: unknown field `extra` of `Strict`; expected one of alpha, steps"
        )
    );
    let source = source_of(&vec![StrictShape::Circle { radius: 1.0 }]);
    let added = edit(&source, "radius=1.0", "radius=1.0, r=1.0");
    let at = position_of(&added, "r=1.0");
    let err = read_error::<Vec<StrictShape>>(&added);
    assert!(
        err.starts_with(&format!(
            "<memory>:{at}: item `x`, at `[0]`: unknown field `r`"
        )),
        "{err}"
    );
}

/// `Shape` as a newer version of the program writes it, with one more variant.
mod newer {
    #[derive(persist_core::Persist)]
    pub enum Shape {
        Hexagon { side: f64 },
    }

    #[derive(persist_core::Persist)]
    pub enum Mode {
        Open,
        Secret(u8),
    }
}

#[derive(Persist, Debug, PartialEq)]
enum Mode {
    Open,
    #[persist(skip)]
    #[allow(dead_code)]
    Secret(u8),
}

#[test]
fn an_unknown_variant_is_an_error() {
    let source = source_of(&newer::Shape::Hexagon { side: 1.0 });
    let at = position_of(&source, "_Shape_Hexagon(side");
    let err = read_error::<Shape>(&source);
    assert_eq!(
        err,
        format!(
            "<memory>:{at}: item `x`: unknown variant `Hexagon` of `Shape`; expected one of \
             Empty, Circle, Rect, Labelled, Sparse, Nothing, NoTuple"
        )
    );
    // A skipped variant is never read.
    round_trip(Mode::Open);
    let source = source_of(&newer::Mode::Secret(1));
    let err = read_error::<Mode>(&source);
    assert!(
        err.ends_with("unknown variant `Secret` of `Mode`; expected one of Open"),
        "{err}"
    );
}

#[test]
fn a_missing_field_is_an_error_that_names_it() {
    let source = source_of(&Run {
        params: Params {
            alpha: 0.25,
            steps: 10,
            cache: vec![],
        },
        shapes: vec![Shape::Circle { radius: 2.0 }],
        best: None,
        config: Config {
            r#type: 3,
            r#loop: false,
        },
    });
    let edited = edit(&source, "alpha=0.25, ", "");
    let err = read_error::<Run>(&edited);
    let at = position_of(&edited, "_Params(n=10)");
    assert_eq!(
        err,
        format!(
            "<memory>:{at}: item `x`, at `.params`: missing field `alpha` of `Params`; add it to the archive, \
             or give the Rust field #[persist(default)]"
        )
    );
    let edited = edit(&source, "_Shape_Circle(radius=2.0)", "_Shape_Circle()");
    let err = read_error::<Run>(&edited);
    assert!(
        err.ends_with("at `.shapes[0]`: missing field `radius` of `Shape.Circle`; add it to the archive, or give the Rust field #[persist(default)]"),
        "{err}"
    );
    let source = source_of(&Pair(1, Seven(7), 2.5));
    let edited = edit(&source, "_Pair(1, 2.5)", "_Pair(1)");
    let err = read_error::<Pair>(&edited);
    assert!(err.contains("missing field `_1` of `Pair`"), "{err}");
}

#[test]
fn a_field_of_the_wrong_type_names_its_path() {
    let source = source_of(&Shape::Labelled {
        label: "a".into(),
        cached_width: Seven(7),
        size: 2,
    });
    let edited = edit(&source, "size=2", "size='big'");
    let at = position_of(&edited, "'big'");
    let err = read_error::<Shape>(&edited);
    assert_eq!(
        err,
        format!("<memory>:{at}: item `x`, at `.size`: expected an int, found a str")
    );
}
