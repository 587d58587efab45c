# persist archive, format 7, written by persist-core 0.1.0.
# Plain Python source: import it (numpy and zarr 3 are needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   field: ndarray::ArrayBase<ndarray::data_repr::OwnedRepr<f64>, ndarray::dimension::dim::Dim<[usize; 1]>, f64>
#   points: alloc::vec::Vec<persist_tests::golden::v7::Point>

import numpy as _np
import os as _os
import zarr as _zarr
_arrays = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), 'second_zarr_arrays.2.zarr')


def _load(name):
    return _zarr.open_array(_arrays, path=name, mode='r', zarr_format=3)


def _record(qualname, fields, rust, positional=False):
    import builtins as b
    import dataclasses

    def same(x, y):
        if x is y:
            return True
        if b.isinstance(x, (b.list, b.tuple)):
            return b.type(x) is b.type(y) and b.len(x) == b.len(y) and b.all(b.map(same, x, y))
        if b.isinstance(x, b.dict):
            return (b.isinstance(y, b.dict) and x.keys() == y.keys()
                    and b.all(same(v, y[k]) for k, v in x.items()))
        try:
            r = x == y
        except b.ValueError:
            return False
        if b.hasattr(r, 'all'):
            return b.getattr(x, 'shape', ()) == b.getattr(y, 'shape', ()) and b.bool(r.all())
        return b.bool(r)

    def __init__(*args, **kwargs):
        # `self` comes positionally, so that a field may be named `self`.
        self, args = args[0], args[1:]
        if b.len(args) > b.len(fields):
            raise b.TypeError(f'{qualname}() takes {b.len(fields)} fields, {b.len(args)} given')
        d = self.__dict__
        d.update(b.zip(fields, args))
        d.update(kwargs)

    def __eq__(self, other):
        # Another load of the same archive defines another class for the same Rust type.
        t = b.type(other)
        if t is not b.type(self) and not (b.getattr(t, '_rust', None) == rust
                                          and b.getattr(t, '__qualname__', None) == qualname
                                          and b.getattr(t, '_fields', None) == fields):
            return b.NotImplemented
        return same(self.__dict__, other.__dict__)

    def __hash__(self):
        return b.hash((qualname,) + b.tuple(self.__dict__.get(f) for f in fields))

    def __repr__(self):
        d = self.__dict__
        if positional:
            parts = [b.repr(d[f]) for f in fields if f in d]
        else:
            parts = [f'{f}={d[f]!r}' for f in fields if f in d]
        parts += [f'{k}={v!r}' for k, v in d.items() if k not in fields]
        return f'{qualname}({", ".join(parts)})'

    ns = {'__init__': __init__, '__eq__': __eq__, '__hash__': __hash__, '__repr__': __repr__,
          '_fields': fields, '_rust': rust, '__module__': __name__, '__match_args__': fields,
          '__annotations__': {f: b.object for f in fields}, '__doc__': f'The Rust type {rust}.'}
    enum, _, name = qualname.rpartition('.')
    if enum:
        ns['_enum'] = enum
        ns['_variant'] = name
    if positional:
        ns['__len__'] = lambda self: b.len(fields)
        ns['__iter__'] = lambda self: (self.__dict__[f] for f in fields)
        ns['__getitem__'] = lambda self, i: b.tuple(self)[i]
    cls = b.type(name, (), ns)
    cls.__qualname__ = qualname
    # A standard dataclass (`fields`, `asdict`, `replace`) keeping the methods above.
    return dataclasses.dataclass(cls, init=False, repr=False, eq=False)


def __getattr__(name, enums={}):
    # `enums` keeps one namespace per enum, so that pickle finds the same object every time.
    import builtins as b
    variants = {'__module__': __name__}
    for v in b.list(b.globals().values()):
        if b.isinstance(v, b.type) and '_rust' in v.__dict__:
            root, _, rest = v.__qualname__.partition('.')
            if root == name and not rest:
                return v
            if root == name:
                variants[rest] = v
    if b.len(variants) > 1:
        if name not in enums:
            enums[name] = b.type(name, (), variants)
        return enums[name]
    raise b.AttributeError(f'module {__name__!r} has no attribute {name!r}')


def __dir__():
    return __all__


def _table(cls, fields, columns):
    import builtins as b
    columns = b.iter(columns)

    def column(c):
        if not b.isinstance(c, b.tuple):
            return c
        kind, arrays = c[0], [a[...] for a in c[1:]]
        optional = kind.startswith('?')
        if optional:
            kind, mask, arrays = kind[1:], arrays[-1].tolist(), arrays[:-1]
        if kind == 'str':
            raw, ends = arrays[0].tobytes(), arrays[1].tolist()
            values = [raw[s:e].decode('utf-8') for s, e in b.zip(ends, ends[1:])]
        else:
            values = arrays[0].tolist()
        if optional:
            values = [v if m else None for v, m in b.zip(values, mask)]
        return values

    if cls is None:
        # One column: a long list of plain values.
        return column(b.next(columns))

    def build(cls, fields):
        names, parts = [], []
        for f in fields:
            if b.isinstance(f, b.tuple):
                names.append(f[0])
                parts.append(build(f[1], f[2]))
            else:
                names.append(f)
                parts.append(column(b.next(columns)))
        if b.len(b.set(b.map(b.len, parts))) > 1:
            raise b.ValueError(f'the columns of a table of {cls.__qualname__} differ in length')
        new = b.object.__new__
        rows = []
        # Many objects and no cycles: the cyclic garbage collector would only slow the loop.
        import gc
        enabled = gc.isenabled()
        gc.disable()
        try:
            for values in b.zip(*parts):
                o = new(cls)
                o.__dict__ = b.dict(b.zip(names, values))
                rows.append(o)
        finally:
            if enabled:
                gc.enable()
        return rows

    return build(cls, fields)


_Point = _record('Point', ('step', 'value'), 'persist_tests::golden::v7::Point')

field = _load('field')
points = _table(_Point, ('step', 'value'), (
    ('uint32', _load('points.step')),
    ('float64', _load('points.value')),
))
del _np, _os, _zarr, _arrays, _load, _record, _table
__all__ = ['field', 'points']
