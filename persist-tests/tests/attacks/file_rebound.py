# persist archive, format {FORMAT}, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   x: alloc::vec::Vec<i64>

__file__ = '/etc/x'
import numpy as _np
import os as _os
_arrays = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), 'case_arrays')


def _load(name):
    return _np.load(_os.path.join(_arrays, name), allow_pickle=False)


x = _load('passwd')

# attack: __file__ rebound so _arrays points elsewhere
# expect: 6:1: `__file__` is a name the archive's helpers rely on
# live: no
# read: open
