use persist_core::Persist;

#[derive(Persist)]
#[persist = "Settings"]
struct Config {
    alpha: f64,
}

fn main() {}
