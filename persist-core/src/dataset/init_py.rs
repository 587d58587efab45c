//! The texts of a DataSet's `__init__.py`: the one this crate writes (format 8, which reads the
//! metadata index of [`super::index`] and its data caches), format 7's and format 3's (the
//! first to read the index) and format 2's,
//! kept verbatim so that older DataSets still verify and read. Format 1's is
//! `format::helpers_v1::DATASET_INIT_PY`.

/// The `__init__.py` of every DataSet this crate creates: builds `_info_dict` from the
/// metadata index `_index/` (a few modules holding the metadata of many items), then reads
/// from `_info/` the items the index has not caught up with (an `_index/NAME.pending` file
/// each). Without an index it gathers every `_info/*.py`, as format 2 does. It needs only the
/// standard library; it compiles the per-item files from their source (never cached).
///
/// Format 8 loads each segment from its data cache (`FIRST_LAST.marshal`, the dict the
/// segment builds in `marshal`'s encoding of plain data, which the verifier checks byte for
/// byte against the segment: `python/marshal.rs`) with one `marshal.loads`, and runs the
/// segment only where there is no cache (a value that is not plain data), as format 7 does:
/// through `importlib.machinery.SourceFileLoader`, which reads and writes the bytecode cache
/// of the segment files, whose names are never reused for other content.
pub(crate) const INIT_PY: &str = r#"# persist DataSet, format 8, written by persist-core.
# Each item is a module beside this file: `import NAME.ITEM` loads that item alone.
# Each item's metadata is a small file in _info/, gathered here into _info_dict
# (a dict keyed by item name) without loading any item. _index/ holds the same metadata in
# a few modules (FIRST_LAST.py, never rewritten), each loaded from its data cache
# FIRST_LAST.marshal (plain values in marshal's encoding, no code) or else run from its
# cached bytecode; a file _index/NAME.pending says that _info/NAME.py is newer than the index.


def _gather_info():
    import os
    from marshal import loads
    here = os.path.dirname(os.path.abspath(__file__))
    info_dir = os.path.join(here, '_info')
    index_dir = os.path.join(here, '_index')

    def from_file(file):
        path = os.path.join(info_dir, file)
        with open(path, encoding='utf-8') as f:
            code = compile(f.read(), path, 'exec')
        namespace = {'__file__': path, '__name__': '_persist_info'}
        exec(code, namespace)
        return namespace['info']

    def from_index():
        files = os.listdir(index_dir)
        segments = []
        for file in files:
            first, _, last = file[:-3].partition('_')
            if file.endswith('.py') and first.isdigit() and last.isdigit():
                segments.append((int(first), -int(last), file))
        segments.sort()
        info = {}
        following = 1
        for first, last, file in segments:
            if -last < following:
                continue  # merged into a segment read already
            if first != following:
                return None  # a segment being merged away: list again
            following = 1 - last
            path = os.path.join(index_dir, file)
            try:
                with open(path[:-3] + '.marshal', 'rb') as f:
                    values = loads(f.read())
            except FileNotFoundError:
                from importlib.machinery import SourceFileLoader
                values = {}
                code = SourceFileLoader('_persist_index', path).get_code('_persist_index')
                exec(code, values)
                del values['__builtins__']
            info.update(values)
        if following == 1:
            return None  # no segment at all
        for file in files:
            name = file[:-8]
            if file.endswith('.pending') and name.isidentifier():
                try:
                    info[name] = from_file(name + '.py')
                except FileNotFoundError:
                    info.pop(name, None)  # removed
        return info

    for _ in range(10):
        try:
            info = from_index()
        except FileNotFoundError:
            info = None
        if info is not None:
            return info
    # No index, or one rewritten all along: every metadata file.
    try:
        files = sorted(os.listdir(info_dir))
    except FileNotFoundError:
        files = []
    info = {}
    for file in files:
        if not file.endswith('.py') or file.startswith('.'):
            continue
        try:
            info[file[:-3]] = from_file(file)
        except FileNotFoundError:
            continue  # removed while we were listing
    return info


_info_dict = _gather_info()
del _gather_info
"#;

/// The `__init__.py` of format 7 DataSets, kept verbatim so that they still verify and read
/// (and keep their index up to date, without data caches): it runs each segment's code
/// (through `importlib.machinery.SourceFileLoader`) into a plain dict, which it adds to
/// `_info_dict` whole; format 3 made a module of each (through `importlib.util`, whose import
/// alone took a third of the time of a 10 000-item `_info_dict`) and copied its names one by
/// one. A segment holds only `NAME = VALUE` lines (`index.rs`), so the dict holds only items.
pub(crate) const INIT_PY_V7: &str = r#"# persist DataSet, format 7, written by persist-core.
# Each item is a module beside this file: `import NAME.ITEM` loads that item alone.
# Each item's metadata is a small file in _info/, gathered here into _info_dict
# (a dict keyed by item name) without loading any item. _index/ holds the same metadata in
# a few modules (FIRST_LAST.py, never rewritten), run from their cached bytecode; a file
# _index/NAME.pending says that _info/NAME.py is newer than the index.


