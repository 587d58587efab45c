# persist archive, format 3, written by persist-core 0.1.0.
# A DataSet's metadata index (changes 2 to 2): each item's value in _info/ITEM.py.

point_0 = {'damping': 0.25, 'peak': 0.875}
