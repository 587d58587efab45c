//! Room on the stack for deep values: the writer and the reader recurse once per nesting level
//! of a value, and a value may nest thousands of levels deep (a linked list), so each level
//! first checks that the thread's stack has room, and continues on a new segment (`stacker`)
//! when it has not.

/// How much stack must be left before a nested value is written; below it, a new stack segment
/// is allocated, so values nested thousands of levels deep do not overflow the thread's stack.
const STACK_RED_ZONE: usize = 128 * 1024;
/// The size of each new stack segment.
const STACK_SEGMENT: usize = 4 * 1024 * 1024;

/// Run `f` on a stack with room for it: the writer and reader recurse once per nesting level.
///
/// With room (nearly always) `f` is called directly; only a low stack takes the path through
/// `stacker`, generic over the result only. This is instantiated for every field type of
/// every derived type, so it adds as little code as it can (the reader passes closures that
/// return `()`, so that one instance of that path serves every type).
#[inline]
pub(crate) fn with_stack<R>(mut f: impl FnMut() -> R) -> R {
    if stack_has_room() {
        f()
    } else {
        on_new_stack(&mut f)
    }
}

/// Run `f` on a new stack segment.
#[cold]
#[inline(never)]
fn on_new_stack<R>(f: &mut dyn FnMut() -> R) -> R {
    let mut result = None;
    grow(&mut || result = Some(f()));
    match result {
        Some(result) => result,
        None => unreachable!("stacker runs the callback before it returns"),
    }
}

/// Whether the stack has room for one more nesting level.
#[inline]
pub(crate) fn stack_has_room() -> bool {
    stacker::remaining_stack().is_some_and(|left| left >= STACK_RED_ZONE)
}

/// The crate's one instance of `stacker::grow`.
#[inline(never)]
fn grow(f: &mut dyn FnMut()) {
    stacker::grow(STACK_SEGMENT, f);
}
