# What Python must see in the golden archives of format 3 (persist-tests/golden/v3/).
#
#     python check_v3.py FOLDER     (a copy of v3/ or v3/ itself)
#
# Format 3 added record tables and the DataSet metadata index: the folder holds format 2's set
# (its archives written as format 2, since they have no table), checked by check_v2.py; its
# DataSet has an index (_index/), whose _info_dict must equal the per-item metadata files; and
# three archives of one table of `Event`s (npy columns, HDF5 columns, inline column lists).
# Python 3.8 syntax. Frozen with v3/.

import importlib
import os
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
runpy.run_path(os.path.join(HERE, 'check_v2.py'), run_name='__main__')

folder = os.path.abspath(sys.argv[1])
if folder not in sys.path:
    sys.path.insert(0, folder)
names = ['muon', '', '\u03c0\u207a', 'tab\there']
modules = ['tables', 'tables_inline']
try:
    import h5py  # noqa: F401
    modules.append('tables_hdf5')
except ImportError:
    pass
for module in modules:
    events = importlib.import_module(module).events
    assert type(events) is list and len(events) == 9, (module, events)
    for i, e in enumerate(events):
        assert type(e).__name__ == 'Event' and type(e.spot).__name__ == 'Spot', (module, e)
        assert e.name == names[i % 4] + str(i), (module, e.name)
        assert e.id == 2 ** 64 - 1 - i and e.charge == (i if i % 2 else -i), (module, e)
        assert e.small == -128 + i and e.energy == i * 0.25 - 1.0, (module, e)
        assert e.hit is (i % 3 == 0), (module, e.hit)
        assert e.note == (None if i % 3 == 1 else 'note %d' % i), (module, e.note)
        assert e.weight == (None if i % 4 == 2 else i / 3.0), (module, e.weight)
        assert e.phase == complex(i, -0.5) and e.spot.x == -float(i), (module, e)
        assert abs(e.spot.y - 0.1 * i) < 1e-6, (module, e.spot.y)
    assert sorted(n for n in dir(importlib.import_module(module)) if not n.startswith('__')) == ['events']
print('ok: record tables of format 3')

sweep = importlib.import_module('sweep')
for name, info in sweep._info_dict.items():
    namespace = {}
    path = os.path.join(folder, 'sweep', '_info', name + '.py')
    with open(path, encoding='utf-8') as f:
        exec(compile(f.read(), path, 'exec'), namespace)
    assert namespace['info'] == info, (name, namespace['info'], info)
assert sorted(sweep._info_dict) == ['point_0', 'point_1', 'point_2'], sorted(sweep._info_dict)
assert os.path.isdir(os.path.join(folder, 'sweep', '_index'))
print('ok: the DataSet index gives the metadata files')
