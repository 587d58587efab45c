use persist_core::Persist;

#[derive(Persist)]
union Bits {
    int: u32,
    float: f32,
}

fn main() {}
