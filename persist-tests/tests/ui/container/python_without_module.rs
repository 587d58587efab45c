use persist_core::Persist;

#[derive(Persist)]
#[persist(python = "Point")]
struct Point {
    x: f64,
    y: f64,
}

fn main() {}
