use persist_core::Persist;

#[derive(Persist)]
#[persist(rename = "None")]
struct Nothing;

fn main() {}
