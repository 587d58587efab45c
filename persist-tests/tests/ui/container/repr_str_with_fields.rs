use persist_core::Persist;

#[derive(Persist)]
#[persist(repr = "str")]
enum Mode {
    Fast,
    Tuned { factor: f64 },
}

fn main() {}
