"""persist_rs.verify and the persist-check console command of the installed wheel, on copies of
the golden archives of every format this workspace keeps (persist-tests/golden/) and on copies
changed as an attacker would change them. Run by scripts/test after it builds and installs the
wheel: python -m pytest persist-python/tests."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import persist_rs

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "persist-tests" / "golden"
# The console command the wheel installed beside this Python.
PERSIST_CHECK = Path(sys.executable).parent / "persist-check"


def copy_of(version, tmp_path):
    """A clean copy of the golden folder of `version` (without the bytecode caches that
    importing it in the Rust tests may have left, which verify rightly refuses)."""
    dst = tmp_path / "v{}".format(version)
    shutil.copytree(GOLDEN / "v{}".format(version), dst, ignore=shutil.ignore_patterns("__pycache__"))
    return dst


def archives(folder):
    """Every archive of a golden folder: module archives (`NAME.py`) and package archives or
    DataSets (folders with an `__init__.py`), but the trusted classes module."""
    for entry in sorted(folder.iterdir()):
        if entry.suffix == ".py" and entry.name != "golden_classes.py":
            yield entry
        elif entry.is_dir() and (entry / "__init__.py").is_file():
            yield entry


def uses_hdf5(archive):
    sources = [archive] if archive.is_file() else list(archive.rglob("*.py"))
    return any("import h5py as _h5py" in s.read_text() for s in sources)


def versions():
    return sorted(int(p.name[1:]) for p in GOLDEN.glob("v*") if p.is_dir())


def test_the_golden_folders_are_there():
    assert versions(), "no golden folder under {}".format(GOLDEN)
    assert PERSIST_CHECK.is_file(), "the wheel did not install {}".format(PERSIST_CHECK)


@pytest.mark.parametrize("version", versions())
def test_every_golden_archive_of_every_format_is_accepted(version, tmp_path):
    folder = copy_of(version, tmp_path)
    checked = 0
    for archive in archives(folder):
        trust = ["golden_classes"] if "from golden_classes import" in (
            archive.read_text() if archive.is_file() else (archive / "__init__.py").read_text()
        ) else []
        if uses_hdf5(archive) and "hdf5" not in persist_rs.stores:
            with pytest.raises(persist_rs.RefusedError) as refused:
                persist_rs.verify(str(archive), trust=trust)
            assert "enable persist-core's `hdf5` feature" in str(refused.value), refused.value
            continue
        report = persist_rs.verify(str(archive), trust=trust)
        assert isinstance(report, persist_rs.Verified)
        assert report.files, archive
        assert all(Path(f).exists() for f in report.files), report.files
        source = archive if archive.is_file() else archive / "__init__.py"
        assert str(source) in report.files, (source, report.files)
        if trust:
            assert report.trusted_beside == [str(folder / "golden_classes.py")]
        checked += 1
    assert checked >= 3, "only {} archives checked in v{}".format(checked, version)


def test_records_of_an_untrusted_module_are_refused(tmp_path):
    folder = copy_of(8, tmp_path)
    with pytest.raises(persist_rs.RefusedError) as refused:
        persist_rs.verify(str(folder / "attributes.py"))
    e = refused.value
    assert e.path == str(folder / "attributes.py")
    assert isinstance(e.line, int) and isinstance(e.column, int)
    assert "golden_classes" in e.reason, e.reason
    assert str(e).startswith("{}:{}:{}: ".format(e.path, e.line, e.column)), str(e)


def test_a_statement_that_runs_code_is_refused_at_its_line(tmp_path):
    folder = copy_of(8, tmp_path)
    archive = folder / "scalars.py"
    lines = archive.read_text().splitlines(keepends=True)
    # Live first: the changed archive runs the attacker's code when Python imports it.
    marker = tmp_path / "ran"
    lines.insert(3, "x = __import__('pathlib').Path({!r}).touch()\n".format(str(marker)))
    archive.write_text("".join(lines))
    # As a user imports it: bytecode writing on, whatever this test runner's environment says.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", "import scalars"], cwd=str(folder), env=env, check=True)
    assert marker.exists(), "the attack did not run in Python"
    # That import cached bytecode, which Python would run instead of the source: refused first.
    with pytest.raises(persist_rs.RefusedError) as refused:
        persist_rs.verify(str(archive))
    assert refused.value.path == str(folder / "__pycache__"), str(refused.value)
    shutil.rmtree(str(folder / "__pycache__"))
    with pytest.raises(persist_rs.RefusedError) as refused:
        persist_rs.verify(str(archive))
    e = refused.value
    assert (e.path, e.line) == (str(archive), 4), (e.path, e.line)
    assert e.column >= 1


def test_a_module_beside_the_archive_that_shadows_one_it_imports_is_refused(tmp_path):
    folder = copy_of(8, tmp_path)
    (folder / "textwrap.py").write_text("print('not the standard library')\n")
    with pytest.raises(persist_rs.RefusedError) as refused:
        persist_rs.verify(str(folder / "scalars.py"))
    e = refused.value
    assert "textwrap.py" in str(e), str(e)
    assert e.line is None and e.column is None


def test_a_missing_archive_is_a_file_not_found_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        persist_rs.verify(str(tmp_path / "nothing_here"))


def run_check(*args):
    return subprocess.run(
        [str(PERSIST_CHECK)] + [str(a) for a in args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
    )


def test_the_console_command_checks_prints_and_exits_as_the_rust_one(tmp_path):
    folder = copy_of(8, tmp_path)
    accepted = folder / "scalars.py"
    done = run_check(accepted)
    report = persist_rs.verify(str(accepted))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "ok: {} ({} files checked)\n".format(accepted, len(report.files))

    done = run_check("--trust", "golden_classes", folder / "attributes.py")
    assert done.returncode == 0, done.stdout
    assert done.stdout.splitlines()[1] == (
        "note: {} is what Python imports for a module you trust; it runs with the archive: "
        "read it".format(folder / "golden_classes.py")
    )

    done = run_check(accepted, folder / "attributes.py")
    assert done.returncode == 1
    first, second = done.stdout.splitlines()
    assert first.startswith("ok: ") and second.startswith("refused: {}:".format(folder / "attributes.py"))

    done = run_check()
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("usage: persist-check [--trust MODULE]... PATH...")
    done = run_check("--trust")
    assert done.returncode == 2
    assert done.stderr.startswith("persist-check: --trust needs a module name")
    done = run_check("--help")
    assert done.returncode == 0 and done.stdout.startswith("usage: persist-check")


def test_the_abi3_wheel_works_in_the_oldest_supported_python(tmp_path):
    """The one wheel is for Python 3.8 and later: installed for the oldest Python the tests
    keep (.venv-py38, made by scripts/pythons), it checks, loads and saves archives there too."""
    wheel = os.environ.get("PERSIST_RS_WHEEL")
    assert wheel, "set PERSIST_RS_WHEEL to the built wheel (scripts/test does)"
    python = ROOT / ".venv-py38" / "bin" / "python"
    assert python.is_file(), "{} is missing: run scripts/pythons".format(python)
    target = tmp_path / "installed"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--no-deps", "--target", str(target), wheel],
        check=True,
    )
    folder = copy_of(8, tmp_path)
    done = subprocess.run(
        [str(python), "-c",
         "import sys, persist_rs; assert sys.version_info[:2] == (3, 8), sys.version; "
         "print(len(persist_rs.verify(sys.argv[1]).files)); "
         "print(persist_rs.load(sys.argv[2]).point); "
         "persist_rs.save(sys.argv[3], steps=[1, 2], point=persist_rs.load(sys.argv[2], 'point')); "
         "print(persist_rs.load(sys.argv[3]).steps)",
         str(folder / "scalars.py"), str(folder / "records"), str(tmp_path / "saved")],
        env=dict(os.environ, PYTHONPATH=str(target)),
        stdout=subprocess.PIPE,
        universal_newlines=True,
        check=True,
    )
    assert done.stdout == "{}\nPoint(x=1.5, y=-2.0)\n[1, 2]\n".format(
        len(persist_rs.verify(str(folder / "scalars.py")).files)
    )
