use persist_core::Persist;

#[derive(Persist)]
#[persist(skip)]
struct Cache {
    hits: u64,
}

fn main() {}
