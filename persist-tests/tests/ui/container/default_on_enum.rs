use persist_core::Persist;

#[derive(Persist)]
#[persist(default)]
enum Mode {
    Fast,
    Slow,
}

fn main() {}
