//! The attack corpus: `tests/attacks/*.py`, one hostile archive per file, each ending with the
//! refusal it must get (`{FORMAT}` in a header is the current format, `{M}` the marker's path). For every file, the Rust reader and `verify` refuse it with that message
//! at that position, within bounded time and memory; and Python's import of the very same file
//! (bytecode writing on, a fresh process) does what the file's `live` line says: a live attack
//! makes its marker file, which proves that the refusal is what stands between the file and
//! running code.
//!
//! File-level attacks (bytecode caches, a module shadowing numpy, links and FIFOs among the
//! array files, hostile `.npy` headers) are built by the tests below the corpus.

use std::path::{Path, PathBuf};
use std::process::Command;

use ndarray::{Array1, Array4};
use persist_core::{Archive, ArchiveReader, LoadError, Persist, ReadOptions, verify};

/// A record type for the amplification case (`_Tree_Nest` in the corpus).
#[derive(Persist, Debug)]
#[persist(rename = "Tree")]
enum Tree {
    Nest(Vec<Tree>),
}

/// One corpus file and what it says of itself.
struct Attack {
    name: String,
    text: String,
    /// `LINE:COL: words`, or `READ: words` when the position is the item's.
    expect: String,
    live: bool,
    /// `open`, or `x as TYPE`: read the item `x` as that type after opening.
    read: String,
    /// Whether Python may import it (not when the import itself would exhaust memory).
    python: bool,
}

fn corpus() -> Vec<Attack> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/attacks");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the attack corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    assert!(files.len() >= 30, "the corpus has {} files", files.len());
    files
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path).expect("read attack");
            let text = String::from_utf8(bytes).expect("attacks are UTF-8");
            let meta = |key: &str| {
                text.lines()
                    .rev()
                    .find_map(|l| l.strip_prefix(&format!("# {key}: ")))
                    .map(str::to_owned)
            };
            Attack {
                name: path.file_stem().unwrap().to_string_lossy().into_owned(),
                expect: meta("expect").expect("an expect line"),
                live: meta("live").expect("a live line") == "yes",
                read: meta("read").expect("a read line"),
                python: meta("python").is_none(),
                text,
            }
        })
        .collect()
}

/// The writer's `_record` helper, from an archive it writes.
fn record_helper() -> String {
    let mut archive = Archive::new();
    archive.insert("t", Tree::Nest(vec![])).expect("insert");
    let source = archive.to_python_source().expect("render");
    let start = source.find("def _record").expect("the helper");
    let end = source[start..].find("\n_Tree").expect("the class line") + start + 1;
    source[start..end].to_owned()
}

