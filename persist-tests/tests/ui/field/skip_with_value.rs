use persist_core::Persist;

#[derive(Persist)]
struct Params {
    #[persist(skip = true)]
    cache: Vec<u8>,
}

fn main() {}
