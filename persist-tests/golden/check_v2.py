# What Python must see in the golden archives of format 2 (persist-tests/golden/v2/).
#
#     python check_v2.py FOLDER     (a copy of v2/ or v2/ itself)
#
# Format 2 holds the values of format 1 (it changed how records compare, and spells f32 values
# as the float of the same value), so format 1's checks apply unchanged; on top, records of two
# separate loads of one archive compare equal. Python 3.8 syntax. Frozen with v2/.

import importlib
import os
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
runpy.run_path(os.path.join(HERE, 'check_v1.py'), run_name='__main__')

folder = os.path.abspath(sys.argv[1])
first = importlib.import_module('heat_run')
params = first.run.params
del sys.modules['heat_run']
second = importlib.import_module('heat_run')
assert second.run.params is not params
assert second.run.params == params, (second.run.params, params)
assert type(second.run.params) is not type(params)
print('ok: records of two loads compare equal')
