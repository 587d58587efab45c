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

/// A tree whose every level is too long for one line, and whose lists hold a short branch
/// before the deep one, so that each container is broken and streams: its later children are
/// written one per line as they come, at their final indent.
#[derive(Persist, Debug, PartialEq)]
struct Branch {
    label: String,
    kids: Vec<Branch>,
    weights: (f64, Vec<i64>),
}

fn branch(depth: usize) -> Branch {
    Branch {
        label: format!("level {depth} {}", "x".repeat(100)),
        kids: match depth {
            0 => Vec::new(),
            1..=3 => vec![branch(depth - 1)],
            _ => vec![branch(1), branch(depth - 1)],
        },
        weights: (depth as f64 / 4.0, (0..depth as i64 % 30).collect()),
    }
}

/// Each line of `text` (an expression or statements whose strings hold no brackets) is
/// indented four spaces per bracket open at its start, one level less for a line that starts
/// by closing one.
#[track_caller]
fn assert_indented_by_depth(text: &str) {
    let mut depth = 0_usize;
    for line in text.lines() {
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        let closing = body.starts_with([')', ']', '}']);
        let expected = 4 * (depth - usize::from(closing));
        assert_eq!(indent, expected, "at depth {depth}: {line:?}");
        for c in body.chars() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                _ => {}
            }
        }
    }
    assert_eq!(depth, 0, "unbalanced text");
}

#[test]
fn long_nested_values_are_indented_by_their_depth() {
    // Deeper than the levels of indent a child carries as it is written (15), not deep enough
    // to be hoisted.
    let tree = branch(40);
    let mut w = Writer::inline();
    tree.to_python_source(&mut w).unwrap();
    let text = w.take_expression();
    assert!(
        text.lines()
            .any(|line| line.starts_with(&" ".repeat(4 * 30)))
    );
    assert_indented_by_depth(&text);

    // Deep enough to be hoisted into statements, each at column 0 and indented by its own depth.
    let deep = branch(150);
    let mut archive = Archive::new();
    archive
        .insert("tree", &tree)
        .unwrap()
        .insert("deep", &deep)
        .unwrap();
    let source = archive.to_python_source().unwrap();
    let start = source.find("\n_t0 = ").expect("a hoisted statement") + 1;
    let end = source.rfind("\ndel ").expect("the del line");
    assert_indented_by_depth(&source[start..end]);
    let read: Branch = persist_core::from_str(&source, "deep").unwrap();
    assert_eq!(read, deep);

    let saved = save_package(&archive);
    saved.check(
        "def depth(b):\n\
         \x20   n = 0\n\
         \x20   while b.kids:\n\
         \x20       assert b.label.startswith('level '), b.label\n\
         \x20       b = b.kids[-1]\n\
         \x20       n += 1\n\
         \x20   return n\n\
         assert a.tree.label == 'level 40 ' + 'x' * 100\n\
         assert a.tree.weights == (10.0, list(range(10)))\n\
         assert (depth(a.tree), depth(a.deep)) == (40, 150)\n\
         assert a.deep.kids[0].label == 'level 1 ' + 'x' * 100 and len(a.deep.kids[0].kids) == 1\n",
    );
}
