use persist_core::Persist;

#[derive(Persist)]
#[persist(deny_unknown_fields = true)]
struct Params {
    alpha: f64,
}

fn main() {}
