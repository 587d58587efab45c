use persist_core::Persist;

#[derive(Persist)]
struct Pair(#[persist(alias = "first")] f64, f64);

fn main() {}
