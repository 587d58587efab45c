# What Python must see in the golden archives of format 3 (persist-tests/golden/v3/).
#
#     python check_v3.py FOLDER     (a copy of v3/ or v3/ itself)
#
# Format 3 holds the values of format 2 (it gave DataSets a metadata index, _index/), so format
# 2's checks apply unchanged; on top, the DataSet's _info_dict comes from its index and equals
# the per-item metadata files. Python 3.8 syntax. Frozen with v3/.

import importlib
import os
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
runpy.run_path(os.path.join(HERE, 'check_v2.py'), run_name='__main__')

folder = os.path.abspath(sys.argv[1])
sweep = importlib.import_module('sweep')
for name, info in sweep._info_dict.items():
    namespace = {}
    path = os.path.join(folder, 'sweep', '_info', name + '.py')
    with open(path, encoding='utf-8') as f:
        exec(compile(f.read(), path, 'exec'), namespace)
    assert namespace['info'] == info, (name, namespace['info'], info)
assert sorted(sweep._info_dict) == ['point_0', 'point_1', 'point_2'], sorted(sweep._info_dict)
assert os.path.isdir(os.path.join(folder, 'sweep', '_index'))
print('ok: the DataSet index gives the metadata files')
