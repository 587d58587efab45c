//! P2 (writing many small records, as source and as a saved archive) and P4 (reading them back
//! in Rust), against serde_json.

use std::fs;
use std::io::{BufWriter, Write as _};
use std::path::Path;
use std::time::Duration;

use persist_bench::{Row, Table, Target, rounds, time};
use persist_core::{Archive, ArchiveReader, SaveOptions};

use crate::records::Particle;
use crate::{Config, disk_size, mb, secs};

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
        format!(
            "read {n} records from disk (`ArchiveReader::open` + `read`; the record-table target, was ≤ 1.5x)"
        ),
        secs(archive),
        format!("`fs::read` + `serde_json::from_slice` {}", secs(json_t)),
        archive / json_t,
        Target::AtMost(0.5),
    ));
    crate::records_rss::run(config, table, &dir, n);
}

/// Save `particles` as the item `particles` of the package archive `path` (removed first,
/// outside the timing), durable or not: how long `Archive::save` took.
fn time_save(particles: &[Particle], path: &Path, durable: bool) -> Duration {
    let _ = fs::remove_dir_all(path);
    let mut archive = Archive::new();
    archive.insert("particles", particles).expect("insert");
    let options = SaveOptions::package().durable(durable);
    time(|| archive.save(path, options).expect("save")).0
}

/// Write `particles` as JSON into the file `path` (removed first, outside the timing) with
/// `serde_json::to_writer` through a `BufWriter`, flushed, and `sync_all`ed if `durable`: how
/// long it took.
fn time_json_file(particles: &[Particle], path: &Path, durable: bool) -> Duration {
    let _ = fs::remove_file(path);
    time(|| {
        let mut out = BufWriter::new(fs::File::create(path).expect("create"));
        serde_json::to_writer(&mut out, particles).expect("serde_json");
        out.flush().expect("flush");
        if durable {
            out.get_ref().sync_all().expect("sync_all");
        }
    })
    .0
}

/// P2: `Archive::save` of the records as a package archive (a record table, npy columns) vs
/// `serde_json::to_writer` into a buffered file, both durable (`sync_all`), then both not.
pub fn save(config: &Config, table: &mut Table, particles: &[Particle]) {
    let n = particles.len();
    eprintln!("P2: saving {n} records to disk");
    let dir = config.scratch("p2");
    let (durable_path, scratch_path) = (dir.join("durable_archive"), dir.join("scratch_archive"));
    let (synced_json, json) = (dir.join("synced.json"), dir.join("particles.json"));
    let samples = rounds(
        config.reps(7, 2),
        &mut [
            Box::new(|| time_save(particles, &durable_path, true)),
            Box::new(|| time_json_file(particles, &synced_json, true)),
            Box::new(|| time_save(particles, &scratch_path, false)),
            Box::new(|| time_json_file(particles, &json, false)),
        ],
    );
    let [durable, synced, scratch, plain] = [0, 1, 2, 3].map(|i| samples[i].median());
    let on_disk = |t: f64, path: &Path| format!("{} ({:.1} MB)", secs(t), mb(disk_size(path)));
    table.push(Row::new(
        "P2",
        format!(
            "save {n} records, package archive (record table, npy columns; durable, the default)"
        ),
        on_disk(durable, &durable_path),
        format!(
            "`serde_json::to_writer` into a `BufWriter<File>` + `flush` + `sync_all` {}",
            on_disk(synced, &synced_json)
        ),
        durable / synced,
        Target::AtMost(0.5),
    ));
    table.push(Row::new(
        "P2",
        format!("save {n} records, package archive, `durable(false)`"),
        on_disk(scratch, &scratch_path),
        format!(
            "`serde_json::to_writer` into a `BufWriter<File>` + `flush` {}",
            on_disk(plain, &json)
        ),
        scratch / plain,
        Target::AtMost(0.5),
    ));
    let _ = fs::remove_dir_all(&dir);
}
