# persist archive, format {FORMAT}, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   x: alloc::vec::Vec<i64>

import numpy as _np
import os as _os
_arrays = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), 'case_arrays.npz')


def _load(name):
    with _np.load(_arrays, allow_pickle=True) as f:
        return f[name]


x = [1]

# attack: the npz store's _load with unpickling turned on (a pickled member would run code)
# expect: 12:41: the helper `_load` differs here
# live: no
# read: open
