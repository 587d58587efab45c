//! `#[derive(Persist)]` types seen from Python: attribute access, equality, repr, variants,
//! `rename`/`skip`, the user's own classes, awkward field names and deep nesting.

use ndarray::{Array1, Array2};
use persist_core::{Archive, Persist};
use persist_tests::{run_python, save_module, save_package};

#[derive(Persist, Clone)]
struct Params {
    alpha: f64,
    steps: u32,
    name: String,
}

#[derive(Persist, Clone)]
struct Pair(i32, f64);

#[derive(Persist)]
struct Marker;

#[derive(Persist, Clone)]
enum Shape {
    Empty,
    Circle {
        radius: f64,
    },
    #[persist(rename = "Rect")]
    Rectangle(f64, f64),
}

#[test]
fn named_structs() {
    let p = Params {
        alpha: 0.5,
        steps: 100,
        name: "it's".into(),
    };
    let mut archive = Archive::new();
    archive.insert("p", &p).unwrap();
    archive.insert("same", p.clone()).unwrap();
    archive
        .insert(
            "other",
            Params {
                alpha: 0.25,
                ..p.clone()
            },
        )
        .unwrap();
    save_package(&archive).check(
        "assert a.p.alpha == 0.5 and a.p.steps == 100 and a.p.name == \"it's\", a.p\n\
         assert type(a.p).__name__ == 'Params', type(a.p)\n\
         assert type(a.p).__qualname__ == 'Params', type(a.p).__qualname__\n\
         assert repr(a.p).startswith('Params('), repr(a.p)\n\
         assert repr(a.p) == \"Params(alpha=0.5, steps=100, name=\\\"it's\\\")\", repr(a.p)\n\
         assert a.p._rust == 'it::records::Params', a.p._rust\n\
         assert a.p == a.same and not (a.p != a.same), (a.p, a.same)\n\
         assert a.p is not a.same\n\
         assert a.p != a.other and not (a.p == a.other), (a.p, a.other)\n\
         assert type(a.p) is type(a.other)\n\
         assert a.p != 0.5 and a.p != (0.5, 100, \"it's\")\n\
         assert hash(a.p) == hash(a.same)\n\
         assert len({a.p, a.same, a.other}) == 2\n\
         a.same.alpha = 1.0\n\
         assert a.p != a.same, 'fields are plain attributes'\n",
    );
}

#[test]
fn tuple_and_unit_structs() {
    let mut archive = Archive::new();
    archive.insert("t", Pair(1, 2.5)).unwrap();
    archive.insert("same", Pair(1, 2.5)).unwrap();
    archive.insert("other", Pair(2, 2.5)).unwrap();
    archive.insert("u", Marker).unwrap();
    archive.insert("u2", Marker).unwrap();
    save_package(&archive).check(
        "assert a.t[0] == 1 and a.t[1] == 2.5 and a.t[-1] == 2.5, a.t\n\
         assert a.t._0 == 1 and a.t._1 == 2.5, a.t\n\
         assert len(a.t) == 2 and list(a.t) == [1, 2.5] and tuple(a.t) == (1, 2.5), a.t\n\
         x, y = a.t\n\
         assert (x, y) == (1, 2.5)\n\
         assert type(a.t).__name__ == 'Pair' and repr(a.t) == 'Pair(1, 2.5)', repr(a.t)\n\
         assert a.t == a.same and a.t != a.other, (a.t, a.same, a.other)\n\
         assert a.t != (1, 2.5), 'a record is not a tuple'\n\
         assert type(a.u).__name__ == 'Marker' and repr(a.u) == 'Marker()', repr(a.u)\n\
         assert a.u == a.u2 and a.u is not a.u2\n\
         assert a.u._rust == 'it::records::Marker'\n",
    );
}

