//! The checks of data (an assigned value, or the value a DataSet item module puts in
//! `sys.modules`): every name it uses must be data bound before it, and every call one
//! [`check_call`] allows. Two ways to the same verdict: [`DataWatch`], which the parser shows
//! each value as it builds the statement (so the tree is not walked a second time, the common
//! case), and [`check_data`], the walk over the finished tree, which decides whenever the watch
//! is not sure and gives every refusal its message and position.

use std::collections::HashMap;

use super::{Binding, ReadError, ReadErrorKind, check_call, dotted};
use crate::python::ast::{Call, Expr, ExprKind, Pos};
use crate::python::encoding::excerpt;
use crate::python::names;
use crate::python::parser::{Watch, Within};

/// What the checks of a module's data gather and remember from one statement to the next: where
/// `_load` reads, and the record classes already seen called.
pub(crate) struct Uses {
    /// The file names of the `_load('...')` calls, where they are (for `verify`).
    loads: Vec<(String, Pos)>,
    /// The address of the statement value being walked: the one place a `_table(...)` call
    /// may be (the reader keeps a decoded table per statement); 0 where none may be.
    statement: usize,
    /// The first few names found bound to a record class: a class is bound once and never
    /// again, so a call of one of these is a record without looking its name up (a list of
    /// records calls the same few classes over and over).
    classes: Vec<String>,
}

/// How many class names [`Uses`] keeps.
const KNOWN_CLASSES: usize = 8;

impl Uses {
    /// Nothing gathered yet.
    pub(crate) fn new() -> Self {
        Uses {
            loads: Vec::new(),
            statement: 0,
            classes: Vec::new(),
        }
    }

    /// The `_load` calls, with where they are.
    pub(crate) fn finish(self) -> Vec<(String, Pos)> {
        self.loads
    }

    /// Forget the `_load` calls gathered after the first `len` (those of a statement that is
    /// not data after all, or is walked again).
    pub(crate) fn forget_loads(&mut self, len: usize) {
        self.loads.truncate(len);
    }

    /// Forget the `_load` calls gathered after the first `len` that are before `pos`.
    fn forget_loads_before(&mut self, len: usize, pos: Pos) {
        let mut index = 0;
        self.loads.retain(|&(_, at)| {
            index += 1;
            index <= len || at >= pos
        });
    }

    /// Whether `name` is one of the record classes already seen called.
    fn is_known_class(&self, name: &str) -> bool {
        self.classes.iter().any(|class| class == name)
    }

    /// The checks of the call `name(...)` at `pos` itself, not of its arguments; `whole`: it is
    /// the whole value of its statement (the one place of a `_table`).
    fn call(
        &mut self,
        pos: Pos,
        call: &Call,
        name: &str,
        names: &HashMap<String, Binding>,
        whole: bool,
    ) -> Result<(), ReadError> {
        if self.is_known_class(name) {
            // A record: no class is bound to a helper's name (`check_rebinding`).
            return Ok(());
        }
        let head = name.split('.').next().unwrap_or("");
        let binding = names.get(head);
        check_call(pos, call, name, binding)?;
        if matches!(binding, Some(Binding::Class(_))) && self.classes.len() < KNOWN_CLASSES {
            // (`check_call` refuses a dotted name of a class.)
            self.classes.push(name.to_owned());
        }
        if name == names::TABLE && !whole {
            return Err(ReadError::custom(
                "`_table(...)` must be the whole value of an assignment, as the writer puts it (`_t0 = _table(...)`)",
                pos,
            ));
        }
        if name == names::LOAD
            && let [arg] = &call.args[..]
            && let ExprKind::Str(file) = &arg.kind
            && self.loads.last().is_none_or(|&(_, at)| at != pos)
        {
            // (A call in parentheses is shown to the watch twice.)
            self.loads.push((file.to_string(), pos));
        }
        Ok(())
    }
}

