# persist DataSet, format 2, written by persist-core.
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
