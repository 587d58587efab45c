//! A helper process of the DataSet tests: several of these write into (or read from) one
//! DataSet at the same time.
//!
//! ```text
//! dataset_worker write DIR WRITER COUNT   insert COUNT items `wWRITER_I`, printing
//!                                         "inserted NAME" after each insert returns
//! dataset_worker read DIR MILLIS          read every listed item again and again for MILLIS ms,
//!                                         checking each value; print "reads N" at the end
//! dataset_worker remove DIR NAME          remove item NAME
//! dataset_worker set_info DIR NAME        set the metadata of item NAME to `{"checked": 1.0}`
//! ```
//! Any error ends the process with status 1 and the error on stderr.

use std::io::Write as _;
use std::time::{Duration, Instant};

use persist_core::DataSet;
use persist_tests::dataset::{Point, point, point_info};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let result = match args.get(1).map(String::as_str) {
        Some("write") => write(&args[2], args[3].parse().unwrap(), args[4].parse().unwrap()),
        Some("read") => read(&args[2], args[3].parse().unwrap()),
        Some("remove") => DataSet::open(&args[2])
            .and_then(|ds| ds.remove(&args[3]))
            .map_err(Into::into),
        Some("set_info") => DataSet::open(&args[2])
            .and_then(|ds| {
                ds.set_info(
                    &args[3],
                    &std::collections::BTreeMap::from([("checked", 1.0)]),
                )
            })
            .map_err(Into::into),
        _ => Err(
            "usage: dataset_worker write DIR WRITER COUNT | read DIR MILLIS | remove DIR NAME \
             | set_info DIR NAME"
                .into(),
        ),
    };
    if let Err(e) = result {
        eprintln!("dataset_worker: {e}");
        std::process::exit(1);
    }
}

fn write(dir: &str, writer: u32, count: u32) -> Result<(), Box<dyn std::error::Error>> {
    let ds = DataSet::open_or_create(dir)?;
    let mut stdout = std::io::stdout().lock();
    for index in 0..count {
        let name = format!("w{writer}_{index}");
        ds.insert(&name, &point(writer, index), &point_info(writer, index))?;
        writeln!(stdout, "inserted {name}")?;
        stdout.flush()?;
    }
    Ok(())
}

fn read(dir: &str, millis: u64) -> Result<(), Box<dyn std::error::Error>> {
    let ds = DataSet::open_read_only(dir)?;
    let end = Instant::now() + Duration::from_millis(millis);
    let mut reads = 0u64;
    while Instant::now() < end {
        for name in ds.items()? {
            let (writer, index) = persist_tests::dataset::parse_name(&name)
                .ok_or_else(|| format!("unexpected item name {name}"))?;
            let value: Point = ds.read(&name)?;
            if value != point(writer, index) {
                return Err(format!("item {name} read back wrong").into());
            }
            reads += 1;
        }
    }
    println!("reads {reads}");
    Ok(())
}
