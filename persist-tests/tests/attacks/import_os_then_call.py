# persist archive, format {FORMAT}, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   x: alloc::vec::Vec<i64>

import os
_y = os.system({CMD})
x = [1]

# attack: an unaliased import of os
# expect: 6:1: `import os` is not an import this crate writes
# live: yes
# read: open
