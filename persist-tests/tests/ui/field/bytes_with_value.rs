use persist_core::Persist;

#[derive(Persist)]
struct Frame {
    #[persist(bytes = "yes")]
    payload: Vec<u8>,
}

fn main() {}
