# persist archive, format 3, written by persist-core 0.1.0.
# A DataSet's metadata index (changes 4 to 4): each item's value in _info/ITEM.py.

point_2 = {'damping': 0.75, 'peak': 0.625}
