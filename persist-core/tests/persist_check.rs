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

/// The shadowing corpus (`persist-tests/tests/shadowing.txt`, whose entries persist-tests shows
/// running code in Python): each entry added beside or inside an archive makes `persist-check`
/// refuse it, naming the entry.
#[test]
fn persist_check_refuses_every_entry_of_the_shadowing_corpus() {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../persist-tests/tests/shadowing.txt");
    let text = std::fs::read_to_string(&corpus).expect("read the shadowing corpus");
    let ext = ".cpython-311-x86_64-linux-gnu.so";
    let mut cases = 0;
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let words: Vec<&str> = line.split_whitespace().collect();
        let (kind, entry, refused) = (words[0], words[1].replace("{EXT}", ext), words[2]);
        let dir = tempfile::tempdir().expect("temporary folder");
        let results = dir.path();
        let field = ndarray::Array1::from(vec![1.0f64, 2.0, 3.0]);
        let archive = match kind {
            "module" | "package" => {
                let mut archive = Archive::new().with_array_threshold(2);
                archive.insert("field", &field).expect("insert");
                let (path, options) = if kind == "module" {
                    (results.join("run.py"), SaveOptions::module())
                } else {
                    (results.join("run"), SaveOptions::package())
                };
                archive.save(&path, options).expect("save");
                path
            }
            _ => {
                let path = results.join("sweep");
                let sweep = persist_core::DataSet::create(&path)
                    .expect("create")
                    .with_array_threshold(2);
                sweep.insert("point_1", &field, &1.0f64).expect("insert");
                sweep.insert("point_2", &2.5f64, &2.0f64).expect("insert");
                path
            }
        };
        let (code, out) = check(&[archive.as_os_str()]);
        assert_eq!(code, 0, "{line}: the archive alone: {out}");
        let path = results.join(&entry);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
        std::fs::write(&path, "x = 1\n").expect("write the entry");
        let (code, out) = check(&[archive.as_os_str()]);
        assert_eq!(code, 1, "{line}: {out}");
        let named = results.join(refused.replace("{EXT}", ext));
        assert!(
            out.starts_with(&format!("refused: {}: ", named.display())),
            "{line}: {out}"
        );
        cases += 1;
    }
    assert!(cases >= 10, "{cases} cases");
}

/// Counts in words, a package named by its `__init__.py`, and why a `__pycache__` is there.
#[test]
fn persist_check_counts_in_words_takes_init_py_and_explains_pycache() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let run = dir.path().join("run");
    let mut archive = Archive::new();
    archive.insert("x", 1.5).expect("insert");
    archive.save(&run, SaveOptions::package()).expect("save");
    let (code, out) = check(&[run.as_os_str()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("(1 file checked)"), "{out}");

    let init = run.join("__init__.py");
    let (code, out) = check(&[init.as_os_str()]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with(&format!("ok: {} (1 file checked)", init.display())),
        "{out}"
    );
    assert!(!out.contains("__init___arrays"), "{out}");

    // What the user's own import leaves behind.
    std::fs::create_dir(run.join("__pycache__")).expect("a cache");
    std::fs::write(run.join("__pycache__/__init__.cpython-311.pyc"), b"").expect("a .pyc");
    let (code, out) = check(&[run.as_os_str()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("delete the `__pycache__` folder"), "{out}");
    assert!(
        out.contains("importing an archive writes one: check before importing"),
        "{out}"
    );
}
