use persist_core::Persist;

#[derive(Persist)]
#[persist(crate = "persist core")]
struct Config {
    alpha: f64,
}

fn main() {}
