//! What the fuzz targets share: turning one fuzz input into an archive folder on disk, and the
//! types the load target reads from it.
//!
//! An input is an archive's `__init__.py` followed by the bytes of its array files, each part
//! after a [`SEPARATOR`]. The files are named after the `_load('NAME')` calls of the source, in
//! order of first appearance (a name that is not a plain file name, or a part without a name,
//! becomes `extraN.npy`), so a mutated input keeps its sources and arrays paired.
//!
//! An input of the Zarr target is the `zarr.json` of one array followed by its chunk files, each
//! after a [`SEPARATOR`] and made of its key in the array's folder (`c/0/1`), a newline and its
//! bytes; [`Scratch::write_zarr`] puts them into a package this crate saved with the Zarr store.
//! An input of the DataSet target is the contents of the files of a DataSet this crate saved
//! ([`dataset_template`]), in the order of their paths, each after a [`SEPARATOR`].

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ndarray::{Array1, Array2, ArrayD};
use num_complex::Complex;
use persist_core::Persist;

/// Between the parts of an input: bytes that neither Python source nor the seeds' npy files hold.
pub const SEPARATOR: &[u8] = b"\xff\xfePERSIST\xfd\xfc";

/// The files of the DataSet the DataSet target starts from, made in `dir`: two items with
/// metadata (one of them with its array in an `.npy` file), as (path inside the DataSet,
/// bytes), in the order of their paths.
pub fn dataset_template(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let _ = std::fs::remove_dir_all(dir);
    let ds = persist_core::DataSet::create(dir)
        .expect("a DataSet template")
        .with_array_threshold(4);
    let info = BTreeMap::from([("alpha".to_owned(), 0.5), ("beta".to_owned(), -1.0)]);
    ds.insert("run_0", &vec![1.0, 2.0], &info)
        .expect("an item of the DataSet template");
    let field = Array1::from_shape_fn(20, |i| i as f64 / 3.0);
    let label = HashMap::from([("label".to_owned(), "wide".to_owned())]);
    ds.insert("run_1", &field, &label)
        .expect("an item of the DataSet template");
    files_under(dir)
}

/// Every file under `dir`, at any depth, as (path relative to `dir`, bytes), in the order of
/// their paths.
pub fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("a saved folder") {
            let path = entry.expect("a saved entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("a saved file");
                let relative = path.strip_prefix(dir).expect("inside").to_path_buf();
                files.push((relative, bytes));
            }
        }
    }
    files.sort();
    files
}

/// Split an input of the Zarr target into the array's `zarr.json` and its chunk files, by key
/// (a part whose key is not a relative path of plain names is left out).
pub fn split_zarr_input(data: &[u8]) -> (&[u8], Vec<(String, &[u8])>) {
    let mut parts = split(data, SEPARATOR);
    let meta = parts.next().unwrap_or_default();
    let chunks = parts
        .filter_map(|part| {
            let at = part.iter().position(|&b| b == b'\n')?;
            let key = std::str::from_utf8(&part[..at]).ok()?;
            let plain = key.len() <= 64
                && key != "zarr.json"
                && key
                    .split('/')
                    .all(|name| is_plain_file_name(name) && name != "..");
            plain.then(|| (key.to_owned(), &part[at + 1..]))
        })
        .take(64)
        .collect();
    (meta, chunks)
}

/// Join an array's `zarr.json` and its chunk files (key, bytes) into one input of the Zarr
/// target (for writing seeds).
pub fn join_zarr_input(meta: &[u8], chunks: &[(String, Vec<u8>)]) -> Vec<u8> {
    let parts: Vec<Vec<u8>> = chunks
        .iter()
        .map(|(key, bytes)| [key.as_bytes(), b"\n", bytes].concat())
        .collect();
    let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    join_input(meta, &parts)
}

/// Split an input into its source and its files, named as the source references them.
pub fn split_input(data: &[u8]) -> (&[u8], Vec<(String, &[u8])>) {
    let mut parts = split(data, SEPARATOR);
    let source = parts.next().unwrap_or_default();
    let mut names = load_names(source).into_iter();
    let files = parts
        .enumerate()
        .map(|(i, bytes)| {
            let name = names.next().unwrap_or_else(|| format!("extra{i}.npy"));
            (name, bytes)
        })
        .collect();
    (source, files)
}

