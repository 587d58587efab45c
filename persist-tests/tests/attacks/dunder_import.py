# persist archive, format {FORMAT}, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   x: alloc::vec::Vec<i64>

x = __import__('os').system({CMD})

# attack: __import__ chain
# expect: 6:21: an attribute of the result of a call is not allowed
# live: yes
# read: open
