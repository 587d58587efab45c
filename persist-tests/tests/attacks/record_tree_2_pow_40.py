# persist archive, format {FORMAT}, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   x: alloc::vec::Vec<i64>

{RECORD}_Tree_Nest = _record('Tree.Nest', ('_0',), 'attack::Tree', positional=True)
_b0 = _Tree_Nest([])
_b1 = _Tree_Nest([_b0, _b0])
_b2 = _Tree_Nest([_b1, _b1])
_b3 = _Tree_Nest([_b2, _b2])
_b4 = _Tree_Nest([_b3, _b3])
_b5 = _Tree_Nest([_b4, _b4])
_b6 = _Tree_Nest([_b5, _b5])
_b7 = _Tree_Nest([_b6, _b6])
_b8 = _Tree_Nest([_b7, _b7])
_b9 = _Tree_Nest([_b8, _b8])
_b10 = _Tree_Nest([_b9, _b9])
_b11 = _Tree_Nest([_b10, _b10])
_b12 = _Tree_Nest([_b11, _b11])
_b13 = _Tree_Nest([_b12, _b12])
_b14 = _Tree_Nest([_b13, _b13])
_b15 = _Tree_Nest([_b14, _b14])
_b16 = _Tree_Nest([_b15, _b15])
_b17 = _Tree_Nest([_b16, _b16])
_b18 = _Tree_Nest([_b17, _b17])
_b19 = _Tree_Nest([_b18, _b18])
_b20 = _Tree_Nest([_b19, _b19])
_b21 = _Tree_Nest([_b20, _b20])
_b22 = _Tree_Nest([_b21, _b21])
_b23 = _Tree_Nest([_b22, _b22])
_b24 = _Tree_Nest([_b23, _b23])
_b25 = _Tree_Nest([_b24, _b24])
_b26 = _Tree_Nest([_b25, _b25])
_b27 = _Tree_Nest([_b26, _b26])
_b28 = _Tree_Nest([_b27, _b27])
_b29 = _Tree_Nest([_b28, _b28])
_b30 = _Tree_Nest([_b29, _b29])
_b31 = _Tree_Nest([_b30, _b30])
_b32 = _Tree_Nest([_b31, _b31])
_b33 = _Tree_Nest([_b32, _b32])
_b34 = _Tree_Nest([_b33, _b33])
_b35 = _Tree_Nest([_b34, _b34])
_b36 = _Tree_Nest([_b35, _b35])
_b37 = _Tree_Nest([_b36, _b36])
_b38 = _Tree_Nest([_b37, _b37])
_b39 = _Tree_Nest([_b38, _b38])
_b40 = _Tree_Nest([_b39, _b39])
x = _b40

# attack: 41 lines that stand for 2^40 records
# expect: READ: reading this value touches more than
# live: no
# read: x as tree
