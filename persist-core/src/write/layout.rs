//! How the writer lays out text: the frames of the open containers, closing brackets, long
//! containers broken one child per line, and the hoisting of deep or shared sub-expressions into
//! statements of their own (`_tN = ...`, `_sN = ...`).

use super::{INDENT, LINE_WIDTH, MAX_HEIGHT, Writer};

/// How many levels of indent the text of a streaming container's children carries at most (see
/// [`Frame::lead`]); deeper, a child is written relative to its own start and indented when it
/// ends, so that a line never carries more than this many levels of extra spaces whatever the
/// depth of the value.
const MAX_LEAD: usize = 15;

/// Spaces enough for [`MAX_LEAD`] + 1 levels.
const SPACES: &str = "                                                                ";

const _: () = assert!(SPACES.len() == INDENT.len() * (MAX_LEAD + 1));

/// `levels` levels of indent (at most [`MAX_LEAD`] + 1).
pub(super) fn indent(levels: usize) -> &'static str {
    &SPACES[..INDENT.len() * levels]
}

/// What the child being written is, inside its parent: used to name external array files after
/// the item path, and to say where an error happened.
#[derive(Debug, Clone, Copy)]
pub(super) enum Label {
    None,
    Field(&'static str),
    Index(usize),
    /// The byte range of the entry's key text in the buffer.
    Key(usize, usize),
}

/// What an open container is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    List,
    Tuple,
    Set,
    Dict,
    Record,
}

impl Kind {
    /// How messages name a container of this kind.
    pub(super) fn article(self) -> &'static str {
        match self {
            Kind::List => "a list",
            Kind::Tuple => "a tuple",
            Kind::Set => "a set",
            Kind::Dict => "a dict",
            Kind::Record => "a record",
        }
    }
}

/// An open container: what it is and where its text and children are.
#[derive(Debug)]
pub(super) struct Frame {
    pub(super) kind: Kind,
    pub(super) count: usize,
    /// The largest bracket height of the children written so far.
    pub(super) height: u32,
    /// Where this container's text starts in the buffer (a record's: where its class name starts).
    pub(super) start: usize,
    /// Where its children start: just after the opening bracket.
    pub(super) body: usize,
    pub(super) label: Label,
    /// Whether a child was written over several lines.
    pub(super) multiline: bool,
    /// The index of this container's first child in [`Writer::children`].
    pub(super) first_child: usize,
    /// Whether it is known to be broken one child per line, and its children so far are laid
    /// out so: each further child starts on its own line as it is written (see
    /// [`Writer::child_line`]).
    pub(super) streaming: bool,
    /// A list, tuple or set found broken but without line breaks, so laid out (packed) only
    /// at its close (see [`Writer::child_line`]): not asked again.
    pub(super) at_close: bool,
    /// How many levels of indent every line break of this container's text carries beyond its
    /// own start's: the levels of the streaming containers right around it (each child of a
    /// streaming container goes on a line of its own as it is written, so its text is written
    /// at its final indent and never copied again), 0 when its parent is not streaming (the
    /// parent then indents its text when it lays out its children).
    pub(super) lead: usize,
}

impl Frame {
    /// Whether the container, whose text now ends at `end`, is broken one child per line when
    /// it closes: it is longer than [`LINE_WIDTH`] or a child broke lines. Both only grow, so
    /// once true it stays true (what lets [`Writer::child_line`] decide before the close).
    fn broken(&self, end: usize) -> bool {
        self.multiline || end - self.start > LINE_WIDTH
    }

    /// The lead of the text of this container's children: one level more than its own when
    /// it is streaming (up to [`MAX_LEAD`]), else 0.
    fn child_lead(&self) -> usize {
        if self.streaming && self.lead < MAX_LEAD {
            self.lead + 1
        } else {
            0
        }
    }
}

impl Writer {
    /// Open a container of kind `kind` with the bracket `open`.
    pub(super) fn open(&mut self, kind: Kind, open: &str) {
        let start = self.out.len();
        let lead = self.lead();
        self.out.push_str(open);
        self.frames.push(Frame {
            kind,
            count: 0,
            height: 0,
            start,
            body: self.out.len(),
            label: Label::None,
            multiline: false,
            first_child: self.children.len(),
            streaming: false,
            at_close: false,
            lead,
        });
    }

