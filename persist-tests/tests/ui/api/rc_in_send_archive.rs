// An `Archive::new()` can move between threads, so it refuses an `Rc` value with a note that
// names `Archive::local()`.
use std::rc::Rc;

fn main() {
    let shared = Rc::new(1.5_f64);
    let mut archive = persist_core::Archive::new();
    archive.insert("x", shared).unwrap();
}
