//! Refused constructs: each malicious or unsupported construct of [`CASES`] is refused at its
//! line and column, from a string and from a file, and never runs; a control test runs the same
//! sources in Python to show that the payloads are live.

use std::path::Path;

use persist_core::ArchiveReader;
use persist_tests::run_python;

use super::{Command, Point, position, position_of, quoted};

/// One refused construct.
struct Case {
    /// What it is, for messages.
    what: &'static str,
    /// The archive source; `{M}` stands for the quoted marker path, `{P}` for the path alone.
    source: &'static str,
    /// Where the error must point: the first occurrence of this text in the source.
    at: &'static str,
    /// Words the message must contain.
    words: &'static str,
    /// Whether the source, run by Python, creates the marker (checked by the control test).
    live: bool,
}

/// The malicious and unsupported constructs of issue 4, each with where it is refused.
const CASES: &[Case] = &[
    Case {
        what: "__import__('os').system(...)",
        source: "x = __import__('os').system('touch {P}')\n",
        at: ".system",
        words: "an attribute of the result of a call is not allowed",
        live: true,
    },
    Case {
        what: "exec(...)",
        source: "x = exec(\"open({M}, 'w')\")\n",
        at: "exec",
        words: "a call of `exec` is not allowed",
        live: true,
    },
    Case {
        what: "eval(...)",
        source: "y = 1\nx = eval(\"open({M}, 'w')\")\n",
        at: "eval",
        words: "a call of `eval` is not allowed",
        live: true,
    },
    Case {
        what: "open(...)",
        source: "x = open({M}, 'w')\n",
        at: "open",
        words: "a call of `open` is not allowed",
        live: true,
    },
    Case {
        what: "a lambda",
        source: "x = (lambda: open({M}, 'w'))()\n",
        at: "lambda",
        words: "a lambda is not allowed",
        live: true,
    },
    Case {
        what: "a list comprehension",
        source: "x = [open({M}, 'w') for i in range(3)]\n",
        at: "for",
        words: "a comprehension is not allowed",
        live: true,
    },
    Case {
        what: "a dict comprehension",
        source: "x = {k: open({M}, 'w') for k in range(1)}\n",
        at: "for",
        words: "a comprehension is not allowed",
        live: true,
    },
    Case {
        what: "a subscript",
        source: "a = [1]\nx = [a, open({M}, 'w')][0]\n",
        at: "[0]",
        words: "a subscript `x[...]` is not allowed",
        live: true,
    },
    Case {
        what: "an f-string",
        source: "x = f\"{open({M}, 'w')}\"\n",
        at: "f\"",
        words: "an f-string is not allowed",
        live: true,
    },
    Case {
        what: "import subprocess",
        source: "import numpy as _np\nimport subprocess\nx = subprocess.run(['touch', {M}])\n",
        at: "import subprocess",
        words: "`import subprocess` is not an import this crate writes",
        live: true,
    },
    Case {
        what: "a call of a function of an allowed module",
        source: "import os as _os\nx = _os.system('touch {P}')\n",
        at: "_os.system",
        words: "a call of `_os.system` is not allowed",
        live: true,
    },
    Case {
        what: "getattr(...)",
        source: "import os as _os\nx = getattr(_os, 'system')('touch {P}')\n",
        at: "('touch",
        words: "a call of the result of a call",
        live: true,
    },
    Case {
        what: "getattr(...) alone",
        source: "import os as _os\nx = getattr(_os, 'system')\n",
        at: "getattr",
        words: "a call of `getattr` is not allowed",
        live: false,
    },
    Case {
        what: "a numpy function that is not one of the archive's helpers",
        source: "import numpy as _np\nx = _np.save({M}, [1])\n",
        at: "_np.save",
        words: "a call of `_np.save` is not allowed",
        live: true,
    },
    Case {
        what: "a class statement",
        source: "class A:\n    x = open({M}, 'w')\n",
        at: "class",
        words: "a class definition is not allowed",
        live: true,
    },
    Case {
        what: "an if statement",
        source: "y = 1\nif True:\n    x = open({M}, 'w')\n",
        at: "if",
        words: "an `if` statement is not allowed",
        live: true,
    },
    Case {
        what: "a for statement",
        source: "for i in range(1):\n    x = open({M}, 'w')\n",
        at: "for",
        words: "a `for` statement is not allowed",
        live: true,
    },
    Case {
        what: "a while statement",
        source: "while True:\n    x = open({M}, 'w')\n    break\n",
        at: "while",
        words: "a `while` statement is not allowed",
        live: true,
    },
    Case {
        what: "a with statement",
        source: "with open({M}, 'w') as f:\n    pass\n",
        at: "with",
        words: "a `with` statement is not allowed",
        live: true,
    },
    Case {
        what: "a try statement",
        source: "try:\n    x = open({M}, 'w')\nexcept Exception:\n    pass\n",
        at: "try",
        words: "a `try` statement is not allowed",
        live: true,
    },
    Case {
        what: "a chained assignment",
        source: "x = y = open({M}, 'w')\n",
        at: "= open",
        words: "a chained assignment `a = b = ...` is not allowed",
        live: true,
    },
    Case {
        what: "an expression statement",
        source: "x = 1\nopen({M}, 'w')\n",
        at: "open",
        words: "an expression statement (`open...`) is not allowed",
        live: true,
    },
    Case {
        what: "two statements on one line",
        source: "x = 1; open({M}, 'w')\n",
        at: ";",
        words: "`;` (several statements on one line) is not allowed",
        live: true,
    },
    Case {
        what: "a call of a helper function the archive defines",
        source: "def _f():\n    return open({M}, 'w')\n\n\nx = _f()\n",
        at: "def _f",
        words: "`def _f` is not a helper this crate writes",
        live: true,
    },
    Case {
        what: "a method call on a value",
        source: "import numpy as _np\nx = _np.array([1], dtype='int64').tofile({M})\n",
        at: ".tofile",
        words: "an attribute of the result of a call is not allowed",
        live: true,
    },
    Case {
        what: "a name used before it is defined",
        source: "x = y\ny = 1\n",
        at: "y\n",
        words: "`y` is not defined in the archive",
        live: false,
    },
    Case {
        what: "an unknown record class",
        source: "x = Point(a=1.0)\n",
        at: "Point",
        words: "a call of `Point` is not allowed",
        live: false,
    },
    Case {
        what: "a record class the module never defines, with a helper's name",
        source: "x = _Point(a=1.0)\n",
        at: "_Point",
        words: "a call of `_Point` is not allowed",
        live: false,
    },
];

