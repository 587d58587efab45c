//! Compile-fail tests: each file under `tests/ui/<category>/` makes one mistake (with
//! `#[derive(Persist)]` in `container`, `field`, `variant`; with the public API in `api`), and its
//! `.stderr` (written by `TRYBUILD=overwrite`, never by hand) shows the error.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*/*.rs");
}
