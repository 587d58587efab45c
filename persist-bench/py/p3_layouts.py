"""Evidence for the P3 plan: how fast Python imports other layouts of the same records.

    python persist-bench/py/p3_layouts.py target/persist-bench/p3/particles_archive

Takes the package archive that `scripts/bench --only P3` writes (100 000 `Particle` records),
rewrites its item `particles` in several layouts, and times, for each, compiling the source and
running it (`compile` + `exec`, as a first import without `__pycache__` does), against
`pickle.loads` of the same objects as plain Python instances. Every layout keeps the archive's
own record classes (`_record(...)`), so the objects built are the same; the script checks that
each layout gives values equal to the original. Nothing here is part of persist: it is a
measurement for choosing persist's layout of long lists of records.
"""

import gc
import os
import pickle
import statistics
import sys
import tempfile
import time

import numpy as np

archive = os.path.abspath(sys.argv[1])
init = os.path.join(archive, "__init__.py")
with open(init, encoding="utf-8") as f:
    source = f.read()
# The archive: header and helpers, then `particles = [...]`, then `del ...`.
head, rest = source.split("\nparticles = [\n", 1)
tail = "\n" + rest[rest.index("\ndel ") + 1 :]
head += "\n"

sys.path.insert(0, os.path.dirname(archive))
module = __import__(os.path.basename(archive))
values = module.particles
n = len(values)
F = ("name", "id", "charge", "mass", "energy")


def run(text, path):
    """(compile seconds, exec seconds, the particles built)."""
    t0 = time.perf_counter()
    code = compile(text, path, "exec")
    t1 = time.perf_counter()
    ns = {"__name__": "_layout", "__file__": path}
    exec(code, ns)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, ns["particles"]


def rows_literal():
    return "".join(
        "    (%r, %r, %r, %r, %r, (%r, %r, %r)),\n"
        % (p.name, p.id, p.charge, p.mass, p.energy, p.position.x, p.position.y, p.position.z)
        for p in values
    )


def positional():
    body = "".join(
        "    _Particle(%r, %r, %r, %r, %r, _Position(%r, %r, %r)),\n"
        % (p.name, p.id, p.charge, p.mass, p.energy, p.position.x, p.position.y, p.position.z)
        for p in values
    )
    return head + "particles = [\n" + body + "]\n" + tail


def rows():
    return (
        head
        + "_rows = [\n"
        + rows_literal()
        + "]\n"
        + "particles = [_Particle(a, b, c, d, e, _Position(*p)) for a, b, c, d, e, p in _rows]\n"
        + "del _rows\n"
        + tail
    )


def columns():
    cols = {
        "name": [p.name for p in values],
        "id": [p.id for p in values],
        "charge": [p.charge for p in values],
        "mass": [p.mass for p in values],
        "energy": [p.energy for p in values],
        "x": [p.position.x for p in values],
        "y": [p.position.y for p in values],
        "z": [p.position.z for p in values],
    }
    text = "".join("_c_%s = %r\n" % (k, v) for k, v in cols.items())
    return (
        head
        + text
        + "particles = [_Particle(a, b, c, d, e, _Position(x, y, z)) for a, b, c, d, e, x, y, z in "
        + "zip(_c_name, _c_id, _c_charge, _c_mass, _c_energy, _c_x, _c_y, _c_z)]\n"
        + tail
    )


def npy_columns(folder):
    """Every column an .npy file (names as a numpy str array), rebuilt with tolist() and zip."""
    cols = {
        "name": np.array([p.name for p in values]),
        "id": np.array([p.id for p in values], dtype=np.uint64),
        "charge": np.array([p.charge for p in values], dtype=np.int32),
        "mass": np.array([p.mass for p in values]),
        "energy": np.array([p.energy for p in values]),
        "x": np.array([p.position.x for p in values]),
        "y": np.array([p.position.y for p in values]),
        "z": np.array([p.position.z for p in values]),
    }
    for k, v in cols.items():
        np.save(os.path.join(folder, "particles.%s.npy" % k), v, allow_pickle=False)
    load = "".join(
        "_c_%s = _np.load(_os.path.join(%r, 'particles.%s.npy'), allow_pickle=False).tolist()\n"
        % (k, folder, k)
        for k in cols
    )
    return (
        head
        + "import numpy as _np\nimport os as _os\n"
        + load
        + "particles = [_Particle(a, b, c, d, e, _Position(x, y, z)) for a, b, c, d, e, x, y, z in "
        + "zip(_c_name, _c_id, _c_charge, _c_mass, _c_energy, _c_x, _c_y, _c_z)]\n"
        + tail
    )


def npy_columns_fast_init(folder):
    """As npy_columns, but objects made without calling __init__: __new__ and a dict."""
    text = npy_columns(folder)
    return text.replace(
        "particles = [_Particle(a, b, c, d, e, _Position(x, y, z)) for a, b, c, d, e, x, y, z in ",
        "def _make(cls, names, rows):\n"
        "    new = object.__new__\n"
        "    out = []\n"
        "    for row in rows:\n"
        "        o = new(cls)\n"
        "        o.__dict__ = dict(zip(names, row))\n"
        "        out.append(o)\n"
        "    return out\n"
        "_pos = _make(_Position, ('x', 'y', 'z'), zip(_c_x, _c_y, _c_z))\n"
        "particles = _make(_Particle, ('name', 'id', 'charge', 'mass', 'energy', 'position'), "
        "zip(_c_name, _c_id, _c_charge, _c_mass, _c_energy, _pos))\n"
        "del _make, _pos\n"
        "_unused = [0 for a, b, c, d, e, x, y, z in ",
        1,
    )


class Position:
    def __init__(self, x, y, z):
        self.x, self.y, self.z = x, y, z


class Particle:
    def __init__(self, name, id, charge, mass, energy, position):
        self.name, self.id, self.charge = name, id, charge
        self.mass, self.energy, self.position = mass, energy, position


plain = [
    Particle(p.name, p.id, p.charge, p.mass, p.energy, Position(p.position.x, p.position.y, p.position.z))
    for p in values
]
pickled = pickle.dumps(plain, protocol=pickle.HIGHEST_PROTOCOL)
loads = []
for _ in range(3):
    t0 = time.perf_counter()
    pickle.loads(pickled)
    loads.append(time.perf_counter() - t0)
baseline = statistics.median(loads)
print("%d records; pickle.loads %.3f s (gc on%s)" % (n, baseline, ", Python " + sys.version.split()[0]))
print("%-44s %9s %8s %8s %8s %7s" % ("layout", "source MB", "compile", "exec", "total", "/pickle"))

with tempfile.TemporaryDirectory() as folder:
    layouts = [
        ("as written now (keyword arguments)", source),
        ("positional arguments", positional()),
        ("tuples of constants + a loop", rows()),
        ("column lists + zip", columns()),
        ("npy columns + zip", npy_columns(folder)),
        ("npy columns + __new__/__dict__", npy_columns_fast_init(folder)),
    ]
    for label, text in layouts:
        c, e, built = run(text, init)
        assert len(built) == n and all(repr(built[i]) == repr(values[i]) for i in (0, 1, n // 2, n - 1)), label
        del built
        gc.collect()
        print(
            "%-44s %9.1f %8.3f %8.3f %8.3f %6.1fx"
            % (label, len(text.encode()) / 1e6, c, e, c + e, (c + e) / baseline)
        )
