use persist_core::Persist;

#[derive(Persist)]
#[persist(rename_all = "camel")]
struct Config {
    max_iterations: u32,
}

fn main() {}
