use persist_core::Persist;

#[derive(Persist)]
struct Node {
    r#class: u8,
}

fn main() {}
