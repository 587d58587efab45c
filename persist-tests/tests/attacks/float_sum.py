# persist archive, format {FORMAT}, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   x: alloc::vec::Vec<i64>

x = 0.1 + 0.2

# attack: arithmetic that Python would evaluate
# expect: 6:5: expected a float, found an arithmetic expression
# live: no
# read: x as f64
