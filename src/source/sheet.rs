//! households and points kept in a spreadsheet (XLSX, XLS, ODS, WPS .et,
//! CSV) instead of TOML. The sheet is turned into the TOML it stands for,
//! which is checked exactly like a hand-written file; a [`CellMap`] takes
//! every place in that TOML back to its cell, so problems are shown as
//! `households.xlsx: Sheet1!C7` with the cell's text.

mod columns;
mod grid;

use std::path::Path;

use columns::{Column, Converted, HOUSEHOLDS, POINTS};
use grid::{Row, Sheet};

use crate::error::{Location, Problem, Text, t};
use crate::privacy::{PersonalField, personal_column_message, personal_field};

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

/// Where each part of the generated TOML came from.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CellMap {
    /// (offset in the TOML, cell name, row, cell text, character in it),
    /// in offset order.
    marks: Vec<(usize, String, usize, String, usize)>,
    /// Households of rows left out because a cell of theirs could not be
    /// read (already reported): nothing more is said about them.
    pub left_out: Vec<String>,
    /// Problems found reading the sheet, reported on every build.
    pub problems: Vec<Problem>,
    /// The file is no spreadsheet that could be read (damaged, or caught
    /// while being saved).
    unreadable: bool,
}

impl CellMap {
    pub fn unreadable(&self) -> bool {
        self.unreadable
    }

    /// The cell an offset of the generated TOML stands for.
    pub fn locate(&self, at: usize) -> Option<Location> {
        let i = self.marks.partition_point(|m| m.0 <= at).checked_sub(1)?;
        let (_, name, row, text, column) = &self.marks[i];
        Some(Location::cell(name.clone(), *row, text, *column))
    }
}

/// The sheet as TOML, with its map; a file that is no spreadsheet at all
/// gives no TOML and an unreadable map with a problem in it.
pub fn convert(roster: Roster, shown: &Path, bytes: &[u8], csv: bool) -> (String, CellMap) {
    let mut out = Writer {
        roster,
        shown,
        toml: String::new(),
        map: CellMap::default(),
    };
    match grid::read(bytes, csv) {
        Ok(sheets) => {
            for sheet in &sheets {
                out.sheet(sheet);
            }
        }
        Err(e) => {
            out.map.unreadable = true;
            out.map.problems.push(Problem::error(
                shown,
                None,
                t(
                    format!("this file cannot be read as a spreadsheet ({})", e.0),
                    format!("这个文件无法当作表格读取（{}）", e.0),
                ),
                t(
                    "open it in Excel or WPS and save it again as .xlsx",
                    "请用 Excel 或 WPS 打开，重新另存为 .xlsx",
                ),
            ));
        }
    }
    (out.toml, out.map)
}

/// One `field = value` line made from a cell.
struct Line {
    cell: String,
    text: String,
    toml: String,
    /// For a list: where each item starts in `toml`, and the character of
    /// the cell it came from.
    items: Vec<(usize, usize)>,
}

/// Each sheet on its own, for `import`: its name, the roster its headers
/// say it is (a date column: the ledger), its TOML and map. A file that is
/// no spreadsheet gives one unnamed part with the problem.
pub fn convert_each(shown: &Path, bytes: &[u8], csv: bool) -> Vec<(String, Roster, String, CellMap)> {
    let sheets = match grid::read(bytes, csv) {
        Ok(sheets) => sheets,
        Err(_) => {
            let (toml, map) = convert(Roster::Households, shown, bytes, csv);
            return vec![(String::new(), Roster::Households, toml, map)];
        }
    };
    sheets
        .iter()
        .filter(|s| !s.rows.is_empty())
        .map(|s| {
            let headers = s.rows[0].cells.iter().map(|c| c.value.text());
            let roster = if headers
                .into_iter()
                .any(|h| columns::find(POINTS, &h).is_some_and(|c| c.field == "date"))
            {
                Roster::Points
            } else {
                Roster::Households
            };
            let mut out = Writer {
                roster,
                shown,
                toml: String::new(),
                map: CellMap::default(),
            };
            out.sheet(s);
            (s.name.clone(), roster, out.toml, out.map)
        })
        .collect()
}

struct Writer<'a> {
    roster: Roster,
    shown: &'a Path,
    toml: String,
    map: CellMap,
}

