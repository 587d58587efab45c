//! The same value gives byte-identical archives; the header names the format and the items' Rust
//! types; no absolute path is written; the module shows only the user's items.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::rc::Rc;

use ndarray::{Array1, Array2, ShapeBuilder};
use num_complex::Complex;
use persist_core::{
    Archive, Container, FORMAT_VERSION, Persist, Record, RecordKind, SaveOptions, WriteError,
    Writer,
};
use persist_tests::{HandRecord, save_module, save_package, snapshot};

/// `n` keys in an order that depends on `seed`: the same set, inserted differently.
fn shuffled(n: u32, seed: u32) -> Vec<u32> {
    let mut keys: Vec<u32> = (0..n).collect();
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    for i in (1..keys.len()).rev() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        keys.swap(i, state as usize % (i + 1));
    }
    keys
}

fn map_in_order<K: Hash + Eq, V>(entries: impl IntoIterator<Item = (K, V)>) -> HashMap<K, V> {
    let mut map = HashMap::with_hasher(RandomState::new());
    map.extend(entries);
    map
}

fn set_in_order<T: Hash + Eq>(items: impl IntoIterator<Item = T>) -> HashSet<T> {
    let mut set = HashSet::with_hasher(RandomState::new());
    set.extend(items);
    set
}

/// Saves `build(seed)` for two seeds with both layouts and asserts that every file is identical.
#[track_caller]
fn assert_deterministic(
    build: impl Fn(u32, &mut dyn FnMut(&Archive<'_, dyn persist_core::Persist + '_>)),
) {
    for layout in ["package", "module"] {
        let mut trees = Vec::new();
        for seed in [1, 2] {
            build(seed, &mut |archive| {
                let saved = if layout == "package" {
                    save_package(archive)
                } else {
                    save_module(archive)
                };
                // Python can import it.
                saved.check("pass");
                trees.push(snapshot(saved.dir.path()));
            });
        }
        let (first, second) = (&trees[0], &trees[1]);
        assert_eq!(
            first.keys().collect::<Vec<_>>(),
            second.keys().collect::<Vec<_>>(),
            "{layout}: the two archives have different files"
        );
        for (name, bytes) in first {
            if bytes != &second[name] {
                let diff = first_difference(bytes, &second[name]);
                panic!("{layout}: {name} differs between two saves of the same value:\n{diff}");
            }
        }
    }
}

/// The first differing line of two files, for a readable failure.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            let cut = |s: &str| s.chars().take(160).collect::<String>();
            return format!(
                "line {}:\n  first:  {}\n  second: {}",
                i + 1,
                cut(x),
                cut(y)
            );
        }
    }
    format!("lengths {} and {}", a.len(), b.len())
}

#[test]
fn hash_maps_and_sets_give_identical_files() {
    assert_deterministic(|seed, save| {
        let order = shuffled(1000, seed);
        let counts = map_in_order(order.iter().map(|&k| (format!("key {k}"), k as i64 - 500)));
        let by_int = map_in_order(
            order
                .iter()
                .map(|&k| (k as i64 - 500, vec![k; (k % 3) as usize])),
        );
        let by_tuple = map_in_order(
            order
                .iter()
                .map(|&k| ((k % 7, format!("{k}"), k % 2 == 0), k)),
        );
        let nested = map_in_order(order.iter().filter(|&&k| k < 50).map(|&k| {
            (
                k,
                map_in_order(
                    order
                        .iter()
                        .filter(|&&j| j < 20)
                        .map(|&j| (j, set_in_order([j, k]))),
                ),
            )
        }));
        let set = set_in_order(order.iter().map(|&k| k as i64 * 7919 - 3_000_000));
        let strings = set_in_order(order.iter().map(|&k| format!("s{k}")));
        let tuples = set_in_order(order.iter().map(|&k| (k % 10, k)));
        let arrays = map_in_order(order.iter().filter(|&&k| k < 30).map(|&k| {
            (
                format!("a{k}"),
                Array1::from_elem(3 + (k as usize % 5) * 40, k as f64),
            )
        }));
        let mut archive = Archive::local();
        archive.insert("counts", &counts).unwrap();
        archive.insert("by_int", &by_int).unwrap();
        archive.insert("by_tuple", &by_tuple).unwrap();
        archive.insert("nested", &nested).unwrap();
        archive.insert("numbers", &set).unwrap();
        archive.insert("strings", &strings).unwrap();
        archive.insert("tuples", &tuples).unwrap();
        archive.insert("arrays", &arrays).unwrap();
        archive
            .insert(
                "inline",
                Array2::from_shape_fn((4, 5).f(), |(i, j)| Complex::new(i as f32, j as f32)),
            )
            .unwrap();
        archive
            .insert(
                "external",
                Array2::from_shape_fn((40, 50).f(), |(i, j)| (i * j) as u16),
            )
            .unwrap();
        save(&archive);
    });
}

