use persist_core::Persist;

#[derive(Persist)]
struct Params {
    #[persist(rename = "learning-rate")]
    rate: f64,
}

fn main() {}
