use persist_core::Persist;

#[derive(Persist)]
#[persist(transparent)]
struct Point {
    x: f64,
    y: f64,
}

fn main() {}
