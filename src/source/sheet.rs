//! households and points kept in a spreadsheet (XLSX, XLS, ODS, WPS .et,
//! CSV) instead of TOML. The sheet is turned into the TOML it stands for,
//! which is checked exactly like a hand-written file; a [`CellMap`] takes
//! every place in that TOML back to its cell, so problems are shown as
//! `households.xlsx: Sheet1!C7` with the cell's text.

mod cell_map;
mod columns;
mod grid;
mod writer;

use std::path::Path;

pub use cell_map::CellMap;
use columns::{Column, HOUSEHOLDS, POINTS};
use writer::Writer;

use crate::error::{Problem, t};

/// The roster file a sheet stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Roster {
    Households,
    Points,
}

impl Roster {
    fn columns(self) -> &'static [Column] {
        match self {
            Roster::Households => HOUSEHOLDS,
            Roster::Points => POINTS,
        }
    }

    fn table(self) -> &'static str {
        match self {
            Roster::Households => "household",
            Roster::Points => "entry",
        }
    }

    /// The field naming the household a row is about.
    fn household_field(self) -> &'static str {
        match self {
            Roster::Households => "id",
            Roster::Points => "household",
        }
    }
}

/// The spreadsheet kinds read, by file extension.
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods", "et", "csv"];

/// The sheet as TOML, with its map; a file that is no spreadsheet at all
/// gives no TOML and an unreadable map with a problem in it.
pub fn convert(roster: Roster, shown: &Path, bytes: &[u8], csv: bool) -> (String, CellMap) {
    let mut out = Writer::new(roster, shown);
    match grid::read(bytes, csv) {
        Ok(sheets) => {
            for sheet in &sheets {
                out.sheet(sheet);
            }
        }
        Err(e) => out.unreadable(&e.0),
    }
    out.finish()
}

/// Each sheet on its own, for `import`: its name, the roster its headers
/// say it is (a date column: the ledger), its TOML and map. A file that is
/// no spreadsheet gives one unnamed part with the problem.
pub fn convert_each(shown: &Path, bytes: &[u8], csv: bool) -> Vec<(String, Roster, String, CellMap)> {
    let sheets = match grid::read(bytes, csv) {
        Ok(sheets) => sheets,
        Err(e) => {
            let mut out = Writer::new(Roster::Households, shown);
            out.unreadable(&e.0);
            let (toml, map) = out.finish();
            return vec![(String::new(), Roster::Households, toml, map)];
        }
    };
    sheets
        .iter()
        .filter(|s| !s.rows.is_empty())
        .map(|s| {
            let is_ledger = s.rows[0]
                .cells
                .iter()
                .any(|c| columns::find(POINTS, &c.value.text()).is_some_and(|c| c.field == "date"));
            let roster = if is_ledger { Roster::Points } else { Roster::Households };
            let mut out = Writer::new(roster, shown);
            out.sheet(s);
            let (toml, map) = out.finish();
            (s.name.clone(), roster, toml, map)
        })
        .collect()
}

fn unreadable_problem(shown: &Path, why: &str) -> Problem {
    Problem::error(
        shown,
        None,
        t(
            format!("this file cannot be read as a spreadsheet ({why})"),
            format!("这个文件无法当作表格读取（{why}）"),
        ),
        t(
            "open it in Excel or WPS and save it again as .xlsx",
            "请用 Excel 或 WPS 打开，重新另存为 .xlsx",
        ),
    )
}

#[cfg(test)]
mod tests;
