//! Reformatted archives: the items collapsed onto one line each, expanded to one element per
//! line, and both in turn, load back equal and import in Python. The helpers here split Python
//! source into code, string literals and comments to reformat it safely.

use super::{assert_python_sees_rich_items, assert_rich_items, save_rich, write_source};

/// A piece of source: one character of code, or a whole string literal or comment (kept as is).
enum Piece {
    Code(char),
    Verbatim(String),
}

/// Split Python source into code characters and verbatim string literals and comments.
fn pieces(source: &str) -> Vec<Piece> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '\'' || c == '"' {
            let triple = chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&c);
            let quotes = if triple { 3 } else { 1 };
            i += quotes;
            loop {
                match chars.get(i) {
                    None => break,
                    Some('\\') => i += 2,
                    Some(&q)
                        if q == c
                            && (!triple
                                || (chars.get(i + 1) == Some(&c)
                                    && chars.get(i + 2) == Some(&c))) =>
                    {
                        i += quotes;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
        } else {
            out.push(Piece::Code(c));
            i += 1;
            continue;
        }
        out.push(Piece::Verbatim(
            chars[start..i.min(chars.len())].iter().collect(),
        ));
    }
    out
}

/// The source split into the helpers (up to the first item), the items, and the final `del`.
fn split_items(source: &str) -> (&str, &str, &str) {
    let is_item = |line: &str| {
        line.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && !line.starts_with("import ")
            && !line.starts_with("from ")
            && !line.starts_with("def ")
            && !line.starts_with("del ")
    };
    let mut offset = 0;
    let mut start = None;
    let mut end = source.len();
    for line in source.split_inclusive('\n') {
        if start.is_none() && is_item(line) {
            start = Some(offset);
        }
        if line.starts_with("del ") {
            end = offset;
        }
        offset += line.len();
    }
    let start = start.expect("the source has items");
    (&source[..start], &source[start..end], &source[end..])
}

/// Apply `f` to the items of the source only (the helpers are left as written).
fn on_items(source: &str, f: impl Fn(&str) -> String) -> String {
    let (head, items, tail) = split_items(source);
    format!("{head}{}{tail}", f(items))
}

/// Every item on one line: newlines and runs of spaces inside brackets become one space (none
/// next to a bracket), and the spaces around commas and `=` go too.
fn collapse(items: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut pending_space = false;
    for piece in pieces(items) {
        match piece {
            Piece::Verbatim(text) => {
                assert!(
                    depth == 0 || !text.starts_with('#'),
                    "collapse would swallow code into the comment {text}"
                );
                if pending_space && !out.ends_with(['(', '[', '{', ',']) {
                    out.push(' ');
                }
                pending_space = false;
                out.push_str(&text);
            }
            Piece::Code(c) if depth > 0 && c.is_whitespace() => pending_space = true,
            Piece::Code(c) => {
                match c {
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' => depth -= 1,
                    _ => {}
                }
                if pending_space && !out.ends_with(['(', '[', '{', ',']) && !")]},".contains(c) {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            }
        }
    }
    out
}

/// Every element on a line of its own: a newline (and indentation) after every opening bracket
/// and comma inside brackets, and a trailing comma before each closing bracket of a list, dict,
/// set, call or tuple.
fn expand(items: &str) -> String {
    /// An open bracket: which one, whether it may take a trailing comma.
    struct Open {
        close: char,
        trailing_comma: bool,
    }
    let mut out = String::new();
    let mut stack: Vec<Open> = Vec::new();
    let newline = |out: &mut String, depth: usize| {
        while out.ends_with([' ', '\n']) {
            out.pop();
        }
        out.push('\n');
        out.push_str(&"    ".repeat(depth));
    };
    let mut after_break = false;
    for piece in pieces(items) {
        match piece {
            Piece::Verbatim(text) => {
                after_break = false;
                out.push_str(&text);
            }
            Piece::Code(c) if !stack.is_empty() && c.is_whitespace() => {
                if !after_break && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            Piece::Code(c) => {
                after_break = false;
                match c {
                    '(' | '[' | '{' => {
                        let before = out.trim_end().chars().last();
                        let is_call = before.is_some_and(|b| b.is_alphanumeric() || b == '_');
                        let trailing_comma = match c {
                            // A call, or a parenthesised tuple (which already has a comma: see
                            // below); never a parenthesised expression.
                            '(' => is_call,
                            // A list display, not a subscript.
                            '[' => !is_call,
                            _ => true,
                        };
                        out.push(c);
                        stack.push(Open {
                            close: match c {
                                '(' => ')',
                                '[' => ']',
                                _ => '}',
                            },
                            trailing_comma,
                        });
                        newline(&mut out, stack.len());
                        after_break = true;
                    }
                    ',' if !stack.is_empty() => {
                        out.push(',');
                        if let Some(open) = stack.last_mut()
                            && open.close == ')'
                        {
                            open.trailing_comma = true;
                        }
                        newline(&mut out, stack.len());
                        after_break = true;
                    }
                    ')' | ']' | '}' => {
                        let open = stack.pop().expect("balanced brackets");
                        assert_eq!(open.close, c, "balanced brackets");
                        let body = out.trim_end();
                        let empty = body.ends_with(['(', '[', '{']);
                        if open.trailing_comma && !empty && !body.ends_with(',') {
                            out.truncate(body.len());
                            out.push(',');
                        }
                        newline(&mut out, stack.len());
                        out.push(c);
                    }
                    _ => out.push(c),
                }
            }
        }
    }
    out
}

#[test]
fn reformatted_archives_load() {
    let saved = save_rich();
    let original = saved.source();
    let collapsed = on_items(&original, collapse);
    assert!(
        collapsed.contains("run = _Run(name='first run',alpha=0.5,steps=1000,"),
        "{collapsed}"
    );
    let expanded = on_items(&original, expand);
    assert!(expanded.contains("\none = (\n    7,\n)\n"), "{expanded}");
    for (what, source) in [
        ("every item on one line", collapsed.clone()),
        ("every element on a line, trailing commas", expanded.clone()),
        ("collapsed, then expanded", on_items(&collapsed, expand)),
        ("expanded, then collapsed", on_items(&expanded, collapse)),
        (
            "blank lines and extra spaces around `=`",
            on_items(&original, |items| {
                items
                    .replace("\nlong = ", "\n\n\n\nlong   =   ")
                    .replace("run = ", "run\t=\t")
            }),
        ),
        (
            "explicit line continuations",
            on_items(&original, |items| {
                items
                    .replace("one = ", "one = \\\n    ")
                    .replace("note = ", "note \\\n= ")
            }),
        ),
        ("Windows line ends", original.replace('\n', "\r\n")),
    ] {
        assert_ne!(source, original, "{what}: the edit changed nothing");
        write_source(&saved, &source);
        if std::panic::catch_unwind(|| assert_rich_items(&saved)).is_err() {
            panic!("{what}: the items do not read back (see above)");
        }
    }
    // The reformatted files are plain Python that means the same.
    write_source(&saved, &expanded);
    assert_python_sees_rich_items(&saved);
    write_source(&saved, &collapsed);
    assert_python_sees_rich_items(&saved);
}
