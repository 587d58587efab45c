# persist archive, format {FORMAT}, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   x: alloc::vec::Vec<i64>

import numpy as _np
import os as _os
_arrays = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), 'case_arrays')


def _load(name):
    open({M}, 'w')
    return _np.load(_os.path.join(_arrays, name), allow_pickle=False)


x = [1]

# attack: an extra statement in the body of _load (never called: Python still defines it)
# expect: 12:5: the helper `_load` differs here
# live: no
# read: open
