use persist_core::Persist;

#[derive(Persist)]
#[persist(from = "f64", try_from = "f64")]
struct Meters {
    value: f64,
}

impl From<f64> for Meters {
    fn from(value: f64) -> Self {
        Meters { value }
    }
}

fn main() {}
