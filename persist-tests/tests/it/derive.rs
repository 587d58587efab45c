//! `#[derive(Persist)]` through the public API: what the derived impls write.

use persist_core::{Archive, Persist, WriteError, Writer};

/// The Python expression `value` writes.
#[track_caller]
fn written<T: Persist + ?Sized>(value: &T) -> String {
    let mut w = Writer::inline();
    if let Err(err) = value.to_python_source(&mut w) {
        panic!("writing failed: {err}");
    }
    w.take_expression()
}

/// The error writing `value` returns.
#[track_caller]
fn write_error<T: Persist + ?Sized>(value: &T) -> WriteError {
    let mut w = Writer::inline();
    match value.to_python_source(&mut w) {
        Ok(()) => panic!("writing succeeded: {}", w.take_expression()),
        Err(err) => err,
    }
}

/// The source of a module archive holding `value` as `x`.
#[track_caller]
fn module_source<T: Persist>(value: &T) -> String {
    let mut archive = Archive::local();
    if let Err(err) = archive.insert("x", value) {
        panic!("insert failed: {err}");
    }
    match archive.to_python_source() {
        Ok(source) => source,
        Err(err) => panic!("rendering failed: {err}"),
    }
}

/// Asserts that `source` has a line equal to `line`.
#[track_caller]
fn assert_has_line(source: &str, line: &str) {
    assert!(
        source.lines().any(|l| l == line),
        "no line `{line}` in:\n{source}"
    );
}

/// Compiles only for types that implement `Persist`.
fn assert_persist<T: Persist + ?Sized>() {}

/// A type that does not implement `Persist`.
struct NotPersist;

#[derive(Persist)]
struct Params<T> {
    alpha: f64,
    #[persist(rename = "n")]
    steps: T,
    #[persist(skip)]
    #[allow(dead_code)]
    cache: Vec<u8>,
}

#[test]
fn named_struct_with_rename_and_skip() {
    let params = Params {
        alpha: 0.5,
        steps: 3_u32,
        cache: vec![1, 2],
    };
    assert_eq!(written(&params), "_Params(alpha=0.5, n=3)");
}

#[test]
fn record_names_the_rust_type_and_the_written_fields() {
    let params = Params {
        alpha: 0.5,
        steps: 3_u32,
        cache: vec![],
    };
    let source = module_source(&params);
    assert_has_line(
        &source,
        "_Params = _record('Params', ('alpha', 'n'), 'it::derive::Params')",
    );
    assert_has_line(&source, "x = _Params(alpha=0.5, n=3)");
}

#[derive(Persist)]
struct Pair(
    i32,
    #[persist(skip)]
    #[allow(dead_code)]
    String,
    f64,
);

#[derive(Persist)]
struct Marker;

#[derive(Persist)]
struct Braces {}

#[derive(Persist)]
struct NoFields();

#[test]
fn tuple_and_unit_structs() {
    assert_eq!(written(&Pair(1, "skipped".into(), 2.5)), "_Pair(1, 2.5)");
    assert_eq!(written(&Marker), "_Marker()");
    assert_eq!(written(&Braces {}), "_Braces()");
    assert_eq!(written(&NoFields()), "_NoFields()");
}

#[test]
fn record_kinds_of_tuple_and_unit_structs() {
    let source = module_source(&(Pair(1, String::new(), 2.5), Marker, Braces {}));
    assert_has_line(
        &source,
        "_Pair = _record('Pair', ('_0', '_1'), 'it::derive::Pair', positional=True)",
    );
    assert_has_line(
        &source,
        "_Marker = _record('Marker', (), 'it::derive::Marker')",
    );
    assert_has_line(
        &source,
        "_Braces = _record('Braces', (), 'it::derive::Braces')",
    );
}

#[derive(Persist)]
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
        #[allow(dead_code)]
        cached_width: f64,
        size: u8,
    },
    Sparse(
        #[persist(skip)]
        #[allow(dead_code)]
        u8,
        char,
    ),
    Nothing {},
    NoTuple(),
}

#[test]
fn enum_variants_of_every_kind() {
    assert_eq!(written(&Shape::Empty), "_Shape_Empty()");
    assert_eq!(
        written(&Shape::Circle { radius: 1.5 }),
        "_Shape_Circle(radius=1.5)"
    );
    assert_eq!(
        written(&Shape::Rectangle(1.0, 2.0)),
        "_Shape_Rect(1.0, 2.0)"
    );
    let labelled = Shape::Labelled {
        label: "a".into(),
        cached_width: 9.0,
        size: 2,
    };
    assert_eq!(written(&labelled), "_Shape_Labelled(text='a', size=2)");
    assert_eq!(written(&Shape::Sparse(7, 'z')), "_Shape_Sparse('z')");
    assert_eq!(written(&Shape::Nothing {}), "_Shape_Nothing()");
    assert_eq!(written(&Shape::NoTuple()), "_Shape_NoTuple()");
}

