"""persist_rs.save and persist_rs.DataSet of the installed wheel: Python values written in this
crate's format, read by Rust with derived types (the python_roundtrip program of persist-tests,
which scripts/test builds), written again by Rust and read back by Python; deterministic;
atomic; every store; clear errors naming the value's path."""

import dataclasses
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import persist_rs

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
ROUNDTRIP = Path(os.environ.get("PERSIST_ROUNDTRIP") or TARGET / "debug" / "python_roundtrip")


@dataclasses.dataclass
class Params:
    alpha: float
    steps: int
    label: str


class Shape:
    """The Rust enum `Shape`: each variant a dataclass named `Shape.VARIANT`."""

    @dataclasses.dataclass
    class Empty:
        pass

    @dataclasses.dataclass
    class Circle:
        r: float


@dataclasses.dataclass
class Run:
    name: str
    params: Params
    seed: object
    missing: object
    weights: list
    counts: dict
    tags: set
    pair: tuple
    z: complex
    elapsed: dt.timedelta
    started: dt.datetime
    field: np.ndarray
    samples: np.ndarray
    huge: int
    negative: int


@dataclasses.dataclass
class Point:
    x: float
    y: float
    label: str


def values():
    shared = [1, 2, 250]
    run = Run(
        name="run_1",
        params=Params(alpha=0.25, steps=100, label="ünïcode 🌊"),
        seed=7,
        missing=None,
        weights=[0.5, -0.0, float("inf")],
        counts={"a": 1, "b": -(2**40)},
        tags={3, 1, 2},
        pair=(-5, "five"),
        z=complex(1.5, -2.5),
        elapsed=dt.timedelta(days=2, seconds=5, microseconds=7),
        started=dt.datetime(2026, 12, 8, 1, 2, 3, 456789, tzinfo=dt.timezone.utc),
        field=np.arange(40000, dtype="float64").reshape(200, 200) / 3,
        samples=np.array([1, -2, 3], dtype="int32"),
        huge=2**127 + 5,
        negative=-(2**100),
    )
    shapes = [Shape.Empty(), Shape.Circle(r=2.0)]
    table = [Point(x=float(i), y=-float(i), label="p{}".format(i)) for i in range(3000)]
    return dict(run=run, shapes=shapes, table=table, shared=[shared, shared])


def same_fields(a, b, where):
    """`a` (what Python saved) and `b` (what it loaded back): records by fields."""
    if dataclasses.is_dataclass(a):
        assert type(b).__qualname__ == type(a).__qualname__, where
        for f in dataclasses.fields(a):
            same_fields(getattr(a, f.name), getattr(b, f.name), "{}.{}".format(where, f.name))
    elif isinstance(a, np.ndarray):
        assert (a.dtype, a.shape) == (b.dtype, b.shape), where
        assert np.array_equal(a, b), where
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            same_fields(x, y, "{}[{}]".format(where, i))
    elif isinstance(a, float):
        assert repr(a) == repr(b), where
    else:
        assert type(a) is type(b) and a == b, (where, a, b)


