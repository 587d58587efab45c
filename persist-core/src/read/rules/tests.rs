//! The checks of data expressions (the watch, then the walk where the watch is not sure): every
//! refusal of a name or a call, wherever it stands in a value, with its one message, through
//! both statements that hold data (an assignment and a DataSet item's `sys.modules` replacement).

use crate::ArchiveReader;

/// The message `ArchiveReader::from_source` refuses `source` with.
#[track_caller]
fn refused(source: &str) -> String {
    match ArchiveReader::from_source(source) {
        Ok(_) => panic!("accepted:\n{source}"),
        Err(err) => err.to_string(),
    }
}

const NOT_ALLOWED: &str =
    "is not allowed in an archive; expected a literal or one of the archive's own helpers";

#[test]
fn unknown_callables_are_refused_at_the_call() {
    assert_eq!(
        refused("x = exec('...')\n"),
        format!("<memory>:1:5: a call of `exec` {NOT_ALLOWED}")
    );
    assert_eq!(
        refused("y = [1, (__import__('os'),)]\n"),
        format!("<memory>:1:10: a call of `__import__` {NOT_ALLOWED}")
    );
    // Inside the arguments of an allowed call, a dict key, a sign and a keyword argument.
    let numpy = "import numpy as _np\n";
    assert_eq!(
        refused(&format!(
            "{numpy}x = _np.array([float('nan'), getattr(1, 'x')], dtype='float64')\n"
        )),
        format!("<memory>:2:30: a call of `getattr` {NOT_ALLOWED}")
    );
    assert_eq!(
        refused("x = {1: -open('f')}\n"),
        format!("<memory>:1:10: a call of `open` {NOT_ALLOWED}")
    );
    assert_eq!(
        refused("x = {compile('1', 'f', 'eval'): 1}\n"),
        format!("<memory>:1:6: a call of `compile` {NOT_ALLOWED}")
    );
    assert_eq!(
        refused(&format!("{numpy}x = _np.zeros((2,), dtype=vars())\n")),
        "<memory>:2:5: `_np.zeros(..., dtype=...)` is not how this crate writes arrays; expected `dtype=` with one of bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32, float64, complex64, complex128"
    );
    // A function of an imported module other than numpy's few.
    assert_eq!(
        refused(&format!("{numpy}x = _np.load('f.npy')\n")),
        format!("<memory>:2:5: a call of `_np.load` {NOT_ALLOWED}")
    );
}

#[test]
fn names_must_be_data_bound_before() {
    assert_eq!(
        refused("x = [1, y]\n"),
        "<memory>:1:9: `y` is not defined in the archive"
    );
    assert_eq!(
        refused("import numpy as _np\nx = _np.pi\n"),
        "<memory>:2:5: `_np.pi` is not defined in the archive"
    );
    // A helper is not data.
    assert_eq!(
        refused("import numpy as _np\nx = (1, _np)\n"),
        "<memory>:2:9: `_np` is not defined in the archive"
    );
}

#[test]
fn a_dataset_items_value_is_walked_the_same_way() {
    assert_eq!(
        refused("import sys as _sys\n_sys.modules[__name__] = [exec('x')]\n"),
        format!("<memory>:2:27: a call of `exec` {NOT_ALLOWED}")
    );
    assert_eq!(
        refused("import sys as _sys\n_sys.modules[__name__] = y\n"),
        "<memory>:2:26: `y` is not defined in the archive"
    );
}

#[test]
fn the_builtins_and_helpers_values_call_are_accepted() {
    let source = "import numpy as _np\n\
                  x = [float('nan'), complex(1, -2), set(), _np.array([1, 2], dtype='int8')]\n\
                  y = {'k': (-x, 1 + 2j)}\n";
    let reader = ArchiveReader::from_source(source).unwrap();
    assert_eq!(reader.items().collect::<Vec<_>>(), ["x", "y"]);
}

#[test]
fn what_the_watch_is_not_sure_of_the_walk_decides() {
    // A time zone in parentheses is shown to the watch twice, once out of its place (refused),
    // so the walk decides: accepted, as without the parentheses.
    let time = "import datetime as _dt\n";
    for zone in ["_dt.timezone.utc", "(_dt.timezone.utc)"] {
        let source = format!("{time}t = [_dt.datetime(2020, 1, 2, tzinfo={zone})]\n");
        let reader = ArchiveReader::from_source(&source).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(reader.items().collect::<Vec<_>>(), ["t"]);
    }
    // Where both refuse, the walk's message names the first refusal in the text.
    assert_eq!(
        refused("x = [y, exec('1'), (z)]\n"),
        "<memory>:1:6: `y` is not defined in the archive"
    );
    assert_eq!(
        refused(&format!("{time}x = (_dt.timezone.utc)\n")),
        "<memory>:2:6: `_dt.timezone.utc` is not defined in the archive"
    );
}

#[test]
fn the_first_problem_in_the_text_is_reported() {
    // Each statement is checked as soon as it is parsed: a refused call is reported before a
    // syntax error further down, and a syntax error before a refusal further down.
    assert_eq!(
        refused("x = exec('1')\ny = [1,\n"),
        format!("<memory>:1:5: a call of `exec` {NOT_ALLOWED}")
    );
    assert!(
        refused("y = [1 2]\nx = exec('1')\n").starts_with("line 1, column 8: "),
        "{}",
        refused("y = [1 2]\nx = exec('1')\n")
    );
}