#[test]
fn enum_records_name_the_enum_and_the_variant() {
    let value = vec![
        Shape::Empty,
        Shape::Circle { radius: 1.0 },
        Shape::Rectangle(1.0, 2.0),
    ];
    let source = module_source(&value);
    assert_has_line(
        &source,
        "_Shape_Empty = _record('Shape.Empty', (), 'it::derive::Shape')",
    );
    assert_has_line(
        &source,
        "_Shape_Circle = _record('Shape.Circle', ('radius',), 'it::derive::Shape')",
    );
    assert_has_line(
        &source,
        "_Shape_Rect = _record('Shape.Rect', ('_0', '_1'), 'it::derive::Shape', positional=True)",
    );
}

#[derive(Persist)]
#[persist(rename = "Settings")]
struct Config {
    r#type: u8,
    r#loop: bool,
}

#[derive(Persist)]
#[persist(rename = "Colour")]
enum Color {
    #[persist(rename = "Red_")]
    Red,
    Green,
}

#[test]
fn container_rename_and_raw_identifiers() {
    let config = Config {
        r#type: 1,
        r#loop: true,
    };
    assert_eq!(written(&config), "_Settings(type=1, loop=True)");
    assert_eq!(written(&Color::Red), "_Colour_Red_()");
    assert_eq!(written(&Color::Green), "_Colour_Green()");
    let source = module_source(&Color::Green);
    // The Python name is renamed; the Rust path is the type's own.
    assert_has_line(
        &source,
        "_Colour_Green = _record('Colour.Green', (), 'it::derive::Color')",
    );
}

#[derive(Persist)]
enum Mode {
    Open,
    #[persist(skip)]
    #[allow(dead_code)]
    Secret(NotPersist),
}

#[derive(Persist)]
struct Holder {
    mode: Mode,
}

#[test]
fn skipped_variant_is_an_error_when_written() {
    assert_eq!(written(&Mode::Open), "_Mode_Open()");
    let err = write_error(&Mode::Secret(NotPersist));
    assert_eq!(
        err.to_string(),
        "variant `Mode::Secret` is marked `#[persist(skip)]` and cannot be archived"
    );
    let err = write_error(&Holder {
        mode: Mode::Secret(NotPersist),
    });
    assert_eq!(err.path(), ".mode");
}

/// Only the skipped field uses `T`, so `Cache<T>` is `Persist` for any `T` that has a default
/// (reading fills `memo` with `Default::default()`).
#[derive(Persist)]
struct Cache<T> {
    hits: u64,
    #[persist(skip)]
    #[allow(dead_code)]
    memo: Vec<T>,
}

fn marker<M>() -> std::marker::PhantomData<M> {
    std::marker::PhantomData
}

/// Lifetimes, a user's bound and where clause, a const parameter and a marker parameter (whose
/// field's `default = "path"` spares `M` a `Default` bound).
#[derive(Persist)]
struct View<'a, T: Clone, const N: usize, M>
where
    T: Default,
{
    items: &'a [T],
    fixed: [u8; N],
    #[persist(skip, default = "marker")]
    #[allow(dead_code)]
    marker: std::marker::PhantomData<M>,
}

/// An associated type used by a field is bounded itself.
#[derive(Persist)]
struct Peeked<I: Iterator> {
    next: Option<I::Item>,
}

#[derive(Persist)]
enum Tree<T> {
    Leaf(T),
    Node(Box<Tree<T>>, Box<Tree<T>>),
}

#[test]
fn generics_get_bounds_only_where_written() {
    assert_persist::<Cache<Vec<NotPersist>>>();
    assert_eq!(
        written(&Cache {
            hits: 4,
            memo: vec![vec![NotPersist]]
        }),
        "_Cache(hits=4)"
    );

    assert_persist::<View<'static, u8, 2, NotPersist>>();
    let items = [1_u8, 2];
    let view: View<'_, u8, 2, NotPersist> = View {
        items: &items,
        fixed: [3, 4],
        marker: std::marker::PhantomData,
    };
    assert_eq!(written(&view), "_View(items=[1, 2], fixed=[3, 4])");

    // `std::vec::IntoIter<NotPersist>` is no `Persist`, its `Item` is.
    assert_persist::<Peeked<std::vec::IntoIter<u8>>>();
    let peeked: Peeked<std::vec::IntoIter<u8>> = Peeked { next: Some(7) };
    assert_eq!(written(&peeked), "_Peeked(next=7)");

    let tree = Tree::Node(Box::new(Tree::Leaf(1)), Box::new(Tree::Leaf(2)));
    assert_eq!(written(&tree), "_Tree_Node(_Tree_Leaf(1), _Tree_Leaf(2))");
}

