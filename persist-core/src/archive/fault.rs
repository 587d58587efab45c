//! Fault injection for the tests (feature `fault-injection`, off by default): each step of a
//! save or an insert that could fail calls [`point`], so a test can make exactly that step fail
//! (`PERSIST_FAULT=<step>`) or kill the process there (`PERSIST_FAULT_ABORT=<step>`), and prove
//! that nothing on disk is lost either way. Without the feature [`point`] does nothing.

use std::io;

/// A step of a save or insert named `step`: fails with an injected error, or aborts the
/// process, when the environment asks for it (feature `fault-injection` only).
#[cfg_attr(not(feature = "fault-injection"), inline(always))]
pub(crate) fn point(step: &'static str) -> io::Result<()> {
    #[cfg(feature = "fault-injection")]
    {
        if std::env::var_os("PERSIST_FAULT_ABORT").is_some_and(|v| v == step) {
            // Like a kill: no destructor runs, nothing is cleaned up.
            std::process::abort();
        }
        if std::env::var_os("PERSIST_FAULT").is_some_and(|v| v == step) {
            return Err(io::Error::other(format!("fault injected at step `{step}`")));
        }
    }
    let _ = step;
    Ok(())
}
