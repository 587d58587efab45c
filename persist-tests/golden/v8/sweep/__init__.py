# persist DataSet, format 8, written by persist-core.
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
