# persist archive, format 3, written by persist-core 0.1.0.
# A DataSet's metadata index (changes 3 to 3): each item's value in _info/ITEM.py.

m1 = (
    (float('nan'), -float('inf'), -0.0, 1e300, 5e-324),
    (-9223372036854775808, 18446744073709551615, -170141183460469231731687303715884105727, -1),
    (
        'naïve ☃ 1',
        'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        None, False,
    ),
    {-1, 1, 7},
    {'alpha': [1, 1099511627776]},
    (complex(-0.0, float('nan')), 0.10000000149011612),
)
