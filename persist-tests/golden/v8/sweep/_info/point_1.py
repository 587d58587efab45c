# persist archive, format 2, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   info: alloc::collections::btree::map::BTreeMap<alloc::string::String, f64>

info = {'damping': 0.5, 'peak': 0.75}
