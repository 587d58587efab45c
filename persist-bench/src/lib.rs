//! Helpers of persist's benchmark suite: timing with medians, peak memory, the machine, and the
//! table of figures, ratios and targets that `scripts/bench` prints.
//!
//! The benchmarks themselves are bench targets (`benches/suite/`, `benches/micro.rs`), built
//! only by `cargo bench`, so that `cargo test` and `cargo clippy` stay fast and timing never
//! fails CI. Run them all with `scripts/bench`; BENCHMARKS.md reports the figures.
//!
//! # API map
//! - [`Samples`], [`time`], [`rounds`]: repeat a measurement, interleaving the contenders, and
//!   take the median.
//! - [`peak_rss`], [`current_rss`]: the peak and current resident memory of this process
//!   (`VmHWM`, `VmRSS`).
//! - [`Machine`]: cores, CPU and memory, from `/proc`.
//! - [`Table`], [`Row`], [`Target`], [`Verdict`]: the report, as aligned text or Markdown.

mod machine;
mod measure;
mod table;

pub use machine::{Machine, current_rss, peak_rss};
pub use measure::{Samples, rounds, time};
pub use table::{Row, Table, Target, Verdict};
