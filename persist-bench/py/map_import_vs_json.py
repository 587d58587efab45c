"""MAP of persist's benchmarks: the first import of a map archive vs json.loads of the same data.

Run by the suite (benches/suite/map.rs) in a fresh process each time, with
PYTHONDONTWRITEBYTECODE=1 and no __pycache__ beside the archive, as:

    python map_import_vs_json.py DIR NAME ITEM JSON_FILE

It imports numpy first (not counted), then times `import NAME` (the first import: read, compile
and run the source, load the arrays). It then times reading JSON_FILE and `json.loads` of its
bytes (median of 5), and checks that the item ITEM of the archive equals the JSON object: the
same keys, and for each key the same floats, exactly. It prints one JSON object, with the
Python types the archive gave (the mapping's and a value's), since those depend on how the
library writes such maps.
"""

import json
import statistics
import sys
import time

t0 = time.perf_counter()
import numpy  # noqa: E402,F401

numpy_import = time.perf_counter() - t0

directory, name, item, json_path = sys.argv[1:5]
sys.path.insert(0, directory)

t0 = time.perf_counter()
module = __import__(name)
first_import = time.perf_counter() - t0
imported = getattr(module, item)

loads = []
for _ in range(5):
    t0 = time.perf_counter()
    with open(json_path, "rb") as f:
        back = json.loads(f.read())
    loads.append(time.perf_counter() - t0)
    expected = back
    del back

keys = list(imported.keys())
if sorted(keys) != sorted(expected.keys()):
    sys.exit(f"the archive has other keys: {len(keys)} keys, the JSON {len(expected)}")
for key in keys:
    value = imported[key]
    floats = value.tolist() if hasattr(value, "tolist") else [float(x) for x in value]
    if floats != expected[key]:
        sys.exit(f"the archive's {key!r} differs from the JSON's")

some = imported[keys[0]] if keys else None
print(
    json.dumps(
        {
            "numpy_import": numpy_import,
            "import": first_import,
            "json_load": statistics.median(loads),
            "keys": len(keys),
            "mapping_type": type(imported).__name__,
            "value_type": type(some).__name__,
        }
    )
)
