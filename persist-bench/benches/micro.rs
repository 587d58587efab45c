//! Micro figures with divan, on inputs small enough to repeat many times: the per-value costs
//! behind P2 and P4 (writing and reading records) and small inline arrays.
//!
//! ```text
//! cargo bench -p persist-bench --bench micro
//! ```

#[path = "suite/records.rs"]
mod records;

use divan::{Bencher, black_box};
use ndarray::Array1;
use persist_core::{Archive, ArchiveReader};
use records::Particle;

fn main() {
    divan::main();
}

/// Record counts: one record, and a thousand.
const COUNTS: [usize; 2] = [1, 1000];

fn source<T: persist_core::Persist>(value: &T) -> String {
    let mut archive = Archive::local();
    archive.insert("x", value).expect("insert");
    archive.to_python_source().expect("render")
}

/// Writing records: archive source vs JSON.
mod write {
    use super::*;

    #[divan::bench(args = COUNTS)]
    fn persist_source(bencher: Bencher, n: usize) {
        let particles = records::particles(n);
        bencher.bench(|| source(black_box(&particles)));
    }

    #[divan::bench(args = COUNTS)]
    fn serde_json(bencher: Bencher, n: usize) {
        let particles = records::particles(n);
        bencher.bench(|| {
            let mut out = Vec::new();
            ::serde_json::to_writer(&mut out, black_box(&particles)).expect("serde_json");
            out
        });
    }

    /// A 100-element f64 array, inline (at the default threshold) as readable numbers.
    #[divan::bench]
    fn persist_inline_array(bencher: Bencher) {
        let array = Array1::from_shape_fn(100, |i| (i as f64).sqrt());
        bencher.bench(|| source(black_box(&array)));
    }
}

/// Reading records back: archive source vs JSON.
mod read {
    use super::*;

    #[divan::bench(args = COUNTS)]
    fn persist_source(bencher: Bencher, n: usize) {
        let text = source(&records::particles(n));
        bencher.bench(|| -> Vec<Particle> {
            ArchiveReader::from_source(black_box(&text))
                .expect("parse")
                .read("x")
                .expect("read")
        });
    }

    #[divan::bench(args = COUNTS)]
    fn serde_json(bencher: Bencher, n: usize) {
        let json = ::serde_json::to_vec(&records::particles(n)).expect("serde_json");
        bencher.bench(|| -> Vec<Particle> {
            ::serde_json::from_slice(black_box(&json)).expect("serde_json")
        });
    }

    /// A 100-element f64 array written inline.
    #[divan::bench]
    fn persist_inline_array(bencher: Bencher) {
        let text = source(&Array1::from_shape_fn(100, |i| (i as f64).sqrt()));
        bencher.bench(|| -> Array1<f64> {
            persist_core::from_str(black_box(&text), "x").expect("read")
        });
    }
}
