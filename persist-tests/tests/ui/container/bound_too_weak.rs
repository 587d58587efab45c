use persist_core::Persist;

// The container's bound replaces the inferred ones, and says too little for `Vec<T>`.
#[derive(Persist)]
#[persist(bound = "")]
struct Series<T> {
    values: Vec<T>,
}

fn main() {}
