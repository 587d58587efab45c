use persist_core::Persist;

#[derive(Persist)]
struct Job {
    #[persist(with = "1 + 1")]
    timeout: std::time::Duration,
}

fn main() {}
