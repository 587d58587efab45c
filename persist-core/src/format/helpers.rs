//! The Python helper code an archive module defines before its items, as each format writes it:
//! the record helper, the table helper (`_table`, for record tables), the module helpers of
//! format 5 on, and the path expression of a file beside the source. Each array store owns its
//! own `_load` texts (`store::Store::load_defs`).
//!
//! Everything here uses the standard library only. Helper names start with `_` and are deleted at
//! the end of the module, but for the record classes of format 5, which the module keeps (with
//! its `__getattr__` and `__dir__`) so that records pickle. Functions that outlive the module's execution (the methods of record
//! classes) reach builtins through a local `builtins` import, so an item named `len` or `type`
//! cannot break them.

/// The texts the record helpers of formats 2 and 5 share, joined with `concat!` so that each
/// stays byte for byte what its format wrote.
macro_rules! record_parts {
    (head) => {
        r#"def _record(qualname, fields, rust, positional=False):
    import builtins as b
"#
    };
    (methods) => {
        r#"
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

"#
    };
    (class) => {
        r#"    enum, _, name = qualname.rpartition('.')
    if enum:
        ns['_enum'] = enum
        ns['_variant'] = name
    if positional:
        ns['__len__'] = lambda self: b.len(fields)
        ns['__iter__'] = lambda self: (self.__dict__[f] for f in fields)
        ns['__getitem__'] = lambda self, i: b.tuple(self)[i]
    cls = b.type(name, (), ns)
    cls.__qualname__ = qualname
"#
    };
}

/// The texts the table helpers of formats 4 to 6 share.
macro_rules! table_parts {
    (columns) => {
        concat!(table_parts!(columns_head), table_parts!(columns_tail))
    };
    (columns_head) => {
        r#"def _table(cls, fields, columns):
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
"#
    };
    (columns_tail) => {
        r#"        else:
            values = arrays[0].tolist()
        if optional:
            values = [v if m else None for v, m in b.zip(values, mask)]
        return values

"#
    };
    (one_column) => {
        r#"    if cls is None:
        # One column: a long list of plain values.
        return column(b.next(columns))

"#
    };
    (gc_loop) => {
        r#"        # Many objects and no cycles: the cyclic garbage collector would only slow the loop.
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
"#
    };
    (build) => {
        r#"    def build(cls, fields):
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
"#
    };
    (loop) => {
        r#"        for values in b.zip(*parts):
            o = new(cls)
            o.__dict__ = b.dict(b.zip(names, values))
            rows.append(o)
        return rows

    return build(cls, fields)
"#
    };
}

/// Defines `_record(qualname, fields, rust, positional)`, which makes the class standing for one
/// Rust struct or enum variant: keyword (or positional) construction, attribute access, value
/// equality (numpy arrays compared by value and shape), hashing and a repr showing the type name.
///
/// Format 2: two records are equal when their classes have the same qualname, Rust path and
/// fields and their values are equal, so records of two loads of one archive compare equal.
/// Format 1's text is [`super::helpers_v1::RECORD_HELPER`].
pub const RECORD_HELPER: &str = concat!(
    record_parts!(head),
    record_parts!(methods),
    r#"    ns = {'__init__': __init__, '__eq__': __eq__, '__hash__': __hash__, '__repr__': __repr__,
          '_fields': fields, '_rust': rust, '__module__': __name__}
"#,
    record_parts!(class),
    r#"    return cls
"#,
);

/// `_record` of format 5: the class is also a standard dataclass (`dataclasses.fields`,
/// `asdict`, `replace`, `__match_args__`; its `__init__`, `__eq__`, `__hash__` and `__repr__`
/// stay those of format 2, so field names that are Python keywords still work), and the module
/// keeps it: [`MODULE_GETATTR`] finds it by its qualified name, so that `pickle` and
/// `copy.deepcopy` work, and [`MODULE_DIR`] keeps it out of `dir(module)`.
pub const RECORD_HELPER_V5: &str = concat!(
    record_parts!(head),
    r#"    import dataclasses
"#,
    record_parts!(methods),
    r#"    ns = {'__init__': __init__, '__eq__': __eq__, '__hash__': __hash__, '__repr__': __repr__,
          '_fields': fields, '_rust': rust, '__module__': __name__, '__match_args__': fields,
          '__annotations__': {f: b.object for f in fields}, '__doc__': f'The Rust type {rust}.'}
"#,
    record_parts!(class),
    r#"    # A standard dataclass (`fields`, `asdict`, `replace`) keeping the methods above.
    return dataclasses.dataclass(cls, init=False, repr=False, eq=False)
"#,
);

/// The module's `__getattr__` (PEP 562) of format 5: a record class by its qualified name
/// (`Point`, and for the variants `Shape.Circle`, ... of an enum a class `Shape` holding them,
/// the same one each time), which is where `pickle` looks for a class. The module's own names
/// (its items) are found before it is asked.
pub const MODULE_GETATTR: &str = r#"def __getattr__(name, enums={}):
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
"#;

/// The module's `__dir__` (PEP 562) of format 5: `dir(module)` lists the items (`__all__`),
/// not the record classes the module keeps.
pub const MODULE_DIR: &str = r#"def __dir__():
    return __all__
"#;

/// `_item(value)` of format 5, which a DataSet item module calls as it replaces itself by its
/// value in `sys.modules`: the module stays there as `NAME._records`, and its record classes
/// say that module, so that `pickle` still finds them. (A module run outside `sys.modules`, as
/// the original Python package runs items, is left as it is.)
pub const ITEM_HELPER: &str = r#"def _item(value):
    import builtins as b
    module = _sys.modules.get(__name__)
    if module is not None and b.vars(module) is b.globals():
        _sys.modules[__name__ + '._records'] = module
        for v in b.list(b.globals().values()):
            if b.isinstance(v, b.type) and '_rust' in v.__dict__:
                v.__module__ = __name__ + '._records'
    return value
