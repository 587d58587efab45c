//! Repeated timings and their median.

use std::time::{Duration, Instant};

/// The durations of one contender over repeated runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Samples {
    durations: Vec<Duration>,
}

impl Samples {
    /// No samples yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add one duration.
    pub fn push(&mut self, d: Duration) {
        self.durations.push(d);
    }

    /// How many durations were taken.
    pub fn len(&self) -> usize {
        self.durations.len()
    }

    /// Whether no duration was taken.
    pub fn is_empty(&self) -> bool {
        self.durations.is_empty()
    }

    /// The median, in seconds (the mean of the two middle ones for an even count); 0 when empty.
    ///
    /// ```
    /// use std::time::Duration;
    /// let mut s = persist_bench::Samples::new();
    /// for ms in [30, 10, 20] {
    ///     s.push(Duration::from_millis(ms));
    /// }
    /// assert_eq!(s.median(), 0.02);
    /// ```
    pub fn median(&self) -> f64 {
        let mut secs: Vec<f64> = self.durations.iter().map(Duration::as_secs_f64).collect();
        secs.sort_by(f64::total_cmp);
        match secs.len() {
            0 => 0.0,
            n if n % 2 == 1 => secs[n / 2],
            n => (secs[n / 2 - 1] + secs[n / 2]) / 2.0,
        }
    }

    /// The fastest and slowest run, in seconds.
    pub fn range(&self) -> (f64, f64) {
        let secs = self.durations.iter().map(Duration::as_secs_f64);
        let min = secs.clone().fold(f64::INFINITY, f64::min);
        let max = secs.fold(0.0, f64::max);
        (if min.is_finite() { min } else { 0.0 }, max)
    }
}

/// Run `f` once and return how long it took with its result.
pub fn time<R>(f: impl FnOnce() -> R) -> (Duration, R) {
    let start = Instant::now();
    let r = f();
    (start.elapsed(), r)
}

/// Run each contender once per round, `reps` rounds, interleaved (a, b, c, a, b, c, ...): on a
/// shared, noisy machine a slow spell then hits every contender alike instead of one. Each
/// contender times itself (so setup and cleanup stay outside the timing) and returns its
/// duration.
///
/// ```
/// use std::time::Duration;
/// let mut contenders: Vec<Box<dyn FnMut() -> Duration>> = vec![
///     Box::new(|| persist_bench::time(|| (0..1000).sum::<u64>()).0),
///     Box::new(|| persist_bench::time(|| (0..10).sum::<u64>()).0),
/// ];
/// let samples = persist_bench::rounds(3, &mut contenders);
/// assert_eq!(samples.len(), 2);
/// assert_eq!(samples[0].len(), 3);
/// ```
pub fn rounds(reps: usize, contenders: &mut [Box<dyn FnMut() -> Duration + '_>]) -> Vec<Samples> {
    let mut samples = vec![Samples::new(); contenders.len()];
    for _ in 0..reps {
        for (contender, s) in contenders.iter_mut().zip(&mut samples) {
            s.push(contender());
        }
    }
    samples
}
