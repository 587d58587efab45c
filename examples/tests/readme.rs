//! The README's "Getting started" is true: its Rust block stands word for word in
//! `examples/getting_started.rs`, which runs (in a folder of its own), and its Python block,
//! run by a real Python with numpy and pandas in that folder, prints what the README says.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The first block fenced as ```` ```LANG ```` after the heading `heading` of the README.
fn block<'a>(readme: &'a str, heading: &str, lang: &str) -> &'a str {
    let section = &readme[readme.find(heading).expect("the heading")..];
    let fence = format!("```{lang}\n");
    let start = section.find(&fence).expect("the block") + fence.len();
    let end = section[start..].find("```").expect("the block's end") + start;
    &section[start..end]
}

/// The example's binary, which `cargo test` builds beside this test's (`target/debug/examples`).
fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's path");
    let profile = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps");
    let binary = profile.join("examples/getting_started");
    assert!(
        binary.exists(),
        "{} is missing: build the examples first (`cargo test --workspace` builds them; or `cargo build --examples`)",
        binary.display()
    );
    binary
}

#[test]
fn getting_started_is_the_example_and_runs_in_rust_and_python() {
    let readme = include_str!("../../README.md");
    let example = include_str!("../getting_started.rs");
    let rust = block(readme, "## Getting started", "rust");
    assert!(
        example.contains(rust.trim_end()),
        "README's Getting started block differs from examples/getting_started.rs:\n{rust}"
    );

    let dir = tempfile::tempdir().expect("temporary folder");
    let out = Command::new(example_binary())
        .current_dir(dir.path())
        .output()
        .expect("run the example");
    assert!(
        out.status.success(),
        "the example failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("results/run_1/__init__.py").is_file());

    let code = block(readme, "## Getting started", "python");
    let python = persist_examples::find_python(&["numpy", "pandas"]).expect(
        "no Python with numpy and pandas; fix: run scripts/test (it makes .venv), or set PERSIST_PYTHON",
    );
    let out = Command::new(&python)
        .current_dir(dir.path())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .args(["-c", code])
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "the README's Python failed (it needs numpy and pandas; scripts/test installs them):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(
        printed, "Config(temperature=300.0, steps=200)\n200 1.0\n",
        "what the README says Python prints"
    );
}
