"""P3 of persist's benchmarks: the first import of an archive vs pickle.loads of the same objects.

Run by the suite (benches/suite/python.rs) in a fresh process each time, with
PYTHONDONTWRITEBYTECODE=1 and no __pycache__ beside the archive, as:

    python import_vs_pickle.py DIR NAME ITEM

It imports numpy first (an archive with arrays needs it anyway, and a scientist's session has it
loaded), then times `import NAME` (the first import: read, compile and run the source). It then
builds the equivalent objects as instances of the plain classes of plain_particles.py, pickles
them with the highest protocol and times `pickle.loads` (median of 5). Finally it splits the
import into its two halves by compiling the source again (`compile`) and running the code object
in a fresh namespace (`exec`). It prints one JSON object.
"""

import json
import os
import pickle
import statistics
import sys
import time

import plain_particles

t0 = time.perf_counter()
import numpy  # noqa: E402,F401

numpy_import = time.perf_counter() - t0

directory, name, item = sys.argv[1:4]
sys.path.insert(0, directory)


t0 = time.perf_counter()
module = __import__(name)
first_import = time.perf_counter() - t0

values = getattr(module, item)
plain = plain_particles.plain(values)
data = pickle.dumps(plain, protocol=pickle.HIGHEST_PROTOCOL)
loads = []
for _ in range(5):
    t0 = time.perf_counter()
    back = pickle.loads(data)
    loads.append(time.perf_counter() - t0)
    del back
assert len(pickle.loads(data)) == len(values)

path = module.__file__
with open(path, encoding="utf-8") as f:
    source = f.read()
t0 = time.perf_counter()
code = compile(source, path, "exec")
compile_s = time.perf_counter() - t0
namespace = {"__name__": "_bench_exec", "__file__": path}
t0 = time.perf_counter()
exec(code, namespace)
exec_s = time.perf_counter() - t0

print(
    json.dumps(
        {
            "numpy_import": numpy_import,
            "import": first_import,
            "pickle_loads": statistics.median(loads),
            "compile": compile_s,
            "exec": exec_s,
            "pickle_bytes": len(data),
            "source_bytes": os.path.getsize(path),
            "items": len(values),
        }
    )
)
