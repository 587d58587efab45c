//! Getting started: the README's first example, word for word (tests/readme.rs checks that the
//! README's block stands in this file, and runs it).
//!
//! ```text
//! cargo run --example getting_started   # writes results/run_1/ in the current folder
//! ```

use persist_core::{Archive, ArchiveReader, Persist, SaveOptions};

#[derive(Persist, Debug, PartialEq)]
struct Config {
    temperature: f64,
    steps: u32,
}

#[derive(Persist)]
struct Step {
    t: f64,
    energy: f64,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config {
        temperature: 300.0,
        steps: 200,
    };
    let steps: Vec<Step> = (0..200)
        .map(|i| Step {
            t: 0.01 * i as f64,
            energy: 1.0 / (1.0 + i as f64),
        })
        .collect();

    let mut archive = Archive::new();
    archive.insert("config", &config)?;
    archive.insert("steps", &steps)?; // 200 records: written as a table, column by column
    std::fs::create_dir_all("results")?;
    archive.save("results/run_1", SaveOptions::package().overwrite(true))?;

    let back: Config = ArchiveReader::open("results/run_1")?.read("config")?;
    assert_eq!(back, config);
    Ok(())
}
