"""persist_rs.load of the installed wheel: what `import` gives, without executing the archive.
Every golden archive of every format is imported and loaded in a Python of its own and the two
compared value by value (same_as_import.py); an archive that would run code is refused before
anything runs; loaded records pickle; a DataSet item rewritten after `load` is checked again."""

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import persist_rs

HERE = Path(__file__).resolve().parent
GOLDEN = HERE.parents[1] / "persist-tests" / "golden"


def copy_of(version, tmp_path):
    dst = tmp_path / "v{}".format(version)
    shutil.copytree(GOLDEN / "v{}".format(version), dst, ignore=shutil.ignore_patterns("__pycache__"))
    return dst


def versions():
    return sorted(int(p.name[1:]) for p in GOLDEN.glob("v*") if p.is_dir())


@pytest.mark.parametrize("version", versions())
def test_load_gives_what_import_gives_on_every_golden_archive(version, tmp_path):
    folder = copy_of(version, tmp_path)
    # -B: importing must not leave bytecode in the folder, which verify (and so load) refuses.
    done = subprocess.run(
        [sys.executable, "-B", str(HERE / "same_as_import.py"), str(folder)],
        capture_output=True,
        text=True,
        cwd=str(tmp_path),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    archives = int(done.stdout.split()[1])
    values = int(done.stdout.split()[3])
    assert archives >= 9 and values >= 500, done.stdout


@pytest.mark.parametrize("version", versions())
def test_a_wheel_built_with_hdf5_loads_hdf5_archives_as_import_gives_them(version, tmp_path):
    """The wheel built with the cargo feature `hdf5` (scripts/test builds it, linked to the
    system's HDF5 library, and installs it apart, in PERSIST_RS_HDF5_SITE) checks HDF5 arrays
    and loads them through h5py, as `import` does: every golden archive, HDF5 ones included."""
    site = os.environ.get("PERSIST_RS_HDF5_SITE")
    assert site, (
        "set PERSIST_RS_HDF5_SITE to a folder holding the wheel built with --features hdf5 "
        "(scripts/test does)"
    )
    folder = copy_of(version, tmp_path)
    env = dict(os.environ, PYTHONPATH=site)
    done = subprocess.run(
        [sys.executable, "-B", str(HERE / "same_as_import.py"), str(folder)],
        capture_output=True,
        text=True,
        cwd=str(tmp_path),
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    with_hdf5 = int(done.stdout.split()[5])
    has_hdf5 = any("import h5py as _h5py" in p.read_text() for p in folder.rglob("*.py"))
    assert with_hdf5 >= 1 if has_hdf5 else with_hdf5 == 0, done.stdout


def test_an_archive_that_would_run_code_is_refused_and_nothing_runs(tmp_path):
    folder = copy_of(8, tmp_path)
    marker = tmp_path / "ran"
    source = folder / "scalars.py"
    text = source.read_text()
    source.write_text(text + "\nimport os\nos.system('touch {}')\n".format(marker))
    # Shown live: importing it runs the command, with bytecode written as a user's Python does.
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-c", "import scalars"], cwd=str(folder), env=env, check=True)
    assert marker.exists()
    marker.unlink()
    shutil.rmtree(str(folder / "__pycache__"))
    with pytest.raises(persist_rs.RefusedError) as refused:
        persist_rs.load(str(source))
    assert refused.value.path == str(source)
    assert refused.value.line == text.count("\n") + 2, refused.value
    assert not marker.exists()


def test_load_compiles_nothing_and_writes_no_bytecode(tmp_path):
    folder = copy_of(8, tmp_path)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    script = "import persist_rs; m = persist_rs.load('records'); print(m.point.x, m.pair[1])"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=str(folder), env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1.5", "seven"]
    assert not list(folder.rglob("__pycache__"))
    assert not list(folder.rglob("*.pyc"))
    persist_rs.verify(str(folder / "records"))


def test_one_item_and_a_missing_one(tmp_path):
    folder = copy_of(8, tmp_path)
    point = persist_rs.load(str(folder / "records"), "point")
    assert (point.x, point.y) == (1.5, -2.0)
    assert type(point).__qualname__ == "Point"
    with pytest.raises(KeyError) as missing:
        persist_rs.load(str(folder / "records"), "nothing_here")
    assert "nothing_here" in str(missing.value)
    with pytest.raises(FileNotFoundError):
        persist_rs.load(str(folder / "no_such_archive"))


def test_loaded_records_pickle_and_unpickle_without_the_archive(tmp_path):
    folder = copy_of(8, tmp_path)
    loaded = persist_rs.load(str(folder / "records"))
    data = pickle.dumps([loaded.point, loaded.shapes, loaded.tree])
    # Another Python, without the archive on its path: only persist_rs is needed.
    script = (
        "import pickle, sys, dataclasses\n"
        "point, shapes, tree = pickle.loads(sys.stdin.buffer.read())\n"
        "print(repr(point), [type(s).__qualname__ for s in shapes], dataclasses.is_dataclass(point))\n"
    )
    done = subprocess.run(
        [sys.executable, "-B", "-c", script], input=data, capture_output=True, cwd=str(tmp_path)
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().split("\n")[0] == (
        "Point(x=1.5, y=-2.0) ['Shape.Empty', 'Shape.Circle', 'Shape.Square', 'Shape.Rect'] True"
    )
    back = pickle.loads(data)
    assert back[0] == loaded.point and back[1] == loaded.shapes and back[2] == loaded.tree
    assert hash(back[0]) == hash(loaded.point)


def test_a_dataset_item_rewritten_after_load_is_checked_again(tmp_path):
    folder = copy_of(8, tmp_path)
    loaded = persist_rs.load(str(folder / "sweep"))
    assert sorted(loaded._info_dict) == ["point_0", "point_1", "point_2"]
    assert loaded._info_dict["point_0"] == {"damping": 0.25, "peak": 0.875}
    first = loaded.point_0
    assert first.damping == 0.25 and first.samples.dtype.name == "float64"
    marker = tmp_path / "ran"
    item = folder / "sweep" / "point_1.py"
    item.write_text(item.read_text() + "\nimport os\nos.system('touch {}')\n".format(marker))
    with pytest.raises(persist_rs.RefusedError) as refused:
        loaded.point_1
    assert refused.value.path == str(item), refused.value
    assert not marker.exists()
    with pytest.raises(AttributeError):
        loaded.point_9
