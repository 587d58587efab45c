//! Item names that are Python builtins: they work, and the record helpers still work after the
//! module has run.

use std::collections::HashSet;

use ndarray::Array1;
use num_complex::Complex;
use persist_core::Archive;
use persist_tests::{HandRecord, save_package};

/// Item names that are Python builtins (but not ones the archive's own code needs) work, and
/// the record helpers still work after the module has run.
#[test]
fn items_named_like_python_builtins() {
    let names = [
        "len",
        "type",
        "list",
        "dict",
        "str",
        "int",
        "bool",
        "tuple",
        "print",
        "object",
        "isinstance",
        "getattr",
        "hasattr",
        "hash",
        "repr",
        "id",
        "map",
        "zip",
        "all",
        "range",
        "iter",
        "next",
        "super",
        "ValueError",
        "TypeError",
        "np",
        "os",
        "numpy",
        "builtins",
        "b",
        "load",
        "arrays",
        "record",
        "fields",
        "qualname",
        "name",
        "match",
        "case",
        "print_function",
    ];
    let mut archive = Archive::new().with_array_threshold(4);
    for (i, name) in names.iter().enumerate() {
        let value = (
            HandRecord::named("Point", &["x", "y"], vec![i as i64, 2]),
            Array1::from_elem(3, i as i64),
            Array1::from_elem(5, i as f64),
            HashSet::from([i]),
            Complex::new(f64::NAN, i as f64),
        );
        archive.insert(name, value).unwrap();
    }
    let code = format!(
        "names = {names:?}\n\
         import math\n\
         for i, name in enumerate(names):\n\
         \x20   p, small, big, s, c = getattr(a, name)\n\
         \x20   assert type(p).__name__ == 'Point' and (p.x, p.y) == (i, 2), (name, p)\n\
         \x20   assert repr(p) == f'Point(x={{i}}, y=2)', (name, repr(p))\n\
         \x20   assert p == p and not (p != p), name\n\
         \x20   assert small.dtype == np.int64 and small.tolist() == [i] * 3, (name, small)\n\
         \x20   assert big.dtype == np.float64 and big.tolist() == [float(i)] * 5, (name, big)\n\
         \x20   assert s == {{i}} and type(s) is set, (name, s)\n\
         \x20   assert math.isnan(c.real) and c.imag == i, (name, c)\n\
         p0 = a.len[0]\n\
         assert p0 != a.type[0] and hash(p0) == hash(p0), (p0, a.type[0])\n\
         assert (p0 == 3) is False and (p0 != 3) is True, 'a record compared with an int'\n"
    );
    save_package(&archive).check(&code);
}
