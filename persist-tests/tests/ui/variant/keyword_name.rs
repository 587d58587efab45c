use persist_core::Persist;

#[derive(Persist)]
enum Switch {
    On,
    False,
}

fn main() {}
