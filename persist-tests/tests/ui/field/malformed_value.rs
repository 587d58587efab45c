use persist_core::Persist;

#[derive(Persist)]
struct Params {
    #[persist(rename = 5)]
    alpha: f64,
}

fn main() {}