#[test]
fn enum_variants_are_visible() {
    let mut archive = Archive::new();
    archive
        .insert(
            "shapes",
            vec![
                Shape::Empty,
                Shape::Circle { radius: 1.5 },
                Shape::Rectangle(2.0, 3.0),
            ],
        )
        .unwrap();
    archive
        .insert("circle", Shape::Circle { radius: 1.5 })
        .unwrap();
    archive
        .insert("small", Shape::Circle { radius: 0.5 })
        .unwrap();
    archive.insert("empty", Shape::Empty).unwrap();
    save_package(&archive).check(
        "e, c, r = a.shapes\n\
         for v, name, qual in [(e, 'Empty', 'Shape.Empty'), (c, 'Circle', 'Shape.Circle'), (r, 'Rect', 'Shape.Rect')]:\n\
         \x20   assert type(v).__name__ == name, (type(v).__name__, name)\n\
         \x20   assert type(v).__qualname__ == qual, type(v).__qualname__\n\
         \x20   assert v._variant == name and v._enum == 'Shape', (v._variant, v._enum)\n\
         \x20   assert v._rust == 'it::records::Shape', v._rust\n\
         \x20   assert repr(v).startswith(qual + '('), repr(v)\n\
         assert repr(e) == 'Shape.Empty()' and e == a.empty, repr(e)\n\
         assert c.radius == 1.5 and repr(c) == 'Shape.Circle(radius=1.5)', repr(c)\n\
         assert r[0] == 2.0 and r._1 == 3.0 and len(r) == 2 and repr(r) == 'Shape.Rect(2.0, 3.0)', repr(r)\n\
         assert c == a.circle and c != a.small and c != e and c != r, (c, a.circle, a.small)\n\
         assert type(c) is type(a.circle) and type(c) is not type(e)\n\
         assert not hasattr(e, 'radius')\n",
    );
}

#[derive(Persist)]
#[persist(rename = "Settings")]
struct Config {
    #[persist(rename = "n")]
    steps: u32,
    #[persist(skip)]
    #[allow(dead_code)]
    cache: Vec<u8>,
    label: &'static str,
}

#[test]
fn rename_and_skip_seen_from_python() {
    let mut archive = Archive::new();
    archive
        .insert(
            "config",
            Config {
                steps: 3,
                cache: vec![1, 2, 3],
                label: "x",
            },
        )
        .unwrap();
    archive
        .insert(
            "same",
            Config {
                steps: 3,
                cache: vec![],
                label: "x",
            },
        )
        .unwrap();
    save_package(&archive).check(
        "c = a.config\n\
         assert type(c).__name__ == 'Settings' and repr(c) == \"Settings(n=3, label='x')\", repr(c)\n\
         assert c.n == 3 and c.label == 'x', c\n\
         assert not hasattr(c, 'steps') and not hasattr(c, 'cache'), vars(c)\n\
         assert c._fields == ('n', 'label'), c._fields\n\
         assert c._rust == 'it::records::Config', c._rust\n\
         assert c == a.same, 'skipped fields do not take part in =='\n",
    );
}

#[derive(Persist)]
struct Run {
    params: Params,
    shapes: Vec<Shape>,
    best: Option<Pair>,
    tags: std::collections::BTreeMap<String, Pair>,
}

#[derive(Persist)]
struct Wrapper<T> {
    value: T,
}