/// Values shared through `Rc` inside a `HashMap` are named by the writer (`_s0`, `_s1`, ...):
/// the names and statements must not follow the hash order.
#[test]
fn shared_values_inside_hash_maps_give_identical_files() {
    assert_deterministic(|seed, save| {
        let order = shuffled(50, seed);
        let common = Rc::new(vec![0_u8]);
        let map = map_in_order(
            order
                .iter()
                .map(|&k| (k, (Rc::new(vec![k]), common.clone()))),
        );
        let mut archive = Archive::local();
        archive.insert("map", &map).unwrap();
        save(&archive);
    });
}

/// A list nested `self.0` deep: deep enough for the writer to hoist parts of it into
/// statements of their own (`_t0 = ...`).
#[derive(PartialEq, Eq, Hash)]
struct DeepList(usize, u32);

impl Persist for DeepList {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        if self.0 == 0 {
            return self.1.to_python_source(out);
        }
        out.begin(Container::List)?;
        out.element(&DeepList(self.0 - 1, self.1))?;
        out.end()
    }
}

/// Deep values inside a `HashMap` are hoisted into numbered statements: the numbering and the
/// order of the statements must not follow the hash order.
#[test]
fn deep_values_inside_hash_maps_give_identical_files() {
    assert_deterministic(|seed, save| {
        let order = shuffled(20, seed);
        let map = map_in_order(order.iter().map(|&k| (k, DeepList(60, k))));
        let mut archive = Archive::local();
        archive.insert("map", &map).unwrap();
        save(&archive);
    });
}

/// The same for the elements of a `HashSet`, which are ordered by their text.
#[test]
fn deep_elements_of_hash_sets_give_identical_files() {
    struct DeepTuple(usize, u32);
    impl Persist for DeepTuple {
        fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
            if self.0 == 0 {
                return self.1.to_python_source(out);
            }
            out.begin(Container::Tuple)?;
            out.element(&DeepTuple(self.0 - 1, self.1))?;
            out.end()
        }
    }
    impl PartialEq for DeepTuple {
        fn eq(&self, other: &Self) -> bool {
            (self.0, self.1) == (other.0, other.1)
        }
    }
    impl Eq for DeepTuple {}
    impl Hash for DeepTuple {
        fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
            (self.0, self.1).hash(state);
        }
    }
    assert_deterministic(|seed, save| {
        let order = shuffled(20, seed);
        let set = set_in_order(order.iter().map(|&k| DeepTuple(60, k)));
        let mut archive = Archive::local();
        archive.insert("items", &set).unwrap();
        save(&archive);
    });
}

#[test]
fn the_header_names_the_format_and_every_items_rust_type() {
    let counts: HashMap<String, i32> = HashMap::new();
    let field = Array2::<f64>::zeros((2, 2));
    let mut archive = Archive::local();
    archive.insert("counts", &counts).unwrap();
    archive.insert("field", &field).unwrap();
    archive.insert("alpha", 0.5_f64).unwrap();
    archive.insert("pair", (1_u8, "x")).unwrap();
    let saved = save_package(&archive);
    let source = saved.source();
    let first = source.lines().next().unwrap();
    assert!(
        // Without records, an archive is of format 2 (the oldest that holds it).
        first.starts_with("# persist archive, format 2, ") && FORMAT_VERSION == 8,
        "the first line names the format version: {first}"
    );
    let writer = concat!("persist-core ", env!("CARGO_PKG_VERSION"));
    assert!(
        first.contains(writer),
        "the first line names the writer's version: {first}"
    );
    let header: Vec<&str> = source.lines().take_while(|l| l.starts_with('#')).collect();
    for (name, rust_type) in [
        ("counts", std::any::type_name::<HashMap<String, i32>>()),
        ("field", std::any::type_name::<Array2<f64>>()),
        ("alpha", "f64"),
        ("pair", std::any::type_name::<(u8, &str)>()),
    ] {
        assert!(
            header
                .iter()
                .any(|l| l.contains(&format!("{name}: {rust_type}"))),
            "the header does not give `{name}: {rust_type}`:\n{}",
            header.join("\n")
        );
    }
    // An archive without items has a header too.
    let same = Archive::local().to_python_source().unwrap();
    assert!(same.starts_with("# persist archive, format 2, "), "{same}");
}

