//! P2 (writing many small records) and P4 (reading them back in Rust), against serde_json.

use std::fs;

use persist_bench::{Row, Table, Target, rounds, time};
use persist_core::{Archive, ArchiveReader, SaveOptions};

use crate::records::Particle;
use crate::{Config, mb, secs};

/// The archive source of `particles` as the item `particles`.
pub fn source(particles: &[Particle]) -> String {
    let mut archive = Archive::new();
    archive.insert("particles", particles).expect("insert");
    archive.to_python_source().expect("render")
}

/// P2: `Archive::to_python_source` vs `serde_json::to_writer` of the same values.
pub fn write(config: &Config, table: &mut Table, particles: &[Particle]) {
    eprintln!("P2: writing {} records", particles.len());
    let mut source_len = 0;
    let mut json_len = 0;
    let samples = rounds(
        config.reps(7, 2),
        &mut [
            Box::new(|| {
                let (t, s) = time(|| source(particles));
                source_len = s.len();
                t
            }),
            Box::new(|| {
                let (t, out) = time(|| {
                    let mut out = Vec::new();
                    serde_json::to_writer(&mut out, particles).expect("serde_json");
                    out
                });
                json_len = out.len();
                t
            }),
        ],
    );
    let [archive, json] = [0, 1].map(|i| samples[i].median());
    table.push(Row::new(
        "P2",
        format!(
            "write {} records as source (`to_python_source`)",
            particles.len()
        ),
        format!("{} ({:.1} MB)", secs(archive), mb(source_len as u64)),
        format!(
            "`serde_json::to_writer` {} ({:.1} MB)",
            secs(json),
            mb(json_len as u64)
        ),
        archive / json,
        Target::AtMost(1.0),
    ));
}

/// P4: reading the records back in Rust, from a string and from disk, vs `serde_json`.
pub fn read(config: &Config, table: &mut Table, particles: &[Particle]) {
    eprintln!("P4: reading {} records", particles.len());
    let source = source(particles);
    let json = serde_json::to_vec(particles).expect("serde_json");
    let from_source = || -> Vec<Particle> {
        ArchiveReader::from_source(&source)
            .expect("parse")
            .read("particles")
            .expect("read")
    };
    let from_json = || -> Vec<Particle> { serde_json::from_slice(&json).expect("serde_json") };
    assert!(
        from_source() == particles,
        "the archive reads back different values"
    );
    assert!(
        from_json() == particles,
        "serde_json reads back different values"
    );

    let samples = rounds(
        config.reps(7, 2),
        &mut [
            Box::new(|| time(from_source).0),
            Box::new(|| time(|| drop(ArchiveReader::from_source(&source).expect("parse"))).0),
            Box::new(|| time(from_json).0),
        ],
    );
    let [archive, parse, json_t] = [0, 1, 2].map(|i| samples[i].median());
    let n = particles.len();
    table.push(Row::new(
        "P4",
        format!("read {n} records from a string (`ArchiveReader::from_source` + `read`)"),
        secs(archive),
        format!("`serde_json::from_slice` {}", secs(json_t)),
        archive / json_t,
        Target::AtMost(1.5),
    ));
    table.push(Row::new(
        "P4",
        "of which parsing and checking the module (`from_source` alone, its tree dropped)",
        secs(parse),
        format!("`serde_json::from_slice` {}", secs(json_t)),
        parse / json_t,
        Target::None,
    ));

    // From disk: the package archive P3 imports, and the JSON file beside it.
    let dir = config.scratch("records");
    let archive_path = dir.join("particles_archive");
    let json_path = dir.join("particles.json");
    let mut archive = Archive::new();
    archive.insert("particles", particles).expect("insert");
    archive
        .save(&archive_path, SaveOptions::package())
        .expect("save");
    fs::write(&json_path, &json).expect("write JSON");
    let samples = rounds(
        config.reps(7, 2),
        &mut [
            Box::new(|| {
                time(|| {
                    let v: Vec<Particle> = ArchiveReader::open(&archive_path)
                        .expect("open")
                        .read("particles")
                        .expect("read");
                    v.len()
                })
                .0
            }),
            Box::new(|| {
                time(|| {
                    let bytes = fs::read(&json_path).expect("read JSON");
                    let v: Vec<Particle> = serde_json::from_slice(&bytes).expect("serde_json");
                    v.len()
                })
                .0
            }),
        ],
    );
    let [archive, json_t] = [0, 1].map(|i| samples[i].median());
    table.push(Row::new(
        "P4",
        format!("read {n} records from disk (`ArchiveReader::open` + `read`)"),
        secs(archive),
        format!("`fs::read` + `serde_json::from_slice` {}", secs(json_t)),
        archive / json_t,
        Target::AtMost(1.5),
    ));
}