    /// The lead of the text written now (see [`Frame::lead`]): line breaks written here are
    /// followed by this many levels of indent before the text's own.
    pub(super) fn lead(&self) -> usize {
        self.frames.last().map_or(0, Frame::child_lead)
    }

    /// Separate the next child of the innermost container from the one before: `, ` while
    /// the container may still fit on one line, else a new line, with the children so far
    /// laid out once and every later child written on its own line as it comes (so that a
    /// long list of records is not rewritten as a whole when it closes).
    ///
    /// A container is known to be broken as soon as its text is longer than [`LINE_WIDTH`]
    /// or a child broke lines (both only grow); its children then go one per line unless it
    /// is a list, tuple or set without a line break, whose short children are packed when it
    /// closes.
    pub(super) fn child_line(&mut self) {
        let depth = self.frames.len();
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        if frame.streaming {
            let lead = frame.lead;
            self.end_streamed_child();
            self.out.push('\n');
            self.out.push_str(indent(lead + 1));
            return;
        }
        let broken = frame.broken(self.out.len());
        let packable = matches!(frame.kind, Kind::List | Kind::Tuple | Kind::Set);
        if !broken
            || frame.at_close
            || (packable && memchr::memchr(b'\n', &self.out.as_bytes()[frame.body..]).is_none())
        {
            // A packable container without line breaks is asked once it is broken, never
            // again (its children's text does not change).
            frame.at_close |= broken;
            self.out.push_str(", ");
            return;
        }
        frame.streaming = true;
        let (kind, body, first_child, lead) =
            (frame.kind, frame.body, frame.first_child, frame.lead);
        self.lay_out(kind, body, first_child, depth - 1, lead);
        self.out.push('\n');
        self.out.push_str(indent(lead + 1));
    }

    /// The last child of the innermost container, a streaming one, is complete: it ends with
    /// `,`. Its text is written at its final indent already, unless the container is
    /// [`MAX_LEAD`] levels deep in streaming containers: its line breaks then get the
    /// container's levels here.
    fn end_streamed_child(&mut self) {
        let (Some(&start), Some(frame)) = (self.children.last(), self.frames.last()) else {
            return;
        };
        let lead = frame.lead;
        if frame.child_lead() == 0 && memchr::memchr(b'\n', &self.out.as_bytes()[start..]).is_some()
        {
            let mut text = std::mem::take(&mut self.scratch);
            text.clear();
            text.push_str(&self.out[start..]);
            self.out.truncate(start);
            push_reindented(&mut self.out, &text, "", indent(lead + 1));
            self.scratch = text;
        }
        self.out.push(',');
    }

    /// Close the innermost container's text: its closing bracket, its children laid out one per
    /// line when it is long or a child broke lines, hoisted when it is too deep.
    pub(super) fn close_frame(&mut self) {
        if self.frames.last().is_some_and(|frame| frame.streaming) {
            // Its earlier children are laid out already; the last one is ended here.
            self.end_streamed_child();
        }
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let broken = if frame.streaming {
            self.out.push('\n');
            self.out.push_str(indent(frame.lead));
            true
        } else {
            let broken = frame.count > 0 && frame.broken(self.out.len());
            if broken {
                let depth = self.frames.len();
                self.lay_out(frame.kind, frame.body, frame.first_child, depth, frame.lead);
                self.out.push('\n');
                self.out.push_str(indent(frame.lead));
            }
            broken
        };
        self.children.truncate(frame.first_child);
        match frame.kind {
            Kind::List => self.out.push(']'),
            Kind::Tuple if frame.count == 1 && !broken => self.out.push_str(",)"),
            Kind::Tuple | Kind::Record => self.out.push(')'),
            Kind::Set if frame.count == 0 => {
                self.out.truncate(frame.start);
                self.out.push_str("set()");
            }
            Kind::Set | Kind::Dict => self.out.push('}'),
        }
        self.finish_node(frame.start, frame.height + 1, broken);
    }

