# What Python must see in the golden archives of format 7 (persist-tests/golden/v7/).
#
#     python check_v7.py FOLDER     (a copy of v7/ or v7/ itself)
#
# Format 7 named the arrays of an overwritten module archive by a second name
# (`NAME_arrays.2/`, `NAME_arrays.2.npz`, `NAME_data.2.h5`, `NAME_arrays.2.zarr`): the folder
# holds format 6's set, checked by check_v6.py (its files are format 6's but the DataSet
# `sweep`'s `__init__.py`, format 7's, which reads the metadata index without importlib.util),
# and `second_npy`,
# `second_npz`, `second_hdf5` and `second_zarr`, each an array and a list of records whose
# files are under the second name. The Zarr one needs zarr (Python 3.11 or later): without it,
# it is left out and this says so. Python 3.8 syntax. Frozen with v7/.

import importlib
import os
import pickle
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
runpy.run_path(os.path.join(HERE, 'check_v6.py'), run_name='__main__')

folder = os.path.abspath(sys.argv[1])
if folder not in sys.path:
    sys.path.insert(0, folder)

try:
    import zarr  # noqa: F401
    names = ['second_npy', 'second_npz', 'second_hdf5', 'second_zarr']
except ImportError:
    names = ['second_npy', 'second_npz', 'second_hdf5']
    print('skipped: second_zarr (no zarr in this Python)')

for name in names:
    m = importlib.import_module(name)
    assert dir(m) == ['field', 'points'], (name, dir(m))
    field = m.field[...]
    assert field.dtype.name == 'float64' and field.shape == (8,), (name, field)
    assert field.tolist() == [i * 0.5 - 1.0 for i in range(8)], (name, field)
    points = m.points
    assert type(points) is list and len(points) == 6, (name, points)
    for step, p in enumerate(points):
        assert type(p).__name__ == 'Point' and p.step == step and type(p.step) is int, p
        assert p.value == step * 1.25 and type(p.value) is float, p
    assert pickle.loads(pickle.dumps(points)) == points
    print('ok: %s reads its arrays under their second name' % name)
