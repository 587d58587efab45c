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

/// The archive source of `particles` as the item `particles`: a record table (the default for
/// a long list of records), or one record call per element (`tables` false: a threshold no list
/// exceeds, as for the short lists and mixed values most archives hold).
pub fn source_with(particles: &[Particle], tables: bool) -> String {
    let mut archive = Archive::new();
    if !tables {
        archive = archive.with_array_threshold(usize::MAX);
    }
    archive.insert("particles", particles).expect("insert");
    archive.to_python_source().expect("render")
}

/// The archive source of `particles` as a record table.
pub fn source(particles: &[Particle]) -> String {
    source_with(particles, true)
}

/// How long [`source_with`] took; the length of the source goes to `len`.
fn timed_source(particles: &[Particle], tables: bool, len: &mut usize) -> Duration {
    let (t, source) = time(|| source_with(particles, tables));
    *len = source.len();
    t
}

/// P2: `Archive::to_python_source` (one record per element, and a record table) vs
/// `serde_json::to_writer` of the same values.
pub fn write(config: &Config, table: &mut Table, particles: &[Particle]) {
    eprintln!("P2: writing {} records", particles.len());
    let mut lens = [0; 3];
    let [per_record_len, table_len, json_len] = &mut lens;
    let samples = rounds(
        config.reps(7, 2),
        &mut [
            Box::new(|| timed_source(particles, false, per_record_len)),
            Box::new(|| {
                let (t, out) = time(|| {
                    let mut out = Vec::new();
                    serde_json::to_writer(&mut out, particles).expect("serde_json");
                    out
                });
                *json_len = out.len();
                t
            }),
            Box::new(|| timed_source(particles, true, table_len)),
        ],
    );
    let [per_record, json, tables] = [0, 1, 2].map(|i| samples[i].median());
    let n = particles.len();
    let baseline = format!(
        "`serde_json::to_writer` {} ({:.1} MB)",
        secs(json),
        mb(lens[2] as u64)
    );
    table.push(Row::new(
        "P2",
        format!("write {n} records as per-record source (`to_python_source`, no record table)"),
        format!("{} ({:.1} MB)", secs(per_record), mb(lens[0] as u64)),
        baseline.clone(),
        per_record / json,
        Target::AtMost(1.5),
    ));
    table.push(Row::new(
        "P2",
        format!("write {n} records as source (`to_python_source`, a record table)"),
        format!("{} ({:.1} MB)", secs(tables), mb(lens[1] as u64)),
        baseline,
        tables / json,
        Target::AtMost(1.0),
    ));
}

