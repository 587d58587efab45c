//! The one integration test binary of persist: each module is one area of behaviour.

mod derive;
mod hygiene;
mod ui;
