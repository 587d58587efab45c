//! The `persist-check` command: what a person runs on archives from someone else.

use std::process::Command;

use persist_core::{Archive, SaveOptions};

fn check(args: &[&std::ffi::OsStr]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_persist-check"))
        .args(args)
        .output()
        .expect("run persist-check");
    (
        out.status.code().expect("an exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn persist_check_accepts_what_the_writer_writes_and_refuses_an_edited_helper() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let good = dir.path().join("good");
    let mut archive = Archive::new().with_array_threshold(2);
    archive.insert("x", vec![1.5, 2.5]).expect("insert");
    archive
        .insert("field", ndarray::Array1::from(vec![1.0f64, 2.0, 3.0]))
        .expect("insert");
    archive.save(&good, SaveOptions::package()).expect("save");

    let (code, out) = check(&[good.as_os_str()]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with(&format!("ok: {} (2 files checked)", good.display())),
        "{out}"
    );

    // The same archive with one more line in `_load`: refused, exit status 1, file and line named.
    let bad = dir.path().join("bad");
    archive.save(&bad, SaveOptions::package()).expect("save");
    let init = bad.join("__init__.py");
    let source = std::fs::read_to_string(&init).expect("source");
    let edited = source.replace(
        "def _load(name):\n",
        "def _load(name):\n    __import__('os').system('true')\n",
    );
    assert_ne!(source, edited);
    std::fs::write(&init, &edited).expect("edit");
    let (code, out) = check(&[good.as_os_str(), bad.as_os_str()]);
    assert_eq!(code, 1, "{out}");
    let line = edited[..edited.find("__import__").unwrap()].lines().count();
    assert!(
        out.contains(&format!(
            "refused: {}:{line}:5: the helper `_load` differs here",
            init.display()
        )),
        "{out}"
    );

    let (code, out) = check(&[]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("usage: persist-check"), "{out}");
}
