"""Run as a script by test_load.py, in a Python of its own for each golden folder (the folders of
different formats hold archives of the same names): `python -B same_as_import.py FOLDER`
imports every archive of FOLDER, reads it with persist_rs.load, and compares the two value by
value: types (the same record classes by qualified name, Rust type and fields; numpy arrays of
the same class, dtype, shape and memory order), values (floats by repr, so nan and -0.0 count),
equality, repr, pickling, and which objects are shared (`a.x is a.y` on one side exactly where
it holds on the other). Prints `compared N archives, M values, K with HDF5 arrays`; exits 1
naming the first difference."""

import dataclasses
import importlib
import pickle
import sys
from pathlib import Path

import numpy as np

import persist_rs

PLAIN = (bool, int, float, complex, str, bytes, type(None))


class Compare:
    def __init__(self, archive):
        self.archive = archive
        self.pairs = {}
        self.loaded = set()
        self.kept = []
        self.values = 0

    def fail(self, where, message):
        raise AssertionError("{}: {}: {}".format(self.archive, where, message))

    def same(self, a, b, where):
        self.values += 1
        if not isinstance(a, PLAIN):
            if id(a) in self.pairs:
                if self.pairs[id(a)] is not b:
                    self.fail(where, "shared on the import side, not on the load side")
                return
            if id(b) in self.loaded:
                self.fail(where, "shared on the load side, not on the import side")
            self.pairs[id(a)] = b
            self.loaded.add(id(b))
            self.kept.append((a, b))
        ta, tb = type(a), type(b)
        if isinstance(a, type) or "_rust" in vars(ta):
            return self.record(a, b, where)
        if ta is not tb:
            self.fail(where, "a {} where import gives a {}".format(tb.__name__, ta.__name__))
        if isinstance(a, float) or isinstance(a, complex):
            if repr(a) != repr(b):
                self.fail(where, "{!r} where import gives {!r}".format(b, a))
        elif isinstance(a, np.ndarray):
            if (a.dtype, a.shape) != (b.dtype, b.shape):
                self.fail(where, "{} {} where import gives {} {}".format(b.dtype, b.shape, a.dtype, a.shape))
            if a.flags.f_contiguous != b.flags.f_contiguous or a.flags.c_contiguous != b.flags.c_contiguous:
                self.fail(where, "another memory order")
            if not np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"):
                self.fail(where, "other values")
        elif isinstance(a, (list, tuple)):
            if len(a) != len(b):
                self.fail(where, "{} elements where import gives {}".format(len(b), len(a)))
            for i, (x, y) in enumerate(zip(a, b)):
                self.same(x, y, "{}[{}]".format(where, i))
        elif isinstance(a, (set, frozenset)):
            # By value: the order a set lists its elements in is its hash table's.
            if len(a) != len(b):
                self.fail(where, "{} elements where import gives {}".format(len(b), len(a)))
            for x, y in zip(sorted(a, key=repr), sorted(b, key=repr)):
                self.same(x, y, "{} element {!r}".format(where, x))
        elif isinstance(a, dict):
            if len(a) != len(b):
                self.fail(where, "{} entries where import gives {}".format(len(b), len(a)))
            # In order: a record key of format 1 equals no key of another load.
            for (ka, va), (kb, vb) in zip(a.items(), b.items()):
                self.same(ka, kb, "{} key {!r}".format(where, ka))
                self.same(va, vb, "{}[{!r}]".format(where, ka))
        elif hasattr(a, "shape") and hasattr(a, "dtype"):
            # A lazy array of a store (a zarr array): the same class, shape, dtype and values.
            if (a.dtype, a.shape) != (b.dtype, b.shape):
                self.fail(where, "another dtype or shape")
            if not np.array_equal(np.asarray(a[...]), np.asarray(b[...]), equal_nan=a.dtype.kind in "fc"):
                self.fail(where, "other values")
        elif hasattr(a, "__dict__") and not isinstance(a, type):
            # An object of a trusted module's class: the same class (checked above) and fields.
            self.same(vars(a), vars(b), where + ".__dict__")
        elif a != b or repr(a) != repr(b):
            self.fail(where, "{!r} where import gives {!r}".format(b, a))

    def record(self, a, b, where):
        ca, cb = (a, b) if isinstance(a, type) else (type(a), type(b))
        for attr in ("__qualname__", "__module__", "_rust", "_fields", "__doc__", "__match_args__"):
            if getattr(ca, attr, None) != getattr(cb, attr, None):
                self.fail(where, "class {} {!r} where import gives {!r}".format(
                    attr, getattr(cb, attr, None), getattr(ca, attr, None)))
        if dataclasses.is_dataclass(ca) != dataclasses.is_dataclass(cb):
            self.fail(where, "a dataclass on one side only")
        if isinstance(a, type):
            return
        # A set's repr lists its elements in the order of its hash table, which depends on how
        # it was built (CPython folds a set literal into a constant), not on its value.
        if not holds(a, (set, frozenset)) and repr(a) != repr(b):
            self.fail(where, "repr {!r} where import gives {!r}".format(repr(b), repr(a)))
        va, vb = vars(a), vars(b)
        if list(va) != list(vb):
            self.fail(where, "fields {} where import gives {}".format(list(vb), list(va)))
        for k in va:
            self.same(va[k], vb[k], "{}.{}".format(where, k))
        # Format 2 on: records of two loads of one archive are equal (format 1's are not).
        # (nan is not equal to itself, in a record as anywhere.)
        if "rust" in ca.__eq__.__code__.co_freevars and not holds(a, float, lambda x: x != x):
            if not (a == b and b == a):
                self.fail(where, "not equal to the imported record")
            back = pickle.loads(pickle.dumps(b))
            if not (back == a and back == b):
                self.fail(where, "pickled and unpickled, no longer equal")
            if not holds(a, (set, frozenset)) and repr(back) != repr(a):
                self.fail(where, "pickled and unpickled, no longer equal")