def _gather_info():
    import os
    from importlib.machinery import SourceFileLoader
    here = os.path.dirname(os.path.abspath(__file__))
    info_dir = os.path.join(here, '_info')
    index_dir = os.path.join(here, '_index')

    def from_file(file):
        path = os.path.join(info_dir, file)
        with open(path, encoding='utf-8') as f:
            code = compile(f.read(), path, 'exec')
        namespace = {'__file__': path, '__name__': '_persist_info'}
        exec(code, namespace)
        return namespace['info']

    def from_index():
        files = os.listdir(index_dir)
        segments = []
        for file in files:
            first, _, last = file[:-3].partition('_')
            if file.endswith('.py') and first.isdigit() and last.isdigit():
                segments.append((int(first), -int(last), file))
        segments.sort()
        info = {}
        following = 1
        for first, last, file in segments:
            if -last < following:
                continue  # merged into a segment read already
            if first != following:
                return None  # a segment being merged away: list again
            following = 1 - last
            path = os.path.join(index_dir, file)
            values = {}
            exec(SourceFileLoader('_persist_index', path).get_code('_persist_index'), values)
            del values['__builtins__']
            info.update(values)
        if following == 1:
            return None  # no segment at all
        for file in files:
            name = file[:-8]
            if file.endswith('.pending') and name.isidentifier():
                try:
                    info[name] = from_file(name + '.py')
                except FileNotFoundError:
                    info.pop(name, None)  # removed
        return info

    for _ in range(10):
        try:
            info = from_index()
        except FileNotFoundError:
            info = None
        if info is not None:
            return info
    # No index, or one rewritten all along: every metadata file.
    try:
        files = sorted(os.listdir(info_dir))
    except FileNotFoundError:
        files = []
    info = {}
    for file in files:
        if not file.endswith('.py') or file.startswith('.'):
            continue
        try:
            info[file[:-3]] = from_file(file)
        except FileNotFoundError:
            continue  # removed while we were listing
    return info


_info_dict = _gather_info()
del _gather_info
"#;

/// The `__init__.py` of format 3 DataSets, the first to read the metadata index, kept
/// verbatim so that they still verify and read (and keep their index up to date).
pub(crate) const INIT_PY_V3: &str = r#"# persist DataSet, format 3, written by persist-core.
# Each item is a module beside this file: `import NAME.ITEM` loads that item alone.
# Each item's metadata is a small file in _info/, gathered here into _info_dict
# (a dict keyed by item name) without loading any item. _index/ holds the same metadata in
# a few modules (FIRST_LAST.py, never rewritten), imported with their cached bytecode; a file
# _index/NAME.pending says that _info/NAME.py is newer than the index.


def _gather_info():
    import os
    from importlib.util import module_from_spec, spec_from_file_location
    here = os.path.dirname(os.path.abspath(__file__))
    info_dir = os.path.join(here, '_info')
    index_dir = os.path.join(here, '_index')

    def from_file(file):
        path = os.path.join(info_dir, file)
        with open(path, encoding='utf-8') as f:
            code = compile(f.read(), path, 'exec')
        namespace = {'__file__': path, '__name__': '_persist_info'}
        exec(code, namespace)
        return namespace['info']

    def from_index():
        files = os.listdir(index_dir)
        segments = []
        for file in files:
            first, _, last = file[:-3].partition('_')
            if file.endswith('.py') and first.isdigit() and last.isdigit():
                segments.append((int(first), -int(last), file))
        segments.sort()
        info = {}
        following = 1
        for first, last, file in segments:
            if -last < following:
                continue  # merged into a segment read already
            if first != following:
                return None  # a segment being merged away: list again
            following = 1 - last
            path = os.path.join(index_dir, file)
            spec = spec_from_file_location('_persist_index', path)
            module = module_from_spec(spec)
            spec.loader.exec_module(module)
            for name, value in vars(module).items():
                if not name.startswith('_'):
                    info[name] = value
        if following == 1:
            return None  # no segment at all
        for file in files:
            name = file[:-8]
            if file.endswith('.pending') and name.isidentifier():
                try:
                    info[name] = from_file(name + '.py')
                except FileNotFoundError:
                    info.pop(name, None)  # removed
        return info

    for _ in range(10):
        try:
            info = from_index()
        except FileNotFoundError:
            info = None
        if info is not None:
            return info
    # No index, or one rewritten all along: every metadata file.
    try:
        files = sorted(os.listdir(info_dir))
    except FileNotFoundError:
        files = []
    info = {}
    for file in files:
        if not file.endswith('.py') or file.startswith('.'):
            continue
        try:
            info[file[:-3]] = from_file(file)
        except FileNotFoundError:
            continue  # removed while we were listing
    return info


_info_dict = _gather_info()
del _gather_info
"#;

/// The `__init__.py` of format 2 DataSets, kept verbatim so that they still verify: gathers
/// the per-item metadata files into `_info_dict`.
/// It needs only the standard library and executes nothing but the metadata files themselves,
/// compiled from their source (so no bytecode of them is ever cached). Format 1's text, the same
/// but for its first line, is [`crate::format::helpers_v1::DATASET_INIT_PY`].
pub(crate) const INIT_PY_V2: &str = r#"# persist DataSet, format 2, written by persist-core.
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