/// An item inserted through `&mut` is described by its type, not by the reference.
#[test]
fn the_header_names_the_type_behind_a_reference() {
    let shared = vec![1_i32];
    let mut borrowed = vec![2_u8];
    let mut archive = Archive::local();
    archive.insert("shared", &shared).unwrap();
    archive.insert("borrowed", &mut borrowed).unwrap();
    let source = archive.to_python_source().unwrap();
    let header: Vec<&str> = source.lines().take_while(|l| l.starts_with('#')).collect();
    for line in [
        format!("#   shared: {}", std::any::type_name::<Vec<i32>>()),
        format!("#   borrowed: {}", std::any::type_name::<Vec<u8>>()),
    ] {
        assert!(
            header.contains(&line.as_str()),
            "no line `{line}` in the header:\n{}",
            header.join("\n")
        );
    }
}

#[test]
fn no_absolute_path_is_written() {
    let mut archive = Archive::local().with_array_threshold(2);
    archive.insert("big", Array1::<i32>::zeros(10)).unwrap();
    archive.insert("small", Array1::<i32>::zeros(1)).unwrap();
    for saved in [save_package(&archive), save_module(&archive)] {
        let dir = saved.dir.path();
        let canonical = dir.canonicalize().unwrap();
        for (name, bytes) in snapshot(dir) {
            let text = String::from_utf8_lossy(&bytes);
            for path in [dir.to_string_lossy(), canonical.to_string_lossy()] {
                assert!(
                    !text.contains(path.as_ref()),
                    "{name} contains the path {path}"
                );
            }
            let tmp = std::env::temp_dir();
            assert!(
                !text.contains(tmp.to_string_lossy().as_ref()),
                "{name} contains {}",
                tmp.display()
            );
        }
    }
}

#[test]
fn the_module_shows_only_the_users_items() {
    static FRACTION: Record = Record::new(
        "determinism::Fraction",
        "Fraction",
        RecordKind::Named(&["numerator", "denominator"]),
    )
    .python("fractions:Fraction");
    struct Fraction(i64, i64);
    impl Persist for Fraction {
        fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
            out.begin_record(&FRACTION)?;
            out.field("numerator", &self.0)?;
            out.field("denominator", &self.1)?;
            out.end_record()
        }
    }
    let shared = Rc::new(vec![1, 2]);
    let mut archive = Archive::local().with_array_threshold(4);
    archive.insert("big", Array1::<f64>::zeros(10)).unwrap();
    archive.insert("small", Array1::<f64>::zeros(2)).unwrap();
    archive
        .insert("point", HandRecord::named("Point", &["x", "y"], vec![1, 2]))
        .unwrap();
    archive.insert("third", Fraction(1, 3)).unwrap();
    archive
        .insert("shared", (shared.clone(), shared.clone()))
        .unwrap();
    archive.insert("deep", DeepList(120, 7)).unwrap();
    archive
        .insert(
            "odd",
            (f64::NAN, Complex::new(1.0, 2.0), HashSet::<u8>::new()),
        )
        .unwrap();
    let code = "import fractions\n\
        names = [n for n in dir(a) if not (n.startswith('__') and n.endswith('__'))]\n\
        assert names == ['big', 'deep', 'odd', 'point', 'shared', 'small', 'third'], names\n\
        assert a.third == fractions.Fraction(1, 3) and type(a.third) is fractions.Fraction, a.third\n\
        assert a.shared[0] is a.shared[1]\n\
        assert type(a.point).__name__ == 'Point' and a.point.x == 1\n";
    save_package(&archive).check(code);
    save_module(&archive).check(code);
    // Saving twice into two folders gives the same files.
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    archive
        .save(one.path().join("arch"), SaveOptions::package())
        .unwrap();
    archive
        .save(two.path().join("arch"), SaveOptions::package())
        .unwrap();
    assert!(
        snapshot(one.path()) == snapshot(two.path()),
        "two saves of one archive differ"
    );
}
