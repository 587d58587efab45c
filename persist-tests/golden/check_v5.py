# What Python must see in the golden archives of format 5 (persist-tests/golden/v5/).
#
#     python check_v5.py FOLDER     (a copy of v5/ or v5/ itself)
#
# Format 5 made records standard dataclasses that the module keeps: the folder holds format 4's
# set, checked by check_v4.py (its archives with records now written as format 5). On top:
# records are dataclasses (fields, asdict, replace, __match_args__), the module finds their
# classes by name (records.Point, records.Shape.Circle) but dir(module) lists only the items,
# and records of modules, packages, tables and DataSet items pickle and deep-copy, in this
# process and, from a pickle file, in a fresh one with the folder on sys.path.
# Python 3.8 syntax. Frozen with v5/.

import copy
import dataclasses
import importlib
import os
import pickle
import runpy
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
runpy.run_path(os.path.join(HERE, 'check_v4.py'), run_name='__main__')

folder = os.path.abspath(sys.argv[1])
if folder not in sys.path:
    sys.path.insert(0, folder)

records = importlib.import_module('records')
assert dir(records) == ['keywords', 'marker', 'pair', 'point', 'shapes', 'tree', 'wrapper'], dir(records)
assert records.__all__ == ['point', 'pair', 'marker', 'wrapper', 'shapes', 'tree', 'keywords']
p = records.point
assert type(p) is records.Point and type(records.shapes[1]) is records.Shape.Circle
assert dataclasses.is_dataclass(p) and [f.name for f in dataclasses.fields(p)] == ['x', 'y']
assert dataclasses.asdict(p) == {'x': 1.5, 'y': -2.0}, dataclasses.asdict(p)
assert dataclasses.replace(p, x=0.0) == records.Point(x=0.0, y=-2.0)
assert type(p).__match_args__ == ('x', 'y') and type(records.pair).__match_args__ == ('_0', '_1')
assert dataclasses.asdict(records.tree)['next']['value'] == 4
print('ok: records are dataclasses')

# What a pickle of these must give back, by module, and how to get it after importing.
WHAT = [
    ('records', 'm.point, m.pair, m.marker, m.wrapper, m.shapes, m.tree, m.keywords'),
    ('heat_run', 'm.run'),
    ('tables', 'm.events'),
    ('sweep.point_1', 'm'),
    ('containers', 'm.sequences'),
]


VALUES = """
def values(what):
    out = []
    for module, expr in what:
        m = importlib.import_module(module)
        out.append(eval(expr, {'m': m}))
    return out
"""
exec(VALUES)
expected = values(WHAT)
for v in expected:
    assert pickle.loads(pickle.dumps(v)) == v, v
    assert copy.deepcopy(v) == v, v
print('ok: records pickle and deep-copy')

with tempfile.TemporaryDirectory() as tmp:
    blob = os.path.join(tmp, 'values.pickle')
    with open(blob, 'wb') as f:
        pickle.dump(expected, f)
    fresh = '\n'.join([
        'import importlib, pickle, sys',
        'sys.path.insert(0, %r)' % folder,
        'with open(%r, "rb") as f:' % blob,
        '    loaded = pickle.load(f)',
        VALUES,
        'assert loaded == values(%r), loaded' % (WHAT,),
        'print("same")',
    ])
    out = subprocess.run([sys.executable, '-c', fresh], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, universal_newlines=True)
    assert out.stdout.strip() == 'same', out.stdout
print('ok: records pickle in a fresh process')

# The types format 5 added: stamps.py.
import datetime
stamps = importlib.import_module('stamps')
s = stamps.stamp
utc = datetime.timezone.utc
assert s.at == datetime.datetime(2025, 12, 2, 5, 18, 7, 250001, tzinfo=utc), s.at
assert type(s.at) is datetime.datetime and s.at.tzinfo is utc
assert s.took == datetime.timedelta(days=1, seconds=3661, microseconds=5), s.took
assert type(s.digest) is bytes and s.digest == bytes(range(256)) and s.magic == b'\x89PNG'
assert stamps.before == datetime.datetime(1969, 1, 1, tzinfo=utc), stamps.before
assert stamps.durations == [datetime.timedelta(0), datetime.timedelta(microseconds=1),
                            datetime.timedelta(hours=1)], stamps.durations
assert pickle.loads(pickle.dumps(s)) == s
assert dir(stamps) == ['before', 'durations', 'stamp'], dir(stamps)
print('ok: timedelta, aware datetime and bytes')
