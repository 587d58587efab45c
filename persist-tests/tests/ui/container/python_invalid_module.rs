use persist_core::Persist;

#[derive(Persist)]
#[persist(python = "my-lib.geometry:Point")]
struct Point {
    x: f64,
    y: f64,
}

fn main() {}
