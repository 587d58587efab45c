//! The `persist-check` command line: its arguments, its one line per path and its exit codes.
//! The Rust binary (`src/bin/persist-check.rs`) and the Python package's console command
//! (`persist-python`) both run this, so they check, print and exit alike.

use std::io::Write;

use super::verify;
use crate::read::ReadOptions;

/// What `persist-check --help` prints.
pub const USAGE: &str = "usage: persist-check [--trust MODULE]... PATH...
Checks that importing each archive or DataSet in Python runs nothing but the archive's own
helpers as persist-core writes them, and reads no file outside it. PATH is a module archive
(`run.py` or `run`), a package archive or DataSet folder (`run`, or its `run/__init__.py`).
  --trust MODULE   accept records built with classes of MODULE (it runs when Python imports)";

/// Run `persist-check` with `args` (without the program name), printing the result of each
/// path to `out` and usage errors to `err`: 0 when every path is accepted, 1 when one is
/// refused, 2 on a usage error. A failed write to `out` or `err` is ignored, as `println!`
/// would not be.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let mut archive = persist_core::Archive::new();
/// archive.insert("x", &1u8)?;
/// archive.save(dir.path().join("run"), persist_core::SaveOptions::package())?;
/// let (mut out, mut err) = (Vec::new(), Vec::new());
/// let path = dir.path().join("run").display().to_string();
/// let code = persist_core::__private::persist_check(vec![path.clone()], &mut out, &mut err);
/// assert_eq!(code, 0);
/// assert_eq!(String::from_utf8(out)?, format!("ok: {path} (1 file checked)\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn run(args: impl IntoIterator<Item = String>, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let mut options = ReadOptions::new();
    let mut paths = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--trust" => match args.next() {
                Some(module) => options = options.trust_module(module),
                None => {
                    let _ = writeln!(err, "persist-check: --trust needs a module name\n{USAGE}");
                    return 2;
                }
            },
            "-h" | "--help" => {
                let _ = writeln!(out, "{USAGE}");
                return 0;
            }
            _ => paths.push(arg),
        }
    }
    if paths.is_empty() {
        let _ = writeln!(err, "{USAGE}");
        return 2;
    }
    let mut refused = false;
    for path in &paths {
        match verify(path, &options) {
            Ok(report) => {
                let n = report.files.len();
                let files = if n == 1 { "file" } else { "files" };
                let _ = writeln!(out, "ok: {path} ({n} {files} checked)");
                for beside in &report.trusted_beside {
                    let _ = writeln!(
                        out,
                        "note: {} is what Python imports for a module you trust; it runs with the archive: read it",
                        beside.display()
                    );
                }
            }
            Err(e) => {
                refused = true;
                let _ = writeln!(out, "refused: {e}");
            }
        }
    }
    u8::from(refused)
}
