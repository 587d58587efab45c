//! The README's code blocks (after the first, which is `getting_started.rs`), each pasted word
//! for word into a function with what it needs around it, and run: `tests/readme.rs` checks
//! that every Rust block of the README stands in `getting_started.rs` or here, and runs both.
//!
//! ```text
//! cargo run --example readme --features hdf5,zarr   # writes into the current folder
//! ```
#![allow(unused, clippy::all)]

use std::error::Error;

type Result<T = ()> = std::result::Result<T, Box<dyn Error>>;

fn main() -> Result {
    example_and_loading()?;
    schema_evolution()?;
    dataset()?;
    streaming()?;
    parallel_writers()?;
    attributes()?;
    println!("every README block ran");
    Ok(())
}

/// "Example", "Loading back into Rust", "Opening archives from someone else", the HDF5 and Zarr
/// stores: one run archived and read back.
#[rustfmt::skip]
fn example_and_loading() -> Result {
    std::fs::create_dir_all("results")?;
    use ndarray::Array2;
    use persist_core::{Archive, Persist, SaveOptions};

    #[derive(Persist)]
    struct Params { alpha: f64, steps: u32, grid: (usize, usize) }

    #[derive(Persist)]
    enum Boundary { Periodic, Dirichlet { value: f64 }, Neumann(f64) }

    #[derive(Persist)]
    struct Run { params: Params, boundary: Boundary, temperature: Array2<f64>, note: String }

    let run = Run {
        params: Params { alpha: 0.25, steps: 200, grid: (64, 64) },
        boundary: Boundary::Dirichlet { value: 0.0 },
        temperature: Array2::zeros((64, 64)),
        note: "cold edges".into(),
    };
    let mut archive = Archive::new();
    archive.insert("run", &run)?;
    archive.save("results/heat_run", SaveOptions::package())?;

    use persist_core::{ArchiveReader, load};

    let run: Run = load("results/heat_run", "run")?;          // one item
    let archive = ArchiveReader::open("results/heat_run")?;   // or open once, read several
    assert_eq!(archive.items().collect::<Vec<_>>(), ["run"]);
    let params: Params = archive.read::<Run>("run")?.params;

    assert_eq!(run.params.steps, 200);
    assert_eq!(params.grid, (64, 64));
    // A colleague's download: a copy of the archive, checked before it is imported.
    std::fs::create_dir_all("downloads")?;
    archive_copy("results/heat_run", "downloads/run_2026_11_22")?;
    use persist_core::{verify, ReadOptions};
    verify("downloads/run_2026_11_22", &ReadOptions::new())?;

    {
        use persist_core::{Archive, ArrayStore, Hdf5Options, SaveOptions};

        let mut archive = Archive::new()
            .with_array_store(ArrayStore::Hdf5(Hdf5Options::default().gzip(4).chunked(true)));
        archive.insert("run", &run)?;
        archive.save("run_2026_11_22", SaveOptions::package())?;
        // run_2026_11_22/__init__.py and run_2026_11_22/_data.h5
    }

    {
        use persist_core::{Archive, ArrayStore, SaveOptions, ZarrOptions};

        let options = ZarrOptions::default().dimension_names("run.temperature", ["y", "x"]);
        let mut archive = Archive::new().with_array_store(ArrayStore::Zarr(options));
        archive.insert("run", &run)?;
        archive.save("run_1", SaveOptions::package())?; // run_1/__init__.py, run_1/_arrays.zarr/

    }
    Ok(())
}

