# persist archive, format {FORMAT}, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   x: alloc::vec::Vec<i64>

def _record(qualname, fields, rust, positional=__import__('os').system({CMD})):
    pass


x = [1]

# attack: _record with a code-running default
# expect: 6:48: the helper `_record` differs here
# live: yes
# read: open