def test_python_values_round_trip_through_rust_derived_types(tmp_path):
    assert ROUNDTRIP.is_file(), (
        "{} is missing: build it with `cargo build -p persist-tests --bin python_roundtrip` "
        "(scripts/test does), or name it in PERSIST_ROUNDTRIP".format(ROUNDTRIP)
    )
    saved = values()
    persist_rs.save(str(tmp_path / "from_python"), saved)
    persist_rs.verify(str(tmp_path / "from_python"))
    done = subprocess.run(
        [str(ROUNDTRIP), str(tmp_path / "from_python"), str(tmp_path / "from_rust")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "read run run_1 with 3 samples"
    back = persist_rs.load(str(tmp_path / "from_rust"))
    for name, value in saved.items():
        same_fields(value, getattr(back, name), name)
    # Sharing survives both ways: one list in Python, one Arc in Rust, one list again.
    assert back.shared[0] is back.shared[1]
    # Rust wrote the long list of flat records as a record table.
    assert "_table(" in (tmp_path / "from_rust" / "__init__.py").read_text()


def test_what_import_gives_is_what_was_saved(tmp_path):
    saved = values()
    persist_rs.save(str(tmp_path / "run"), saved, package=False)
    script = (
        "import run, numpy as np\n"
        "assert run.run.params.label == 'ünïcode 🌊' and run.run.params.steps == 100\n"
        "assert run.run.field.shape == (200, 200) and run.run.field.dtype == np.float64\n"
        "assert run.run.tags == {1, 2, 3} and run.run.pair == (-5, 'five')\n"
        "assert run.run.huge == 2**127 + 5 and run.run.negative == -2**100\n"
        "assert run.shared[0] is run.shared[1]\n"
        "assert [type(s).__qualname__ for s in run.shapes] == ['Shape.Empty', 'Shape.Circle']\n"
        "assert len(run.table) == 3000 and run.table[2999].label == 'p2999'\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-B", "-c", script], cwd=str(tmp_path), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_saving_is_deterministic(tmp_path):
    for name in ("one", "two"):
        persist_rs.save(str(tmp_path / name), values())
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two and len(one) >= 2


@pytest.mark.parametrize("store", [s for s in persist_rs.stores])
def test_every_store_holds_the_arrays(store, tmp_path):
    field = np.asfortranarray(np.arange(12, dtype="complex64").reshape(3, 4))
    persist_rs.save(str(tmp_path / "run"), field=field, flags=np.array([True, False]), store=store, threshold=1)
    back = persist_rs.load(str(tmp_path / "run"))
    assert np.array_equal(np.asarray(back.field[...]), field) and back.field.dtype == np.complex64
    assert np.array_equal(np.asarray(back.flags[...]), [True, False])


def test_an_existing_archive_is_kept_unless_overwrite(tmp_path):
    persist_rs.save(str(tmp_path / "run"), steps=1)
    with pytest.raises(FileExistsError):
        persist_rs.save(str(tmp_path / "run"), steps=2)
    assert persist_rs.load(str(tmp_path / "run")).steps == 1
    persist_rs.save(str(tmp_path / "run"), steps=3, overwrite=True)
    assert persist_rs.load(str(tmp_path / "run")).steps == 3


def test_what_cannot_be_saved_is_named_by_its_path(tmp_path):
    with pytest.raises(TypeError) as e:
        persist_rs.save(str(tmp_path / "a"), x={"k": [1, object()]})
    assert "x['k'][1]: a object cannot be saved" in str(e.value)
    with pytest.raises(ValueError) as e:
        persist_rs.save(str(tmp_path / "b"), when=dt.datetime(2026, 1, 1))
    assert "when: a naive datetime" in str(e.value)
    with pytest.raises(ValueError) as e:
        persist_rs.save(str(tmp_path / "c"), n=[2**200])
    assert "n[0]: the int" in str(e.value) and "128 bits" in str(e.value)
    loop = []
    loop.append(loop)
    with pytest.raises(ValueError) as e:
        persist_rs.save(str(tmp_path / "d"), loop=loop)
    assert "loop[0]: the value contains itself" in str(e.value)
    with pytest.raises(TypeError) as e:
        persist_rs.save(str(tmp_path / "e"), a=np.array(["text"]))
    assert "a: a numpy array of dtype" in str(e.value)
    with pytest.raises(ValueError) as e:
        persist_rs.save(str(tmp_path / "f"), **{"not a name": 1})
    assert "not a name" in str(e.value)
    assert not any(tmp_path.iterdir())


def test_a_dataset_written_from_python(tmp_path):
    ds = persist_rs.DataSet(str(tmp_path / "sweep"))
    for i in range(3):
        ds.insert("point_{}".format(i), Params(alpha=i / 4, steps=i, label="p"), info={"alpha": i / 4})
    with pytest.raises(FileExistsError):
        ds.insert("point_0", 1)
    assert ds.items() == ["point_0", "point_1", "point_2"]
    loaded = persist_rs.load(str(tmp_path / "sweep"))
    assert loaded._info_dict == {"point_{}".format(i): {"alpha": i / 4} for i in range(3)}
    assert loaded.point_2.alpha == 0.5 and type(loaded.point_2).__qualname__ == "Params"
    # Python imports it as the Rust DataSet writes it.
    script = "import sweep.point_1 as p; print(p.steps, p.label)"
    done = subprocess.run(
        [sys.executable, "-B", "-c", script], cwd=str(tmp_path), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "p"]
