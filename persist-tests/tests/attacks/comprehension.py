# persist archive, format {FORMAT}, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   x: alloc::vec::Vec<i64>

x = [open({M}, 'w') for _ in [1]]

# attack: a list comprehension
# expect: 6:42: a comprehension is not allowed
# live: yes
# read: open
