//! The one integration test binary of persist: each module is one area of behaviour.

mod arrays;
mod attack;
#[cfg(feature = "hdf5")]
mod attack_hdf5;
mod dataset;
mod dataset_index;
mod dataset_record_info;
mod dataset_safety;
mod derive;
mod derive_read;
mod determinism;
mod differential;
mod durability;
mod edge;
mod error_debug;
mod errors;
mod exactness;
mod finder;
mod generics;
mod golden;
mod hand_edit;
#[cfg(feature = "hdf5")]
mod hdf5;
mod hygiene;
mod list_columns;
mod npz;
mod one_column;
mod pythons;
mod record_class;
mod records;
mod refusal;
mod roundtrip;
mod serde_attrs;
#[cfg(feature = "serde")]
mod serde_bridge;
mod shadowing;
mod std_time;
mod stream;
mod tables;
mod threads;
mod types;
mod ui;
mod wrappers;
mod write_only;
mod writer_misuse;
#[cfg(feature = "zarr")]
mod zarr;
