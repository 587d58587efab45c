//! The format-1 golden values of the derive's attributes (`rename`, `skip`, `python`, `crate`,
//! `alias`, `default`, `deny_unknown_fields`), and the realistic values (a heat-diffusion run like
//! the quickstart example's, and a DataSet of sweep points). Frozen with `golden/v1/`.

use std::collections::BTreeMap;

use ndarray::{Array1, Array2};
use persist_core::Persist;

/// The Python module the archive `attributes` imports its user classes from
/// (`#[persist(python = "golden_classes:...")]`); written beside the archives.
pub const GOLDEN_CLASSES_PY: &str = "\
\"\"\"User classes of the golden archive `attributes`: built by keyword arguments.\"\"\"


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __eq__(self, other):
        return type(other) is Point and (self.x, self.y) == (other.x, other.y)

    def __repr__(self):
        return 'Point(x=%r, y=%r)' % (self.x, self.y)


class Square:
    def __init__(self, side):
        self.side = side

    def __repr__(self):
        return 'Square(side=%r)' % (self.side,)
";

/// `rename` on the container and a field, `skip` on a field (read back as its default).
#[derive(Persist, Debug, Clone, PartialEq)]
#[persist(rename = "Parameters")]
#[allow(missing_docs)]
pub struct Renamed {
    #[persist(rename = "lambda_")]
    pub lambda: f64,
    pub steps: u32,
    #[persist(skip)]
    pub cache: Vec<f64>,
}

/// The value written; read back, `cache` is empty.
pub fn renamed() -> Renamed {
    Renamed {
        lambda: 0.5,
        steps: 7,
        cache: vec![1.0, 2.0],
    }
}

/// Variant attributes: `rename`, `python = "module:Class"` and `skip`.
#[derive(Persist, Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub enum Figure {
    #[persist(rename = "Disc")]
    Circle {
        r: f64,
    },
    #[persist(python = "golden_classes:Square")]
    Square {
        side: f64,
    },
    Triangle(f64, f64, f64),
    /// Never archived: archiving it is an error.
    #[persist(skip)]
    Scratch,
}

/// The archived figures (no `Scratch`).
pub fn figures() -> Vec<Figure> {
    vec![
        Figure::Circle { r: 1.0 },
        Figure::Square { side: 2.0 },
        Figure::Triangle(3.0, 4.0, 5.0),
    ]
}

/// A struct built in Python as the user's own class (`golden_classes.Point`).
#[derive(Persist, Debug, Clone, PartialEq)]
#[persist(python = "golden_classes:Point")]
#[allow(missing_docs)]
pub struct UserPoint {
    pub x: i32,
    pub y: i32,
}

/// Derived through a re-export of the runtime crate (`#[persist(crate = ...)]`).
#[derive(Persist, Debug, Clone, PartialEq)]
#[persist(crate = "crate::golden::v1::values::reexport::persist")]
#[allow(missing_docs)]
pub struct ThroughReexport {
    pub value: i32,
}

/// `deny_unknown_fields`: reads its own archive, refuses one with an extra field.
#[derive(Persist, Debug, Clone, PartialEq)]
#[persist(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Strict {
    pub a: i32,
    pub b: String,
}

/// How `Params` was written by an older program: the item `old_params` of `attributes`.
#[derive(Persist, Debug, Clone, PartialEq)]
#[persist(rename = "Params")]
#[allow(missing_docs)]
pub struct OldParams {
    pub lambda_: f64,
    pub label: String,
    pub retired: i32,
}

/// The old parameters.
pub fn old_params() -> OldParams {
    OldParams {
        lambda_: 0.125,
        label: "first".to_owned(),
        retired: 9,
    }
}

/// The newer program's `Params`, reading the old archive: `alias` finds `lambda_`, `default`
/// and `default = "..."` fill the fields it lacks, the unknown `retired` is ignored.
#[derive(Persist, Debug, Clone, PartialEq)]
#[persist(rename = "Params")]
#[allow(missing_docs)]
pub struct NewParams {
    #[persist(alias = "lambda_")]
    pub rate: f64,
    #[persist(default)]
    pub steps: u32,
    #[persist(default = "default_grid")]
    pub grid: (usize, usize),
    pub label: String,
}

/// The grid of [`NewParams`] when the archive has none.
pub fn default_grid() -> (usize, usize) {
    (16, 16)
}

/// What [`NewParams`] reads from [`old_params`].
pub fn new_params() -> NewParams {
    NewParams {
        rate: 0.125,
        steps: 0,
        grid: default_grid(),
        label: "first".to_owned(),
    }
}

/// The newer `Params` with `deny_unknown_fields`: refuses the old archive's `retired`.
#[derive(Persist, Debug, Clone, PartialEq)]
#[persist(rename = "Params", deny_unknown_fields)]
#[allow(missing_docs)]
pub struct StrictParams {
    #[persist(alias = "lambda_")]
    pub rate: f64,
    pub label: String,
}

// ------------------------------------------------------------------------------- realistic

/// The parameters of a heat-diffusion run (as in the quickstart example).
#[derive(Persist, Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct HeatParams {
    pub alpha: f64,
    pub dx: f64,
    pub dt: f64,
    pub steps: u32,
    pub grid: (usize, usize),
}

/// The edges of the plate.
#[derive(Persist, Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub enum Boundary {
    Periodic,
    Dirichlet { value: f64 },
    Neumann(f64),
}

/// A run: parameters, boundary, a field above the threshold, a time series and a note.
#[derive(Persist, Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Run {
    pub params: HeatParams,
    pub boundary: Boundary,
    pub temperature: Array2<f64>,
    pub energy: Vec<f64>,
    pub note: String,
}

/// The run: an 8×8 field `t[i, j] = (8 i + j) / 4` (exact in binary, so Python can check every
/// value), and five energies.
pub fn heat_run() -> Run {
    Run {
        params: HeatParams {
            alpha: 0.25,
            dx: 0.1,
            dt: 0.01,
            steps: 5,
            grid: (8, 8),
        },
        boundary: Boundary::Dirichlet { value: 0.0 },
        temperature: Array2::from_shape_fn((8, 8), |(i, j)| (8 * i + j) as f64 / 4.0),
        energy: vec![16.0, 15.5, 15.25, 15.125, 15.0625],
        note: "Gaussian pulse on an 8x8 plate, cold edges".to_owned(),
    }
}

/// One point of a parameter sweep: a DataSet item.
#[derive(Persist, Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct SweepPoint {
    pub damping: f64,
    pub peak: f64,
    pub samples: Array1<f64>,
}

/// The names of the DataSet's items.
pub const SWEEP_ITEMS: [&str; 3] = ["point_0", "point_1", "point_2"];

/// Item `index` of the sweep: six samples `damping * k` (external, in `ITEM_data/`).
pub fn sweep_point(index: usize) -> SweepPoint {
    let damping = 0.25 * (index + 1) as f64;
    SweepPoint {
        damping,
        peak: 1.0 - damping / 2.0,
        samples: Array1::from_shape_fn(6, |k| damping * k as f64),
    }
}

/// The metadata of item `index`: what Python sees in `_info_dict`.
pub fn sweep_info(index: usize) -> BTreeMap<String, f64> {
    let point = sweep_point(index);
    BTreeMap::from([
        ("damping".to_owned(), point.damping),
        ("peak".to_owned(), point.peak),
    ])
}
