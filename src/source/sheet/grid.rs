//! A spreadsheet file as sheets of cells: XLSX, XLS, ODS and WPS's .et
//! through calamine, CSV through the csv crate (UTF-8 with or without a
//! BOM, or GBK/GB18030 as Excel on Chinese Windows saves it).

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{Data, ExcelDateTime, ExcelDateTimeType, Reader, open_workbook_auto_from_rs};

use crate::date::Date;

/// One sheet: its name (empty for CSV) and its non-empty rows.
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Row>,
}

pub struct Row {
    /// The row number as the spreadsheet shows it (from 1).
    pub number: usize,
    pub cells: Vec<Cell>,
}

pub struct Cell {
    /// The column, from 0 (`A`).
    pub col: usize,
    pub value: Value,
}

/// A cell's content as the file has it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Date(Date),
}

impl Value {
    /// The cell as a person reads it.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Value::Empty => Cow::Borrowed(""),
            Value::Text(s) => Cow::Borrowed(s.trim()),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Cow::Owned((*n as i64).to_string()),
            Value::Number(n) => Cow::Owned(n.to_string()),
            Value::Bool(true) => Cow::Borrowed("TRUE"),
            Value::Bool(false) => Cow::Borrowed("FALSE"),
            Value::Date(d) => Cow::Owned(d.to_string()),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// Why a file could not be read as a spreadsheet.
#[derive(Debug)]
pub struct Unreadable(pub String);

/// The sheets of a spreadsheet file; `csv` for a CSV file.
pub fn read(bytes: &[u8], csv: bool) -> Result<Vec<Sheet>, Unreadable> {
    if csv {
        read_csv(bytes).map(|s| vec![s])
    } else {
        read_workbook(bytes)
    }
}

fn read_workbook(bytes: &[u8]) -> Result<Vec<Sheet>, Unreadable> {
    // A ZIP holding xl/ is XLSX, the commonest: opened as such at once,
    // without first trying the older formats on it.
    let cursor = Cursor::new(bytes);
    let mut book = if bytes.starts_with(b"PK") && memchr::memmem::find(bytes, b"xl/").is_some() {
        calamine::Sheets::Xlsx(
            calamine::open_workbook_from_rs(cursor).map_err(|e: calamine::XlsxError| Unreadable(e.to_string()))?,
        )
    } else {
        open_workbook_auto_from_rs(cursor).map_err(|e| Unreadable(e.to_string()))?
    };
    let mut sheets = Vec::new();
    // Hidden sheets hold lists for drop-downs (see `starboard template`),
    // not rows.
    let visible: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible == calamine::SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    for name in visible {
        let range = book.worksheet_range(&name).map_err(|e| Unreadable(e.to_string()))?;
        let (top, left) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, row)| Row {
                number: top as usize + i + 1,
                cells: row
                    .iter()
                    .enumerate()
                    .map(|(j, data)| Cell {
                        col: left as usize + j,
                        value: value_of(data),
                    })
                    .collect(),
            })
            .filter(|row| row.cells.iter().any(|c| !c.value.is_empty()))
            .collect();
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
}

fn value_of(data: &Data) -> Value {
    match data {
        Data::Empty | Data::Error(_) => Value::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => excel_date(dt).map_or(Value::Number(dt.as_f64()), Value::Date),
        Data::DateTime(dt) => Value::Number(dt.as_f64()),
    }
}

fn excel_date(dt: &ExcelDateTime) -> Option<Date> {
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    Date::new(i64::from(y), i64::from(m), i64::from(d))
}

/// A number typed into a date column: Excel's serial day (1900 system).
pub fn serial_date(serial: f64) -> Option<Date> {
    // Serial 1 is 1900-01-01; anything before 1950 or after 2199 is not a
    // date this site would hold, but a number typed in the wrong column.
    if !(18_264.0..=109_574.0).contains(&serial) {
        return None;
    }
    excel_date(&ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, false))
}

fn read_csv(bytes: &[u8]) -> Result<Sheet, Unreadable> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let (text, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                return Err(Unreadable("neither UTF-8 nor GBK text".into()));
            }
            text.into_owned()
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| Unreadable(e.to_string()))?;
        // The csv reader passes over blank lines as part of the record
        // before: the row number is the line the record's text starts on.
        let number = record.position().map_or(i + 1, |p| {
            let mut at = p.byte() as usize;
            while text.as_bytes().get(at).is_some_and(|b| matches!(b, b'\n' | b'\r')) {
                at += 1;
            }
            text[..at].matches('\n').count() + 1
        });
        let cells: Vec<Cell> = record
            .iter()
            .enumerate()
            .map(|(j, field)| Cell {
                col: j,
                value: if field.trim().is_empty() {
                    Value::Empty
                } else {
                    Value::Text(field.to_string())
                },
            })
            .collect();
        if cells.iter().any(|c| !c.value.is_empty()) {
            rows.push(Row { number, cells });
        }
    }
    Ok(Sheet {
        name: String::new(),
        rows,
    })
}

/// `A`, `B`, … `Z`, `AA`, … for a column index from 0.
pub fn column_name(mut index: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII letters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .iter()
            .map(|i| column_name(*i))
            .collect();
        assert_eq!(names, ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn serial_numbers_are_excel_days() {
        assert_eq!(serial_date(46_343.0), Date::new(2026, 11, 17));
        assert_eq!(serial_date(44_870.0), Date::new(2022, 11, 5));
        assert_eq!(serial_date(5.0), None, "a small number is not a date");
    }

    #[test]
    fn csv_in_gbk_with_blank_rows() {
        let text = "编号,户主\n\nt-001,陈明华\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let sheet = read_csv(&gbk).unwrap();
        assert_eq!(sheet.rows.len(), 2, "the blank line is skipped");
        assert_eq!(sheet.rows[1].number, 3, "rows keep their numbers");
        assert_eq!(sheet.rows[1].cells[1].value, Value::Text("陈明华".into()));
        let bom = read_csv("\u{feff}编号\nt-1\n".as_bytes()).unwrap();
        assert_eq!(bom.rows[0].cells[0].value, Value::Text("编号".into()));
    }
}
