"""persist_rs.migrate of the installed wheel: archives and DataSets written by the original
Python `persist` package (forbes-group; `pip install persist`, which scripts/test installs into
.venv) converted to this crate's format, which verify accepts and load reads with the same
values, DataSets item by item with their metadata."""

import subprocess
import sys
import warnings

import numpy as np
import pytest

import persist_rs

try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import persist.archive as original
except ImportError as e:  # pragma: no cover - the fix is in the message
    raise ImportError(
        "these tests need the original persist package: pip install persist ({})".format(e)
    )


def original_archive(tmp_path, package):
    # tostring=False: the original's inline arrays call ndarray.tostring, gone in numpy 2.
    a = original.Archive(scoped=False, array_threshold=4, tostring=False)
    a.insert(
        field=np.arange(12.0).reshape(3, 4),
        small=np.array([1, 2]),
        params={"alpha": 0.5, "steps": [1, 2, 3]},
        name="run_1",
        pair=(1, "a"),
        flags={True, False},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a.save(dirname=str(tmp_path), name="old_run", package=package)
    return tmp_path / ("old_run" if package else "old_run.py")


@pytest.mark.parametrize("package", [True, False])
def test_an_archive_of_the_original_package_moves_to_this_format(tmp_path, package):
    old = original_archive(tmp_path, package)
    # It defines functions: Rust rightly refuses it, so it must be executed to be read.
    with pytest.raises(persist_rs.RefusedError) as refused:
        persist_rs.verify(str(old))
    assert "def" in str(refused.value) or "function" in str(refused.value), refused.value
    moved = persist_rs.migrate(str(old), str(tmp_path / "new_run"))
    assert sorted(moved) == ["field", "flags", "name", "pair", "params", "small"]
    new = tmp_path / ("new_run" if package else "new_run.py")
    assert new.exists()
    persist_rs.verify(str(new))
    run = persist_rs.load(str(new))
    assert np.array_equal(run.field, np.arange(12.0).reshape(3, 4)) and run.field.dtype == np.float64
    assert run.small.dtype == np.int64 and list(run.small) == [1, 2]
    assert run.params == {"alpha": 0.5, "steps": [1, 2, 3]}
    assert (run.name, run.pair, run.flags) == ("run_1", (1, "a"), {True, False})


def test_a_dataset_of_the_original_package_moves_item_by_item_with_its_metadata(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = original.DataSet("old_sweep", "w", path=str(tmp_path), array_threshold=4)
        for i in range(3):
            setattr(ds, "point_{}".format(i), np.linspace(0, i, 10))
            ds["point_{}".format(i)] = {"damping": i / 4}
        ds.summary = {"best": "point_2"}
    moved = persist_rs.migrate(str(tmp_path / "old_sweep"), str(tmp_path / "sweep"))
    assert moved == ["point_0", "point_1", "point_2", "summary"]
    persist_rs.verify(str(tmp_path / "sweep"))
    sweep = persist_rs.load(str(tmp_path / "sweep"))
    assert sweep._info_dict == {
        "point_0": {"damping": 0.0},
        "point_1": {"damping": 0.25},
        "point_2": {"damping": 0.5},
        "summary": {},
    }
    assert np.array_equal(sweep.point_2, np.linspace(0, 2, 10))
    assert sweep.summary == {"best": "point_2"}
    # And Python imports the new DataSet without persist_rs.
    done = subprocess.run(
        [sys.executable, "-B", "-c", "import sweep.point_1 as p; print(p.shape, p[-1])"],
        cwd=str(tmp_path),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["(10,)", "1.0"]


def test_a_value_this_format_cannot_hold_stops_the_migration_before_anything_is_written(tmp_path):
    a = original.Archive(scoped=False, tostring=False)
    a.insert(f=1.5, fn=len)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a.save(dirname=str(tmp_path), name="old_run", package=True)
    with pytest.raises(TypeError) as e:
        persist_rs.migrate(str(tmp_path / "old_run"), str(tmp_path / "new_run"))
    assert "fn: a builtin_function_or_method cannot be saved" in str(e.value)
    assert not (tmp_path / "new_run").exists()
