use persist_core::Persist;

struct Opaque;

#[derive(Persist)]
struct Pair(f64, Opaque);

fn main() {}
