# persist archive, format 2, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   m2: i32

m2 = 2
import sys as _sys
_sys.modules[__name__] = m2
