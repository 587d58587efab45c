use persist_core::Persist;

struct Opaque;

#[derive(Persist)]
struct Params {
    alpha: f64,
    handle: Opaque,
}

fn main() {}
