use persist_core::Persist;

#[derive(Persist)]
enum Unit {
    #[persist(python = "units:Metre.Centi")]
    Metre { value: f64 },
}

fn main() {}