#[test]
fn nested_and_generic_structs() {
    let run = || Run {
        params: Params {
            alpha: 0.5,
            steps: 10,
            name: "r".into(),
        },
        shapes: vec![Shape::Circle { radius: 2.0 }, Shape::Empty],
        best: Some(Pair(3, 0.125)),
        tags: [("k".to_owned(), Pair(1, 1.0))].into_iter().collect(),
    };
    let mut archive = Archive::new();
    archive.insert("run", run()).unwrap();
    archive.insert("again", run()).unwrap();
    archive.insert("w_int", Wrapper { value: 1_i32 }).unwrap();
    archive.insert("w_str", Wrapper { value: "one" }).unwrap();
    archive
        .insert(
            "w_nested",
            Wrapper {
                value: Wrapper {
                    value: vec![Pair(1, 2.0)],
                },
            },
        )
        .unwrap();
    save_package(&archive).check(
        "r = a.run\n\
         assert r.params.alpha == 0.5 and r.params.name == 'r', r.params\n\
         assert type(r.params).__name__ == 'Params' and type(r).__name__ == 'Run'\n\
         assert [type(s).__name__ for s in r.shapes] == ['Circle', 'Empty'], r.shapes\n\
         assert r.shapes[0].radius == 2.0\n\
         assert r.best[0] == 3 and r.best._1 == 0.125, r.best\n\
         assert r.tags['k']._0 == 1, r.tags\n\
         assert r == a.again and r is not a.again, (r, a.again)\n\
         a.again.shapes[0].radius = 3.0\n\
         assert r != a.again, 'nested values are compared'\n\
         assert repr(r).startswith('Run(params=Params(alpha=0.5'), repr(r)\n\
         assert a.w_int.value == 1 and a.w_str.value == 'one', (a.w_int, a.w_str)\n\
         assert type(a.w_int) is type(a.w_str) and type(a.w_int).__name__ == 'Wrapper'\n\
         assert a.w_int != a.w_str\n\
         assert a.w_nested.value.value == [a.w_nested.value.value[0]] and a.w_nested.value.value[0]._1 == 2.0\n",
    );
}

#[derive(Persist)]
struct Shared {
    x: std::rc::Rc<Vec<i32>>,
    y: std::rc::Rc<Vec<i32>>,
    other: std::rc::Rc<Vec<i32>>,
    params: std::sync::Arc<Params>,
}

#[test]
fn fields_shared_through_rc_and_arc_are_one_object() {
    let x = std::rc::Rc::new(vec![1, 2]);
    let params = std::sync::Arc::new(Params {
        alpha: 1.0,
        steps: 2,
        name: "p".into(),
    });
    let value = Shared {
        x: x.clone(),
        y: x.clone(),
        other: std::rc::Rc::new(vec![1, 2]),
        params: params.clone(),
    };
    let mut archive = Archive::local();
    archive.insert("s", &value).unwrap();
    archive.insert("p", params.clone()).unwrap();
    archive
        .insert("pairs", vec![params.clone(), params.clone()])
        .unwrap();
    save_package(&archive).check(
        "assert a.s.x is a.s.y, 'one Rc in two fields is one object'\n\
         assert a.s.x is not a.s.other and a.s.x == a.s.other\n\
         assert a.s.params is a.p and all(q is a.p for q in a.pairs), 'one Arc, one object'\n\
         assert type(a.p).__name__ == 'Params' and a.p.steps == 2\n",
    );
}

#[derive(Persist, Clone)]
struct Field {
    data: Array2<f64>,
    label: String,
}

#[test]
fn structs_with_array_fields_compare_by_value() {
    let small = Field {
        data: Array2::from_shape_fn((2, 3), |(i, j)| (i + j) as f64),
        label: "s".into(),
    };
    let big = Field {
        data: Array2::from_shape_fn((20, 30), |(i, j)| (i * j) as f64),
        label: "b".into(),
    };
    let mut archive = Archive::new();
    archive.insert("small", &small).unwrap();
    archive.insert("small2", small.clone()).unwrap();
    archive.insert("big", &big).unwrap();
    archive.insert("big2", big.clone()).unwrap();
    let mut changed = big.clone();
    changed.data[[3, 4]] = -1.0;
    archive.insert("changed", changed).unwrap();
    archive
        .insert(
            "reshaped",
            Field {
                data: Array2::zeros((3, 2)),
                label: "s".into(),
            },
        )
        .unwrap();
    archive
        .insert(
            "zeros",
            Field {
                data: Array2::zeros((2, 3)),
                label: "s".into(),
            },
        )
        .unwrap();
    archive
        .insert(
            "nan",
            Field {
                data: Array2::from_elem((1, 1), f64::NAN),
                label: "n".into(),
            },
        )
        .unwrap();
    let saved = save_package(&archive);
    assert!(saved.dir.path().join("arch/_arrays/big.data.npy").is_file());
    saved.check(
        "assert a.small == a.small and a.small == a.small2, (a.small, a.small2)\n\
         assert a.big == a.big2 and a.big != a.changed, 'arrays compared by value'\n\
         assert a.small != a.big, 'different shapes are unequal, without an exception'\n\
         assert a.zeros != a.reshaped, 'same values, different shapes'\n\
         assert a.small != a.zeros\n\
         assert a.nan == a.nan, 'a value equals itself'\n\
         r = repr(a.small)\n\
         assert r.startswith('Field(data=array(') and \"label='s'\" in r, r\n\
         assert repr(a.big).startswith('Field(data=array(')\n\
         assert a.big.data.shape == (20, 30) and a.big.data.dtype == np.float64\n",
    );
}

