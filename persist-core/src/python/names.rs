//! The names an archive module uses for itself, in one place: its helpers (each with what the
//! module binds it to), the prefixes of its temporaries and the builtins its values call. The
//! writer keeps record classes and temporaries off them, [`Archive::insert`] refuses items that
//! would shadow them, and the verifier accepts them only where the writer puts them.
//!
//! (Whether a name is a Python identifier or keyword is [`super::name`]'s question.)
//!
//! [`Archive::insert`]: crate::Archive::insert

/// `import numpy as _np`: every inline array and `_load` use it.
pub const NUMPY: &str = "_np";
/// `import os as _os`: the path expressions of `_arrays` and `_data`, and the npy `_load`.
pub const OS: &str = "_os";
/// `import sys as _sys`: a DataSet item module replaces itself in `_sys.modules`.
pub const SYS: &str = "_sys";
/// `import h5py as _h5py`: the HDF5 store's `_load`.
pub const H5PY: &str = "_h5py";
/// `import zarr as _zarr`: the Zarr store's `_load`.
pub const ZARR: &str = "_zarr";
/// `import datetime as _dt`: `_dt.timedelta(...)` and `_dt.datetime(...)` values (format 5 on).
pub const DATETIME: &str = "_dt";
/// The path of the npy store's array folder, beside the module's own source.
pub const ARRAYS: &str = "_arrays";
/// The path of the HDF5 store's file (or, for lazy loading, the open file).
pub const DATA: &str = "_data";
/// `def _load(name)`: reads one external array (each store's own text, `StoreLayout::load_defs` in `store/traits.rs`).
pub const LOAD: &str = "_load";
/// `def _record(...)`: makes the class of one Rust struct or variant
/// ([`RECORD_HELPER`](crate::format::helpers::RECORD_HELPER)).
pub const RECORD: &str = "_record";
/// `def _table(...)`: builds the records of a record table from its columns
/// ([`TABLE_HELPER`](crate::format::helpers::TABLE_HELPER)).
pub const TABLE: &str = "_table";
/// `def _item(value)`: a DataSet item module of format 5 hands its value to `sys.modules`
/// through it ([`ITEM_HELPER`](crate::format::helpers::ITEM_HELPER)).
pub const ITEM: &str = "_item";
/// `__all__ = [...]`: the items of a format-5 module, which its `__dir__` lists.
pub const ALL: &str = "__all__";

/// One name an archive module binds for itself: it starts with `_`, is bound once, by the
/// writer's own statements only, and is deleted at the end of the module (but for the record
/// classes of format 5, which the module keeps for pickle).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Helper {
    /// The name.
    pub name: &'static str,
    /// What the module binds it to.
    pub what: &'static str,
}

/// Every helper name, with what it is.
pub const HELPERS: [Helper; 12] = [
    Helper {
        name: NUMPY,
        what: "the numpy module",
    },
    Helper {
        name: OS,
        what: "the os module",
    },
    Helper {
        name: H5PY,
        what: "the h5py module",
    },
    Helper {
        name: ZARR,
        what: "the zarr module",
    },
    Helper {
        name: SYS,
        what: "the sys module",
    },
    Helper {
        name: DATETIME,
        what: "the datetime module",
    },
    Helper {
        name: ARRAYS,
        what: "the path of the npy array folder",
    },
    Helper {
        name: DATA,
        what: "the path (or the open file) of the HDF5 array file",
    },
    Helper {
        name: LOAD,
        what: "the function that reads an external array",
    },
    Helper {
        name: RECORD,
        what: "the function that makes a record class",
    },
    Helper {
        name: TABLE,
        what: "the function that builds the records of a record table",
    },
    Helper {
        name: ITEM,
        what: "the function that hands a DataSet item's value to `sys.modules`",
    },
];

/// The modules an archive imports, as (module, alias): each only under its helper name.
pub const IMPORTS: [(&str, &str); 6] = [
    ("numpy", NUMPY),
    ("os", OS),
    ("h5py", H5PY),
    ("zarr", ZARR),
    ("sys", SYS),
    ("datetime", DATETIME),
];

/// Names the writer keeps free although no helper of any format binds them: `_b` has been
/// reserved since the first format, and record classes and temporaries stay off it so that a
/// value is written byte for byte as before.
pub const RETIRED: [&str; 1] = ["_b"];

/// Temporaries holding a deep sub-expression are named `_t0`, `_t1`, ...
pub const TEMP_PREFIX: &str = "_t";
/// Temporaries holding a value shared through `Rc`/`Arc` are named `_s0`, `_s1`, ...
pub const SHARED_PREFIX: &str = "_s";

/// The builtins value expressions call unqualified: `float('nan')`, `complex(re, im)`, `set()`.
/// An item of one of these names would shadow it for the items after it.
pub const BUILTINS: [&str; 3] = ["float", "complex", "set"];

/// Whether `name` is one of the [`HELPERS`].
pub fn is_helper(name: &str) -> bool {
    HELPERS.iter().any(|helper| helper.name == name)
}

/// Whether `name` is one of the [`BUILTINS`] values call.
pub fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name)
}

/// The names the writer never gives to a record class or a temporary: the helpers and the
/// [`RETIRED`] names.
pub fn reserved() -> impl Iterator<Item = &'static str> {
    HELPERS
        .iter()
        .map(|helper| helper.name)
        .chain(RETIRED.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_helper_text_defines_a_helper_name() {
        for format in crate::format::OLDEST_FORMAT..=crate::format::FORMAT_VERSION {
            let record = crate::format::helpers::record_helper(format);
            assert!(record.starts_with(&format!("def {RECORD}(")), "{record}");
            for table in crate::format::helpers::table_helper(format) {
                assert!(table.starts_with(&format!("def {TABLE}(")), "{table}");
            }
        }
        for (module, alias) in IMPORTS {
            assert!(is_helper(alias), "{module} as {alias}");
        }
    }

    #[test]
    fn helpers_are_private_names_and_builtins_are_not() {
        for name in reserved() {
            assert!(name.starts_with('_') && !is_builtin(name), "{name}");
        }
        assert_eq!(reserved().count(), HELPERS.len() + RETIRED.len());
        assert!(BUILTINS.iter().all(|b| !b.starts_with('_')));
    }
}
