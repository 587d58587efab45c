//! The helper texts of format 1, verbatim as format-1 writers emitted them: archives and
//! DataSets written before format 2 keep loading, and a verifier can compare an archive that
//! names format 1 in its header with exactly these texts. Nothing here is written any more.

/// Format 1's `_record` helper (see [`super::helpers::RECORD_HELPER`] for what it defines). Its
/// `__eq__` demands `type(other) is type(self)`, so records of two loads never compare equal.
pub(crate) const RECORD_HELPER: &str = r#"def _record(qualname, fields, rust, positional=False):
    import builtins as b

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
        if b.type(other) is not b.type(self):
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
          '_fields': fields, '_rust': rust, '__module__': __name__}
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
    return cls
"#;

/// Format 1's DataSet `__init__.py`: gathers the per-item metadata files `_info/ITEM.py` into
/// `_info_dict`.
pub(crate) const DATASET_INIT_PY: &str = r#"# persist DataSet, format 1, written by persist-core.
# Each item is a module beside this file: `import NAME.ITEM` loads that item alone.
# Each item's metadata is a small file in _info/, gathered here into _info_dict
# (a dict keyed by item name) without loading any item.


def _gather_info():
    import os
    info_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), '_info')
    try:
        files = sorted(os.listdir(info_dir))
    except FileNotFoundError:
        files = []
    info = {}
    for file in files:
        if not file.endswith('.py') or file.startswith('.'):
            continue
        path = os.path.join(info_dir, file)
        try:
            with open(path, encoding='utf-8') as f:
                code = compile(f.read(), path, 'exec')
        except FileNotFoundError:
            continue  # removed while we were listing
        namespace = {'__file__': path, '__name__': '_persist_info'}
        exec(code, namespace)
        info[file[:-3]] = namespace['info']
    return info


_info_dict = _gather_info()
del _gather_info
"#;
