"""LOAD of persist's benchmarks: `persist_rs.load` of an archive vs its first `import` and vs
`pickle.loads` of the same objects.

Run by the suite (benches/suite/load.rs) in a fresh process each time, with
PYTHONDONTWRITEBYTECODE=1 and no __pycache__ beside the archive, as:

    python load_vs_import.py DIR NAME ITEM

It imports numpy and persist_rs first (not counted: a session that loads archives has them),
then times `persist_rs.load(NAME)` (verify, parse, evaluate), then the first `import NAME`
(read, compile, run), then `pickle.loads` of the same records as plain objects (median of 5),
and checks that load and import gave the same number of records. It prints one JSON object.
"""

import json
import pickle
import statistics
import sys
import time

import numpy  # noqa: F401
import persist_rs

import plain_particles

directory, name, item = sys.argv[1:4]
sys.path.insert(0, directory)

t0 = time.perf_counter()
loaded = persist_rs.load(name)
load_s = time.perf_counter() - t0

t0 = time.perf_counter()
module = __import__(name)
import_s = time.perf_counter() - t0

values = getattr(module, item)
assert len(getattr(loaded, item)) == len(values)
records = [v for v in values if v is not None]
data = pickle.dumps(plain_particles.plain(records), protocol=pickle.HIGHEST_PROTOCOL)
loads = []
for _ in range(5):
    t0 = time.perf_counter()
    back = pickle.loads(data)
    loads.append(time.perf_counter() - t0)
    del back

print(
    json.dumps(
        {
            "load": load_s,
            "import": import_s,
            "pickle_loads": statistics.median(loads),
            "items": len(values),
        }
    )
)
