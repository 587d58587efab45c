use persist_core::Persist;

#[derive(Persist)]
struct Params {
    #[persist(rename = "a")]
    #[persist(rename = "b")]
    alpha: f64,
}

fn main() {}
