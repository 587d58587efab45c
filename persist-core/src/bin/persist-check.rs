//! `persist-check PATH...`: check archives and DataSets from someone else before importing them
//! in Python (see `persist_core::verify`). Prints one line per path; exits with 1 if any is
//! refused, 2 on a usage error. The Python package's `persist-check` runs the same code.
//!
//! ```text
//! persist-check [--trust MODULE]... PATH...
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    let code = persist_core::__private::persist_check(
        std::env::args().skip(1),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    ExitCode::from(code)
}
