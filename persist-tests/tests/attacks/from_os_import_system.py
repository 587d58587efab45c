# persist archive, format {FORMAT}, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   x: alloc::vec::Vec<i64>

from os import system as _S
_y = _S({CMD})
x = [1]

# attack: a record class that is os.system
# expect: 6:1: the archive imports `os`, which runs that module's code
# live: yes
# read: open
