//! Compile-fail tests of `#[derive(Persist)]`: each file under `tests/ui/<category>/` makes one
//! mistake, and its `.stderr` (written by `TRYBUILD=overwrite`, never by hand) shows the error.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*/*.rs");
}
