//! Records as a Python user handles them (format 5): standard dataclasses (`fields`, `asdict`,
//! `replace`, positional `match`), `pickle` (every protocol) and `copy.deepcopy` in the same
//! process and in a fresh one, `multiprocessing.Pool.map` over a record list (fork, spawn and
//! forkserver), records of DataSet items, classes whose names an item or another Rust type has,
//! and `dir(module)` showing only the items. Python runs with bytecode writing on, as users run
//! it.

use ndarray::Array2;
use persist_core::{Archive, DataSet, Persist, SaveOptions};
use persist_tests::run_python_with_bytecode;

#[derive(Persist, Clone, PartialEq, Debug)]
struct Params {
    alpha: f64,
    steps: u32,
    grid: (usize, usize),
}

#[derive(Persist, Clone, PartialEq, Debug)]
enum Boundary {
    Periodic,
    Dirichlet { value: f64 },
    Neumann(f64),
}

#[derive(Persist, Clone, PartialEq, Debug)]
struct Hit {
    channel: u32,
    energy: f64,
    label: String,
}

#[derive(Persist, Clone, PartialEq, Debug)]
struct Run {
    params: Params,
    boundary: Vec<Boundary>,
    field: Array2<f64>,
    /// Long enough to be a record table.
    hits: Vec<Hit>,
}

fn run() -> Run {
    Run {
        params: Params {
            alpha: 0.25,
            steps: 200,
            grid: (64, 64),
        },
        boundary: vec![
            Boundary::Periodic,
            Boundary::Dirichlet { value: 1.5 },
            Boundary::Neumann(2.5),
        ],
        field: Array2::from_shape_fn((8, 8), |(i, j)| (i * 8 + j) as f64),
        hits: (0..40)
            .map(|i| Hit {
                channel: i,
                energy: f64::from(i) * 0.5,
                label: format!("h{i}"),
            })
            .collect(),
    }
}

/// The package `arch` holding `run` (its field in an npy file, its hits a record table) in a
/// new temporary folder.
fn saved() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = Archive::new().with_array_threshold(16);
    archive.insert("run", run()).unwrap();
    archive.insert("x", 1_i32).unwrap();
    archive
        .save(dir.path().join("arch"), SaveOptions::package())
        .unwrap();
    let source = std::fs::read_to_string(dir.path().join("arch/__init__.py")).unwrap();
    assert!(
        source.starts_with("# persist archive, format 5,"),
        "{source}"
    );
    assert!(source.contains(" = _table(_Hit, "), "{source}");
    dir
}

#[test]
fn records_are_standard_dataclasses() {
    let dir = saved();
    let out = run_python_with_bytecode(
        dir.path(),
        "import dataclasses\n\
         import arch as a\n\
         r = a.run\n\
         p = r.params\n\
         assert dataclasses.is_dataclass(p) and dataclasses.is_dataclass(a.Params)\n\
         assert [f.name for f in dataclasses.fields(p)] == ['alpha', 'steps', 'grid']\n\
         assert dataclasses.asdict(r.params) == {'alpha': 0.25, 'steps': 200, 'grid': (64, 64)}\n\
         d = dataclasses.asdict(r)\n\
         assert d['boundary'] == [{}, {'value': 1.5}, {'_0': 2.5}], d['boundary']\n\
         assert d['hits'][3] == {'channel': 3, 'energy': 1.5, 'label': 'h3'}, d['hits'][3]\n\
         assert (d['field'] == r.field).all() and d['field'] is not r.field\n\
         q = dataclasses.replace(p, steps=3)\n\
         assert type(q) is type(p) and (q.alpha, q.steps, p.steps) == (0.25, 3, 200), q\n\
         assert repr(q) == 'Params(alpha=0.25, steps=3, grid=(64, 64))', repr(q)\n\
         assert type(p) is a.Params and type(r.boundary[1]) is a.Boundary.Dirichlet\n\
         assert a.Boundary is a.Boundary and type(p).__qualname__ == 'Params'\n\
         assert a.Params(alpha=0.25, steps=200, grid=(64, 64)) == p\n\
         match r.boundary[2]:\n\
         \x20   case a.Boundary.Neumann(v):\n\
         \x20       assert v == 2.5\n\
         \x20   case _:\n\
         \x20       raise AssertionError(r.boundary[2])\n\
         match p:\n\
         \x20   case a.Params(alpha, steps, (nx, ny)):\n\
         \x20       assert (alpha, steps, nx, ny) == (0.25, 200, 64, 64)\n\
         \x20   case _:\n\
         \x20       raise AssertionError(p)\n\
         assert dir(a) == ['run', 'x'] and a.__all__ == ['run', 'x'], dir(a)\n\
         ns = {}\n\
         exec('from arch import *', ns)\n\
         assert sorted(k for k in ns if k != '__builtins__') == ['run', 'x'], ns.keys()\n\
         try:\n\
         \x20   a.Nothing\n\
         except AttributeError as e:\n\
         \x20   assert \"has no attribute 'Nothing'\" in str(e), e\n\
         else:\n\
         \x20   raise AssertionError('a.Nothing')\n\
         print('ok')\n",
    );
    assert_eq!(out.trim(), "ok");
}

