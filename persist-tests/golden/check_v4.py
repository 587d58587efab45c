# What Python must see in the golden archives of format 4 (persist-tests/golden/v4/).
#
#     python check_v4.py FOLDER     (a copy of v4/ or v4/ itself)
#
# Format 4 added the Zarr array store: the folder holds format 3's set (its archives written as
# formats 2 and 3), checked by check_v3.py, and the package `zarr_run`, whose field (40 x 30,
# chunks of 20 x 15, dimensions y and x) and record table columns are in `_arrays.zarr`, and
# `tables_hdf5_lazy`, a record table whose columns are lazy h5py datasets, and `arrays_mmap`,
# the field and the table in npy files Python maps read-only. zarr 3
# needs Python 3.11: on a Python without zarr the Zarr archive is not imported, and the last
# line says so (the tests require the Zarr line on the main test Python).
# Python 3.8 syntax. Frozen with v4/.

import importlib
import os
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
runpy.run_path(os.path.join(HERE, 'check_v3.py'), run_name='__main__')

folder = os.path.abspath(sys.argv[1])
if folder not in sys.path:
    sys.path.insert(0, folder)
names = ['muon', '', '\u03c0\u207a', 'tab\there']


def check_events(events):
    assert type(events) is list and len(events) == 9 and type(events[0]).__name__ == 'Event', events
    for i, e in enumerate(events):
        assert e.name == names[i % 4] + str(i) and e.id == 2 ** 64 - 1 - i, e
        assert e.note == (None if i % 3 == 1 else 'note %d' % i), e.note
        assert e.phase == complex(i, -0.5) and e.spot.x == -float(i), e


import numpy as np
mapped = importlib.import_module('arrays_mmap')
assert type(mapped.field) is np.memmap and not mapped.field.flags.writeable, type(mapped.field)
assert (mapped.field == np.arange(1200.0).reshape(40, 30) * 0.5).all()
check_events(mapped.events)
print('ok: npy files mapped read-only')
try:
    import h5py  # noqa: F401
    check_events(importlib.import_module('tables_hdf5_lazy').events)
    print('ok: a record table in a lazy HDF5 file')
except ImportError:
    pass
try:
    import zarr
except ImportError:
    zarr = None
if zarr is None:
    print('ok: format 3 set (no zarr in this Python: the Zarr archive not imported)')
else:
    import numpy as np
    run = importlib.import_module('zarr_run')
    f = run.field
    assert isinstance(f, zarr.Array) and f.shape == (40, 30) and f.chunks == (20, 15), (f.shape, f.chunks)
    assert f.metadata.dimension_names == ('y', 'x'), f.metadata.dimension_names
    assert (f[...] == np.arange(1200.0).reshape(40, 30) * 0.5).all()
    check_events(run.events)
    assert sorted(n for n in dir(run) if not n.startswith('__')) == ['events', 'field'], dir(run)
    print('ok: the Zarr archive of format 4')
