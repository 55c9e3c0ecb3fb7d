//! Data sets for the data-set surfaces: the user's own rows (CSV in the page, `--data FILE` in
//! the CLI, `data=` rows in the scenario text) or a real data set shipped with the playground.
//!
//! One row parser serves every way in, so a problem is reported the same way everywhere: the
//! line (CSV) or row (`data=` text) and the column, what was found and what is allowed.

use crate::core::decimal::parse_f64;
use crate::core::param::fmt_num;

/// Most rows a data set may have: every update evaluates the loss on all of them.
pub const MAX_ROWS: usize = 2000;
/// Fewest rows: a mean over one example has no batches to choose between.
pub const MIN_ROWS: usize = 2;
/// Largest magnitude of a value: far beyond any sensible feature, and squares stay finite.
pub const MAX_VALUE: f64 = 1e6;
/// Classes of a labelled data set (the SVM's), numbered 0 to `CLASSES − 1`.
pub const CLASSES: usize = 3;

/// What a surface's rows hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    /// One input and its target: `x, y` (regression, the neurons, the deep linear net).
    Xy,
    /// Two inputs and a class `0..CLASSES`: `x₁, x₂, class` (the SVM).
    Classes,
}

impl Columns {
    /// Values per row.
    pub fn count(self) -> usize {
        match self {
            Columns::Xy => 2,
            Columns::Classes => 3,
        }
    }
    /// Column names, as a CSV header would have them.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Columns::Xy => &["x", "y"],
            Columns::Classes => &["x1", "x2", "class"],
        }
    }
    /// "x, y" or "x1, x2, class".
    pub fn describe(self) -> String {
        crate::core::join(self.names(), ", ")
    }
}

/// A real data set shipped with the playground (`data=NAME`); the catalog lists its name,
/// title and source.
#[derive(Debug, serde::Serialize)]
pub struct Shipped {
    pub name: &'static str,
    pub title: &'static str,
    /// Where the numbers come from.
    pub source: &'static str,
    #[serde(skip)]
    pub columns: Columns,
    /// The rows as CSV (with a header and `#` comments), parsed like a user's file.
    #[serde(skip)]
    pub csv: &'static str,
}

/// Every shipped data set.
pub static SHIPPED: &[Shipped] = &[
    Shipped {
        name: "iris",
        title: "Iris flowers (Fisher, 1936)",
        source: "petal length and width (cm) of 50 flowers of each of 3 species: setosa (0), \
                 versicolor (1), virginica (2); Anderson (1935), Fisher (1936), as in R's \
                 datasets::iris",
        columns: Columns::Classes,
        csv: include_str!("datasets/iris.csv"),
    },
    Shipped {
        name: "cars",
        title: "Cars' stopping distances (1920s)",
        source: "speed (mph) and stopping distance (ft) of 50 cars, recorded in the 1920s; \
                 Ezekiel (1930), Methods of Correlation Analysis, as in R's datasets::cars",
        columns: Columns::Xy,
        csv: include_str!("datasets/cars.csv"),
    },
];

/// A shipped data set by name.
pub fn shipped(name: &str) -> Option<&'static Shipped> {
    SHIPPED.iter().find(|s| s.name == name)
}

/// A problem in a data set's text: where it is (1-based; 0 when it is about the whole set)
/// and what is wrong and allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    /// "line" (CSV) or "row" (`data=` text).
    pub unit: &'static str,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}", self.message),
            (l, 0) => write!(f, "{} {l}: {}", self.unit, self.message),
            (l, c) => write!(f, "{} {l}, column {c}: {}", self.unit, self.message),
        }
    }
}

impl std::error::Error for DataError {}

/// A data set: where it comes from and its values, row-major, `columns.count()` per row.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// The shipped set's name, `None` for the user's own rows.
    pub shipped: Option<&'static str>,
    pub columns: Columns,
    pub values: Vec<f64>,
}

/// Splits a CSV line into fields: at commas if it has any, else at tabs, else at semicolons,
/// else at runs of spaces.
fn fields(line: &str) -> Vec<&str> {
    let sep = [',', '\t', ';'].into_iter().find(|&c| line.contains(c));
    match sep {
        Some(c) => line.split(c).map(str::trim).collect(),
        None => line.split_whitespace().collect(),
    }
}

