use persist_core::Persist;

#[derive(Persist)]
#[persist(transparent)]
enum Celsius {
    Value(f64),
}

fn main() {}
