# What Python must see in the golden archives of format 6 (persist-tests/golden/v6/).
#
#     python check_v6.py FOLDER     (a copy of v6/ or v6/ itself)
#
# Format 6 added dict tables and columns of lists: the folder holds format 5's set, checked by
# check_v5.py (its files are format 5's), and `lists`, whose items are a dict of lists of
# floats, a list of records with list fields and a list of lists, each made from a few arrays:
# Python must see plain dicts, lists and records of Python values, equal to the literals.
# Python 3.8 syntax. Frozen with v6/.

import dataclasses
import importlib
import os
import pickle
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
runpy.run_path(os.path.join(HERE, 'check_v5.py'), run_name='__main__')

folder = os.path.abspath(sys.argv[1])
if folder not in sys.path:
    sys.path.insert(0, folder)

lists = importlib.import_module('lists')
assert dir(lists) == ['nested', 'spectra', 'traces'], dir(lists)

spectra = lists.spectra
assert type(spectra) is dict and list(spectra) == ['s0', 's1', 's2', 's3', 's4', 's5'], spectra
for k, v in spectra.items():
    n = int(k[1:])
    assert type(v) is list and v == [n + i / 8.0 for i in range(n % 4)], (k, v)
    assert all(type(x) is float for x in v), v
print('ok: a dict table is a dict of lists')

traces = lists.traces
assert type(traces) is list and len(traces) == 6
for c, t in enumerate(traces):
    assert type(t) is lists.Trace and t.channel == c and type(t.channel) is int, t
    assert t.samples == [i * 0.1 - 1.0 for i in range(c % 3)], t
    assert type(t.samples) is list and type(t.saturated) is list, t
    assert t.saturated == [i == 1 for i in range(c % 3)], t
    assert all(type(s) is bool for s in t.saturated), t
assert traces[2] == lists.Trace(channel=2, samples=[-1.0, -0.9], saturated=[False, True])
assert dataclasses.asdict(traces[1]) == {'channel': 1, 'samples': [-1.0], 'saturated': [False]}
assert pickle.loads(pickle.dumps(traces)) == traces
print('ok: columns of lists are lists in records')

nested = lists.nested
assert nested == [[i * i - 3 for i in range(n)] for n in range(6)], nested
assert type(nested[0]) is list and all(type(x) is int for x in nested[5]), nested
print('ok: a one-column table of lists is a list of lists')
