//! Containers: the empty tuple through the writer API, empty containers, dicts with tuple keys,
//! and containers nested deeply.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use ndarray::Array1;
use persist_core::{Archive, Container, Persist, WriteError, Writer};
use persist_tests::save_package;

/// The empty tuple, which no Rust type writes: only a hand-written impl can.
struct EmptyTuple;

impl Persist for EmptyTuple {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.begin(Container::Tuple)?;
        out.end()
    }
}

#[test]
fn the_empty_tuple_through_the_writer_api() {
    let mut w = Writer::inline();
    w.begin(Container::Tuple).unwrap();
    w.end().unwrap();
    assert_eq!(w.take_expression(), "()");
    let mut w = Writer::inline();
    (EmptyTuple, (EmptyTuple,))
        .to_python_source(&mut w)
        .unwrap();
    assert_eq!(w.take_expression(), "((), ((),))");
    let mut w = Writer::inline();
    w.begin(Container::Set).unwrap();
    w.end().unwrap();
    assert_eq!(w.take_expression(), "set()");
}

#[test]
fn empty_containers() {
    let mut archive = Archive::new();
    archive.insert("vec", Vec::<i32>::new()).unwrap();
    archive
        .insert("map", HashMap::<String, i32>::new())
        .unwrap();
    archive.insert("bmap", BTreeMap::<i32, i32>::new()).unwrap();
    archive.insert("hset", HashSet::<i32>::new()).unwrap();
    archive.insert("bset", BTreeSet::<String>::new()).unwrap();
    archive.insert("string", String::new()).unwrap();
    archive.insert("one", (1,)).unwrap();
    archive.insert("one_empty", (Vec::<u8>::new(),)).unwrap();
    archive.insert("empty_tuple", EmptyTuple).unwrap();
    archive
        .insert("nested", vec![vec![Vec::<i32>::new()], vec![]])
        .unwrap();
    archive
        .insert(
            "sets",
            (
                HashSet::<u8>::new(),
                BTreeSet::<u8>::new(),
                HashMap::<u8, u8>::new(),
            ),
        )
        .unwrap();
    archive.insert("array", Array1::<f64>::zeros(0)).unwrap();
    save_package(&archive).check(
        "assert a.vec == [] and type(a.vec) is list, a.vec\n\
         assert a.map == {} and type(a.map) is dict, a.map\n\
         assert a.bmap == {} and type(a.bmap) is dict, a.bmap\n\
         assert a.hset == set() and type(a.hset) is set, a.hset\n\
         assert a.bset == set() and type(a.bset) is set, a.bset\n\
         assert a.string == '', a.string\n\
         assert a.one == (1,) and type(a.one) is tuple and len(a.one) == 1, a.one\n\
         assert a.one_empty == ([],), a.one_empty\n\
         assert a.empty_tuple == () and type(a.empty_tuple) is tuple, a.empty_tuple\n\
         assert a.nested == [[[]], []], a.nested\n\
         assert a.sets == (set(), set(), {}) and type(a.sets[0]) is set and type(a.sets[1]) is set, a.sets\n\
         assert a.array.shape == (0,) and a.array.dtype == np.float64, a.array\n",
    );
}

#[test]
fn dicts_with_tuple_keys() {
    let flat: HashMap<(i32, String, bool), i32> = [
        ((1, "a".to_owned(), true), 1),
        ((-1, "it's".to_owned(), false), 2),
        ((0, String::new(), true), 3),
    ]
    .into_iter()
    .collect();
    let nested: BTreeMap<((i8, u8), (char,)), &str> =
        [(((-1, 2), ('x',)), "a"), (((3, 4), ('\n',)), "b")]
            .into_iter()
            .collect();
    let one: HashMap<(i64,), i64> = [((1,), 10), ((2,), 20)].into_iter().collect();
    let mut archive = Archive::new();
    archive.insert("flat", &flat).unwrap();
    archive.insert("nested", &nested).unwrap();
    archive.insert("one", &one).unwrap();
    archive
        .insert("set_of_tuples", HashSet::from([(1, (2, 3)), (4, (5, 6))]))
        .unwrap();
    save_package(&archive).check(
        "assert a.flat == {(1, 'a', True): 1, (-1, \"it's\", False): 2, (0, '', True): 3}, a.flat\n\
         assert a.nested == {((-1, 2), ('x',)): 'a', ((3, 4), ('\\n',)): 'b'}, a.nested\n\
         assert a.one == {(1,): 10, (2,): 20}, a.one\n\
         assert all(type(k) is tuple and len(k) == 1 for k in a.one)\n\
         assert a.set_of_tuples == {(1, (2, 3)), (4, (5, 6))}, a.set_of_tuples\n",
    );
}

