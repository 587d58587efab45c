use persist_core::Persist;

/// `ﬁeld` (a ligature): Python would read it as `field`. (`größe` is a fine name.)
#[derive(Persist)]
struct Box3 {
    größe: f64,
    #[persist(rename = "ﬁeld")]
    field: f64,
}

fn main() {}
