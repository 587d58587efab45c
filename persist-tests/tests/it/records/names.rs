//! Names from Python: the `python` attribute builds the user's own class; fields, items and
//! record classes named like Python builtins or the archive's own helpers (`_record`, `_np`,
//! `_load`, `self`, `NotImplemented`).

use ndarray::Array1;
use persist_core::{Archive, Persist};
use persist_tests::{save_module, save_package};

use super::{Pair, Params};

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
