//! Edge cases of values: strings with every kind of character, non-finite and extreme floats,
//! extreme integers, empty containers, deep nesting, item names that are Python builtins.
//!
//! The tests are in the submodules: strings, numbers, containers and names.

mod containers;
mod names;
mod numbers;
mod strings;
