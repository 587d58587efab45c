//! Writes the golden archives of the current format version (run it through `scripts/golden`).
//!
//! ```text
//! golden           write persist-tests/golden/v<FORMAT_VERSION>/; refuses when it exists
//!                  (a format change adds a new folder and never edits an old one)
//! golden --check   write them into a temporary folder and compare with the committed folder;
//!                  exit 1 listing every file that differs
//! ```

use persist_core::FORMAT_VERSION;
use persist_tests::golden;

fn main() {
    let check = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--check") => true,
        Some(other) => fail(&format!(
            "unknown argument `{other}`; usage: golden [--check]"
        )),
    };
    let root = golden::root();
    let target = root.join(format!("v{FORMAT_VERSION}"));
    if !check && target.exists() {
        fail(&format!(
            "{} exists: the golden archives of format {FORMAT_VERSION} are written once and never \
             edited. If the writer's output changed in a way older readers cannot read, raise \
             FORMAT_VERSION (persist-core/src/archive.rs) and run this again to add a new folder; \
             `scripts/golden --check` compares the folder with what this code writes",
            target.display()
        ));
    }
    if let Err(e) = std::fs::create_dir_all(&root) {
        fail(&format!("create {}: {e}", root.display()));
    }
    let scratch = tempfile::Builder::new()
        .prefix(".golden-tmp-")
        .tempdir_in(&root)
        .unwrap_or_else(|e| fail(&format!("temporary folder in {}: {e}", root.display())));
    let fresh = scratch.path().join(format!("v{FORMAT_VERSION}"));
    if let Err(e) = golden::write_current(&fresh) {
        // `fail` exits, which would leave the scratch folder behind.
        drop(scratch);
        fail(&format!("writing the golden archives: {e}"));
    }
    if check {
        if !target.exists() {
            fail(&format!(
                "{} does not exist: run scripts/golden to write it",
                target.display()
            ));
        }
        let differences = golden::differences(&target, &fresh);
        if !differences.is_empty() {
            drop(scratch);
            fail(&format!(
                "{} differs from what this code writes:\n  {}\nThe writer's output changed. \
                 If older readers cannot read the new output, raise FORMAT_VERSION and run \
                 scripts/golden to add a new folder; an old folder is never edited.",
                target.display(),
                differences.join("\n  ")
            ));
        }
        println!("{}: same as what this code writes", target.display());
    } else {
        if let Err(e) = std::fs::rename(&fresh, &target) {
            fail(&format!("rename into {}: {e}", target.display()));
        }
        println!("wrote {}", target.display());
    }
}

fn fail(message: &str) -> ! {
    eprintln!("golden: {message}");
    std::process::exit(1);
}
