# persist archive, format {FORMAT}, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   x: alloc::vec::Vec<i64>

import numpy as _np
import os as _os
import numpy as _np
x = [1]

# attack: a helper name bound twice
# expect: 8:1: `_np` is bound a second time
# live: no
# read: open
