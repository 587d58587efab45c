# persist archive, format {FORMAT}, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   x: alloc::vec::Vec<i64>

def _g(a=__import__('os').system({CMD})):
    pass


x = [1]

# attack: a helper whose default argument runs code at definition
# expect: 6:1: `def _g` is not a helper this crate writes
# live: yes
# read: open
