# persist archive, format {FORMAT}, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   x: alloc::vec::Vec<i64>

import os as _os
x = getattr(_os, 'system')({CMD})

# attack: getattr on a module
# expect: 7:27: a call of the result of a call
# live: yes
# read: open
