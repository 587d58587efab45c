# persist archive, format 5, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   point: persist_tests::golden::v1::values::Point
#   pair: persist_tests::golden::v1::values::Pair
#   marker: persist_tests::golden::v1::values::Marker
#   wrapper: persist_tests::golden::v1::values::Wrapper<alloc::vec::Vec<u8>>
#   shapes: alloc::vec::Vec<persist_tests::golden::v1::values::Shape>
#   tree: persist_tests::golden::v1::values::Node
#   keywords: persist_tests::golden::v1::values::Keywords

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


_Point = _record('Point', ('x', 'y'), 'persist_tests::golden::v1::values::Point')
_Pair = _record('Pair', ('_0', '_1'), 'persist_tests::golden::v1::values::Pair', positional=True)
_Marker = _record('Marker', (), 'persist_tests::golden::v1::values::Marker')
_Wrapper = _record('Wrapper', ('inner', 'label'), 'persist_tests::golden::v1::values::Wrapper')
_Shape_Empty = _record('Shape.Empty', (), 'persist_tests::golden::v1::values::Shape')
_Shape_Circle = _record('Shape.Circle', ('r',), 'persist_tests::golden::v1::values::Shape')
_Shape_Square = _record('Shape.Square', ('_0',), 'persist_tests::golden::v1::values::Shape', positional=True)
_Shape_Rect = _record('Shape.Rect', ('_0', '_1'), 'persist_tests::golden::v1::values::Shape', positional=True)
_Node = _record('Node', ('value', 'children', 'next'), 'persist_tests::golden::v1::values::Node')
_Keywords = _record('Keywords', ('type', 'match', 'loop'), 'persist_tests::golden::v1::values::Keywords')

point = _Point(x=1.5, y=-2.0)
pair = _Pair(7, 'seven')
marker = _Marker()
wrapper = _Wrapper(inner=[1, 2], label='bytes')
shapes = [_Shape_Empty(), _Shape_Circle(r=1.5), _Shape_Square(2.0), _Shape_Rect(3.0, 4.0)]
tree = _Node(
    value=1,
    children=[_Node(value=2, children=[], next=None), _Node(value=3, children=[], next=None)],
    next=_Node(value=4, children=[], next=_Node(value=5, children=[], next=None)),
)
keywords = _Keywords(type=1, match=2, loop=True)
del _record
__all__ = ['point', 'pair', 'marker', 'wrapper', 'shapes', 'tree', 'keywords']
