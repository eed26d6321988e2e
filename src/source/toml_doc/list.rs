//! Reading a list file (households.toml, points.toml): its entries
//! deserialised one by one, read by the plain reader when the file is
//! written plainly, by the full parser otherwise.

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::DeValue;

use super::Doc;
use super::plain::{self, Fields, FromPlain};
use crate::error::Problems;

/// A list file as read.
pub struct ListFile<'a, T> {
    /// The other top-level values the file may have (e.g. `period`).
    pub values: Vec<(String, Spanned<DeValue<'a>>)>,
    /// Every entry that could be read.
    pub items: Vec<T>,
    /// The `id` of every entry as written, readable or not.
    pub written_ids: Vec<String>,
    /// Some entry had a problem of its own (and is not in `items`).
    pub unreadable: bool,
}

impl<'a> Doc<'a> {
    /// Read a file of `[[list]]` entries and the top-level `values`,
    /// reporting everything wrong with its form.
    pub fn list<T: DeserializeOwned + FromPlain<'a>>(
        &self,
        list: &str,
        values: &[&str],
        problems: &mut Problems,
    ) -> ListFile<'a, T> {
        self.plain_list(list, values)
            .unwrap_or_else(|| self.parsed_list(list, values, problems))
    }

    /// The file read by the full parser, every problem of form reported.
    fn parsed_list<T: DeserializeOwned>(
        &self,
        list: &str,
        values: &[&str],
        problems: &mut Problems,
    ) -> ListFile<'a, T> {
        let table = self.parse_recovering(problems);
        self.refuse_personal_fields(table.get_ref(), problems);
        let allowed: Vec<&str> = values.iter().copied().chain([list]).collect();
        let mut file = ListFile {
            values: Vec::new(),
            items: Vec::new(),
            written_ids: Vec::new(),
            unreadable: false,
        };
        for (key, value) in self.top_level(table, &allowed, problems) {
            if key != list {
                file.values.push((key, value));
                continue;
            }
            file.written_ids = written_ids(&value);
            let before = problems.0.len();
            file.items = self.each(value, problems).into_iter().map(|(v, _)| v).collect();
            file.unreadable = problems.0.len() > before;
        }
        file
    }

    /// The file read by the plain reader, if it is written plainly and has
    /// nothing the full parser would report.
    fn plain_list<T: FromPlain<'a>>(&self, list: &str, values: &[&str]) -> Option<ListFile<'a, T>> {
        if self.repaired.is_some() || self.offset != 0 {
            return None;
        }
        let read = plain::read(self.text, list)?;
        let mut file = ListFile {
            values: Vec::with_capacity(read.top.len()),
            items: Vec::with_capacity(read.tables.len()),
            written_ids: Vec::new(),
            unreadable: false,
        };
        for field in read.top {
            if !values.contains(&field.key) {
                return None;
            }
            let plain::Value::Text(text) = field.value else {
                return None;
            };
            let value = Spanned::new(field.span, DeValue::String(text.into()));
            file.values.push((field.key.to_string(), value));
        }
        for table in &read.tables {
            let mut fields = Fields::new(table);
            let item = T::from_plain(&mut fields).ok()?;
            fields.done().ok()?;
            file.items.push(item);
        }
        file.written_ids = read
            .tables
            .iter()
            .filter_map(|t| t.iter().find(|f| f.key == "id"))
            .filter_map(|f| match f.value {
                plain::Value::Text(id) => Some(id.to_string()),
                _ => None,
            })
            .collect();
        Some(file)
    }
}

/// The `id` strings of a list of tables as written, before any entry is
/// checked.
fn written_ids(value: &Spanned<DeValue<'_>>) -> Vec<String> {
    let DeValue::Array(items) = value.get_ref() else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item.get_ref() {
            DeValue::Table(table) => table.get("id")?.get_ref().as_str().map(str::to_string),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests;
