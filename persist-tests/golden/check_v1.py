# What Python must see in the golden archives of format 1 (persist-tests/golden/v1/).
#
#     python check_v1.py FOLDER     (a copy of v1/ or v1/ itself; imports each archive from it)
#
# Imports every archive and DataSet of the folder and asserts values, types, dtypes, shapes and
# memory order; prints "ok: N archives" at the end. Python 3.8 syntax, numpy 1.23 or newer,
# h5py 2.10 or newer. Written by hand and frozen with v1/: the values are the ones of
# persist-tests/src/golden/v1/.

import importlib
import importlib.util
import math
import os
import struct
import sys

import numpy as np

FOLDER = os.path.abspath(sys.argv[1])
sys.path.insert(0, FOLDER)
checked = []


def archive(name):
    checked.append(name)
    return importlib.import_module(name)


def bits64(x):
    return struct.pack('<d', x)


def bits32_of(pattern):
    return struct.pack('<I', pattern)


def same_floats(found, expected):
    """Equal float for float, -0.0 and NaN included."""
    assert len(found) == len(expected), (found, expected)
    for f, e in zip(found, expected):
        assert type(f) is float, (f, type(f))
        assert (math.isnan(f) and math.isnan(e)) or bits64(f) == bits64(e), (found, expected)


def same(x, expected, dtype, order='C'):
    """An ndarray with this dtype, shape, memory order and exactly these bytes."""
    assert isinstance(x, np.ndarray), type(x)
    e = np.array(expected, dtype=dtype)
    assert x.dtype == e.dtype, (x.dtype, e.dtype)
    assert x.shape == e.shape, (x.shape, e.shape)
    assert x.tobytes(order='A') == (np.asfortranarray(e) if order == 'F' else e).tobytes(order='A'), (x, e)
    if x.ndim > 1 and x.size > 1:
        assert x.flags.f_contiguous if order == 'F' else x.flags.c_contiguous, (x.flags, order)