#[derive(Persist)]
enum Never {}

#[derive(Persist)]
enum OnlySkipped {
    #[persist(skip)]
    #[allow(dead_code)]
    Gone,
}

#[test]
fn enums_that_cannot_be_written() {
    assert_persist::<Never>();
    let err = write_error(&OnlySkipped::Gone);
    assert_eq!(
        err.to_string(),
        "variant `OnlySkipped::Gone` is marked `#[persist(skip)]` and cannot be archived"
    );
}

/// A library that re-exports the runtime crate, as a user's own crate might.
mod reexport {
    pub use persist_core as persist;
}

#[derive(Persist)]
#[persist(crate = "crate::derive::reexport::persist")]
struct ThroughReexport {
    value: i32,
}

#[derive(Persist)]
#[persist(crate = "::persist_core")]
enum AbsoluteCrate {
    A(i32),
}

#[test]
fn crate_path_through_a_reexport() {
    assert_eq!(
        written(&ThroughReexport { value: 1 }),
        "_ThroughReexport(value=1)"
    );
    assert_eq!(written(&AbsoluteCrate::A(2)), "_AbsoluteCrate_A(2)");
}

#[derive(Persist)]
#[persist(python = "mylib.geometry:Point")]
struct Point {
    x: i32,
    y: i32,
}

#[derive(Persist)]
enum Unit {
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
    assert_eq!(written(&Point { x: 1, y: 2 }), "_Point(x=1, y=2)");
    let source = module_source(&(
        Point { x: 1, y: 2 },
        Unit::Metre { value: 1.0 },
        Unit::Foot { value: 3.0 },
    ));
    assert_has_line(&source, "from mylib.geometry import Point as _Point");
    assert_has_line(&source, "from units import Metre as _Metre");
    assert_has_line(
        &source,
        "_Unit_Foot = _record('Unit.Foot', ('value',), 'it::derive::Unit')",
    );
    assert_has_line(
        &source,
        "x = (_Point(x=1, y=2), _Metre(value=1.0), _Unit_Foot(value=3.0))",
    );
}

#[derive(Persist)]
struct Run {
    params: Params<u32>,
    shapes: Vec<Shape>,
    best: Option<Pair>,
}

#[test]
fn derived_types_nest() {
    let run = Run {
        params: Params {
            alpha: 0.25,
            steps: 10,
            cache: vec![],
        },
        shapes: vec![Shape::Empty],
        best: Some(Pair(1, String::new(), 2.5)),
    };
    assert_eq!(
        written(&run),
        "_Run(params=_Params(alpha=0.25, n=10), shapes=[_Shape_Empty()], best=_Pair(1, 2.5))"
    );
}

/// The derive written inside a macro, the fields' types coming from its caller.
macro_rules! record {
    ($name:ident { $($field:ident: $ty:ty),* }) => {
        #[derive(Persist)]
        struct $name { $($field: $ty),* }
    };
}

record!(FromMacro { a: u8, b: Option<String> });

/// Everything written inside a macro.
macro_rules! fixed {
    () => {
        #[derive(Persist)]
        enum Fixed {
            One { x: u8 },
            Two(u8),
        }
    };
}

fixed!();

#[test]
fn types_from_macros() {
    let value = FromMacro {
        a: 1,
        b: Some("b".into()),
    };
    assert_eq!(written(&value), "_FromMacro(a=1, b='b')");
    assert_eq!(written(&Fixed::One { x: 2 }), "_Fixed_One(x=2)");
    assert_eq!(written(&Fixed::Two(3)), "_Fixed_Two(3)");
}

/// The derive checks Python names with a copy of the runtime's rules (a published crate holds
/// only its own files): the two files must stay identical.
#[test]
fn the_derive_checks_names_by_the_runtime_rules() {
    assert_eq!(
        include_str!("../../../persist-derive/src/name.rs"),
        include_str!("../../../persist-core/src/python/name.rs"),
        "persist-derive/src/name.rs must be a copy of persist-core/src/python/name.rs"
    );
}
