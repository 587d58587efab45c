use persist_core::Persist;

mod secs {}

#[derive(Persist)]
struct Job {
    #[persist(with = "secs")]
    timeout: std::time::Duration,
}

fn main() {}
