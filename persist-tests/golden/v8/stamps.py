# persist archive, format 5, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   stamp: persist_tests::golden::v5::Stamp
#   before: std::time::SystemTime
#   durations: alloc::vec::Vec<core::time::Duration>

import datetime as _dt
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


_Stamp = _record('Stamp', ('at', 'took', 'digest', 'magic'), 'persist_tests::golden::v5::Stamp')

stamp = _Stamp(
    at=_dt.datetime(2025, 12, 2, 5, 18, 7, 250001, tzinfo=_dt.timezone.utc),
    took=_dt.timedelta(days=1, seconds=3661, microseconds=5),
    digest=b'\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\x7f\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f\x90\x91\x92\x93\x94\x95\x96\x97\x98\x99\x9a\x9b\x9c\x9d\x9e\x9f\xa0\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8\xa9\xaa\xab\xac\xad\xae\xaf\xb0\xb1\xb2\xb3\xb4\xb5\xb6\xb7\xb8\xb9\xba\xbb\xbc\xbd\xbe\xbf\xc0\xc1\xc2\xc3\xc4\xc5\xc6\xc7\xc8\xc9\xca\xcb\xcc\xcd\xce\xcf\xd0\xd1\xd2\xd3\xd4\xd5\xd6\xd7\xd8\xd9\xda\xdb\xdc\xdd\xde\xdf\xe0\xe1\xe2\xe3\xe4\xe5\xe6\xe7\xe8\xe9\xea\xeb\xec\xed\xee\xef\xf0\xf1\xf2\xf3\xf4\xf5\xf6\xf7\xf8\xf9\xfa\xfb\xfc\xfd\xfe\xff',
    magic=b'\x89PNG',
)
before = _dt.datetime(1969, 1, 1, 0, 0, tzinfo=_dt.timezone.utc)
durations = [_dt.timedelta(0), _dt.timedelta(microseconds=1), _dt.timedelta(seconds=3600)]
del _dt, _record
__all__ = ['stamp', 'before', 'durations']
