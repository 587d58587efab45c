//! The values of P2–P4 and their generator: many small records of a string, integers, floats
//! and a nested struct, deriving both `Persist` and serde's traits so that both sides write the
//! very same values.

use persist_core::Persist;
use serde::{Deserialize, Serialize};

/// Where a particle is.
#[derive(Persist, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Position {
    pub x: f64,
    pub y: f64,
    pub z: f64,
}

/// One record: six fields, one of them a nested struct.
#[derive(Persist, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Particle {
    pub name: String,
    pub id: u64,
    pub charge: i32,
    pub mass: f64,
    pub energy: f64,
    pub position: Position,
}

/// A small deterministic generator (xorshift64*), so that every run and every language sees the
/// same values without a dependency. The seed must not be 0.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A float in [0, 1) with all 53 bits random: printing it takes the full 17 digits, as
    /// measured data does.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `n` particles with realistic (full-precision) floats.
pub fn particles(n: usize) -> Vec<Particle> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..n)
        .map(|i| Particle {
            name: format!("particle_{i:06}"),
            id: 1_000_000 + i as u64,
            charge: (rng.next_u64() % 7) as i32 - 3,
            mass: 0.5 + rng.unit() * 10.0,
            energy: rng.unit() * 1e3,
            position: Position {
                x: rng.unit() * 2.0 - 1.0,
                y: rng.unit() * 2.0 - 1.0,
                z: rng.unit() * 2.0 - 1.0,
            },
        })
        .collect()
}
