# `persist_rs.migrate`: archives and DataSets of the original Python `persist` package moved to
# this crate's format. Their files define functions, so they must be executed to be read:
# migrate runs them (as the original package loads them) in this Python, then writes their
# values with `save` and `DataSet`. Run it only on archives you trust. (Part of the module
# `persist_rs`, run into its namespace when it is imported: `save` and `DataSet` are its own.)


def _standalone(path, name):
    """Run the file `path` as the original package loads an archive file: as a standalone
    module under a made-up name; its value is what it leaves in `sys.modules` (an item module
    replaces itself by its value), else the module."""
    import importlib.util
    import os
    import sys

    made_up = "_persist_rs_migrate_{}_{}".format(name, os.getpid())
    locations = [os.path.dirname(path)] if os.path.basename(path) == "__init__.py" else None
    spec = importlib.util.spec_from_file_location(made_up, path, submodule_search_locations=locations)
    module = importlib.util.module_from_spec(spec)
    sys.modules[made_up] = module
    try:
        spec.loader.exec_module(module)
        return sys.modules.get(made_up, module)
    finally:
        sys.modules.pop(made_up, None)


def _items(module):
    """The items of an executed archive module: `__all__`, else its public names that are not
    modules, functions or classes."""
    import types

    names = getattr(module, "__all__", None)
    if names is None:
        names = [
            n
            for n, v in vars(module).items()
            if not n.startswith("_")
            and not isinstance(v, (types.ModuleType, types.FunctionType, type))
        ]
    return {n: getattr(module, n) for n in names}


def migrate(old, new, *, overwrite=False, store="npy", threshold=None):
    """Convert the archive or DataSet `old`, written by the original Python `persist`
    package, to this crate's format at `new`; returns the names of the items moved.

    `old` is executed (the original format can only be read so): migrate only what you trust.
    A module archive (`NAME.py`) becomes a module archive, a package archive a package, a
    DataSet a DataSet whose items keep their metadata (`_info_dict`). Values are written as
    `save` writes them; one it cannot write is an error naming it, and nothing is written.
    `store` and `threshold` as for `save`; `overwrite` replaces an archive at `new` (a DataSet
    at `new` must not exist, or must not hold the items)."""
    import os

    old, new = os.fspath(old), os.fspath(new)
    if os.path.isdir(old) and os.path.exists(os.path.join(old, "_this_dir_is_a_DataSet")):
        init = os.path.join(old, "__init__.py")
        info = getattr(_standalone(init, "info"), "_info_dict", {}) if os.path.exists(init) else {}
        names = sorted(
            entry[:-3]
            for entry in os.listdir(old)
            if entry.endswith(".py") and entry != "__init__.py" and entry[:-3].isidentifier()
        )
        # Read everything before writing anything.
        values = {name: _standalone(os.path.join(old, name + ".py"), name) for name in names}
        dataset = DataSet(new, store=store, threshold=threshold)
        for name in names:
            meta = info.get(name)
            dataset.insert(name, values[name], {} if meta is None else meta)
        return names
    package = os.path.isdir(old)
    source = os.path.join(old, "__init__.py") if package else old
    if not package and not source.endswith(".py"):
        source += ".py"
    if not os.path.isfile(source):
        raise FileNotFoundError(2, "no archive of the original persist package", old)
    items = _items(_standalone(source, "archive"))
    if not package and new.endswith(".py"):
        new = new[:-3]
    save(new, items, package=package, overwrite=overwrite, store=store, threshold=threshold)
    return list(items)
