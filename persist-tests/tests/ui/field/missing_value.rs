use persist_core::Persist;

#[derive(Persist)]
struct Params {
    #[persist(rename)]
    alpha: f64,
}

fn main() {}
