//! Runnable examples of persist: see `quickstart.rs`.
