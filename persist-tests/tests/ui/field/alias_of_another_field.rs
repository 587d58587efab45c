use persist_core::Persist;

#[derive(Persist)]
struct Params {
    alpha: f64,
    #[persist(alias = "alpha")]
    beta: f64,
}

fn main() {}
