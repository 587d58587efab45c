use persist_core::Persist;

// A type alias names the records a type reads: on a type that reads no record of its own, or
// spelling the type's own name, it would do nothing.
#[derive(Persist)]
#[persist(transparent, alias = "Length")]
struct Meters(f64);

#[derive(Persist)]
#[persist(alias = "Params")]
struct Params {
    steps: u32,
}

#[derive(Persist)]
#[persist(alias = "not a name")]
struct Settings {
    steps: u32,
}

fn main() {}
