# persist archive, format {FORMAT}, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   x: alloc::vec::Vec<i64>

x = (lambda: open({M}, 'w'))()

# attack: lambda
# expect: 6:6: a lambda is not allowed
# live: yes
# read: open
