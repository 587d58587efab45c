use persist_core::Persist;

#[derive(Persist)]
#[persist(write_only, from = "f64")]
struct Meters {
    value: f64,
}

impl From<f64> for Meters {
    fn from(value: f64) -> Self {
        Meters { value }
    }
}

#[derive(Persist)]
#[persist(write_only)]
struct Renamed {
    #[persist(alias = "old")]
    new: f64,
}

fn main() {}
