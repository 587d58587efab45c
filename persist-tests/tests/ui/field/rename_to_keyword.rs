use persist_core::Persist;

#[derive(Persist)]
struct Params {
    #[persist(rename = "lambda")]
    rate: f64,
}

fn main() {}
