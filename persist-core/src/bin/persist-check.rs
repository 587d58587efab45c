//! `persist-check PATH...`: check archives and DataSets from someone else before importing them
//! in Python (see `persist_core::verify`). Prints one line per path; exits with 1 if any is
//! refused, 2 on a usage error.
//!
//! ```text
//! persist-check [--trust MODULE]... PATH...
//! ```

use std::process::ExitCode;

use persist_core::{ReadOptions, verify};

const USAGE: &str = "usage: persist-check [--trust MODULE]... PATH...
Checks that importing each archive or DataSet in Python runs nothing but the archive's own
helpers as persist-core writes them, and reads no file outside it. PATH is a module archive
(`run.py` or `run`), a package archive or DataSet folder (`run`, or its `run/__init__.py`).
  --trust MODULE   accept records built with classes of MODULE (it runs when Python imports)";

fn main() -> ExitCode {
    let mut options = ReadOptions::new();
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--trust" => match args.next() {
                Some(module) => options = options.trust_module(module),
                None => {
                    eprintln!("persist-check: --trust needs a module name\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ => paths.push(arg),
        }
    }
    if paths.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let mut refused = false;
    for path in &paths {
        match verify(path, &options) {
            Ok(report) => {
                let n = report.files.len();
                let files = if n == 1 { "file" } else { "files" };
                println!("ok: {path} ({n} {files} checked)");
                for beside in &report.trusted_beside {
                    println!(
                        "note: {} is what Python imports for a module you trust; it runs with the archive: read it",
                        beside.display()
                    );
                }
            }
            Err(err) => {
                refused = true;
                println!("refused: {err}");
            }
        }
    }
    if refused {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