/// A Python string literal of `s`.
fn py_str(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The case written as `dir/case.py` with its markers filled in, a real `case_arrays/x.npy`
/// beside it; the marker path.
fn lay_out(attack: &Attack, dir: &Path) -> PathBuf {
    let marker = dir.join("marker");
    let m = marker.display().to_string();
    let text = attack
        .text
        .replace("{M}", &py_str(&m))
        .replace("{CMD}", &py_str(&format!("touch {m}")))
        .replace("{CODE}", &py_str(&format!("open({}, 'w')", py_str(&m))))
        .replace("{RECORD}", &record_helper())
        .replace("{FORMAT}", &persist_core::FORMAT_VERSION.to_string());
    std::fs::write(dir.join("case.py"), text).expect("write case");
    std::fs::create_dir_all(dir.join("case_arrays")).expect("array folder");
    ndarray_npy::write_npy(
        dir.join("case_arrays/x.npy"),
        &Array1::from(vec![1.0f64, 2.0]),
    )
    .expect("write npy");
    marker
}

/// What reading the case in Rust gives: the error, or a description of what was accepted.
fn read_case(attack: &Attack, path: &Path) -> Result<String, LoadError> {
    let reader = ArchiveReader::open(path)?;
    let shown = match attack.read.as_str() {
        "open" => return Ok("opened".into()),
        "x as f64" => format!("{:?}", reader.read::<f64>("x")?),
        "x as vec3" => format!("{} lists", reader.read::<Vec<Vec<Vec<i32>>>>("x")?.len()),
        "x as array4" => format!("{:?}", reader.read::<Array4<i32>>("x")?.shape()),
        "x as tree" => format!("{:?}", matches!(reader.read::<Tree>("x")?, Tree::Nest(_))),
        other => panic!("{}: no read kind `{other}`", attack.name),
    };
    Ok(shown)
}

/// `line:column` of an error, when it has one.
fn position(err: &LoadError) -> Option<String> {
    match err {
        LoadError::Module { pos, .. } => Some(format!("{}:{}", pos.line, pos.column)),
        LoadError::Parse(p) => Some(format!("{}:{}", p.line, p.column)),
        LoadError::Item { source, .. } => {
            Some(format!("{}:{}", source.pos().line, source.pos().column))
        }
        _ => None,
    }
}

#[test]
fn every_attack_of_the_corpus_is_refused_and_is_live_in_python() {
    let mut failures = Vec::new();
    let mut live = 0;
    for attack in corpus() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let marker = lay_out(&attack, dir.path());
        let case = dir.path().join("case.py");
        let (place, words) = attack
            .expect
            .split_once(": ")
            .expect("`# expect: LINE:COL: words`");
        match read_case(&attack, &case) {
            Ok(shown) => failures.push(format!("{}: accepted ({shown})", attack.name)),
            Err(err) => {
                let message = err.to_string();
                if !message.contains(words) {
                    failures.push(format!("{}: refused with `{message}`", attack.name));
                } else if place != "READ" && position(&err).as_deref() != Some(place) {
                    failures.push(format!(
                        "{}: refused at {:?}, expected {place}: {message}",
                        attack.name,
                        position(&err)
                    ));
                }
                if message.len() > 600 {
                    failures.push(format!(
                        "{}: a message of {} bytes",
                        attack.name,
                        message.len()
                    ));
                }
            }
        }
        // `verify` applies the statement rules; the expansion budget is the reader's.
        if attack.read == "open" && verify(&case, &ReadOptions::new()).is_ok() {
            failures.push(format!("{}: verify accepted it", attack.name));
        }
        assert!(!marker.exists(), "{}: the payload ran in Rust", attack.name);
        if attack.python {
            persist_tests::import_as_a_colleague(dir.path(), "import case");
            if marker.exists() != attack.live {
                failures.push(format!(
                    "{}: Python's import made the marker: {}, the corpus says live: {}",
                    attack.name,
                    marker.exists(),
                    attack.live
                ));
            }
            live += usize::from(attack.live);
        }
    }
    assert!(live >= 12, "only {live} live attacks");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An archive as the writer makes it, `dir/arch.py` with `x` in `arch_arrays/x.npy`.
fn module_archive(dir: &Path) -> PathBuf {
    let mut archive = Archive::new().with_array_threshold(2);
    archive
        .insert("x", Array1::from(vec![1.0f64, 2.0, 3.0]))
        .expect("insert");
    let path = dir.join("arch.py");
    archive
        .save(&path, persist_core::SaveOptions::module())
        .expect("save");
    path
}

#[test]
fn a_written_archive_verifies() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = module_archive(dir.path());
    let report = verify(&path, &ReadOptions::new()).expect("verify");
    assert_eq!(
        report.files,
        vec![path.clone(), dir.path().join("arch_arrays/x.npy")]
    );
}

/// Bytecode in `__pycache__` whose recorded size and time match the source runs instead of
/// it: the reader cannot see it, `verify` refuses it.
#[test]
fn bytecode_that_would_run_instead_of_the_source_is_refused_by_verify() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = module_archive(dir.path());
    let marker = dir.path().join("marker");
    let source = std::fs::read_to_string(&path).expect("source");
    let payload = format!("open({}, 'w')\n", py_str(&marker.display().to_string()));
    // An evil source of the same length, compiled into the cache entry of `arch.py` with the
    // real source's time.
    let mut evil = payload.clone();
    evil.push_str(&"#".repeat(source.len() - payload.len() - 1));
    evil.push('\n');
    std::fs::write(dir.path().join("evil.py"), &evil).expect("evil");
    let script = "import importlib.util, os, py_compile\n\
         st = os.stat('arch.py')\n\
         os.utime('evil.py', ns=(st.st_atime_ns, st.st_mtime_ns))\n\
         py_compile.compile('evil.py', cfile=importlib.util.cache_from_source('arch.py'))\n\
         os.remove('evil.py')\n";
    persist_tests::run_python(dir.path(), script);
    ArchiveReader::open(&path).expect("the source itself is fine");
    let err = verify(&path, &ReadOptions::new()).unwrap_err();
    assert!(
        err.to_string()
            .contains("Python bytecode, which Python may run instead"),
        "{err}"
    );
    persist_tests::import_as_a_colleague(dir.path(), "import arch");
    assert!(
        marker.exists(),
        "the control: Python ran the cached bytecode"
    );
}

