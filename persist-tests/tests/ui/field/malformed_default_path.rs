use persist_core::Persist;

#[derive(Persist)]
struct Params {
    #[persist(default = "initial steps")]
    steps: u32,
}

fn main() {}