/// P4: reading the records back in Rust, from a string (per-record source and a record table)
/// and from disk, vs `serde_json`.
pub fn read(config: &Config, table: &mut Table, particles: &[Particle]) {
    eprintln!("P4: reading {} records", particles.len());
    let per_record = source_with(particles, false);
    let source = source(particles);
    let json = serde_json::to_vec(particles).expect("serde_json");
    let from_source = |source: &str| -> Vec<Particle> {
        ArchiveReader::from_source(source)
            .expect("parse")
            .read("particles")
            .expect("read")
    };
    let parse = |source: &str| drop(ArchiveReader::from_source(source).expect("parse"));
    let from_json = || -> Vec<Particle> { serde_json::from_slice(&json).expect("serde_json") };
    assert!(
        from_source(&per_record) == particles && from_source(&source) == particles,
        "the archive reads back different values"
    );
    assert!(
        from_json() == particles,
        "serde_json reads back different values"
    );

    let samples = rounds(
        config.reps(7, 2),
        &mut [
            Box::new(|| time(|| from_source(&per_record)).0),
            Box::new(|| time(|| parse(&per_record)).0),
            Box::new(|| time(from_json).0),
            Box::new(|| time(|| from_source(&source)).0),
            Box::new(|| time(|| parse(&source)).0),
        ],
    );
    let [per_record_t, per_record_parse, json_t, archive, parse_t] =
        [0, 1, 2, 3, 4].map(|i| samples[i].median());
    let n = particles.len();
    let baseline = format!("`serde_json::from_slice` {}", secs(json_t));
    let rows = [
        (
            format!("read {n} records from per-record source (`ArchiveReader::from_source` + `read`)"),
            per_record_t,
            Target::AtMost(2.0),
        ),
        (
            "of which parsing and checking the per-record module (`from_source` alone, its tree dropped)".to_owned(),
            per_record_parse,
            Target::None,
        ),
        (
            format!("read {n} records from a string, a record table (`ArchiveReader::from_source` + `read`)"),
            archive,
            Target::AtMost(1.5),
        ),
        (
            "of which parsing and checking the module (`from_source` alone, its tree dropped)".to_owned(),
            parse_t,
            Target::None,
        ),
    ];
    for (what, t, target) in rows {
        table.push(Row::new(
            "P4",
            what,
            secs(t),
            baseline.clone(),
            t / json_t,
            target,
        ));
    }

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

/// SMALL: one record written as an archive and read back (`to_python_source`, then
/// `ArchiveReader::from_source` + `read`) vs `serde_json::to_vec` + `from_slice`: the fixed cost
/// of an archive (its header, the record class it defines and binds back). Each sample times a
/// batch, reported per record.
pub fn small(config: &Config, table: &mut Table) {
    eprintln!("SMALL: one record, written and read back");
    let particle = crate::records::particles(1).remove(0);
    let batch = if config.quick { 200 } else { 5_000 };
    let write = || {
        let mut archive = Archive::new();
        archive.insert("x", &particle).expect("insert");
        archive.to_python_source().expect("render")
    };
    let read = |source: &str| -> Particle {
        ArchiveReader::from_source(source)
            .expect("parse")
            .read("x")
            .expect("read")
    };
    let source = write();
    let json = serde_json::to_vec(&particle).expect("serde_json");
    assert!(
        read(&source) == particle,
        "the archive reads back another value"
    );
    let per_record = |f: &mut dyn FnMut()| {
        let (t, ()) = time(|| (0..batch).for_each(|_| f()));
        t / batch as u32
    };
    let samples = rounds(
        config.reps(9, 2),
        &mut [
            Box::new(|| per_record(&mut || assert!(read(&write()) == particle))),
            Box::new(|| {
                per_record(&mut || {
                    let bytes = serde_json::to_vec(&particle).expect("serde_json");
                    let back: Particle = serde_json::from_slice(&bytes).expect("serde_json");
                    assert!(back == particle);
                })
            }),
            Box::new(|| per_record(&mut || drop(std::hint::black_box(write())))),
            Box::new(|| {
                per_record(&mut || drop(std::hint::black_box(serde_json::to_vec(&particle))))
            }),
            Box::new(|| per_record(&mut || drop(std::hint::black_box(read(&source))))),
            Box::new(|| {
                per_record(&mut || {
                    let back: Particle = serde_json::from_slice(&json).expect("serde_json");
                    drop(std::hint::black_box(back));
                })
            }),
        ],
    );
    let [both, json_both, w, json_w, r, json_r] = [0, 1, 2, 3, 4, 5].map(|i| samples[i].median());
    let rows = [
        (
            "write one record as an archive and read it back (`to_python_source`, `from_source` + `read`)",
            both,
            json_both,
            "`serde_json::to_vec` + `from_slice`",
            Target::AtMost(5.0),
        ),
        (
            "of which writing (`to_python_source`)",
            w,
            json_w,
            "`serde_json::to_vec`",
            Target::None,
        ),
        (
            "of which reading (`from_source` + `read`)",
            r,
            json_r,
            "`serde_json::from_slice`",
            Target::None,
        ),
    ];
    for (what, t, base, baseline, target) in rows {
        table.push(Row::new(
            "SMALL",
            what,
            secs(t),
            format!("{baseline} {}", secs(base)),
            t / base,
            target,
        ));
    }
}
