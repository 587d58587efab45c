# persist archive, format {FORMAT}, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   x: alloc::vec::Vec<i64>

import numpy as _np
import os as _os
_arrays = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), 'elsewhere')


def _load(name):
    return _np.load(_os.path.join(_arrays, name), allow_pickle=False)


x = _load('x.npy')

# attack: Python would read other files than the Rust reader
# expect: 8:11: `_arrays = ...` is not the writer's: it names `elsewhere`, but the archive's arrays are in `case_arrays` or `case_arrays.npz`
# live: no
# read: open