#[test]
fn a_numpy_module_beside_the_archive_is_refused_by_verify() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = module_archive(dir.path());
    let marker = dir.path().join("marker");
    std::fs::write(
        dir.path().join("numpy.py"),
        format!("open({}, 'w')\n", py_str(&marker.display().to_string())),
    )
    .expect("numpy.py");
    let err = verify(&path, &ReadOptions::new()).unwrap_err();
    assert!(
        err.to_string()
            .contains("numpy.py: a Python source file, which Python runs, named `numpy`"),
        "{err}"
    );
    persist_tests::import_as_a_colleague(dir.path(), "import arch");
    assert!(
        marker.exists(),
        "the control: Python imported the fake numpy"
    );
}

#[cfg(unix)]
#[test]
fn links_and_fifos_among_the_array_files_are_refused() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("outside");
    ndarray_npy::write_npy(
        outside.path().join("secret.npy"),
        &Array1::from(vec![7.0f64, 7.0, 7.0]),
    )
    .expect("secret");
    // A file that is a link to a file outside.
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = module_archive(dir.path());
    let npy = dir.path().join("arch_arrays/x.npy");
    std::fs::remove_file(&npy).expect("remove");
    symlink(outside.path().join("secret.npy"), &npy).expect("symlink");
    let reader = ArchiveReader::open(&path).expect("open");
    let err = reader.read::<Array1<f64>>("x").unwrap_err();
    assert!(err.to_string().contains("it is a symbolic link"), "{err}");
    assert!(verify(&path, &ReadOptions::new()).is_err());
    // The folder itself a link.
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = module_archive(dir.path());
    let arrays = dir.path().join("arch_arrays");
    std::fs::remove_dir_all(&arrays).expect("remove");
    std::fs::copy(
        outside.path().join("secret.npy"),
        outside.path().join("x.npy"),
    )
    .expect("copy");
    symlink(outside.path(), &arrays).expect("symlink");
    let err = ArchiveReader::open(&path)
        .expect("open")
        .read::<Array1<f64>>("x")
        .unwrap_err();
    assert!(err.to_string().contains("is not a plain folder"), "{err}");
    // A FIFO in place of the file: refused at once, never a read that blocks.
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = module_archive(dir.path());
    let npy = dir.path().join("arch_arrays/x.npy");
    std::fs::remove_file(&npy).expect("remove");
    let made = Command::new("mkfifo").arg(&npy).status().expect("mkfifo");
    assert!(made.success());
    let err = ArchiveReader::open(&path)
        .expect("open")
        .read::<Array1<f64>>("x")
        .unwrap_err();
    assert!(err.to_string().contains("not a regular file"), "{err}");
    assert!(verify(&path, &ReadOptions::new()).is_err());
}

/// Hostile `.npy` headers: huge shapes, object, structured and big-endian dtypes, truncation.
#[test]
fn hostile_npy_headers_are_refused() {
    let cases: &[(&str, &[u8], &str)] = &[
        (
            "a huge shape",
            b"{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000,), }",
            "but the file holds",
        ),
        (
            "a product that overflows",
            b"{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }",
            "too large to exist",
        ),
        (
            "an object dtype",
            b"{'descr': '|O', 'fortran_order': False, 'shape': (3,), }",
            "this crate does not read",
        ),
        (
            "a structured dtype",
            b"{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (3,), }",
            "without a plain 'descr'",
        ),
    ];
    for (what, header, words) in cases {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = module_archive(dir.path());
        let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
        let mut h = header.to_vec();
        while (10 + h.len() + 1) % 64 != 0 {
            h.push(b' ');
        }
        h.push(b'\n');
        bytes.extend_from_slice(&(h.len() as u16).to_le_bytes());
        bytes.extend_from_slice(&h);
        bytes.extend_from_slice(&[0u8; 24]);
        std::fs::write(dir.path().join("arch_arrays/x.npy"), &bytes).expect("write");
        let err = ArchiveReader::open(&path)
            .expect("open")
            .read::<Array1<f64>>("x")
            .unwrap_err();
        assert!(err.to_string().contains(words), "{what}: {err}");
    }
    // Big-endian data is no attack: it reads with its values.
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = module_archive(dir.path());
    persist_tests::run_python(
        dir.path(),
        "import numpy as np\nnp.save('arch_arrays/x.npy', np.array([1.5, -2.0, 3.0], dtype='>f8'))",
    );
    let x: Array1<f64> = ArchiveReader::open(&path)
        .expect("open")
        .read("x")
        .expect("read");
    assert_eq!(x, Array1::from(vec![1.5, -2.0, 3.0]));
    // Truncated: the header cut short.
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = module_archive(dir.path());
    std::fs::write(
        dir.path().join("arch_arrays/x.npy"),
        b"\x93NUMPY\x01\x00\xff\x00{'de",
    )
    .expect("write");
    let err = ArchiveReader::open(&path)
        .expect("open")
        .read::<Array1<f64>>("x")
        .unwrap_err();
    assert!(err.to_string().contains("truncated"), "{err}");
    assert!(verify(&path, &ReadOptions::new()).is_err());
}

