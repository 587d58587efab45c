use persist_core::Persist;

struct Opaque;

#[derive(Persist)]
enum Shape {
    Circle { radius: f64 },
    Blob(Opaque),
}

fn main() {}