def int_range(dtype):
    info = np.iinfo(dtype)
    lo, hi = int(info.min), int(info.max)
    return [lo, 0, 1, 2, 3, hi - 1, hi // 2, hi]


NAN = float('nan')
INF = float('inf')
SPECIAL_DOUBLES = [0.0, -0.0, 1.5, INF, -INF, NAN]
FLOATS32 = [0.1, -0.0, 3.4028234663852886e38, 1.1754943508222875e-38, 1e-45, INF]
C64 = [complex(i * 0.5, -float(i)) for i in range(5)]  # -0.0 for i = 0, as in Rust
C128 = [complex(-float(i), i * 0.25) for i in range(5)]
MATRIX = [[0.0, 1.0, 2.0], [10.0, 11.0, 12.0]]
FORTRAN = [[0.0, -10.0], [1.0, -9.0], [2.0, -8.0]]
CUBE = [[[100 * i + 10 * j + k for k in range(2)] for j in range(3)] for i in range(2)]
SMALL = [[1.0, 2.0], [3.0, 4.0]]


def check_scalars():
    a = archive('scalars')
    assert a.yes is True and a.no is False and a.nothing is None
    i = a.integers
    assert type(i).__name__ == 'Integers' and i._rust.endswith('::Integers'), i
    for bits in (8, 16, 32, 64, 128):
        assert getattr(i, 'i%d_min' % bits) == -2 ** (bits - 1), bits
        assert getattr(i, 'i%d_max' % bits) == 2 ** (bits - 1) - 1, bits
        assert getattr(i, 'u%d_max' % bits) == 2 ** bits - 1, bits
        assert type(getattr(i, 'u%d_max' % bits)) is int
    assert (i.isize_min, i.isize_max, i.usize_max) == (-2 ** 63, 2 ** 63 - 1, 2 ** 64 - 1)
    assert i.zero == 0
    same_floats(a.doubles, [0.0, -0.0, 0.1, -2.5, math.pi, 1e300, 1.7976931348623157e308,
                            2.2250738585072014e-308, 5e-324, INF, -INF, NAN])
    # f32 values are written in their shortest spelling; as float32 they are the exact bits.
    expected32 = [0x3DCCCCCD, 0x80000000, 0x7F7FFFFF, 0x00800000, 0x00000001, 0x7F800000]
    for x, pattern in zip(a.singles, expected32):
        assert type(x) is float and np.float32(x).tobytes() == bits32_of(pattern), (x, pattern)
    assert math.isnan(a.singles[-1]) and len(a.singles) == 7
    assert sorted(n for n in dir(a) if not n.startswith('__')) == [
        'doubles', 'integers', 'no', 'nothing', 'singles', 'yes'], dir(a)


def check_text():
    a = archive('text')
    chars = ['a', '\xe9', '\x00', '\n', '\r', '\t', "'", '"', '\\', '\x7f', '\x85', '\u2028',
             '\ufeff', '\U0001f980', '\U0010ffff']
    assert a.chars == chars, a.chars
    tricky = ''.join(chars) + " ''' \"\"\" {braces} %s \\n \x1b[0m end"
    assert [ord(c) for c in a.tricky] == [ord(c) for c in tricky], a.tricky
    assert a.borrowed == tricky and a.cow_borrowed == tricky and a.cow_owned == 'owned'
    assert a.empty == '' and a.path_buf == 'data/run 1/field.npy' and a.path == a.path_buf


def check_containers():
    a = archive('containers')
    assert a.some == 3 and a.none is None
    s = a.sequences
    assert s.vec == [3, -1, 4] and s.empty == [] and s.nested == [[1], [], [2, 3]], s
    assert s.deque == [7, 8, 9] and s.linked == ['x', 'y'] and s.array == [1, 2, 65535], s
    assert s.no_elements == [] and type(s.vec) is list
    assert a.slice == [1.5, -2.5]
    t = a.tuples
    assert t.one == (1,) and type(t.one) is tuple and t.two == (2, 'two')
    for n, name in enumerate(['three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
                              'eleven'], start=3):
        assert getattr(t, name) == tuple(range(1, n + 1)), (name, getattr(t, name))
    assert t.twelve == (True, -8, 16, -32, 64, 0.5, 0.25, 'z', 's', None, None, [1, 2]), t.twelve
    m = a.maps
    assert m.hash_map == {'alpha': 1, 'mu': 12, 'zeta': 26}
    assert list(m.hash_map) == ['alpha', 'mu', 'zeta'], 'written in sorted order'
    assert m.btree_map == {-1: 'minus one', 10: 'ten'} and m.bool_keys == {False: 0, True: 1}
    assert m.tuple_keys == {(1, 'a'): 0.5, (2, 'b'): 1.5}
    assert {(k.row, k.col): v for k, v in m.record_keys.items()} == {(0, 1): 'right', (1, 0): 'down'}
    cell = type(next(iter(m.record_keys)))
    assert m.record_keys[cell(row=1, col=0)] == 'down', 'records are hashable by value'
    assert m.empty_map == {} and m.hash_set == {5, -3, 11} and m.btree_set == {'a', 'b'}
    assert type(m.empty_set) is set and m.empty_set == set()
    assert [(c.row, c.col) for c in m.record_set] == [(2, 2)]
    p = a.pointers
    assert p.boxed == 42 and p.boxed_list == [1, 2] and a.reference == 7
    assert p.rc_a == [1, 2, 3] and p.rc_a is p.rc_b, 'a value shared through Rc is one object'
    assert p.arc_a == 'shared' and p.arc_a is p.arc_b
    assert p.arc_other == 'shared'
    c = a.complexes
    assert c.single == complex(0.5, -1.25) and c.double == complex(math.e, 1e-300)
    assert type(c.single) is complex
    sp = c.special
    assert bits64(sp[0].real) == bits64(-0.0) and sp[0].imag == 0.0
    assert sp[1] == complex(INF, -INF) and math.isnan(sp[2].real) and sp[2].imag == 1.0


def check_arrays():
    a = archive('arrays')
    for name in ['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64']:
        short = name.replace('uint', 'u').replace('int', 'i')
        same(getattr(a, short), int_range(name), name)
    same(a.bools, [True, False, False, True, True, False], 'bool')
    same(a.f32, FLOATS32, 'float32')
    same(a.f64, SPECIAL_DOUBLES, 'float64')
    same(a.c64, C64, 'complex64')
    same(a.c128, C128, 'complex128')
    same(a.small_bools, [True, False], 'bool')
    same(a.small_ints, [-2 ** 63, 2 ** 63 - 1], 'int64')
    same(a.small_u64, [2 ** 64 - 1], 'uint64')
    same(a.small_doubles, [-0.0, NAN, INF], 'float64')
    same(a.small_complex, C64[:2], 'complex64')
    same(a.small_matrix, SMALL, 'float64')
    same(a.matrix, MATRIX, 'float64')
    same(a.fortran, FORTRAN, 'float64', order='F')
    same(a.fortran_small, [[0, 1], [10, 11]], 'int32', order='F')
    same(a.cube, CUBE, 'int32')
    same(a.dynamic, [[[0, 1, 2], [3, 4, 5]]], 'uint8')
    same(a.scalar, 2.5, 'float64')
    same(a.empty, np.zeros((0, 3)), 'float32')
    same(a.view, [[6 * i + j for j in (0, 2, 4)] for i in range(3)], 'int64')
    m = archive('arrays_module')
    same(m.matrix, MATRIX, 'float64')
    same(m.small, SMALL, 'float64')
    same(m.fortran, FORTRAN, 'float64', order='F')


def check_run(run):
    p = run.params
    assert repr(p) == 'HeatParams(alpha=0.25, dx=0.1, dt=0.01, steps=5, grid=(8, 8))', repr(p)
    assert type(run.boundary).__name__ == 'Dirichlet' and run.boundary.value == 0.0
    assert run.boundary._enum == 'Boundary' and run.boundary._variant == 'Dirichlet'
    assert repr(run.boundary) == 'Boundary.Dirichlet(value=0.0)', repr(run.boundary)
    same(run.temperature, np.arange(64.0).reshape(8, 8) / 4.0, 'float64')
    assert run.energy == [16.0, 15.5, 15.25, 15.125, 15.0625]
    assert run.note == 'Gaussian pulse on an 8x8 plate, cold edges'


def check_hdf5():
    import h5py
    a = archive('hdf5_package')
    same(a.i8, int_range('int8'), 'int8')
    same(a.u64, int_range('uint64'), 'uint64')
    same(a.bools, [True, False, False, True, True, False], 'bool')
    same(a.f32, FLOATS32, 'float32')
    same(a.f64, SPECIAL_DOUBLES, 'float64')
    same(a.c64, C64, 'complex64')
    same(a.c128, C128, 'complex128')
    same(a.fortran, FORTRAN, 'float64', order='F')
    same(a.cube, CUBE, 'int32')
    same(a.small, SMALL, 'float64')
    check_run(a.run)
    m = archive('hdf5_module')
    same(m.matrix, MATRIX, 'float64')
    same(m.i32, int_range('int32'), 'int32')
    lazy = archive('hdf5_lazy')
    assert isinstance(lazy.cube, h5py.Dataset), type(lazy.cube)
    assert lazy.cube.shape == (2, 3, 2) and lazy.cube.dtype == np.int32
    same(lazy.cube[()], CUBE, 'int32')
    assert int(lazy.cube[1, 2, 1]) == 121
    same(lazy.f64[()], SPECIAL_DOUBLES, 'float64')


def check_records():
    a = archive('records')
    assert repr(a.point) == 'Point(x=1.5, y=-2.0)' and a.point._fields == ('x', 'y')
    assert a.point == type(a.point)(x=1.5, y=-2.0) and a.point != type(a.point)(x=1.5, y=2.0)
    assert a.pair[0] == 7 and a.pair._1 == 'seven' and len(a.pair) == 2 and tuple(a.pair) == (7, 'seven')
    assert repr(a.marker) == 'Marker()' and a.marker._fields == ()
    assert a.wrapper.inner == [1, 2] and a.wrapper.label == 'bytes'
    names = [(type(s).__name__, s._enum) for s in a.shapes]
    assert names == [('Empty', 'Shape'), ('Circle', 'Shape'), ('Square', 'Shape'), ('Rect', 'Shape')]
    assert a.shapes[1].r == 1.5 and a.shapes[2][0] == 2.0 and tuple(a.shapes[3]) == (3.0, 4.0)
    assert [repr(s) for s in a.shapes] == [
        'Shape.Empty()', 'Shape.Circle(r=1.5)', 'Shape.Square(2.0)', 'Shape.Rect(3.0, 4.0)']
    t = a.tree
    assert t.value == 1 and [c.value for c in t.children] == [2, 3]
    assert t.next.value == 4 and t.next.next.value == 5 and t.next.next.next is None
    k = a.keywords
    assert getattr(k, 'type') == 1 and getattr(k, 'match') == 2 and getattr(k, 'loop') is True


def check_attributes():
    import golden_classes
    a = archive('attributes')
    r = a.renamed
    assert type(r).__name__ == 'Parameters' and r._fields == ('lambda_', 'steps'), r
    assert r.lambda_ == 0.5 and r.steps == 7 and not hasattr(r, 'cache')
    f = a.figures
    assert type(f[0]).__name__ == 'Disc' and f[0].r == 1.0
    assert type(f[1]) is golden_classes.Square and f[1].side == 2.0
    assert type(f[2]).__name__ == 'Triangle' and tuple(f[2]) == (3.0, 4.0, 5.0)
    assert type(a.user_point) is golden_classes.Point
    assert a.user_point == golden_classes.Point(x=3, y=-4)
    assert a.reexported.value == 11
    assert (a.strict.a, a.strict.b) == (1, 'bee')
    o = a.old_params
    assert type(o).__name__ == 'Params' and (o.lambda_, o.label, o.retired) == (0.125, 'first', 9)


def load_standalone(path, count=[0]):
    """How the original Python `persist` package loads a DataSet's files."""
    count[0] += 1
    name = '_golden_standalone_%d' % count[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return sys.modules.pop(name)


def check_sweep():
    ds = archive('sweep')
    assert os.path.exists(os.path.join(FOLDER, 'sweep', '_this_dir_is_a_DataSet'))
    expected = {}
    for i in range(3):
        damping = 0.25 * (i + 1)
        expected['point_%d' % i] = (damping, 1.0 - damping / 2.0)
    info = {k: (v['damping'], v['peak']) for k, v in ds._info_dict.items()}
    assert info == expected, info
    standalone = load_standalone(os.path.join(FOLDER, 'sweep', '__init__.py'))._info_dict
    assert standalone == ds._info_dict
    for name, (damping, peak) in sorted(expected.items()):
        point = importlib.import_module('sweep.' + name)
        assert type(point).__name__ == 'SweepPoint', type(point)
        assert (point.damping, point.peak) == (damping, peak)
        same(point.samples, [damping * k for k in range(6)], 'float64')
        other = load_standalone(os.path.join(FOLDER, 'sweep', name + '.py'))
        assert type(other).__name__ == 'SweepPoint' and other.damping == damping, other
        same(other.samples, point.samples, 'float64')


check_scalars()
check_text()
check_containers()
check_arrays()
check_run(archive('heat_run').run)
check_hdf5()
check_records()
check_attributes()
check_sweep()
expected_archives = ['scalars', 'text', 'containers', 'arrays', 'arrays_module', 'heat_run',
                     'hdf5_package', 'hdf5_module', 'hdf5_lazy', 'records', 'attributes', 'sweep']
assert checked == expected_archives, checked
print('ok: %d archives' % len(checked))