#[derive(Persist)]
#[persist(python = "mymod:MyClass")]
struct Custom {
    x: i32,
    label: String,
}

#[derive(Persist)]
#[persist(python = "mylib.geometry:Point")]
struct Point(f64, f64);

#[derive(Persist)]
enum Unit {
    #[persist(python = "mymod:Metre")]
    Metre {
        value: f64,
    },
    Foot {
        value: f64,
    },
}

#[test]
fn python_attribute_builds_the_users_class() {
    let mut archive = Archive::new();
    archive
        .insert(
            "x",
            Custom {
                x: 3,
                label: "c".into(),
            },
        )
        .unwrap();
    archive
        .insert(
            "xs",
            vec![Custom {
                x: 4,
                label: "d".into(),
            }],
        )
        .unwrap();
    archive.insert("p", Point(1.0, 2.0)).unwrap();
    archive
        .insert(
            "units",
            (Unit::Metre { value: 1.0 }, Unit::Foot { value: 3.0 }),
        )
        .unwrap();
    for saved in [save_package(&archive), save_module(&archive)] {
        let dir = saved.dir.path();
        std::fs::write(
            dir.join("mymod.py"),
            "class MyClass:\n\
             \x20   def __init__(self, *, x, label):\n\
             \x20       self.x = x\n\
             \x20       self.label = label\n\
             class Metre:\n\
             \x20   def __init__(self, value):\n\
             \x20       self.value = value\n",
        )
        .unwrap();
        std::fs::create_dir(dir.join("mylib")).unwrap();
        std::fs::write(dir.join("mylib/__init__.py"), "").unwrap();
        std::fs::write(
            dir.join("mylib/geometry.py"),
            "class Point:\n    def __init__(self, *args):\n        self.coords = args\n",
        )
        .unwrap();
        saved.check(
            "import mymod, mylib.geometry\n\
             assert type(a.x) is mymod.MyClass and type(a.x).__name__ == 'MyClass', type(a.x)\n\
             assert a.x.x == 3 and a.x.label == 'c', vars(a.x)\n\
             assert type(a.xs[0]) is mymod.MyClass and a.xs[0].x == 4\n\
             assert type(a.p) is mylib.geometry.Point and a.p.coords == (1.0, 2.0), vars(a.p)\n\
             m, f = a.units\n\
             assert type(m) is mymod.Metre and m.value == 1.0, m\n\
             assert type(f).__qualname__ == 'Unit.Foot' and f.value == 3.0, f\n\
             names = [n for n in dir(a) if not n.startswith('__')]\n\
             assert names == ['p', 'units', 'x', 'xs'], names\n",
        );
    }
}

#[derive(Persist, Clone)]
struct Awkward {
    len: u32,
    r#type: String,
    id: i32,
    hash: i32,
    repr: i32,
    fields: Vec<i32>,
    qualname: i32,
    b: i32,
    args: i32,
    kwargs: i32,
    r#match: bool,
    __init__: i32,
}