    /// Rewrite a container's children one per line (short ones packed up to [`LINE_WIDTH`]).
    ///
    /// Text is indented relative to where its node starts: a child's own lines get one more
    /// level here, once per enclosing broken container. Hoisting keeps every node's text within
    /// [`MAX_HEIGHT`] levels, so this costs time linear in the text whatever the value's depth
    /// (indenting by the absolute depth of the open frames cost depth × text). Packing still
    /// counts the width the line would have at its absolute depth, as it always has.
    ///
    /// `depth` is the number of containers around this one, `lead` its [`Frame::lead`]; the
    /// text ends after the last child's `,` (the caller adds the line break that goes before
    /// the closing bracket).
    fn lay_out(&mut self, kind: Kind, base: usize, first_child: usize, depth: usize, lead: usize) {
        let child_indent = indent(lead + 1);
        // The children's text moves to a buffer the writer keeps (no allocation per record).
        let mut body = std::mem::take(&mut self.scratch);
        body.clear();
        body.push_str(&self.out[base..]);
        self.out.truncate(base);
        let children = &self.children[first_child..];
        let indent_width = INDENT.len() * (depth + 1);
        // One search of the whole body finds every line break of every child.
        let mut breaks = memchr::memchr_iter(b'\n', body.as_bytes()).peekable();
        let pack = matches!(kind, Kind::List | Kind::Tuple | Kind::Set) && breaks.peek().is_none();
        let mut line_len = 0;
        for (i, &start) in children.iter().enumerate() {
            // Children are separated by ", ", which is not part of their text.
            let end = children
                .get(i + 1)
                .map_or(base + body.len(), |next| next - 2);
            let (mut from, end) = (start - base, end - base);
            let len = end - from;
            if pack && i > 0 && line_len + 2 + len <= LINE_WIDTH {
                self.out.push(' ');
                line_len += 1 + len + 1;
            } else {
                self.out.push('\n');
                self.out.push_str(child_indent);
                line_len = indent_width + len + 1;
            }
            // The child's own line breaks, each followed by the children's indent.
            while let Some(&at) = breaks.peek().filter(|&&at| at < end) {
                self.out.push_str(&body[from..=at]);
                self.out.push_str(child_indent);
                from = at + 1;
                breaks.next();
            }
            self.out.push_str(&body[from..end]);
            self.out.push(',');
        }
        self.scratch = body;
    }

    /// A node of bracket height `height` ends here; hoist it when it is too deep.
    pub(super) fn finish_node(&mut self, start: usize, height: u32, multiline: bool) {
        let (height, multiline) = if height >= MAX_HEIGHT && !self.frames.is_empty() {
            let name = self.helpers.temp(crate::python::names::TEMP_PREFIX);
            let lead = self.lead();
            self.hoist(start, &name, lead, false);
            (0, false)
        } else {
            (height, multiline)
        };
        if let Some(parent) = self.frames.last_mut() {
            parent.height = parent.height.max(height);
            parent.multiline |= multiline;
        }
    }

    /// Move `out[start..]`, written with `lead` levels of extra indent (see [`Frame::lead`]),
    /// into the statement `name = ...` and leave `name` in its place. As a statement it starts
    /// at column 0, so its inner lines lose the `lead` levels; with `indent_body`, they get one
    /// level more (shared values' statements have always been written so).
    pub(super) fn hoist(&mut self, start: usize, name: &str, lead: usize, indent_body: bool) {
        self.stmts.push_str(name);
        self.stmts.push_str(" = ");
        let expr = &self.out[start..];
        let extra = if indent_body { INDENT } else { "" };
        if lead == 0 && extra.is_empty() {
            self.stmts.push_str(expr);
        } else {
            push_reindented(&mut self.stmts, expr, indent(lead), extra);
        }
        self.stmts.push('\n');
        self.out.truncate(start);
        self.out.push_str(name);
    }
}

/// Append `text` with each of its inner lines re-indented: the `strip` each starts with
/// (every line break of the text is followed by at least that much) replaced by `extra`.
fn push_reindented(out: &mut String, text: &str, strip: &str, extra: &str) {
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
        out.push_str(&text[start..=end]);
        out.push_str(extra);
        debug_assert!(text[end + 1..].starts_with(strip));
        start = end + 1 + strip.len();
    }
    out.push_str(&text[start..]);
}

/// The item path of the value being written, `item.field.3.key`, for naming array files.
pub(super) fn item_path(item: &str, frames: &[Frame], out: &str) -> Vec<String> {
    let mut path = vec![item.to_owned()];
    for frame in frames {
        match frame.label {
            Label::None => {}
            Label::Field(name) => path.push(name.to_owned()),
            Label::Index(i) => path.push(i.to_string()),
            Label::Key(start, end) => {
                let key = &out[start..end];
                path.push(key.trim_matches(|c| c == '\'' || c == '"').to_owned());
            }
        }
    }
    path
}
