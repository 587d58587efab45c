# What Python must see in the golden archives of format 8 (persist-tests/golden/v8/).
#
#     python check_v8.py FOLDER     (a copy of v8/ or v8/ itself)
#
# Format 8 added the data caches of a DataSet's metadata index: beside each segment
# `_index/FIRST_LAST.py`, `FIRST_LAST.marshal` holds the dict the segment builds in marshal's
# encoding of plain values, which the DataSet's `__init__.py` (format 8's) loads instead of
# running the segment. The folder holds format 7's set, checked by check_v7.py (its files are
# format 7's but the DataSet `sweep`'s `__init__.py` and caches), and `meta`, a DataSet whose
# metadata touches every plain value the writer spells. Each cache must build exactly what its
# segment builds (types, float bits, order), and `_info_dict` exactly what each `_info/ITEM.py`
# builds. Python 3.8 syntax. Frozen with v8/.

import importlib
import marshal
import os
import runpy
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
runpy.run_path(os.path.join(HERE, 'check_v7.py'), run_name='__main__')

folder = os.path.abspath(sys.argv[1])
if folder not in sys.path:
    sys.path.insert(0, folder)


def same(a, b):
    if type(a) is not type(b):
        return False
    if type(a) is float:
        return struct.pack('<d', a) == struct.pack('<d', b)
    if type(a) is complex:
        return same(a.real, b.real) and same(a.imag, b.imag)
    if type(a) in (list, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if type(a) is dict:
        return same(list(a), list(b)) and all(same(a[k], b[k]) for k in a)
    if type(a) is set:
        return same(sorted(a), sorted(b))
    return a == b


def run(path):
    values = {}
    with open(path, encoding='utf-8') as f:
        exec(compile(f.read(), path, 'exec'), values)
    del values['__builtins__']
    return values


for name in ['sweep', 'meta']:
    index = os.path.join(folder, name, '_index')
    segments = [f for f in sorted(os.listdir(index)) if f.endswith('.py')]
    assert segments, (name, os.listdir(index))
    for segment in segments:
        with open(os.path.join(index, segment[:-3] + '.marshal'), 'rb') as f:
            loaded = marshal.loads(f.read())
        ran = run(os.path.join(index, segment))
        assert same(loaded, ran), (name, segment, loaded, ran)
    info = importlib.import_module(name)._info_dict
    for item in info:
        ran = run(os.path.join(folder, name, '_info', item + '.py'))['info']
        assert same(info[item], ran), (name, item, info[item], ran)
    print('ok: %s loads its metadata from %d data caches' % (name, len(segments)))

info = importlib.import_module('meta')._info_dict
assert sorted(info) == ['m0', 'm1', 'm2', 'm3'], sorted(info)
m1 = info['m1']
assert repr(m1[0]) == '(nan, -inf, -0.0, 1e+300, 5e-324)', m1[0]
assert m1[1] == (-2**63, 2**64 - 1, -2**127 + 1, -1), m1[1]
assert all(type(v) is int for v in m1[1]), m1[1]
assert m1[2] == ('naïve ☃ 1', 'x' * 300, None, False), m1[2]
assert m1[3] == {1, -1, 7} and info['m0'][3] == set() and type(info['m0'][3]) is set, m1
assert m1[4] == {'alpha': [1, 2**40]}, m1[4]
c = m1[5][0]
assert type(c) is complex and repr(c.real) == '-0.0' and c.imag != c.imag, c
assert m1[5][1] == 0.10000000149011612, m1[5]
print('ok: meta holds every plain value exactly')
