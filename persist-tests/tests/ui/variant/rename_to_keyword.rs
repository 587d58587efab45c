use persist_core::Persist;

#[derive(Persist)]
enum Answer {
    Yes,
    #[persist(rename = "None")]
    Unknown,
}

fn main() {}
