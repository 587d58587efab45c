use persist_core::Persist;

#[derive(Persist, Clone)]
#[persist(into = "not a type")]
struct Meters {
    value: f64,
}

fn main() {}