/// The walk over a data expression: every name it uses must be data bound before it, and
/// every call one [`check_call`] allows. Each refusal is at the offending name or call.
pub(crate) fn check_data(
    expr: &Expr,
    names: &HashMap<String, Binding>,
    uses: &mut Uses,
) -> Result<(), ReadError> {
    match &expr.kind {
        ExprKind::Name(name) => match names.get(name.as_str()) {
            Some(Binding::Value(_)) => Ok(()),
            _ => Err(ReadError::new(
                ReadErrorKind::UndefinedName(excerpt(name)),
                expr.pos,
            )),
        },
        ExprKind::Attribute { .. } => Err(ReadError::new(
            ReadErrorKind::UndefinedName(excerpt(&dotted(expr))),
            expr.pos,
        )),
        ExprKind::Call(call) => {
            // A call of a plain name (a record class, most often) needs no buffer.
            let mut dotted = String::new();
            let name = match &call.func.kind {
                ExprKind::Name(name) => name.as_str(),
                _ if call.func.dotted_name(&mut dotted) => dotted.as_str(),
                // The parser refuses calls of anything but a name or an attribute of one.
                _ => {
                    return Err(ReadError::custom(
                        "a call of a computed value is not allowed in an archive; expected a literal or one of the archive's own helpers",
                        expr.pos,
                    ));
                }
            };
            let whole = std::ptr::from_ref(expr) as usize == uses.statement;
            uses.call(expr.pos, call, name, names, whole)?;
            if name == names::TABLE {
                // The class and the fields are checked when the table is planned
                // (`table::plan`): record classes and string literals; only the columns are data.
                return call
                    .args
                    .last()
                    .map_or(Ok(()), |c| check_data(c, names, uses));
            }
            for arg in &call.args {
                check_data(arg, names, uses)?;
            }
            for kw in &call.kwargs {
                // `tzinfo=_dt.timezone.utc` of a `_dt.datetime(...)`, which `check_call` checked
                // (of that call only: any other call's keywords are data).
                if kw.name == "tzinfo" && crate::read::time::is_datetime_call(name) {
                    continue;
                }
                check_data(&kw.value, names, uses)?;
            }
            Ok(())
        }
        ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => items
            .iter()
            .try_for_each(|item| check_data(item, names, uses)),
        ExprKind::Dict(entries) => entries.iter().try_for_each(|(k, v)| {
            check_data(k, names, uses)?;
            check_data(v, names, uses)
        }),
        ExprKind::UnaryMinus(inner) | ExprKind::UnaryPlus(inner) => check_data(inner, names, uses),
        ExprKind::BinOp { left, right, .. } => {
            check_data(left, names, uses)?;
            check_data(right, names, uses)
        }
        ExprKind::Int(_)
        | ExprKind::BigInt { .. }
        | ExprKind::Float(_)
        | ExprKind::Complex(..)
        | ExprKind::Str(_)
        | ExprKind::Bytes(_)
        | ExprKind::Bool(_)
        | ExprKind::None => Ok(()),
    }
}

/// The checks of [`check_data`], made on each value as the parser completes it (a
/// [`Watch`]), against the names bound before the statement. It is never less strict than the
/// walk: where it cannot decide as the walk would (a value whose place it does not know, a
/// refusal), it says it is not sure and the walk decides ([`check_watched`]).
pub(crate) struct DataWatch<'u> {
    names: &'u HashMap<String, Binding>,
    uses: &'u mut Uses,
    watched: Watched,
}

/// What a [`DataWatch`] saw of one statement.
#[derive(Clone, Copy)]
pub(crate) struct Watched {
    /// Where the furthest value that failed the checks is (the watch goes on to the end of the
    /// statement: see `table`).
    refused: Option<Pos>,
    /// Where a `_table(...)` call that passed the checks was a statement's whole value (or a
    /// bare tuple's element), and where its columns start: what is refused before them is in
    /// its class and fields, which `table::plan` checks (the walk skips them too).
    table: Option<(Pos, Pos)>,
    /// A call of `_item` was the whole value (what only `sys.modules[__name__] = ...` takes).
    item: bool,
    /// How many `_load` calls [`Uses`] had before the statement.
    pub(crate) loads: usize,
}

impl<'u> DataWatch<'u> {
    /// A watch of the next statement, which may use the data of `names`.
    pub(crate) fn new(names: &'u HashMap<String, Binding>, uses: &'u mut Uses) -> Self {
        let loads = uses.loads.len();
        DataWatch {
            names,
            uses,
            watched: Watched {
                refused: None,
                table: None,
                item: false,
                loads,
            },
        }
    }

    /// What the watch saw.
    pub(crate) fn finish(self) -> Watched {
        self.watched
    }