/// Join a source and its files into one input (for writing seeds).
pub fn join_input(source: &[u8], files: &[&[u8]]) -> Vec<u8> {
    let mut out = source.to_vec();
    for file in files {
        assert!(
            split(file, SEPARATOR).nth(1).is_none(),
            "an array file holds the separator"
        );
        out.extend_from_slice(SEPARATOR);
        out.extend_from_slice(file);
    }
    out
}

fn split<'a>(data: &'a [u8], separator: &'a [u8]) -> impl Iterator<Item = &'a [u8]> {
    let mut rest = Some(data);
    std::iter::from_fn(move || {
        let data = rest?;
        match data.windows(separator.len()).position(|w| w == separator) {
            Some(at) => {
                rest = Some(&data[at + separator.len()..]);
                Some(&data[..at])
            }
            None => {
                rest = None;
                Some(data)
            }
        }
    })
}

/// The distinct plain file names `_load('NAME')` is called with, in order; at most 16.
fn load_names(source: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    for quote in [b"_load('", b"_load(\""] {
        let mut rest = source;
        while let Some(at) = rest.windows(quote.len()).position(|w| w == quote) {
            rest = &rest[at + quote.len()..];
            let end = rest
                .iter()
                .position(|&b| b == quote[6])
                .unwrap_or(rest.len());
            if let Ok(name) = std::str::from_utf8(&rest[..end])
                && is_plain_file_name(name)
                && !names.iter().any(|n| n == name)
                && names.len() < 16
            {
                names.push(name.to_owned());
            }
        }
    }
    names
}

/// A name that stays inside the folder it is joined to (the fuzz input chooses it).
fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// This process's scratch folder, made once (in `/dev/shm` when there is one) and reused by
/// every run: `archive()` is the package written there.
pub struct Scratch {
    root: PathBuf,
}

impl Scratch {
    /// The process's scratch folder.
    pub fn get() -> &'static Scratch {
        static SCRATCH: OnceLock<Scratch> = OnceLock::new();
        SCRATCH.get_or_init(|| {
            let base = Path::new("/dev/shm");
            let base = if base.is_dir() {
                base.to_path_buf()
            } else {
                std::env::temp_dir()
            };
            let root = base.join(format!("persist-fuzz-{}", std::process::id()));
            std::fs::create_dir_all(&root).expect("make the scratch folder");
            Scratch { root }
        })
    }

    /// The package folder runs write their archive into.
    pub fn archive(&self) -> PathBuf {
        self.root.join("arch")
    }

    /// The DataSet of [`dataset_template`] with its files' contents replaced, in the order of
    /// their paths, by the parts of `data` (split on [`SEPARATOR`]; a file without a part keeps
    /// what was saved).
    pub fn write_dataset(&self, data: &[u8]) -> PathBuf {
        static TEMPLATE: OnceLock<Vec<(PathBuf, Vec<u8>)>> = OnceLock::new();
        let files = TEMPLATE.get_or_init(|| dataset_template(&self.root.join("dataset_template")));
        let dataset = self.root.join("dataset");
        if dataset.exists() {
            std::fs::remove_dir_all(&dataset).expect("clear the scratch DataSet");
        }
        let mut parts = split(data, SEPARATOR);
        for (path, saved) in files {
            let path = dataset.join(path);
            std::fs::create_dir_all(path.parent().expect("inside the DataSet"))
                .expect("make a DataSet folder");
            let bytes = parts.next().unwrap_or(saved.as_slice());
            std::fs::write(path, bytes).expect("write a DataSet file");
        }
        dataset
    }

    /// A package holding one array `field` in the Zarr store, with the array's `zarr.json` and
    /// its chunk files (by key) replaced by the given ones; its source and its group's
    /// `zarr.json` are what this crate saved.
    pub fn write_zarr(&self, meta: &[u8], chunks: &[(String, &[u8])]) -> PathBuf {
        static TEMPLATE: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
        let (source, group) = TEMPLATE.get_or_init(|| {
            let saved = self.root.join("zarr_template");
            let mut archive = persist_core::Archive::new()
                .with_array_threshold(0)
                .with_array_store(persist_core::ArrayStore::Zarr(
                    persist_core::ZarrOptions::default().chunk_bytes(4 * 4 * 8),
                ));
            archive
                .insert("field", Array2::<f64>::zeros((8, 8)))
                .expect("a Zarr template");
            archive
                .save(&saved, persist_core::SaveOptions::package())
                .expect("save the Zarr template");
            let read = |path: &str| std::fs::read(saved.join(path)).expect("the Zarr template");
            (read("__init__.py"), read("_arrays.zarr/zarr.json"))
        });
        // Not `zarr`: an archive named like a module Python imports is refused.
        let archive = self.root.join("zarr_archive");
        let array = archive.join("_arrays.zarr/field");
        if array.exists() {
            std::fs::remove_dir_all(&array).expect("clear the scratch array");
        }
        std::fs::create_dir_all(&array).expect("make the scratch array");
        std::fs::write(archive.join("__init__.py"), source).expect("write the source");
        std::fs::write(archive.join("_arrays.zarr/zarr.json"), group).expect("write the group");
        std::fs::write(array.join("zarr.json"), meta).expect("write the array's metadata");
        for (key, bytes) in chunks {
            // A key under a file, or naming a folder already made, is left out.
            let path = array.join(key);
            if let Some(parent) = path.parent()
                && std::fs::create_dir_all(parent).is_err()
            {
                continue;
            }
            let _ = std::fs::write(path, bytes);
        }
        archive
    }

    /// Replace the archive with `source` and `files` (in its `_arrays/` folder). The folders
    /// stay from run to run; only the files change.
    pub fn write(&self, source: &[u8], files: &[(String, &[u8])]) -> PathBuf {
        let archive = self.archive();
        let arrays = archive.join("_arrays");
        match std::fs::read_dir(&arrays) {
            Ok(entries) => {
                for entry in entries {
                    std::fs::remove_file(entry.expect("a scratch entry").path())
                        .expect("clear the scratch arrays");
                }
            }
            Err(_) => std::fs::create_dir_all(&arrays).expect("make the scratch archive"),
        }
        std::fs::write(archive.join("__init__.py"), source).expect("write the source");
        for (name, bytes) in files {
            std::fs::write(arrays.join(name), bytes).expect("write an array");
        }
        archive
    }
}

