//! Generic types derive: bounds are inferred on the field types (so `Rc<T>` asks `T: 'static`
//! and `HashMap<K, V>` asks what its keys need), and `#[persist(bound = "...")]` replaces them.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;
use std::rc::Rc;
use std::sync::Arc;

use persist_core::{Archive, ArchiveReader, Persist};
use persist_tests::save_package;

#[derive(Persist, Debug, PartialEq)]
struct Shared<T> {
    a: Rc<T>,
    b: Rc<T>,
}

#[derive(Persist, Debug, PartialEq)]
struct Threaded<T> {
    a: Arc<T>,
}

#[derive(Persist, Debug, PartialEq)]
struct Map<K: Eq + std::hash::Hash, V> {
    m: HashMap<K, V>,
}

#[derive(Persist, Debug, PartialEq)]
struct Sorted<K, V> {
    m: BTreeMap<K, V>,
}

#[derive(Persist, Debug, PartialEq)]
struct Nested<T> {
    inner: Vec<Option<Shared<T>>>,
    pairs: Sorted<String, Vec<T>>,
}

/// A container bound replaces the inferred ones.
#[derive(Persist, Debug, PartialEq)]
#[persist(bound = "T: Persist + Clone + 'static")]
struct Explicit<T> {
    values: Vec<T>,
}

/// A field bound replaces that field's; the other fields keep theirs.
#[derive(Persist, Debug, PartialEq)]
struct FieldBound<T, U> {
    #[persist(bound = "T: Persist")]
    t: Box<T>,
    u: Option<U>,
}

/// `value` through an archive: Python runs `code` on it as `a.x`; Rust reads it back equal.
#[track_caller]
fn round_trip<T: Persist + PartialEq + Debug>(value: T, code: &str) {
    let mut archive = Archive::local();
    archive.insert("x", &value).expect("insert");
    let saved = save_package(&archive);
    saved.check(code);
    let reader = ArchiveReader::open(saved.dir.path().join("arch")).expect("open");
    assert_eq!(reader.read::<T>("x").expect("read"), value);
}

#[test]
fn generic_pointers_maps_and_nested_generics_round_trip_through_python() {
    let shared = Rc::new(vec![1.5, 2.5]);
    round_trip(
        Shared {
            a: shared.clone(),
            b: shared,
        },
        "assert a.x.a == [1.5, 2.5] and a.x.a is a.x.b",
    );
    round_trip(
        Threaded {
            a: Arc::new("text".to_owned()),
        },
        "assert a.x.a == 'text'",
    );
    round_trip(
        Map {
            m: HashMap::from([(1u8, "one".to_owned()), (2, "two".to_owned())]),
        },
        "assert a.x.m == {1: 'one', 2: 'two'}",
    );
    round_trip(
        Sorted {
            m: BTreeMap::from([((1, 2), 0.5f32)]),
        },
        "assert a.x.m == {(1, 2): 0.5}",
    );
    let leaf = Rc::new(7i64);
    round_trip(
        Nested {
            inner: vec![
                None,
                Some(Shared {
                    a: leaf.clone(),
                    b: leaf,
                }),
            ],
            pairs: Sorted {
                m: BTreeMap::from([("k".to_owned(), vec![1i64, 2])]),
            },
        },
        "assert a.x.inner[0] is None and a.x.inner[1].a == 7 and a.x.pairs.m == {'k': [1, 2]}",
    );
}

#[test]
fn bound_attributes_replace_the_inferred_bounds() {
    round_trip(
        Explicit {
            values: vec![1u16, 2],
        },
        "assert a.x.values == [1, 2]",
    );
    round_trip(
        FieldBound {
            t: Box::new(true),
            u: Some(-3i8),
        },
        "assert a.x.t is True and a.x.u == -3",
    );
}
