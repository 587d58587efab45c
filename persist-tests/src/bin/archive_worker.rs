//! A helper process of the archive durability tests: it overwrites one archive again and again
//! while the test freezes (SIGSTOP) or kills (SIGKILL) it.
//!
//! ```text
//! archive_worker save DIR LAYOUT ELEMENTS FIRST COUNT
//!     save DIR/arch (LAYOUT: package or module) COUNT times, overwriting, with the versions
//!     FIRST, FIRST+1, ...: items `version` (u64) and `data` (ELEMENTS f64, every one equal to
//!     the version, in an external .npy file); print "saved V" after each save returns
//! archive_worker stream DIR STORE VERSION ROWS
//!     build DIR/arch (package, overwriting) with the item `version` (u64) and `data`, streamed
//!     into STORE (npy, hdf5 or zarr) as ROWS rows of 10 000 f64 equal to the version, printing
//!     "row N" after each push, then commit and print "saved VERSION"
//! ```
//! Any error ends the process with status 1 and the error on stderr.

use std::io::Write as _;

use ndarray::Array1;
use persist_core::{Archive, SaveOptions};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let result = match (args.get(1).map(String::as_str), args.len()) {
        (Some("save"), 7) => save(&args[2], &args[3], &args[4], &args[5], &args[6]),
        (Some("stream"), 6) => stream(&args[2], &args[3], &args[4], &args[5]),
        _ => Err("usage: archive_worker save DIR LAYOUT ELEMENTS FIRST COUNT | stream DIR STORE VERSION ROWS".into()),
    };
    if let Err(e) = result {
        eprintln!("archive_worker: {e}");
        std::process::exit(1);
    }
}

fn save(
    dir: &str,
    layout: &str,
    elements: &str,
    first: &str,
    count: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let options = match layout {
        "package" => SaveOptions::package(),
        "module" => SaveOptions::module(),
        other => return Err(format!("unknown layout {other}").into()),
    }
    .overwrite(true);
    let elements: usize = elements.parse()?;
    let first: u64 = first.parse()?;
    let count: u64 = count.parse()?;
    let path = std::path::Path::new(dir).join(if layout == "module" {
        "arch.py"
    } else {
        "arch"
    });
    let mut stdout = std::io::stdout().lock();
    for version in first..first + count {
        let data = Array1::from_elem(elements, version as f64);
        let mut archive = Archive::new();
        archive.insert("version", version)?;
        archive.insert("data", &data)?;
        archive.save(&path, options)?;
        writeln!(stdout, "saved {version}")?;
        stdout.flush()?;
    }
    Ok(())
}

fn stream(
    dir: &str,
    store: &str,
    version: &str,
    rows: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let store = match store {
        "npy" => persist_core::ArrayStore::Npy,
        #[cfg(feature = "hdf5")]
        "hdf5" => persist_core::ArrayStore::Hdf5(Default::default()),
        #[cfg(feature = "zarr")]
        "zarr" => persist_core::ArrayStore::Zarr(Default::default()),
        other => return Err(format!("unknown or disabled store {other}").into()),
    };
    let version: u64 = version.parse()?;
    let rows: usize = rows.parse()?;
    let mut archive = Archive::new().with_array_store(store);
    archive.insert("version", version)?;
    let path = std::path::Path::new(dir).join("arch");
    let mut build = archive.build(&path, SaveOptions::package().overwrite(true))?;
    let mut data = build.stream::<f64>("data", &[10_000])?;
    let row = Array1::from_elem(10_000, version as f64);
    let mut stdout = std::io::stdout().lock();
    for n in 0..rows {
        data.push(&row)?;
        writeln!(stdout, "row {n}")?;
        stdout.flush()?;
    }
    build.insert("data", data.finish()?)?;
    build.commit()?;
    writeln!(stdout, "saved {version}")?;
    stdout.flush()?;
    Ok(())
}
