//! The README's code is true: its "Getting started" block stands word for word in
//! `examples/getting_started.rs`, which runs (in a folder of its own), and its Python block,
//! run by a real Python with numpy and pandas in that folder, prints what the README says; every
//! other Rust block stands word for word (up to indentation) in `examples/readme.rs`, which
//! runs them all.

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

/// The example `name`'s binary, which `cargo test` builds beside this test's
/// (`target/debug/examples`).
fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test's path");
    let profile = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps");
    let binary = profile.join("examples").join(name);
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
    run_example("getting_started", dir.path());
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

/// Run the example binary `name` in `dir`; what it printed (it must succeed).
fn run_example(name: &str, dir: &std::path::Path) -> String {
    let out = Command::new(example_binary(name))
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("run the example {name}: {e}"));
    assert!(
        out.status.success(),
        "the example {name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// `text` with each line's leading white space removed.
fn unindented(text: &str) -> String {
    text.lines()
        .map(str::trim_start)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_rust_block_of_the_readme_is_in_an_example_that_runs() {
    let readme = include_str!("../../README.md");
    let examples = [
        unindented(include_str!("../getting_started.rs")),
        unindented(include_str!("../readme.rs")),
    ];
    let mut blocks = 0;
    let mut missing = Vec::new();
    for (i, part) in readme.split("```rust\n").enumerate().skip(1) {
        let block = &part[..part.find("```").expect("a closed block")];
        blocks += 1;
        let block = unindented(block.trim_end());
        if !examples.iter().any(|e| e.contains(&block)) {
            missing.push(format!("block {i}:\n{block}"));
        }
    }
    assert!(blocks >= 12, "{blocks} blocks");
    assert!(
        missing.is_empty(),
        "README blocks in no example (paste them into examples/readme.rs):\n{}",
        missing.join("\n\n")
    );
    let dir = tempfile::tempdir().expect("temporary folder");
    assert_eq!(
        run_example("readme", dir.path()),
        "every README block ran\n"
    );
}
