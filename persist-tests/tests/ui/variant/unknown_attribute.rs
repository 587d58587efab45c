use persist_core::Persist;

#[derive(Persist)]
enum Shape {
    #[persist(skipp)]
    Circle { radius: f64 },
}

fn main() {}
