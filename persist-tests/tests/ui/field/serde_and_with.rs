use persist_core::Persist;

mod secs {}

#[derive(Persist)]
struct Job {
    #[persist(serde, with = "secs")]
    timeout: u64,
}

fn main() {}
