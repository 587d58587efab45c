use persist_core::Persist;

#[derive(Persist)]
struct Params {
    #[persist(renam = "a")]
    alpha: f64,
}

fn main() {}
