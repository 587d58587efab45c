# persist archive, format {FORMAT}, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   x: alloc::vec::Vec<i64>

x = eval({CODE})

# attack: eval
# expect: 6:5: a call of `eval` is not allowed
# live: yes
# read: open
