//! A helper process of the Zarr parallel-writer tests: one writer of a `ZarrParts` array.
//!
//! ```text
//! zarr_worker TOKEN START END
//!     write rows START..END of the 2-d f64 array of TOKEN, each element row * COLS + column
//!     (COLS the array's second axis); print "wrote START-END"
//! zarr_worker TOKEN START END fail
//!     open the array, then exit with status 3 without writing (a writer that died)
//! ```
//! Any error ends the process with status 1 and the error on stderr.

use persist_core::ZarrPart;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Err(e) = run(&args) {
        eprintln!("zarr_worker: {e}");
        std::process::exit(1);
    }
}

fn run(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let [_, token, start, end, rest @ ..] = args else {
        return Err("usage: zarr_worker TOKEN START END [fail]".into());
    };
    let (start, end): (usize, usize) = (start.parse()?, end.parse()?);
    let mut part = ZarrPart::<f64>::open(token)?;
    if rest.first().map(String::as_str) == Some("fail") {
        std::process::exit(3);
    }
    let cols = 300;
    let rows = ndarray::Array2::from_shape_fn((end - start, cols), |(r, c)| {
        ((start + r) * cols + c) as f64
    });
    part.write(start, &rows)?;
    println!("wrote {start}-{end}");
    Ok(())
}
