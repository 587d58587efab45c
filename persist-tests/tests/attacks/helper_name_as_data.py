# persist archive, format {FORMAT}, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   x: alloc::vec::Vec<i64>

_load = [1]
x = _load

# attack: data bound to a helper's name
# expect: 6:1: `_load` is a name the archive's helpers rely on
# live: no
# read: open
