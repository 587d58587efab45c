# persist archive, format 2, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   info: ((f64, f64, f64, f64, f64), (i64, u64, i128, i32), (alloc::string::String, alloc::string::String, core::option::Option<bool>, bool), alloc::collections::btree::set::BTreeSet<i32>, alloc::collections::btree::map::BTreeMap<alloc::string::String, alloc::vec::Vec<i64>>, (num_complex::Complex<f64>, f32))

info = (
    (float('nan'), -float('inf'), -0.0, 1e300, 5e-324),
    (-9223372036854775808, 18446744073709551615, -170141183460469231731687303715884105725, -3),
    (
        'naïve ☃ 3',
        'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        None, True,
    ),
    {-3, 3, 7},
    {'alpha': [3, 1099511627776]},
    (complex(-0.0, float('nan')), 0.10000000149011612),
)