/// An integer of a million hexadecimal digits (no digit limit in Python for power-of-two bases)
/// is out of range for every Rust integer; the message quotes a short excerpt only.
#[test]
fn a_huge_hexadecimal_integer_gets_a_short_message() {
    let source = format!("x = 0x{}\n", "f".repeat(1_000_000));
    let err = persist_core::from_str::<u128>(&source, "x").unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("does not fit in a 128-bit integer"),
        "{}",
        &message[..200.min(message.len())]
    );
    assert!(message.len() < 300, "a message of {} bytes", message.len());
}

/// Hostile names are quoted as short excerpts, and a listing of many items stays short.
#[test]
fn long_names_and_many_items_give_short_messages() {
    let long = "n".repeat(100_000);
    for source in [
        format!("x = {long}\n"),
        format!("x = [1 {long}]\n"),
        format!("def {long}():\n    pass\n"),
    ] {
        let err = persist_core::from_str::<i32>(&source, "x").unwrap_err();
        assert!(err.to_string().len() < 400, "{}", err.to_string().len());
    }
    let many: String = (0..10_000).map(|i| format!("item_{i} = {i}\n")).collect();
    let err = persist_core::from_str::<i32>(&many, "missing").unwrap_err();
    let message = err.to_string();
    assert!(message.ends_with("and 9980 more"), "{message}");
    assert!(message.len() < 600, "{}", message.len());
}

/// A record built with the user's own class (`python = "module:Class"`) imports that module in
/// Python: a DataSet reads such items only when told to trust it.
#[test]
fn dataset_items_that_import_a_module_are_read_only_when_it_is_trusted() {
    #[derive(Persist, Debug, PartialEq)]
    #[persist(python = "mylab.models:Point")]
    struct Point {
        x: i32,
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("sweep");
    let sweep = persist_core::DataSet::create(&path).expect("create");
    sweep.insert("p", &Point { x: 3 }, &1.5f64).expect("insert");
    let err = sweep.read::<Point>("p").unwrap_err();
    assert!(err.to_string().contains("imports `mylab.models`"), "{err}");
    let trusting = persist_core::DataSet::open_read_only(&path)
        .expect("open")
        .with_read_options(ReadOptions::new().trust_module("mylab.models"));
    assert_eq!(trusting.read::<Point>("p").expect("read"), Point { x: 3 });
    assert_eq!(trusting.info::<f64>("p").expect("info"), 1.5);
    assert!(verify(&path, &ReadOptions::new()).is_err());
    verify(&path, &ReadOptions::new().trust_module("mylab.models")).expect("verify trusting");
}

/// A FIFO in place of the HDF5 file is refused at once, never opened for a read that blocks.
#[cfg(all(unix, feature = "hdf5"))]
#[test]
fn a_fifo_in_place_of_the_hdf5_file_is_refused() {
    use persist_core::{ArrayStore, Hdf5Options, SaveOptions};
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut archive = Archive::new()
        .with_array_threshold(2)
        .with_array_store(ArrayStore::Hdf5(Hdf5Options::default()));
    archive
        .insert("x", Array1::from(vec![1.0f64, 2.0, 3.0]))
        .expect("insert");
    let path = dir.path().join("arch");
    archive.save(&path, SaveOptions::package()).expect("save");
    let h5 = path.join("_data.h5");
    std::fs::remove_file(&h5).expect("remove");
    assert!(
        Command::new("mkfifo")
            .arg(&h5)
            .status()
            .expect("mkfifo")
            .success()
    );
    let err = ArchiveReader::open(&path)
        .expect("open")
        .read::<Array1<f64>>("x")
        .unwrap_err();
    assert!(err.to_string().contains("_data.h5"), "{err}");
    assert!(!err.to_string().contains("plain `.npy` file name"), "{err}");
    assert!(verify(&path, &ReadOptions::new()).is_err());
}