#[test]
fn fields_named_like_python_builtins() {
    let awkward = Awkward {
        len: 1,
        r#type: "t".into(),
        id: 2,
        hash: 3,
        repr: 4,
        fields: vec![5],
        qualname: 6,
        b: 7,
        args: 8,
        kwargs: 9,
        r#match: true,
        __init__: 10,
    };
    let mut archive = Archive::new();
    archive.insert("x", &awkward).unwrap();
    archive.insert("y", awkward.clone()).unwrap();
    archive
        .insert(
            "z",
            Awkward {
                len: 0,
                ..awkward.clone()
            },
        )
        .unwrap();
    save_package(&archive).check(
        "x = a.x\n\
         assert (x.len, x.type, x.id, x.hash, x.repr, x.fields) == (1, 't', 2, 3, 4, [5]), vars(x)\n\
         assert (x.qualname, x.b, x.args, x.kwargs, x.match, x.__init__) == (6, 7, 8, 9, True, 10), vars(x)\n\
         assert x == a.y and x != a.z, 'equality still works'\n\
         assert type(x).__name__ == 'Awkward' and repr(x).startswith('Awkward(len=1, type='), repr(x)\n\
         assert len([x]) == 1 and type(x.type) is str\n",
    );
}

#[derive(Persist)]
struct Node {
    value: u32,
    next: Option<Box<Node>>,
}

/// A linked list `n` nodes long, built without recursion; its values count down to 1.
fn linked_list(n: u32) -> Node {
    let mut head = Node {
        value: n,
        next: None,
    };
    for value in (1..n).rev() {
        head = Node {
            value,
            next: Some(Box::new(head)),
        };
    }
    head
}

impl Drop for Node {
    /// Drop iteratively, so that a long list does not overflow the stack when dropped.
    fn drop(&mut self) {
        let mut next = self.next.take();
        while let Some(mut node) = next {
            next = node.next.take();
        }
    }
}

