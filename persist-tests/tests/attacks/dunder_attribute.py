# persist archive, format {FORMAT}, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   x: alloc::vec::Vec<i64>

x = [].__class__.__base__.__subclasses__()

# attack: walking dunder attributes to reach classes
# expect: 6:7: an attribute of a display is not allowed
# live: no
# read: open
