use persist_core::Persist;

#[derive(Persist)]
struct Params {
    n: u32,
    #[persist(rename = "n")]
    steps: u32,
}

fn main() {}
