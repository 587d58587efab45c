use persist_core::Persist;

mod raw {}

#[derive(Persist)]
struct Frame {
    #[persist(with = "raw", bytes)]
    payload: Vec<u8>,
}

fn main() {}
