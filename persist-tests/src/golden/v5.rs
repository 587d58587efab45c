//! The golden archives of format 5: format 4's set written again (its long lists of plain
//! values now arrays: one-column tables), and `stamps.py`, the types
//! format 5 added (`Duration` as `timedelta`, `SystemTime` as an aware `datetime`,
//! `#[persist(bytes)]` as `bytes`). Format 5 made records standard dataclasses that the module
//! keeps (so that they pickle and deep-copy), which makes every archive with records format 5;
//! the others keep the oldest format that holds them.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use persist_core::Persist;

/// One run's time stamp and checksum.
#[derive(Persist, Debug, PartialEq, Clone)]
pub struct Stamp {
    /// When the run started (2025-12-02 05:18:07.250001 UTC).
    pub at: SystemTime,
    /// How long it took.
    pub took: Duration,
    /// A checksum, every byte value once.
    #[persist(bytes)]
    pub digest: Vec<u8>,
    /// A file signature.
    #[persist(bytes)]
    pub magic: [u8; 4],
}

/// The values of `stamps.py`: a stamp, a time before the epoch and a negative-free duration
/// list.
pub fn stamps() -> (Stamp, SystemTime, Vec<Duration>) {
    let stamp = Stamp {
        at: UNIX_EPOCH + Duration::from_micros(1_764_652_687_250_001),
        took: Duration::from_micros(90_061_000_005),
        digest: (0..=255).collect(),
        magic: *b"\x89PNG",
    };
    let before = UNIX_EPOCH - Duration::from_secs(86_400 * 365);
    let durations = vec![
        Duration::ZERO,
        Duration::from_micros(1),
        Duration::from_secs(3600),
    ];
    (stamp, before, durations)
}

/// The entries of format 5's folder beyond those of format 4: `stamps.py`, and the arrays of
/// `scalars.py`, whose long lists format 5 stores as arrays (one-column tables).
pub const ENTRIES: [&str; 2] = ["scalars_arrays", "stamps.py"];

/// Every entry of the folder (`__pycache__` aside), sorted.
pub fn entries() -> Vec<&'static str> {
    let mut all = super::v4::entries();
    all.extend(ENTRIES);
    all.sort_unstable();
    all
}

/// Write the golden archives of format 5 into `dir` (which must not exist yet).
///
/// # Errors
/// `dir` exists, or an archive cannot be written.
#[cfg(all(feature = "hdf5", feature = "zarr"))]
pub fn write(dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    super::v4::write(dir)?;
    let (stamp, before, durations) = stamps();
    let mut archive = persist_core::Archive::new();
    archive.insert("stamp", stamp)?;
    archive.insert("before", before)?;
    archive.insert("durations", durations)?;
    archive.save(dir.join("stamps.py"), persist_core::SaveOptions::module())?;
    Ok(())
}
