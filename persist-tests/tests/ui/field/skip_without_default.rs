use persist_core::Persist;

struct Handle;

#[derive(Persist)]
struct Params {
    alpha: f64,
    #[persist(skip)]
    handle: Handle,
}

fn main() {}
