# persist archive, format 2, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   m3: i32

m3 = 3
import sys as _sys
_sys.modules[__name__] = m3
