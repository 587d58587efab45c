use persist_core::Persist;

#[derive(Persist)]
struct Params {
    #[persist(alias = "lambda")]
    rate: f64,
}

fn main() {}
