# persist archive, format 3, written by persist-core 0.1.0.
# A DataSet's metadata index (changes 1 to 1): each item's value in _info/ITEM.py.

