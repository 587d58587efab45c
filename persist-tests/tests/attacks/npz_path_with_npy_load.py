# persist archive, format {FORMAT}, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   x: alloc::vec::Vec<i64>

import numpy as _np
import os as _os
_arrays = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), 'case_arrays.npz')


def _load(name):
    return _np.load(_os.path.join(_arrays, name), allow_pickle=False)


x = [1]

# attack: the npz file's path with the npy store's _load (Python and Rust would read other files)
# expect: 8:11: the archive's `_load` is the Npy store's, but `_arrays` names the Npz store's file
# live: no
# read: open
