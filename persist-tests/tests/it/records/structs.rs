//! Derived structs and enums seen from Python: attribute access, equality and repr of named,
//! tuple and unit structs, enum variants, `rename`/`skip`, nested and generic structs, fields
//! shared through `Rc`/`Arc`, array fields compared by value, records in module archives and
//! as set members and dict keys.

use ndarray::Array2;
use persist_core::{Archive, Persist};
use persist_tests::{run_python, save_module, save_package};

use super::{Config, Marker, Pair, Params, Shape};

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