fn archive_copy(from: &str, to: &str) -> Result {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = std::path::Path::new(to).join(entry.file_name());
        if entry.file_type()?.is_dir() {
            archive_copy(&entry.path().to_string_lossy(), &target.to_string_lossy())?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// "Loading back into Rust": schema evolution.
#[rustfmt::skip]
fn schema_evolution() -> Result {
    use persist_core::Persist;
    fn default_grid() -> (usize, usize) { (64, 64) }
    #[derive(Persist)]
    #[persist(deny_unknown_fields)]          // otherwise unknown fields are ignored
    #[persist(alias = "Parameters")]         // the type was called Parameters: read those records too
    struct Params {
        #[persist(alias = "lambda_")] rate: f64,         // read archives that call it lambda_
        #[persist(default)] steps: u32,                   // missing in old archives: Default
        #[persist(default = "default_grid")] grid: (usize, usize),
    }

    let old = "_Parameters = _record('Parameters', ('lambda_',), 'm::Parameters')\nparams = _Parameters(lambda_=0.5)\n";
    let source = format!("{}{old}", record_helper()?);
    let params: Params = persist_core::ArchiveReader::from_source(&source)?.read("params")?;
    assert_eq!((params.rate, params.steps, params.grid), (0.5, 0, (64, 64)));
    Ok(())
}

/// The `_record` helper and the lines before it, from an archive this crate writes.
fn record_helper() -> Result<String> {
    use persist_core::Persist;
    #[derive(Persist)]
    struct Any {
        x: u8,
    }
    let mut archive = persist_core::Archive::new();
    archive.insert("any", Any { x: 1 })?;
    let source = archive.to_python_source()?;
    let end = source.find("_Any = ").ok_or("the class line")?;
    Ok(source[..end].to_owned())
}

/// "DataSets".
#[rustfmt::skip]
fn dataset() -> Result {
    use persist_core::Persist;
    #[derive(Persist, Debug, PartialEq)]
    struct Point { x: f64 }
    #[derive(Persist)]
    struct Info { temperature: f64 }
    let point = Point { x: 1.5 };
    let info = Info { temperature: 300.0 };
    let written = Point { x: 1.5 };
    use persist_core::DataSet;
    let sweep = DataSet::open_or_create("results/sweep")?;
    sweep.insert("point_03", &point, &info)?;        // any Persist value and metadata
    let point: Point = sweep.read("point_03")?;

    assert_eq!(point, written);
    Ok(())
}

/// "Streaming: arrays written slab by slab".
#[rustfmt::skip]
fn streaming() -> Result {
    use persist_core::Persist;
    #[derive(Persist)]
    struct Params { steps: usize }
    let (ny, nx, steps) = (4, 3, 5);
    let params = Params { steps };
    let simulate = |step: usize| ndarray::Array2::<f64>::from_elem((ny, nx), step as f64);
    std::fs::create_dir_all("runs")?;
    use persist_core::{Archive, ArrayStore, SaveOptions, ZarrOptions};

    let mut archive = Archive::new().with_array_store(ArrayStore::Zarr(ZarrOptions::default()));
    archive.insert("params", &params)?;
    let mut build = archive.build("runs/run_1", SaveOptions::package())?; // nothing visible yet
    let mut field = build.stream::<f64>("field", &[ny, nx])?;             // rows of ny x nx
    for step in 0..steps {
        field.push(&simulate(step))?; // one row, or a slab of rows [k, ny, nx]
    }
    build.insert("field", field.finish()?)?; // the handle may also be a field of a record
    build.commit()?;                         // the source, then one atomic swap, as `save` does

    Ok(())
}

/// "Parallel writers of one Zarr array" (here one process writes every part).
#[rustfmt::skip]
fn parallel_writers() -> Result {
    use persist_core::{Archive, ArrayStore, SaveOptions, ZarrOptions, ZarrPart};
    let archive = Archive::new().with_array_store(ArrayStore::Zarr(ZarrOptions::default()));
    let (rows, ny, nx) = (6, 2, 2);
    let (start, rows_start_to_end) = (0, ndarray::Array3::<f64>::zeros((rows, ny, nx)));
    std::fs::remove_dir_all("runs/run_1")?; // the streaming example's
    {
        let mut build = archive.build("runs/run_1", SaveOptions::package())?;
        let parts = build.zarr_parts::<f64>("field", &[rows, ny, nx])?; // laid out, no chunk yet
        let token = parts.token().to_owned(); // give it to each worker; a worker process then runs:
        ZarrPart::<f64>::open(&token)?.write(start, &rows_start_to_end)?; // (here one writes every row)
        build.insert("field", parts.finish()?)?; // every row written? (else an error naming the rows)
        build.commit()?;

    }
    Ok(())
}

/// "Attributes".
#[rustfmt::skip]
fn attributes() -> Result {
    use persist_core::Persist;
    mod my_reexport {
        pub use persist_core;
    }
    mod secs {
        use persist_core::{Persist, ReadError, Reader, Value, WriteError, Writer};
        use std::time::Duration;
        pub fn to_python_source(d: &Duration, w: &mut Writer) -> Result<(), WriteError> {
            d.as_secs_f64().to_python_source(w)
        }
        pub fn from_python<'m>(v: Value<'m>, r: &mut Reader<'m>) -> Result<Duration, ReadError> {
            f64::from_python(v, r).map(Duration::from_secs_f64)
        }
    }
    #[derive(Persist)]
    #[persist(rename = "Parameters")]          // the Python type name
    #[persist(python = "mylab.models:Params")] // build your own Python class by keyword arguments
    #[persist(crate = "my_reexport::persist_core")] // when persist-core is re-exported
    struct Params {
        #[persist(rename = "lambda_")] lambda: f64, // the Python field name
        #[persist(skip)] cache: Vec<f64>,            // not archived
    }

    #[derive(Persist)]
    enum Shape {
        #[persist(rename = "Disc")] Circle { r: f64 },
        #[persist(python = "mylab.shapes:Square")] Square(f64),
        #[persist(skip)] Scratch, // archiving this variant is an error
    }

    #[derive(Persist)]
    #[persist(transparent)]              // written and read as its one field: `300.0`, not `_Kelvin(300.0)`
    struct Kelvin(f64);

    #[derive(Persist)]
    #[persist(rename_all = "camelCase")] // serde's cases: lowercase, UPPERCASE, PascalCase, camelCase,
    #[persist(default)]                  //   snake_case, SCREAMING_SNAKE_CASE (kebab cases are not Python names)
    struct Job {                         // `default`: missing fields come from Job::default() (or `default = "path"`)
        max_retries: u32,                // Python: job.maxRetries
        #[persist(with = "secs")]        // a type without Persist (foreign: Duration, chrono, uuid...):
        timeout: std::time::Duration,    //   secs::to_python_source(&Duration, &mut Writer), secs::from_python(Value, &mut Reader)
    }

    #[derive(Persist, Clone)]
    #[persist(into = "String", try_from = "String")] // or `from = "T"`: convert through another type;
    struct Email(String);                            //   a try_from error is the read error's message

    #[derive(Persist)]
    #[persist(repr = "str", rename_all = "lowercase")] // a unit-only enum as its variants' names:
    enum Mode { Fast, Careful }                        //   'fast', 'careful' (and a string column in tables)

    #[derive(Persist)]
    struct Frame {
        #[persist(bytes)]                // Python `bytes` (b'GIF8\x00'), not a list of ints:
        payload: Vec<u8>,                //   Vec<u8>, Box<[u8]>, [u8; N], Cow<[u8]>, &[u8] (written only)
    }

    #[derive(Persist)]
    #[persist(write_only)]               // only saved, never read back in Rust: half the generated code
    struct Report { peak: f64 }          //   (as derive(Serialize) without Deserialize); reading is an error

    impl Default for Job {
        fn default() -> Self { Job { max_retries: 3, timeout: std::time::Duration::from_secs(1) } }
    }
    impl From<Email> for String {
        fn from(e: Email) -> String { e.0 }
    }
    impl TryFrom<String> for Email {
        type Error = String;
        fn try_from(s: String) -> std::result::Result<Self, String> {
            if s.contains('@') { Ok(Email(s)) } else { Err(format!("{s:?} is no e-mail address")) }
        }
    }
    let mut archive = persist_core::Archive::new();
    archive.insert("job", Job::default())?;
    archive.insert("email", Email("a@b.c".into()))?;
    archive.insert("mode", Mode::Careful)?;
    archive.insert("frame", Frame { payload: b"GIF8\0".to_vec() })?;
    archive.insert("report", Report { peak: 1.0 })?;
    archive.insert("kelvin", Kelvin(300.0))?;
    archive.insert("shape", Shape::Circle { r: 1.0 })?;
    let source = archive.to_python_source()?;
    assert!(source.contains("maxRetries=3"), "{source}");
    assert!(source.contains("mode = 'careful'"), "{source}");
    assert!(source.contains("b'GIF8\\x00'"), "{source}");
    Ok(())
}
