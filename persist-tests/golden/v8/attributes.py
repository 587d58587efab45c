# persist archive, format 5, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   renamed: persist_tests::golden::v1::schema::Renamed
#   figures: alloc::vec::Vec<persist_tests::golden::v1::schema::Figure>
#   user_point: persist_tests::golden::v1::schema::UserPoint
#   reexported: persist_tests::golden::v1::schema::ThroughReexport
#   strict: persist_tests::golden::v1::schema::Strict
#   old_params: persist_tests::golden::v1::schema::OldParams

from golden_classes import Square as _Square
from golden_classes import Point as _Point
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


_Parameters = _record('Parameters', ('lambda_', 'steps'), 'persist_tests::golden::v1::schema::Renamed')
_Figure_Disc = _record('Figure.Disc', ('r',), 'persist_tests::golden::v1::schema::Figure')
_Figure_Triangle = _record('Figure.Triangle', ('_0', '_1', '_2'), 'persist_tests::golden::v1::schema::Figure', positional=True)
_ThroughReexport = _record('ThroughReexport', ('value',), 'persist_tests::golden::v1::schema::ThroughReexport')
_Strict = _record('Strict', ('a', 'b'), 'persist_tests::golden::v1::schema::Strict')
_Params = _record('Params', ('lambda_', 'label', 'retired'), 'persist_tests::golden::v1::schema::OldParams')

renamed = _Parameters(lambda_=0.5, steps=7)
figures = [_Figure_Disc(r=1.0), _Square(side=2.0), _Figure_Triangle(3.0, 4.0, 5.0)]
user_point = _Point(x=3, y=-4)
reexported = _ThroughReexport(value=11)
strict = _Strict(a=1, b='bee')
old_params = _Params(lambda_=0.125, label='first', retired=9)
del _record, _Square, _Point
__all__ = ['renamed', 'figures', 'user_point', 'reexported', 'strict', 'old_params']
