use persist_core::Persist;

#[derive(Persist)]
enum Shape {
    Circle { radius: f64 },
    #[persist(rename = "Circle")]
    Disc { radius: f64 },
}

fn main() {}
