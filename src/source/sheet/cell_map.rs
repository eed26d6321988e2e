//! Where each place of a sheet's generated TOML came from, kept small: a
//! whole village's ledger has a mark a line, and names like `Sheet1!C7`
//! are only made for a problem.

use crate::error::Location;

use super::grid::column_name;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CellMap {
    /// In offset order.
    marks: Vec<Mark>,
    /// Sheet names (empty for CSV), by index.
    sheets: Vec<String>,
    /// The texts of marked cells, one after another.
    texts: String,
    /// Households of rows left out because a cell of theirs could not be
    /// read (already reported): nothing more is said about them.
    pub left_out: Vec<String>,
    /// Problems found reading the sheet, reported on every build.
    pub problems: Vec<crate::error::Problem>,
    /// The file is no spreadsheet that could be read (damaged, or caught
    /// while being saved).
    pub(super) unreadable: bool,
}

/// A place in the TOML and its cell: sheet, column (from 0), row (from
/// 1), the cell's text as a range of `texts`, the character pointed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    at: u32,
    sheet: u16,
    col: u32,
    row: u32,
    text: (u32, u32),
    character: u32,
}

/// A cell as marks refer to it.
#[derive(Debug, Clone, Copy)]
pub(super) struct CellRef {
    pub sheet: u16,
    pub col: usize,
    pub row: usize,
}

impl CellMap {
    pub fn unreadable(&self) -> bool {
        self.unreadable
    }

    /// The cell an offset of the generated TOML stands for.
    pub fn locate(&self, at: usize) -> Option<Location> {
        let i = self.marks.partition_point(|m| m.at as usize <= at).checked_sub(1)?;
        let m = self.marks[i];
        let text = &self.texts[m.text.0 as usize..m.text.1 as usize];
        let cell = CellRef {
            sheet: m.sheet,
            col: m.col as usize,
            row: m.row as usize,
        };
        Some(Location::cell(
            self.name(cell),
            m.row as usize,
            text,
            m.character as usize,
        ))
    }

    /// `Sheet1!C7`, or `C7` in a CSV file.
    pub(super) fn name(&self, cell: CellRef) -> String {
        let sheet = &self.sheets[cell.sheet as usize];
        let col = column_name(cell.col);
        if sheet.is_empty() {
            format!("{col}{}", cell.row)
        } else {
            format!("{sheet}!{col}{}", cell.row)
        }
    }

    pub(super) fn add_sheet(&mut self, name: &str) -> u16 {
        self.sheets.push(name.to_string());
        (self.sheets.len() - 1) as u16
    }

    /// Keep a cell's text for its marks.
    pub(super) fn keep(&mut self, text: &str) -> (u32, u32) {
        let start = self.texts.len() as u32;
        self.texts.push_str(text);
        (start, self.texts.len() as u32)
    }

    pub(super) fn mark(&mut self, at: usize, cell: CellRef, text: (u32, u32), character: usize) {
        self.marks.push(Mark {
            at: at as u32,
            sheet: cell.sheet,
            col: cell.col as u32,
            row: cell.row as u32,
            text,
            character: character as u32,
        });
    }
}
