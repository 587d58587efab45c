use persist_core::Persist;

#[derive(Persist)]
struct Series<T> {
    #[persist(bound = "T Persist")]
    values: Vec<T>,
}

fn main() {}
