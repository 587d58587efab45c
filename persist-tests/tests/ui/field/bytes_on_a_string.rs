use persist_core::Persist;

#[derive(Persist)]
struct Frame {
    #[persist(bytes)]
    payload: String,
}

fn main() {}
