# persist archive, format 3, written by persist-core 0.1.0.
# A DataSet's metadata index (changes 5 to 5): each item's value in _info/ITEM.py.

m3 = (
    (float('nan'), -float('inf'), -0.0, 1e300, 5e-324),
    (-9223372036854775808, 18446744073709551615, -170141183460469231731687303715884105725, -3),
    (
        'naïve ☃ 3',
        'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        None, True,
    ),
    {-3, 3, 7},
    {'alpha': [3, 1099511627776]},
    (complex(-0.0, float('nan')), 0.10000000149011612),
)
