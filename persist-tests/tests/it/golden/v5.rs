//! The golden archives of format 5, read back in Rust: format 4's set, every archive with
//! records now of format 5 (what Python sees of them is `check_v5.py`'s).

use std::path::Path;

/// Check every archive of the format-5 folder `dir`.
#[track_caller]
pub fn check(dir: &Path) {
    super::v4::check_set(dir, 5, 5);
}
