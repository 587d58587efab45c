use persist_core::Persist;

#[derive(Persist)]
struct Run {
    #[persist(python = "geometry:Point")]
    origin: (f64, f64),
}

fn main() {}
