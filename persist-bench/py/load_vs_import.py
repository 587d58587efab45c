"""LOAD of persist's benchmarks: `persist_rs.load` of an archive vs its first `import` and vs
`pickle.loads` of the same objects.

Run by the suite (benches/suite/load.rs) in a fresh process each time, with
PYTHONDONTWRITEBYTECODE=1 and no __pycache__ beside the archive, as:

    python load_vs_import.py DIR NAME ITEM load|import

It imports numpy and persist_rs first (not counted: a session that loads archives has them),
then times either `persist_rs.load(NAME)` (verify, parse, evaluate) or the first `import NAME`
(read, compile, run): one of the two per process, so that neither pays the other's first-time
costs (importing `dataclasses`, reading the files into the page cache) or profits from them.
After an import it also times `pickle.loads` of the same records as plain objects (median of
5). It prints one JSON object: the seconds taken, the records, and the pickle figure (0 after
a load).
"""

import json
import pickle
import statistics
import sys
import time

import numpy  # noqa: F401
import persist_rs

import plain_particles

directory, name, item, mode = sys.argv[1:5]
sys.path.insert(0, directory)

t0 = time.perf_counter()
module = persist_rs.load(name) if mode == "load" else __import__(name)
seconds = time.perf_counter() - t0

values = getattr(module, item)
loads = [0.0]
if mode == "import":
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
        {"seconds": seconds, "pickle_loads": statistics.median(loads), "items": len(values)}
    )
)