"#;

/// Defines `_table(cls, fields, columns)`, which builds the list of records of a record table
/// (a long list of records stored column-wise) from its columns: `fields` names the fields of
/// `cls` in order, a nested record as `(name, class, fields)`; `columns` holds one column per
/// leaf field, in the same order: a list of the values (inline), or `(kind, arrays...)` with
/// arrays of the store: `(dtype, values)`, `('str', utf8_bytes, offsets)`, and with a leading
/// `?` in the kind a `bool` mask last (`False` for `None`). Each record is made with
/// `object.__new__` and its `__dict__`, as `_record`'s `__init__` would fill it.
///
/// Format 3 added it: an archive that defines it says format 3 in its header, and format 1 and
/// 2 archives may not define it (an archive without tables is still written as format 2).
pub const TABLE_HELPER: &str = r#"def _table(cls, fields, columns):
    import builtins as b
    columns = b.iter(columns)

    def column(c):
        if not b.isinstance(c, b.tuple):
            return c
        kind, arrays = c[0], c[1:]
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
        for values in b.zip(*parts):
            o = new(cls)
            o.__dict__ = b.dict(b.zip(names, values))
            rows.append(o)
        return rows

    return build(cls, fields)
"#;

/// `_table` of format 4: the same, with each stored column read whole into numpy first
/// (`a[...]`), so that columns a store loads lazily (a `zarr.Array`, a lazy `h5py.Dataset`)
/// work too. Written where columns may be lazy (the Zarr store, lazy HDF5), which makes the
/// archive format 4.
pub const TABLE_HELPER_V4: &str = concat!(
    table_parts!(columns),
    table_parts!(build),
    table_parts!(loop),
);

/// `_table` of format 5: format 4's, with the cyclic garbage collector paused while the rows
/// are made (they hold no cycles; it only slowed the loop), and with `None` for the class (and
/// `()` for the fields) the list of the one column's values: a long list of numbers or strings
/// stored as an array,
/// `xs = _table(None, (), (('float64', _load('xs.npy')),))`, still a `list` in Python.
pub const TABLE_HELPER_V5: &str = concat!(
    table_parts!(columns),
    table_parts!(one_column),
    table_parts!(build),
    table_parts!(gc_loop),
);

/// `_table` of format 6: format 5's, with two more layouts. A column of kind `'[float64]'`
/// (any numeric dtype or `bool` in brackets) is a column of lists: its values array holds the
/// lists one after the other and its offsets array says where each row's list starts (one more
/// than the rows, from 0), so that many short lists are slices of one array:
/// `('[float64]', _load('runs.trace.npy'), _load('runs.trace.offsets.npy'))`. And with `dict`
/// for the class (and `()` for the fields) the two columns are the keys and the values of a
/// long dict: `data = _table(dict, (), (keys, values))`.
pub const TABLE_HELPER_V6: &str = concat!(
    table_parts!(columns_head),
    r#"        elif kind.startswith('['):
            flat, ends = arrays[0].tolist(), arrays[1].tolist()
            values = [flat[s:e] for s, e in b.zip(ends, ends[1:])]
"#,
    table_parts!(columns_tail),
    table_parts!(one_column),
    r#"    if cls is b.dict:
        # Two columns: the keys and the values of a long dict.
        keys, values = column(b.next(columns)), column(b.next(columns))
        if b.len(keys) != b.len(values):
            raise b.ValueError('the keys and the values of a dict table differ in length')
        return b.dict(b.zip(keys, values))

"#,
    table_parts!(build),
    table_parts!(gc_loop),
);

/// The table helpers of format `format` (none before format 3). Format 7 changed only the
/// names of a module archive's array files, so its `_table` is format 6's or, where the values
/// need nothing of format 6, format 5's.
pub(crate) fn table_helper(format: u32) -> &'static [&'static str] {
    match format {
        ..=2 => &[],
        3 => &[TABLE_HELPER],
        4 => &[TABLE_HELPER_V4],
        5 => &[TABLE_HELPER_V5],
        6 => &[TABLE_HELPER_V6],
        _ => &[TABLE_HELPER_V6, TABLE_HELPER_V5],
    }
}

/// The record helper of format `format`: format 1 had another `_record`
/// ([`super::helpers_v1::RECORD_HELPER`]). Each array store names its own `_load` texts
/// (`store::Store::load_defs`); the verifier gathers both.
pub(crate) fn record_helper(format: u32) -> &'static str {
    match format {
        ..=1 => super::helpers_v1::RECORD_HELPER,
        2..=4 => RECORD_HELPER,
        _ => RECORD_HELPER_V5,
    }
}

/// The module-level helper definitions of format `format` other than `_record`, `_table` and
/// `_load`: `__getattr__`, `__dir__` and `_item` (format 5 on), by name.
pub(crate) fn module_helper(format: u32, name: &str) -> Option<&'static str> {
    if format < crate::format::FORMAT_WITH_DATACLASSES {
        return None;
    }
    match name {
        "__getattr__" => Some(MODULE_GETATTR),
        "__dir__" => Some(MODULE_DIR),
        "_item" => Some(ITEM_HELPER),
        _ => None,
    }
}

/// The Python expression for the file or folder `name` beside the module's own source file.
pub fn beside_source(name: &str) -> String {
    format!("_os.path.join(_os.path.dirname(_os.path.abspath(__file__)), '{name}')")
}