impl Case {
    fn source_with(&self, marker: &Path) -> String {
        self.source
            .replace("{M}", &quoted(marker))
            .replace("{P}", &marker.display().to_string())
    }
}

/// The reads of `x`, as a few types, that succeed (none should, for a refused construct).
fn successful_reads(reader: &ArchiveReader) -> Vec<String> {
    let mut successes = Vec::new();
    if let Ok(v) = reader.read::<f64>("x") {
        successes.push(format!("f64 {v:?}"));
    }
    if let Ok(v) = reader.read::<String>("x") {
        successes.push(format!("String {v:?}"));
    }
    if let Ok(v) = reader.read::<Command>("x") {
        successes.push(format!("Command {v:?}"));
    }
    if let Ok(v) = reader.read::<Point>("x") {
        successes.push(format!("Point {v:?}"));
    }
    successes
}

/// Each construct is refused at its position, from a string and from a file (whose error names
/// the file), and its payload never runs.
#[test]
fn code_is_refused_at_its_position_and_never_run() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut failures = Vec::new();
    for (i, case) in CASES.iter().enumerate() {
        let marker = dir.path().join(format!("marker_{i}"));
        let source = case.source_with(&marker);
        let expected = position_of(&source, case.at);
        let file = dir.path().join(format!("case_{i}.py"));
        std::fs::write(&file, &source).expect("write case");
        for (origin, result) in [
            ("from_source", ArchiveReader::from_source(&source)),
            ("open", ArchiveReader::open(&file)),
        ] {
            let err = match result {
                Ok(reader) => {
                    failures.push(format!(
                        "{}: {origin} accepted it (reads that succeed: {:?})\n{source}",
                        case.what,
                        successful_reads(&reader)
                    ));
                    continue;
                }
                Err(err) => err,
            };
            let message = err.to_string();
            if position(&err) != expected || !message.contains(case.words) {
                failures.push(format!(
                    "{}: {origin}: expected {}:{} and {:?}, got: {message}\n{source}",
                    case.what, expected.0, expected.1, case.words
                ));
            }
            if origin == "open" {
                let prefix = format!("{}:{}:{}: ", file.display(), expected.0, expected.1);
                if !message.starts_with(&prefix) {
                    failures.push(format!(
                        "{}: the error does not start with `{prefix}`: {message}",
                        case.what
                    ));
                }
            }
        }
        assert!(
            !marker.exists(),
            "{}: the payload ran: {} exists",
            case.what,
            marker.display()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The control: Python, which executes an archive, does run each live payload (so the Rust test
/// above proves something).
#[test]
fn the_payloads_are_live_in_python() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut imports = String::from("import importlib\n");
    for (i, case) in CASES.iter().enumerate() {
        let marker = dir.path().join(format!("marker_{i}"));
        std::fs::write(
            dir.path().join(format!("case_{i}.py")),
            case.source_with(&marker),
        )
        .expect("write case");
        imports.push_str(&format!(
            "try:\n    importlib.import_module('case_{i}')\nexcept Exception:\n    pass\n"
        ));
    }
    run_python(dir.path(), &imports);
    for (i, case) in CASES.iter().enumerate() {
        let marker = dir.path().join(format!("marker_{i}"));
        // `_np.save` appends `.npy` to the name it is given.
        let made = marker.exists() || marker.with_extension("npy").exists();
        assert_eq!(made, case.live, "{}: marker made by Python", case.what);
    }
}
