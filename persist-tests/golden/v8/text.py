# persist archive, format 2, written by persist-core 0.1.0.
# Plain Python source: import it (numpy is needed for arrays) or edit it by hand.
# Items (name: Rust type):
#   chars: alloc::vec::Vec<char>
#   tricky: alloc::string::String
#   empty: alloc::string::String
#   borrowed: str
#   cow_borrowed: alloc::borrow::Cow<'_, str>
#   cow_owned: alloc::borrow::Cow<'_, str>
#   path_buf: std::path::PathBuf
#   path: std::path::Path

chars = [
    'a', 'é', '\x00', '\n', '\r', '\t', '\'', '"', '\\', '\x7f', '\x85', '\u2028', '\ufeff',
    '🦀', '􏿿',
]
tricky = 'aé\x00\n\r\t\'"\\\x7f\x85\u2028\ufeff🦀􏿿 \'\'\' """ {braces} %s \\n \x1b[0m end'
empty = ''
borrowed = 'aé\x00\n\r\t\'"\\\x7f\x85\u2028\ufeff🦀􏿿 \'\'\' """ {braces} %s \\n \x1b[0m end'
cow_borrowed = 'aé\x00\n\r\t\'"\\\x7f\x85\u2028\ufeff🦀􏿿 \'\'\' """ {braces} %s \\n \x1b[0m end'
cow_owned = 'owned'
path_buf = 'data/run 1/field.npy'
path = 'data/run 1/field.npy'
