# persist archive, format 3, written by persist-core 0.1.0.
# A DataSet's metadata index (changes 3 to 3): each item's value in _info/ITEM.py.

point_1 = {'damping': 0.5, 'peak': 0.75}