/// Reads numbered rows of fields into values, checking every rule of a data set.
fn read_rows<'a>(
    rows: impl Iterator<Item = (usize, Vec<&'a str>)>,
    columns: Columns,
    unit: &'static str,
) -> Result<Vec<f64>, DataError> {
    let at = |line, column, message: String| DataError {
        unit,
        line,
        column,
        message,
    };
    let n = columns.count();
    let mut values = Vec::new();
    let mut count = 0;
    for (line, row) in rows {
        count += 1;
        if count > MAX_ROWS {
            return Err(at(
                line,
                0,
                format!("more than {MAX_ROWS} rows; a data set may have at most {MAX_ROWS}"),
            ));
        }
        if row.len() != n {
            return Err(at(
                line,
                0,
                format!(
                    "{} columns; this surface takes {n} ({})",
                    row.len(),
                    columns.describe()
                ),
            ));
        }
        for (c, text) in row.iter().enumerate() {
            let shown = if text.chars().count() > 20 {
                format!("{}…", text.chars().take(19).collect::<String>())
            } else {
                text.to_string()
            };
            let v = parse_f64(text)
                .ok_or_else(|| at(line, c + 1, format!("`{shown}` is not a number")))?;
            if !v.is_finite() || v.abs() > MAX_VALUE {
                return Err(at(
                    line,
                    c + 1,
                    format!("`{shown}` is outside ±{}", fmt_num(MAX_VALUE)),
                ));
            }
            if columns == Columns::Classes
                && c == 2
                && !(v.fract() == 0.0 && (0.0..CLASSES as f64).contains(&v))
            {
                return Err(at(
                    line,
                    c + 1,
                    format!("class `{shown}` is not one of 0, 1, 2"),
                ));
            }
            values.push(v);
        }
    }
    if count < MIN_ROWS {
        return Err(at(
            0,
            0,
            format!(
                "{count} rows; a data set needs at least {MIN_ROWS} rows of {}",
                columns.describe()
            ),
        ));
    }
    Ok(values)
}

/// One row's values, comma-separated, each in its shortest exact form; −0 keeps its sign
/// (`fmt_num` writes it `0`), so rows read back bit for bit.
fn row_text(r: &[f64]) -> String {
    let num = |v: &f64| match v.to_bits() == (-0.0f64).to_bits() {
        true => "-0".to_string(),
        false => fmt_num(*v),
    };
    crate::core::join(&r.iter().map(num).collect::<Vec<_>>(), ",")
}

impl Dataset {
    /// The user's CSV: one row per line of `columns` numbers separated by commas, tabs,
    /// semicolons or spaces; blank lines and `#` comments are skipped, and so is a first line
    /// without any number (a header).
    pub fn from_csv(text: &str, columns: Columns) -> Result<Dataset, DataError> {
        let mut header_allowed = true;
        let rows = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
            .map(|(i, l)| (i, fields(l)))
            .filter(|(_, f)| {
                let header = header_allowed && f.iter().all(|x| parse_f64(x).is_none());
                header_allowed = false;
                !header
            });
        Ok(Dataset {
            shipped: None,
            columns,
            values: read_rows(rows, columns, "line")?,
        })
    }

    /// The value of `data=`: a shipped set's name, or rows separated by `;`, values by `,`.
    pub fn decode(text: &str, columns: Columns) -> Result<Dataset, DataError> {
        let whole = |message: String| DataError {
            unit: "row",
            line: 0,
            column: 0,
            message,
        };
        let text = text.trim();
        if text.starts_with(|c: char| c.is_ascii_alphabetic()) && !text.contains(',') {
            let set = shipped(text).ok_or_else(|| {
                let names: Vec<&str> = SHIPPED.iter().map(|s| s.name).collect();
                whole(format!(
                    "no data set `{text}`; give rows (x,y;x,y;…) or one of {}",
                    crate::core::join(&names, ", ")
                ))
            })?;
            if set.columns != columns {
                return Err(whole(format!(
                    "`{}` has columns {}; this surface takes {}",
                    set.name,
                    set.columns.describe(),
                    columns.describe()
                )));
            }
            let mut d = Dataset::from_csv(set.csv, columns)?;
            d.shipped = Some(set.name);
            return Ok(d);
        }
        let rows = text
            .split(';')
            .enumerate()
            .filter(|(_, r)| !r.trim().is_empty())
            .map(|(i, r)| (i + 1, r.split(',').map(str::trim).collect()));
        Ok(Dataset {
            shipped: None,
            columns,
            values: read_rows(rows, columns, "row")?,
        })
    }

    /// The value of `data=`: the shipped set's name, or every row in its shortest exact form.
    pub fn encode(&self) -> String {
        match self.shipped {
            Some(name) => name.to_string(),
            None => crate::core::join(&self.rows().map(row_text).collect::<Vec<_>>(), ";"),
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.values.len() / self.columns.count()
    }

    /// Whether there are no rows (never, for a decoded data set).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The rows, `columns.count()` values each.
    pub fn rows(&self) -> std::slice::Chunks<'_, f64> {
        self.values.chunks(self.columns.count())
    }

    /// The rows as CSV with a header line, for saving or editing.
    pub fn to_csv(&self) -> String {
        let mut out = crate::core::join(self.columns.names(), ",");
        out.push('\n');
        for r in self.rows() {
            out.push_str(&row_text(r));
            out.push('\n');
        }
        out
    }
}
