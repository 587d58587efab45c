use persist_core::Persist;

#[derive(Persist)]
#[persist(python = "shapes:Shape")]
enum Shape {
    Circle { radius: f64 },
    Square { side: f64 },
}

fn main() {}