#[test]
fn records_pickle_and_deep_copy_in_this_process_and_in_a_fresh_one() {
    let dir = saved();
    let out = run_python_with_bytecode(
        dir.path(),
        "import copy, pickle\n\
         import arch\n\
         r = arch.run\n\
         for protocol in range(pickle.HIGHEST_PROTOCOL + 1):\n\
         \x20   back = pickle.loads(pickle.dumps(r, protocol))\n\
         \x20   assert back == r and back is not r, protocol\n\
         \x20   assert type(back.boundary[1]) is arch.Boundary.Dirichlet, protocol\n\
         c = copy.deepcopy(r)\n\
         assert c == r and c.params is not r.params and c.field is not r.field\n\
         c.params.alpha = 9.0\n\
         assert r.params.alpha == 0.25 and c != r\n\
         assert copy.copy(r.params) == r.params\n\
         with open('run.pickle', 'wb') as f:\n\
         \x20   pickle.dump([r, r.hits, r.boundary], f)\n\
         print('ok')\n",
    );
    assert_eq!(out.trim(), "ok");
    assert!(dir.path().join("arch/__pycache__").is_dir());
    // A new interpreter: unpickling imports the archive (from its cached bytecode).
    let out = run_python_with_bytecode(
        dir.path(),
        "import pickle, sys\n\
         with open('run.pickle', 'rb') as f:\n\
         \x20   r, hits, boundary = pickle.load(f)\n\
         assert 'arch' in sys.modules\n\
         import arch\n\
         assert r == arch.run and hits == arch.run.hits and boundary == arch.run.boundary\n\
         assert type(r.params) is arch.Params and type(hits[0]) is arch.Hit\n\
         assert r.field.dtype == 'float64' and r.field.shape == (8, 8) and r.field[7, 7] == 63.0\n\
         print(repr(hits[5]))\n",
    );
    assert_eq!(out.trim(), "Hit(channel=5, energy=2.5, label='h5')");
}

#[test]
fn a_record_list_goes_through_a_multiprocessing_pool() {
    let dir = saved();
    let out = run_python_with_bytecode(
        dir.path(),
        "import copy, multiprocessing, operator\n\
         import arch\n\
         rows = arch.run.hits\n\
         for method in multiprocessing.get_all_start_methods():\n\
         \x20   with multiprocessing.get_context(method).Pool(2) as pool:\n\
         \x20       back = pool.map(copy.copy, rows)\n\
         \x20       energies = pool.map(operator.attrgetter('energy'), rows)\n\
         \x20       params = pool.apply(copy.deepcopy, (arch.run.params,))\n\
         \x20   assert back == rows and type(back[0]) is arch.Hit, method\n\
         \x20   assert energies == [h.energy for h in rows], method\n\
         \x20   assert params == arch.run.params, method\n\
         \x20   print(method)\n",
    );
    let methods: Vec<&str> = out.lines().collect();
    assert!(
        methods.contains(&"fork") && methods.contains(&"spawn"),
        "{out}"
    );
}

#[test]
fn records_of_dataset_items_pickle_in_a_fresh_process() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = DataSet::create(tmp.path().join("sweep")).unwrap();
    ds.insert("first", &run(), &()).unwrap();
    ds.insert("second", &run().params, &()).unwrap();
    let out = run_python_with_bytecode(
        tmp.path(),
        "import copy, pickle\n\
         import sweep.first, sweep.second\n\
         first, second = sweep.first, sweep.second\n\
         assert type(second).__name__ == 'Params' and second.steps == 200, second\n\
         assert pickle.loads(pickle.dumps(first)) == first and copy.deepcopy(first) == first\n\
         with open('items.pickle', 'wb') as f:\n\
         \x20   pickle.dump([first, second], f)\n\
         print(type(second).__module__)\n",
    );
    assert_eq!(out.trim(), "sweep.second._records");
    let out = run_python_with_bytecode(
        tmp.path(),
        "import pickle\n\
         with open('items.pickle', 'rb') as f:\n\
         \x20   first, second = pickle.load(f)\n\
         import sweep.first, sweep.second\n\
         assert first == sweep.first and second == sweep.second, (first, second)\n\
         print(first.hits[2].label)\n",
    );
    assert_eq!(out.trim(), "h2");
    assert_eq!(ds.read::<Run>("first").unwrap(), run());
}

mod other {
    /// A second Rust type named `Params`.
    #[derive(persist_core::Persist, Clone, PartialEq, Debug)]
    pub struct Params {
        pub beta: i32,
    }
}

#[test]
fn classes_named_like_an_item_or_another_type_pickle_under_their_own_names() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = Archive::new();
    archive.insert("Hit", run().hits[1].clone()).unwrap();
    archive.insert("params", run().params).unwrap();
    archive.insert("other", other::Params { beta: -4 }).unwrap();
    archive
        .save(dir.path().join("arch"), SaveOptions::package())
        .unwrap();
    let out = run_python_with_bytecode(
        dir.path(),
        "import pickle\n\
         import arch\n\
         for v in [arch.Hit, arch.params, arch.other]:\n\
         \x20   assert pickle.loads(pickle.dumps(v)) == v, v\n\
         assert type(arch.params) is arch.Params and type(arch.other).__qualname__ == '_Params_2'\n\
         assert arch.other != arch.params and arch.other.beta == -4\n\
         print(type(arch.Hit).__qualname__, repr(arch.other))\n",
    );
    assert_eq!(out.trim(), "_Hit _Params_2(beta=-4)");
    let reader = persist_core::ArchiveReader::open(dir.path().join("arch")).unwrap();
    assert_eq!(reader.read::<other::Params>("other").unwrap().beta, -4);
    assert_eq!(reader.read::<Hit>("Hit").unwrap(), run().hits[1]);
}