def holds(value, types, test=lambda x: True):
    """Whether `value` holds (at any depth) a value of `types` that passes `test`."""
    seen = set()

    def walk(v):
        if isinstance(v, types) and test(v):
            return True
        if isinstance(v, complex):
            return walk(v.real) or walk(v.imag)
        if id(v) in seen:
            return False
        seen.add(id(v))
        if isinstance(v, dict):
            return any(walk(x) for x in v.values())
        if isinstance(v, (list, tuple, set, frozenset)):
            return any(walk(x) for x in v)
        if hasattr(v, "__dict__") and not isinstance(v, type):
            return walk(vars(v))
        return False

    return walk(value)


def public(module):
    return sorted(n for n in vars(module) if not n.startswith("_"))


def compare(folder, archive, trust):
    name = archive.stem if archive.is_file() else archive.name
    loaded = persist_rs.load(str(archive), trust=trust)
    c = Compare(archive)
    if (archive / "_this_dir_is_a_DataSet").exists():
        imported = importlib.import_module(name)
        c.same(imported._info_dict, loaded._info_dict, "_info_dict")
        for item in sorted(imported._info_dict):
            value = importlib.import_module(name + "." + item)
            c.same(value, getattr(loaded, item), item)
            one = Compare(archive)
            one.same(value, persist_rs.load(str(archive), item, trust=trust), item)
            c.values += one.values
        return c.values
    imported = importlib.import_module(name)
    if public(imported) != public(loaded):
        c.fail("module", "items {} where import gives {}".format(public(loaded), public(imported)))
    # What `dir()` lists, but the import system's own names (`__spec__`, `__path__`, ...).
    def listed(module):
        return [n for n in dir(module) if not (n.startswith("__") and n.endswith("__"))]
    if listed(imported) != listed(loaded):
        c.fail("module", "dir() {} where import gives {}".format(listed(loaded), listed(imported)))
    for item in public(imported):
        c.same(getattr(imported, item), getattr(loaded, item), item)
        one = Compare(archive)
        one.same(getattr(imported, item), persist_rs.load(str(archive), item, trust=trust), item)
        c.values += one.values
    return c.values


def main(folder):
    folder = Path(folder)
    sys.path.insert(0, str(folder))
    archives = values = hdf5 = 0
    for entry in sorted(folder.iterdir()):
        archive = None
        if entry.suffix == ".py" and entry.name != "golden_classes.py":
            archive = entry
        elif entry.is_dir() and (entry / "__init__.py").is_file():
            archive = entry
        if archive is None:
            continue
        sources = [archive] if archive.is_file() else list(archive.rglob("*.py"))
        text = "".join(s.read_text() for s in sources)
        if "import h5py as _h5py" in text and "hdf5" not in persist_rs.stores:
            try:
                persist_rs.load(str(archive))
            except persist_rs.RefusedError as e:
                assert "enable persist-core's `hdf5` feature" in str(e), e
                continue
            raise AssertionError("{}: an HDF5 archive loaded without the hdf5 feature".format(archive))
        trust = ["golden_classes"] if "from golden_classes import" in text else []
        values += compare(folder, archive, trust)
        archives += 1
        hdf5 += "import h5py as _h5py" in text
    print("compared {} archives, {} values, {} with HDF5 arrays".format(archives, values, hdf5))


if __name__ == "__main__":
    main(sys.argv[1])