/// Containers nested `depth` deep around a leaf, written by hand as plain Python containers.
enum Deep {
    List(usize),
    Tuple(usize),
    Dict(usize),
    /// A dict whose one key is a tuple nested this deep.
    TupleKey(usize),
}

struct Nested(u32);

impl Persist for Nested {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        out.begin(Container::Tuple)?;
        if self.0 > 0 {
            out.element(&Nested(self.0 - 1))?;
        } else {
            out.element(&7)?;
        }
        out.end()
    }
}

impl Persist for Deep {
    fn to_python_source(&self, out: &mut Writer) -> Result<(), WriteError> {
        match *self {
            Deep::List(0) | Deep::Tuple(0) | Deep::Dict(0) => out.write_int(7),
            Deep::List(n) => {
                out.begin(Container::List)?;
                out.element(&Deep::List(n - 1))?;
                out.end()?;
            }
            Deep::Tuple(n) => {
                out.begin(Container::Tuple)?;
                out.element(&Deep::Tuple(n - 1))?;
                out.end()?;
            }
            Deep::Dict(n) => {
                out.begin(Container::Dict)?;
                out.entry(&(n as u64), &Deep::Dict(n - 1))?;
                out.end()?;
            }
            Deep::TupleKey(n) => {
                out.begin(Container::Dict)?;
                out.entry(&Nested(n as u32 - 1), "value")?;
                out.end()?;
            }
        }
        Ok(())
    }
}

#[test]
fn deeply_nested_containers_import() {
    let mut archive = Archive::new();
    archive.insert("lists", Deep::List(300)).unwrap();
    archive.insert("tuples", Deep::Tuple(300)).unwrap();
    archive.insert("dicts", Deep::Dict(300)).unwrap();
    archive.insert("key", Deep::TupleKey(300)).unwrap();
    archive
        .insert("many", vec![Deep::List(120), Deep::List(60), Deep::List(0)])
        .unwrap();
    let saved = save_package(&archive);
    saved.check(
        "def depth(x, kind):\n\
         \x20   n = 0\n\
         \x20   while type(x) is kind:\n\
         \x20       assert len(x) == 1, (n, len(x))\n\
         \x20       x = next(iter(x.values())) if kind is dict else x[0]\n\
         \x20       n += 1\n\
         \x20   return n, x\n\
         assert depth(a.lists, list) == (300, 7)\n\
         assert depth(a.tuples, tuple) == (300, 7)\n\
         assert depth(a.dicts, dict) == (300, 7)\n\
         x = a.dicts\n\
         for n in range(300, 0, -1):\n\
         \x20   (k, x), = x.items()\n\
         \x20   assert k == n, (n, k)\n\
         (k, v), = a.key.items()\n\
         assert v == 'value' and depth(k, tuple) == (300, 7)\n\
         assert [depth(x, list) for x in a.many] == [(120, 7), (60, 7), (0, 7)]\n",
    );
    // No line nests anywhere near Python's limit of 200 brackets.
    for line in saved.source().lines() {
        let mut depth = 0_i32;
        let mut max = 0;
        for c in line.chars() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                _ => {}
            }
            max = max.max(depth);
        }
        assert!(
            max < 100,
            "a line nests {max} brackets: {}",
            &line[..line.len().min(200)]
        );
    }
}
