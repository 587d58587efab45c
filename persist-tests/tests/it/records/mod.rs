//! `#[derive(Persist)]` types seen from Python: attribute access, equality, repr, variants,
//! `rename`/`skip`, the user's own classes, awkward field names and deep nesting.
//!
//! This module holds the records whose Rust path (`it::records::...`) a Python check asserts, so
//! that moving a test does not change the path, and `Pair`, which every submodule uses.

mod deep;
mod names;
mod pickle;
mod structs;
mod unicode;

use persist_core::Persist;

#[derive(Persist, Clone)]
struct Params {
    alpha: f64,
    steps: u32,
    name: String,
}

#[derive(Persist, Clone)]
struct Pair(i32, f64);

#[derive(Persist)]
struct Marker;

#[derive(Persist, Clone)]
enum Shape {
    Empty,
    Circle {
        radius: f64,
    },
    #[persist(rename = "Rect")]
    Rectangle(f64, f64),
}

#[derive(Persist)]
#[persist(rename = "Settings")]
struct Config {
    #[persist(rename = "n")]
    steps: u32,
    #[persist(skip)]
    #[allow(dead_code)]
    cache: Vec<u8>,
    label: &'static str,
}
