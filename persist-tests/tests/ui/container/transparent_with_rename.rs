use persist_core::Persist;

#[derive(Persist)]
#[persist(transparent, rename = "K")]
struct Kelvin(f64);

fn main() {}
