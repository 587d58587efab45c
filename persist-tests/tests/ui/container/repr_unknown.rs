use persist_core::Persist;

#[derive(Persist)]
#[persist(repr = "int")]
enum Mode {
    Fast,
    Slow,
}

fn main() {}
