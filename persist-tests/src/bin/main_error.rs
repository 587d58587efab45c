//! A user's program as the README writes them, `fn main() -> Result<(), Box<dyn Error>>`,
//! making one ordinary mistake, so that a test sees what Rust prints for the error
//! (`Error: {:?}` of it) in a real process (tests/it/error_debug.rs).
//!
//! ```text
//! main_error save-twice PATH     save a module archive at PATH twice, without overwrite
//! main_error insert-twice PATH   create a DataSet at PATH and insert the item `T160` twice
//! ```

use std::error::Error;

use persist_core::{Archive, DataSet, SaveOptions};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(mistake), Some(path)) = (args.next(), args.next()) else {
        return Err("usage: main_error save-twice|insert-twice PATH".into());
    };
    match mistake.as_str() {
        "save-twice" => {
            let mut archive = Archive::new();
            archive.insert("steps", 10u32)?;
            archive.save(&path, SaveOptions::module())?;
            archive.save(&path, SaveOptions::module())?;
        }
        "insert-twice" => {
            let sweep = DataSet::create(&path)?;
            sweep.insert("T160", &1.5f64, &160.0f64)?;
            sweep.insert("T160", &2.5f64, &160.0f64)?;
        }
        other => return Err(format!("unknown mistake `{other}`").into()),
    }
    Ok(())
}