/// Saves a 5 000-node list as the package `arch` in `dir`, on a thread of `stack` bytes.
fn save_linked_list(dir: &std::path::Path, stack: usize) {
    let dir = dir.to_path_buf();
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || {
            let list = linked_list(5000);
            let mut archive = Archive::new();
            archive.insert("head", &list).unwrap();
            archive
                .save(dir.join("arch"), persist_core::SaveOptions::package())
                .unwrap();
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn a_linked_list_5000_nodes_deep_imports() {
    let dir = tempfile::tempdir().unwrap();
    // 8 MiB: the stack of a program's main thread on Linux.
    save_linked_list(dir.path(), 8 << 20);
    run_python(
        dir.path(),
        "import arch as a\n\
         n, node, last = 0, a.head, None\n\
         while node is not None:\n\
         \x20   assert type(node).__name__ == 'Node'\n\
         \x20   n += 1\n\
         \x20   last = node.value\n\
         \x20   node = node.next\n\
         assert n == 5000, n\n\
         assert last == 5000 and a.head.value == 1, (last, a.head.value)\n",
    );
}

/// Saving a deep value must not need more stack than a spawned thread has by default. A stack
/// overflow aborts the whole process with no error to handle, so the test runs the save in a
/// child copy of this test binary (marked by an environment variable) and checks its outcome.
#[test]
fn a_linked_list_5000_nodes_deep_saves_on_a_default_thread() {
    const CHILD: &str = "PERSIST_TEST_DEEP_LIST_CHILD";
    if std::env::var_os(CHILD).is_some() {
        let dir = tempfile::tempdir().unwrap();
        // 2 MiB: the default stack of a spawned thread (and of each test).
        save_linked_list(dir.path(), 2 << 20);
        return;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "records::a_linked_list_5000_nodes_deep_saves_on_a_default_thread",
            "--exact",
            "--nocapture",
        ])
        .env(CHILD, "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("running 1 test"),
        "the child test did not run: {stdout}"
    );
    assert!(
        out.status.success(),
        "saving a 5 000-node linked list on a 2 MiB thread failed ({}):\n{}",
        out.status,
        stderr
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(5)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[derive(Persist)]
struct Nest {
    children: Vec<Nest>,
}

#[test]
fn vectors_nested_300_deep_import() {
    let mut nest = Nest { children: vec![] };
    for _ in 0..300 {
        nest = Nest {
            children: vec![nest],
        };
    }
    let mut archive = Archive::new();
    archive.insert("nest", &nest).unwrap();
    save_package(&archive).check(
        "n, x = 0, a.nest\n\
         while x.children:\n\
         \x20   assert len(x.children) == 1\n\
         \x20   x = x.children[0]\n\
         \x20   n += 1\n\
         assert n == 300, n\n",
    );
}

#[derive(Persist)]
#[persist(rename = "np")]
struct LowerNp {
    x: i32,
}

#[derive(Persist)]
#[persist(rename = "record")]
struct LowerRecord {
    x: i32,
}

#[derive(Persist)]
#[persist(rename = "load")]
struct LowerLoad {
    x: i32,
}

/// The archive's helper names (`_record`, `_np`, `_load`, ...) do not collide with the helper
/// names of record classes, whatever the classes are called.
#[test]
fn a_record_class_named_record() {
    let mut archive = Archive::new();
    archive.insert("r", LowerRecord { x: 1 }).unwrap();
    archive
        .insert(
            "after",
            Params {
                alpha: 1.0,
                steps: 1,
                name: String::new(),
            },
        )
        .unwrap();
    save_package(&archive).check(
        "assert type(a.r).__name__ == 'record' and a.r.x == 1, a.r\n\
         assert type(a.after).__name__ == 'Params' and a.after.steps == 1, a.after\n",
    );
}

#[test]
fn a_record_class_named_np() {
    let mut archive = Archive::new();
    archive.insert("n", LowerNp { x: 2 }).unwrap();
    archive.insert("small", Array1::<i32>::zeros(1)).unwrap();
    save_package(&archive).check(
        "assert type(a.n).__name__ == 'np' and a.n.x == 2, a.n\n\
         assert type(a.small) is np.ndarray and a.small.tolist() == [0], a.small\n",
    );
}

#[test]
fn a_record_class_named_load() {
    let mut archive = Archive::new().with_array_threshold(2);
    archive.insert("l", LowerLoad { x: 3 }).unwrap();
    archive.insert("arr", Array1::<i32>::zeros(5)).unwrap();
    save_package(&archive).check(
        "assert type(a.l).__name__ == 'load' and a.l.x == 3, a.l\n\
         assert type(a.arr) is np.ndarray and a.arr.tolist() == [0] * 5, a.arr\n",
    );
}

#[derive(Persist, Clone)]
struct Me {
    #[persist(rename = "self")]
    me: i32,
}

/// `self` is a valid Python name (not a keyword), so it can be a field name.
#[test]
fn a_field_named_self() {
    let mut archive = Archive::new();
    archive.insert("me", Me { me: 1 }).unwrap();
    save_package(&archive).check("assert getattr(a.me, 'self') == 1, vars(a.me)\n");
}

/// An item may be named `NotImplemented` (a valid name, not a keyword): the record classes'
/// `==` must still work.
#[test]
fn an_item_named_not_implemented() {
    let mut archive = Archive::new();
    archive.insert("NotImplemented", 5).unwrap();
    archive.insert("p", Pair(1, 2.0)).unwrap();
    save_package(&archive).check(
        "assert a.NotImplemented == 5\n\
         assert (a.p == 3) is False, a.p == 3\n\
         assert (a.p != 3) is True, a.p != 3\n",
    );
}

#[test]
fn records_in_module_archives_and_in_sets_and_keys() {
    let pairs: Vec<(Pair, &str)> = vec![(Pair(1, 1.0), "a"), (Pair(2, 2.0), "b")];
    let mut archive = Archive::new();
    archive
        .insert(
            "keyed",
            std::collections::BTreeMap::from([(1, Pair(1, 1.0))]),
        )
        .unwrap();
    archive.insert("pairs", &pairs).unwrap();
    let saved = save_module(&archive);
    saved.check(
        "assert a.keyed[1] == a.pairs[0][0]\n\
         d = {p: s for p, s in a.pairs}\n\
         assert d[a.keyed[1]] == 'a', 'records are hashable by value'\n",
    );
    run_python(
        saved.dir.path(),
        "import arch\nassert type(arch.keyed[1]).__module__ == 'arch'\n",
    );
}
