# persist archive, format 5, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   some: core::option::Option<i32>
#   none: core::option::Option<i32>
#   sequences: persist_tests::golden::v1::values::Sequences
#   slice: [f64]
#   tuples: persist_tests::golden::v1::values::Tuples
#   maps: persist_tests::golden::v1::values::Maps
#   pointers: persist_tests::golden::v1::values::Pointers
#   reference: i32
#   complexes: persist_tests::golden::v1::values::Complexes

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


_Sequences = _record('Sequences', ('vec', 'empty', 'nested', 'deque', 'linked', 'array', 'no_elements'), 'persist_tests::golden::v1::values::Sequences')
_Tuples = _record('Tuples', ('one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'), 'persist_tests::golden::v1::values::Tuples')
_Maps = _record('Maps', ('hash_map', 'btree_map', 'bool_keys', 'tuple_keys', 'record_keys', 'empty_map', 'hash_set', 'btree_set', 'record_set', 'empty_set'), 'persist_tests::golden::v1::values::Maps')
_Cell = _record('Cell', ('row', 'col'), 'persist_tests::golden::v1::values::Cell')
_Pointers = _record('Pointers', ('boxed', 'boxed_list', 'rc_a', 'rc_b', 'arc_a', 'arc_b', 'arc_other'), 'persist_tests::golden::v1::values::Pointers')
_Complexes = _record('Complexes', ('single', 'double', 'special'), 'persist_tests::golden::v1::values::Complexes')

some = 3
none = None
sequences = _Sequences(
    vec=[3, -1, 4],
    empty=[],
    nested=[[1], [], [2, 3]],
    deque=[7, 8, 9],
    linked=['x', 'y'],
    array=[1, 2, 65535],
    no_elements=[],
)
slice = [1.5, -2.5]
tuples = _Tuples(
    one=(1,),
    two=(2, 'two'),
    three=(1, 2, 3),
    four=(1, 2, 3, 4),
    five=(1, 2, 3, 4, 5),
    six=(1, 2, 3, 4, 5, 6),
    seven=(1, 2, 3, 4, 5, 6, 7),
    eight=(1, 2, 3, 4, 5, 6, 7, 8),
    nine=(1, 2, 3, 4, 5, 6, 7, 8, 9),
    ten=(1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
    eleven=(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
    twelve=(True, -8, 16, -32, 64, 0.5, 0.25, 'z', 's', None, None, [1, 2]),
)
maps = _Maps(
    hash_map={'alpha': 1, 'mu': 12, 'zeta': 26},
    btree_map={-1: 'minus one', 10: 'ten'},
    bool_keys={False: 0, True: 1},
    tuple_keys={(1, 'a'): 0.5, (2, 'b'): 1.5},
    record_keys={_Cell(row=0, col=1): 'right', _Cell(row=1, col=0): 'down'},
    empty_map={},
    hash_set={-3, 5, 11},
    btree_set={'a', 'b'},
    record_set={_Cell(row=2, col=2)},
    empty_set=set(),
)
_s0 = [1, 2, 3]
_s1 = 'shared'
_s2 = 'shared'
pointers = _Pointers(boxed=42, boxed_list=[1, 2], rc_a=_s0, rc_b=_s0, arc_a=_s1, arc_b=_s1, arc_other=_s2)
reference = 7
complexes = _Complexes(
    single=complex(0.5, -1.25),
    double=complex(2.718281828459045, 1e-300),
    special=[complex(-0.0, 0.0), complex(float('inf'), -float('inf')), complex(float('nan'), 1.0)],
)
del _record, _s0, _s1, _s2
__all__ = ['some', 'none', 'sequences', 'slice', 'tuples', 'maps', 'pointers', 'reference', 'complexes']
