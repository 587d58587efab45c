//! [`Journal`]: the renames of an insert or a removal, recorded so that they can be undone.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::archive::fault;

/// The renames done so far, to undo them in reverse order when a later one fails.
#[derive(Debug, Default)]
pub(super) struct Journal {
    done: Vec<(PathBuf, PathBuf)>,
}

impl Journal {
    /// Rename `from` to `to` (after the fault point `step`), or say which file failed.
    pub(super) fn rename(
        &mut self,
        step: &'static str,
        from: &Path,
        to: &Path,
    ) -> Result<(), (PathBuf, io::Error)> {
        fault::point(step)
            .and_then(|()| fs::rename(from, to))
            .map_err(|e| (to.to_path_buf(), e))?;
        self.done.push((from.to_path_buf(), to.to_path_buf()));
        Ok(())
    }

    /// Undo every rename, last first; what the error message says happened.
    pub(super) fn undo(self) -> &'static str {
        let mut restored = true;
        for (from, to) in self.done.into_iter().rev() {
            restored &= fs::rename(&to, &from).is_ok();
        }
        if restored {
            "every step before it was undone: the DataSet is as it was before"
        } else {
            "undoing the steps before it failed too: the DataSet may hold a partial item, \
             which is not listed"
        }
    }
}
