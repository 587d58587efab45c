//! The report: one row per comparison, with its ratio against the baseline and the target.

/// What a ratio must be for a target to be met.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// No target: the row is for information.
    None,
    /// The ratio must be at least this (throughputs: persist / baseline).
    AtLeast(f64),
    /// The ratio must be at most this (times and memory: persist / baseline).
    AtMost(f64),
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::None => f.write_str("–"),
            Target::AtLeast(x) => write!(f, "≥ {x}x"),
            Target::AtMost(x) => write!(f, "≤ {x}x"),
        }
    }
}

/// Whether a row meets its target.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The target is met.
    Met,
    /// The target is missed: the ratio is this many times worse than the target allows.
    Missed(f64),
    /// No target.
    Info,
    /// Not measured, and why.
    Skipped(String),
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verdict::Met => f.write_str("met"),
            Verdict::Missed(by) => write!(f, "MISSED ({by:.2}x off)"),
            Verdict::Info => f.write_str("–"),
            Verdict::Skipped(why) => write!(f, "skipped: {why}"),
        }
    }
}

/// One comparison: persist's figure, the baseline's, their ratio and the target.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The figure's name in the issue (`P1`, `P2`, ..., `HDF5`).
    pub id: String,
    /// What was measured.
    pub what: String,
    /// persist's figure, with its unit.
    pub persist: String,
    /// The baseline's name and figure.
    pub baseline: String,
    /// persist relative to the baseline, in the sense the target reads it.
    pub ratio: Option<f64>,
    /// The target for `ratio`.
    pub target: Target,
    /// Set when the row could not be measured.
    pub skipped: Option<String>,
}

impl Row {
    /// A row comparing persist's figure with a baseline's.
    pub fn new(
        id: &str,
        what: impl Into<String>,
        persist: impl Into<String>,
        baseline: impl Into<String>,
        ratio: f64,
        target: Target,
    ) -> Self {
        Row {
            id: id.to_owned(),
            what: what.into(),
            persist: persist.into(),
            baseline: baseline.into(),
            ratio: Some(ratio),
            target,
            skipped: None,
        }
    }

    /// A row that could not be measured, and why.
    pub fn skipped(id: &str, what: impl Into<String>, why: impl Into<String>) -> Self {
        Row {
            id: id.to_owned(),
            what: what.into(),
            persist: String::new(),
            baseline: String::new(),
            ratio: None,
            target: Target::None,
            skipped: Some(why.into()),
        }
    }

    /// Whether the target is met.
    ///
    /// ```
    /// use persist_bench::{Row, Target, Verdict};
    /// let row = Row::new("P2", "write", "2 s", "1 s", 2.0, Target::AtMost(1.0));
    /// assert_eq!(row.verdict(), Verdict::Missed(2.0));
    /// let row = Row::new("P1", "save", "1 s", "1 s", 0.95, Target::AtLeast(0.9));
    /// assert_eq!(row.verdict(), Verdict::Met);
    /// ```
    pub fn verdict(&self) -> Verdict {
        if let Some(why) = &self.skipped {
            return Verdict::Skipped(why.clone());
        }
        match (self.ratio, self.target) {
            (Some(r), Target::AtLeast(t)) if r < t => Verdict::Missed(t / r),
            (Some(r), Target::AtMost(t)) if r > t => Verdict::Missed(r / t),
            (Some(_), Target::AtLeast(_) | Target::AtMost(_)) => Verdict::Met,
            _ => Verdict::Info,
        }
    }
}

/// The rows of one run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// The rows, in the order they were measured.
    pub rows: Vec<Row>,
}

impl Table {
    /// Add a row and print it at once, so a long run shows progress.
    pub fn push(&mut self, row: Row) {
        eprintln!(
            "  {} {}: {} | {} | {} | {}",
            row.id,
            row.what,
            row.persist,
            row.baseline,
            row.ratio.map_or("–".to_owned(), |r| format!("{r:.2}x")),
            row.verdict()
        );
        self.rows.push(row);
    }

    /// The table as Markdown.
    ///
    /// ```
    /// use persist_bench::{Row, Table, Target};
    /// let mut table = Table::default();
    /// table.push(Row::new("P4", "load", "1.2 s", "1.0 s", 1.2, Target::AtMost(1.5)));
    /// assert!(table.markdown().contains("| P4 | load | 1.2 s | 1.0 s | 1.20x | ≤ 1.5x | met |"));
    /// ```
    pub fn markdown(&self) -> String {
        let mut out = String::from(
            "| | measurement | persist | baseline | ratio | target | verdict |\n\
             |---|---|---|---|---|---|---|\n",
        );
        for row in &self.rows {
            let ratio = row.ratio.map_or("–".to_owned(), |r| format!("{r:.2}x"));
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} |\n",
                row.id,
                row.what,
                row.persist,
                row.baseline,
                ratio,
                row.target,
                row.verdict()
            ));
        }
        out
    }

    /// The rows whose target is missed.
    pub fn missed(&self) -> impl Iterator<Item = &Row> {
        self.rows
            .iter()
            .filter(|r| matches!(r.verdict(), Verdict::Missed(_)))
    }
}
