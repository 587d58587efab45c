use persist_core::Persist;

#[derive(Persist)]
struct Box3 {
    größe: f64,
}

fn main() {}