    /// The checks of `value` itself (its elements and arguments were shown before it), `top`
    /// when it is a statement's whole value.
    fn shallow(&mut self, value: &Expr, top: bool) -> bool {
        match &value.kind {
            ExprKind::Name(name) => {
                matches!(self.names.get(name.as_str()), Some(Binding::Value(_)))
            }
            ExprKind::Call(call) => self.call(value.pos, call, top),
            // (The operand of a sign is shown as part of the signed value.)
            ExprKind::UnaryMinus(inner) | ExprKind::UnaryPlus(inner) => self.shallow(inner, false),
            // Numbers only (the parser's rule), so never shown: the walk is short.
            ExprKind::BinOp { .. } => check_data(value, self.names, self.uses).is_ok(),
            ExprKind::Attribute { .. } => false,
            // Literals and displays, never shown.
            _ => true,
        }
    }

    fn call(&mut self, pos: Pos, call: &Call, top: bool) -> bool {
        let mut dotted = String::new();
        let name = match &call.func.kind {
            ExprKind::Name(name) => name.as_str(),
            _ if call.func.dotted_name(&mut dotted) => dotted.as_str(),
            _ => return false,
        };
        if self.uses.is_known_class(name) {
            return true;
        }
        if name == names::ITEM {
            // Whether `_item(...)` is the helper, and this the statement that may call it, is
            // the binding's to say (`replaced_value`).
            self.watched.item |= top;
            return top;
        }
        let table = name == names::TABLE;
        if table && (!top || self.watched.table.is_some()) {
            return false;
        }
        let ok = self.uses.call(pos, call, name, self.names, true).is_ok();
        if table && ok {
            // (`check_call` has seen three arguments.)
            self.watched.table = call.args.last().map(|columns| (pos, columns.pos));
        }
        ok
    }
}

impl Watch for DataWatch<'_> {
    #[inline]
    fn value(&mut self, value: &Expr, within: Within<'_>) {
        // The time zone of a `_dt.datetime(...)`, which `check_call` checks.
        if let Within::Arg {
            call,
            keyword: Some("tzinfo"),
        } = within
            && crate::read::time::is_datetime_call(&dotted(&call.func))
        {
            return;
        }
        if !self.shallow(value, matches!(within, Within::Top)) {
            self.watched.refused = self.watched.refused.max(Some(value.pos));
        }
    }
}

/// Check a statement's data, watched while it was parsed: `value` is the statement's value and
/// `checked` the part of it that is data (`value` itself for an assignment, which may be a
/// `_table(...)`; the argument of `_item(...)` for a DataSet item's `sys.modules` statement,
/// where no table may be). The watch's verdict when it is sure, else the walk's.
pub(crate) fn check_watched(
    value: &Expr,
    checked: &Expr,
    assignment: bool,
    watched: Watched,
    names: &HashMap<String, Binding>,
    uses: &mut Uses,
) -> Result<(), ReadError> {
    let stripped = !std::ptr::eq(value, checked);
    let (table_ok, excused) = match watched.table {
        None => (true, None),
        Some((pos, columns)) => (
            assignment && value.pos == pos && matches!(value.kind, ExprKind::Call(_)),
            Some(columns),
        ),
    };
    let ok = match (watched.refused, excused) {
        (None, _) => true,
        (Some(refused), Some(columns)) => refused < columns,
        (Some(_), None) => false,
    };
    uses.statement = if assignment {
        std::ptr::from_ref(value) as usize
    } else {
        0
    };
    if !(ok && watched.item == stripped && table_ok) {
        uses.forget_loads(watched.loads);
        return check_data(checked, names, uses);
    }
    if let Some(columns) = excused {
        // A table's class and fields are not data: nor are their calls.
        uses.forget_loads_before(watched.loads, columns);
    }
    #[cfg(any(debug_assertions, fuzzing))]
    {
        // The watch is never less strict than the walk, and gathers the same loads.
        let mut walk = Uses::new();
        walk.statement = uses.statement;
        let verdict = check_data(checked, names, &mut walk);
        assert!(
            verdict.is_ok(),
            "the watch accepted what the walk refuses: {verdict:?}"
        );
        assert_eq!(walk.loads, uses.loads[watched.loads..]);
    }
    Ok(())
}
