//! A helper process of the archive durability tests: it overwrites one archive again and again
//! while the test freezes (SIGSTOP) or kills (SIGKILL) it.
//!
//! ```text
//! archive_worker save DIR LAYOUT ELEMENTS FIRST COUNT
//!     save DIR/arch (LAYOUT: package or module) COUNT times, overwriting, with the versions
//!     FIRST, FIRST+1, ...: items `version` (u64) and `data` (ELEMENTS f64, every one equal to
//!     the version, in an external .npy file); print "saved V" after each save returns
//! ```
//! Any error ends the process with status 1 and the error on stderr.

use std::io::Write as _;

use ndarray::Array1;
use persist_core::{Archive, SaveOptions};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let result = match (args.get(1).map(String::as_str), args.len()) {
        (Some("save"), 7) => save(&args[2], &args[3], &args[4], &args[5], &args[6]),
        _ => Err("usage: archive_worker save DIR LAYOUT ELEMENTS FIRST COUNT".into()),
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
