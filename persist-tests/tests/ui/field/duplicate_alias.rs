use persist_core::Persist;

#[derive(Persist)]
struct Params {
    #[persist(alias = "rate", alias = "rate")]
    alpha: f64,
}

fn main() {}
