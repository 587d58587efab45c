use persist_core::Persist;

fn initial() -> i64 {
    100
}

#[derive(Persist)]
struct Params {
    #[persist(default = "initial")]
    steps: u32,
}

fn main() {}
