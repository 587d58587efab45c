use persist_core::Persist;

#[derive(Persist)]
#[persist(renam = "Settings")]
struct Config {
    alpha: f64,
}

fn main() {}
