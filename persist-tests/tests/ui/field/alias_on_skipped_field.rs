use persist_core::Persist;

#[derive(Persist)]
struct Params {
    alpha: f64,
    #[persist(skip, alias = "memo")]
    cache: Vec<u8>,
}

fn main() {}