/// A record as a user derives it: every kind of field the reader handles.
#[derive(Persist, Debug)]
pub struct Run {
    pub name: String,
    pub steps: Vec<i64>,
    pub field: Array2<f64>,
    pub tags: HashMap<String, i32>,
    pub shape: Option<Shape>,
    pub children: Vec<Run>,
}

/// An enum as a user derives it: unit, tuple and struct variants.
#[derive(Persist, Debug)]
pub enum Shape {
    Empty,
    Circle { radius: f64 },
    Rect(f64, f64),
    Grid(Array1<u8>),
}

/// Read `item` of `reader` as every type the load target tries, but as only one of the array
/// types, the one `choice` picks (reading an array file is by far the slowest step, so reading
/// each as all seven would cut the runs per second several times). Errors are fine; a panic, an
/// abort or a hang is a bug.
pub fn read_all(reader: &persist_core::ArchiveReader, item: &str, choice: usize) {
    let _ = reader.read::<i64>(item);
    let _ = reader.read::<f64>(item);
    let _ = reader.read::<u128>(item);
    let _ = reader.read::<String>(item);
    let _ = reader.read::<Vec<i64>>(item);
    let _ = reader.read::<Vec<Vec<Vec<i32>>>>(item);
    let _ = reader.read::<Option<Vec<(bool, char)>>>(item);
    let _ = reader.read::<HashMap<String, Vec<f64>>>(item);
    let _ = reader.read::<BTreeMap<i32, Complex<f64>>>(item);
    let _ = reader.read::<Run>(item);
    let _ = reader.read::<Vec<Shape>>(item);
    let _ = reader.read::<std::rc::Rc<Vec<String>>>(item);
    match choice % 7 {
        0 => drop(reader.read::<Array1<f64>>(item)),
        1 => drop(reader.read::<Array2<i32>>(item)),
        2 => drop(reader.read::<ArrayD<u8>>(item)),
        3 => drop(reader.read::<ArrayD<bool>>(item)),
        4 => drop(reader.read::<ArrayD<i32>>(item)),
        5 => drop(reader.read::<ArrayD<f64>>(item)),
        _ => drop(reader.read::<ArrayD<Complex<f32>>>(item)),
    }
}
