use persist_core::Persist;

#[derive(Persist)]
#[persist(bound = T)]
struct Series<T> {
    values: Vec<T>,
}

fn main() {}
