use persist_core::Persist;

#[derive(Persist)]
#[persist()]
struct Config {
    alpha: f64,
}

fn main() {}