impl Writer<'_> {
    fn sheet(&mut self, sheet: &Sheet) {
        let Some((header, rows)) = sheet.rows.split_first() else {
            return;
        };
        let columns = self.header(sheet, header);
        for row in rows {
            let first = row.cells.iter().map(|c| c.value.text()).find(|s| !s.is_empty());
            if first.as_deref().is_some_and(columns::is_totals) {
                continue;
            }
            self.row(sheet, row, &columns);
        }
    }

    /// Each column's field by its header (None for a column not read).
    fn header(&mut self, sheet: &Sheet, header: &Row) -> Vec<(String, Option<&'static Column>)> {
        let all = self.roster.columns();
        let mut seen: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for cell in &header.cells {
            let text = cell.value.text();
            let name = cell.name(&sheet.name, header.number);
            let column = match columns::find(all, &text) {
                _ if text.is_empty() => None,
                Some(c) if seen.contains(&c.field) => {
                    self.problem(&name, header.number, &text, repeated_column(&text));
                    None
                }
                Some(c) => {
                    seen.push(c.field);
                    Some(c)
                }
                None => {
                    let (message, hint) = match personal_field(&text) {
                        Some(kind) => personal_column_message(&PersonalField {
                            name: text.clone(),
                            kind,
                            span: 0..0,
                        }),
                        None => unknown_column(&text, all),
                    };
                    self.problem(&name, header.number, &text, (message, hint));
                    None
                }
            };
            out.push((cell.column.clone(), column));
        }
        for missing in all.iter().filter(|c| c.required && !seen.contains(&c.field)) {
            let first = header
                .cells
                .first()
                .map_or_else(|| "A".to_string(), |c| c.column.clone());
            let name = if sheet.name.is_empty() {
                format!("{first}{}", header.number)
            } else {
                format!("{}!{first}{}", sheet.name, header.number)
            };
            let titles: Vec<String> = header.cells.iter().map(|c| c.value.text()).collect();
            self.problem(&name, header.number, titles.join("  ").trim(), missing_column(missing));
        }
        out
    }

    /// A row as one `[[household]]` or `[[entry]]`; a row with a cell that
    /// cannot be read is left out (its problem is reported).
    fn row(&mut self, sheet: &Sheet, row: &Row, columns: &[(String, Option<&'static Column>)]) {
        let mut lines: Vec<Line> = Vec::new();
        let mut household = None;
        let mut bad = false;
        for (cell, (_, column)) in row.cells.iter().zip(columns) {
            let Some(column) = column else { continue };
            let text = cell.value.text();
            if text.is_empty() {
                continue;
            }
            let name = cell.name(&sheet.name, row.number);
            if column.field == self.roster.household_field() {
                household = Some(text.clone());
            }
            match columns::convert(column.kind, &cell.value) {
                Ok(Converted::Value(v)) => lines.push(Line {
                    cell: name,
                    text,
                    toml: format!("{} = {v}", column.field),
                    items: Vec::new(),
                }),
                Ok(Converted::List(items)) => {
                    let mut line = format!("{} = [", column.field);
                    let mut at = Vec::new();
                    for (i, (item, start)) in items.iter().enumerate() {
                        if i > 0 {
                            line.push_str(", ");
                        }
                        at.push((line.len(), start + 1));
                        line.push_str(&columns::quoted(item));
                    }
                    line.push(']');
                    lines.push(Line {
                        cell: name,
                        text,
                        toml: line,
                        items: at,
                    });
                }
                Err(why) => {
                    self.problem(&name, row.number, &text, why);
                    bad = true;
                }
            }
        }
        // Every row fills the required columns (a column not there at all
        // was reported once, at the header).
        for (column_name, column) in columns {
            let Some(column) = column.filter(|c| c.required) else {
                continue;
            };
            let filled = row
                .cells
                .iter()
                .any(|c| c.column == *column_name && !c.value.is_empty());
            if !filled {
                let name = if sheet.name.is_empty() {
                    format!("{column_name}{}", row.number)
                } else {
                    format!("{}!{column_name}{}", sheet.name, row.number)
                };
                self.problem(&name, row.number, "", empty_cell(column));
                bad = true;
            }
        }
        let required = self.roster.columns().iter().filter(|c| c.required);
        bad |= required.clone().count() > columns.iter().filter(|(_, c)| c.is_some_and(|c| c.required)).count();
        if bad {
            self.map.left_out.extend(household);
            return;
        }
        let first = row.cells.first().map_or_else(|| "A".to_string(), |c| c.column.clone());
        let row_name = if sheet.name.is_empty() {
            format!("{first}{}", row.number)
        } else {
            format!("{}!{first}{}", sheet.name, row.number)
        };
        let row_text: Vec<String> = row.cells.iter().map(|c| c.value.text()).collect();
        self.mark(row_name, row.number, row_text.join("  ").trim().to_string(), 1);
        self.toml.push_str(&format!("[[{}]]\n", self.roster.table()));
        for line in lines {
            let start = self.toml.len();
            self.mark(line.cell.clone(), row.number, line.text.clone(), 1);
            for (offset, column) in line.items {
                self.map
                    .marks
                    .push((start + offset, line.cell.clone(), row.number, line.text.clone(), column));
            }
            self.toml.push_str(&line.toml);
            self.toml.push('\n');
        }
        self.toml.push('\n');
    }

    fn mark(&mut self, name: String, row: usize, text: String, column: usize) {
        self.map.marks.push((self.toml.len(), name, row, text, column));
    }

    fn problem(&mut self, name: &str, row: usize, text: &str, (message, hint): (Text, Text)) {
        let location = Location::cell(name.to_string(), row, text, 1);
        self.map
            .problems
            .push(Problem::error(self.shown, Some(location), message, hint));
    }
}

fn unknown_column(header: &str, columns: &[Column]) -> (Text, Text) {
    let known = columns::known(columns);
    (
        t(format!("unknown column `{header}`"), format!("不认识的列 `{header}`")),
        t(
            format!("rename or delete the column; the columns read are: {known}"),
            format!("请改列名或删掉这一列；能读的列：{known}"),
        ),
    )
}

fn missing_column(column: &Column) -> (Text, Text) {
    let (zh, en) = (column.headers[0], column.field);
    (
        t(format!("there is no {en} column"), format!("缺少“{zh}”这一列")),
        t(
            format!("add a column headed {zh} (or {en}) in the first row"),
            format!("在第一行加一列，标题写“{zh}”（或 {en}）"),
        ),
    )
}

fn empty_cell(column: &Column) -> (Text, Text) {
    let (zh, en) = (column.headers[0], column.field);
    (
        t(format!("the {en} cell is empty"), format!("“{zh}”这一格是空的")),
        t(
            format!("every row needs its {en}; fill it in, or delete the row"),
            format!("每一行都要填“{zh}”；请填上，或删掉这一行"),
        ),
    )
}

fn repeated_column(header: &str) -> (Text, Text) {
    (
        t(
            format!("column `{header}` is there twice"),
            format!("`{header}` 这一列重复了"),
        ),
        t("keep one of them", "只保留一列"),
    )
}

#[cfg(test)]
mod tests;
