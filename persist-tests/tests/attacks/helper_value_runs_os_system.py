# persist archive, format {FORMAT}, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   x: alloc::vec::Vec<i64>

import numpy as _np
import os as _os
_arrays = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), 'case_arrays')


def _load(name):
    return _np.load(_os.path.join(_arrays, name), allow_pickle=False)


x = [1, 2, 3]
_y = _os.system({CMD})
del _np, _os, _arrays, _load

# attack: a helper-like statement calling os.system before the final del
# expect: 16:6: a call of `_os.system` is not allowed
# live: yes
# read: open
