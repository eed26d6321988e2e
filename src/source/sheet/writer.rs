//! A sheet written out as `[[household]]` or `[[entry]]` tables, row by
//! row, marking in the map where each line came from.

use std::borrow::Cow;
use std::path::Path;

use super::cell_map::{CellMap, CellRef};
use super::columns::{self, Column, Converted};
use super::grid::{Row, Sheet};
use super::{Roster, unreadable_problem};
use crate::error::{Location, Problem, Text, t};
use crate::privacy::{PersonalField, personal_column_message, personal_field};

pub(super) struct Writer<'a> {
    roster: Roster,
    shown: &'a Path,
    toml: String,
    map: CellMap,
}

/// One `field = value` line made from a cell.
struct Line<'a> {
    col: usize,
    text: Cow<'a, str>,
    toml: String,
    /// For a list: where each item starts in `toml`, and the character of
    /// the cell it came from.
    items: Vec<(usize, usize)>,
}

/// Each column of a sheet: where it is, and its field (None: not read).
type Columns = Vec<(usize, Option<&'static Column>)>;

impl<'a> Writer<'a> {
    pub fn new(roster: Roster, shown: &'a Path) -> Writer<'a> {
        Writer {
            roster,
            shown,
            toml: String::new(),
            map: CellMap::default(),
        }
    }

    pub fn finish(self) -> (String, CellMap) {
        (self.toml, self.map)
    }

    pub fn unreadable(&mut self, why: &str) {
        self.map.unreadable = true;
        self.map.problems.push(unreadable_problem(self.shown, why));
    }

    pub fn sheet(&mut self, sheet: &Sheet) {
        let Some((header, rows)) = sheet.rows.split_first() else {
            return;
        };
        let index = self.map.add_sheet(&sheet.name);
        let columns = self.header(index, header);
        for row in rows {
            let first = row.cells.iter().map(|c| c.value.text()).find(|s| !s.is_empty());
            if first.as_deref().is_some_and(columns::is_totals) {
                continue;
            }
            self.row(index, row, &columns);
        }
    }

    fn cell(sheet: u16, col: usize, row: usize) -> CellRef {
        CellRef { sheet, col, row }
    }

    /// Each column's field by its header.
    fn header(&mut self, sheet: u16, header: &Row) -> Columns {
        let all = self.roster.columns();
        let mut seen: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for cell in &header.cells {
            let text = cell.value.text();
            let at = Self::cell(sheet, cell.col, header.number);
            let column = match columns::find(all, &text) {
                _ if text.is_empty() => None,
                Some(c) if seen.contains(&c.field) => {
                    self.problem(at, &text, repeated_column(&text));
                    None
                }
                Some(c) => {
                    seen.push(c.field);
                    Some(c)
                }
                None => {
                    let why = match personal_field(&text) {
                        Some(kind) => personal_column_message(&PersonalField {
                            name: text.to_string(),
                            kind,
                            span: 0..0,
                        }),
                        None => unknown_column(&text, all),
                    };
                    self.problem(at, &text, why);
                    None
                }
            };
            out.push((cell.col, column));
        }
        for missing in all.iter().filter(|c| c.required && !seen.contains(&c.field)) {
            let first = header.cells.first().map_or(0, |c| c.col);
            let titles: Vec<Cow<str>> = header.cells.iter().map(|c| c.value.text()).collect();
            let at = Self::cell(sheet, first, header.number);
            self.problem(at, titles.join("  ").trim(), missing_column(missing));
        }
        out
    }

    /// A row as one `[[household]]` or `[[entry]]`; a row with a cell that
    /// cannot be read, or a required cell empty, is left out (its problem
    /// is reported).
    fn row(&mut self, sheet: u16, row: &Row, columns: &Columns) {
        let mut lines: Vec<Line> = Vec::new();
        let mut household = None;
        let mut bad = false;
        for (cell, (_, column)) in row.cells.iter().zip(columns) {
            let Some(column) = column else { continue };
            let text = cell.value.text();
            if text.is_empty() {
                continue;
            }
            if column.field == self.roster.household_field() {
                household = Some(text.clone().into_owned());
            }
            match columns::convert(column.kind, &cell.value) {
                Ok(Converted::Value(v)) => lines.push(Line {
                    col: cell.col,
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
                        col: cell.col,
                        text,
                        toml: line,
                        items: at,
                    });
                }
                Err(why) => {
                    self.problem(Self::cell(sheet, cell.col, row.number), &text, why);
                    bad = true;
                }
            }
        }
        // Every row fills the required columns (a column not there at all
        // was reported once, at the header).
        for (col, column) in columns {
            let Some(column) = column.filter(|c| c.required) else {
                continue;
            };
            let filled = row.cells.iter().any(|c| c.col == *col && !c.value.is_empty());
            if !filled {
                self.problem(Self::cell(sheet, *col, row.number), "", empty_cell(column));
                bad = true;
            }
        }
        let required = self.roster.columns().iter().filter(|c| c.required).count();
        bad |= required > columns.iter().filter(|(_, c)| c.is_some_and(|c| c.required)).count();
        if bad {
            self.map.left_out.extend(household);
            return;
        }
        let first = row.cells.first().map_or(0, |c| c.col);
        let row_text: Vec<Cow<str>> = row.cells.iter().map(|c| c.value.text()).collect();
        let kept = self.map.keep(row_text.join("  ").trim());
        self.map
            .mark(self.toml.len(), Self::cell(sheet, first, row.number), kept, 1);
        self.toml.push_str("[[");
        self.toml.push_str(self.roster.table());
        self.toml.push_str("]]\n");
        for line in lines {
            let start = self.toml.len();
            let kept = self.map.keep(&line.text);
            let at = Self::cell(sheet, line.col, row.number);
            self.map.mark(start, at, kept, 1);
            for (offset, character) in line.items {
                self.map.mark(start + offset, at, kept, character);
            }
            self.toml.push_str(&line.toml);
            self.toml.push('\n');
        }
        self.toml.push('\n');
    }

    fn problem(&mut self, at: CellRef, text: &str, (message, hint): (Text, Text)) {
        let location = Location::cell(self.map.name(at), at.row, text, 1);
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
