//! Reading one TOML file into raw serde structs, turning every parser and serde
//! complaint into a [`Problem`] at the right line and column.
//!
//! Files made of lists (`[[household]]`, `[[entry]]`, …) are deserialised entry by
//! entry so that one mistyped household does not hide the problems of the next.

use std::cell::RefCell;
use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

mod list;
pub mod plain;
mod serde_text;
mod slip_report;

pub use list::ListFile;

use serde_text::{explain_serde, unknown_field_name};

use super::SourceFile;
use super::sheet::CellMap;
use super::slips::{Repaired, Slip};
use crate::error::{Problem, Problems, Text, t};

/// One TOML source file: its path (as shown to users) and its text.
pub struct Doc<'a> {
    pub file: &'a Path,
    pub text: &'a str,
    /// Where `text` starts inside the real file (front matter sits below `+++`).
    pub offset: usize,
    /// The whole file, for line numbers; equals `text` when `offset` is 0.
    pub full: &'a str,
    /// Where the parser found syntax errors: what it recovered around them is
    /// not trusted enough to report further problems about.
    broken: RefCell<Vec<Range<usize>>>,
    /// Chinese input slips repaired for the parser (see `slips`): spans
    /// are in the repaired text and map back through it.
    repaired: Option<&'a Repaired>,
    /// The file describes people (households, ledger): personal fields are
    /// refused with the privacy reason.
    people: bool,
    /// Fields already reported (as personal): not reported again as unknown.
    quiet: RefCell<Vec<String>>,
    /// For a spreadsheet read as TOML: the cell behind each place.
    cells: Option<&'a CellMap>,
}

impl<'a> Doc<'a> {
    pub fn new(file: &'a Path, text: &'a str) -> Doc<'a> {
        Doc::part(file, text, 0, text)
    }

    /// A document that is part of a file (front matter) starting at `offset`.
    pub fn part(file: &'a Path, text: &'a str, offset: usize, full: &'a str) -> Doc<'a> {
        Doc {
            file,
            text,
            offset,
            full,
            broken: RefCell::new(Vec::new()),
            repaired: None,
            people: false,
            quiet: RefCell::new(Vec::new()),
            cells: None,
        }
    }

    /// A file about people: personal fields in it are refused.
    pub fn about_people(mut self) -> Doc<'a> {
        self.people = true;
        self
    }

    /// Report every personal field of a file about people, once; the rest of
    /// the file is still checked, without a second message for those fields.
    pub fn refuse_personal_fields(&self, table: &DeTable<'_>, problems: &mut Problems) {
        for field in crate::privacy::find_personal_fields(table) {
            let (message, hint) = crate::privacy::personal_field_message(&field);
            problems.push(self.problem(field.span.clone(), message, hint));
            self.quiet.borrow_mut().push(field.name);
        }
    }

    fn is_quiet(&self, name: &str) -> bool {
        self.quiet.borrow().iter().any(|q| q == name)
    }

    /// The document of a whole TOML file, as repaired when it had slips.
    pub fn of(file: &'a SourceFile) -> Doc<'a> {
        let mut doc = Doc::new(&file.shown, file.text()).repaired(file.repaired());
        doc.cells = file.cells();
        doc
    }

    /// Parse `repaired` instead of the text, when it is this document's.
    pub fn repaired(mut self, repaired: Option<&'a Repaired>) -> Doc<'a> {
        self.repaired = repaired.filter(|r| r.start == self.offset);
        self
    }

    /// What the parser reads.
    fn parsed_text(&self) -> &'a str {
        self.repaired.map_or(self.text, |r| r.text.as_str())
    }

    /// Whether the parser found syntax errors in this document.
    pub fn has_syntax_errors(&self) -> bool {
        !self.broken.borrow().is_empty()
    }

    /// Whether `span` contains or touches a syntax error.
    fn overlaps_syntax_error(&self, span: &Range<usize>) -> bool {
        self.broken
            .borrow()
            .iter()
            .any(|b| b.start <= span.end && span.start <= b.end)
    }

    /// A problem at a span of `text`.
    pub fn problem(&self, span: Range<usize>, message: Text, hint: Text) -> Problem {
        if let Some(location) = self.cells.and_then(|c| c.locate(span.start)) {
            return Problem::error(self.file, Some(location), message, hint);
        }
        let at = self.repaired.map_or(span.start, |r| r.original(span.start));
        Problem::at(self.file, self.full, self.offset + at, message, hint)
    }

    /// The line number (from 1) in the file of a span start, for "the
    /// first is on line N".
    pub fn line_number(&self, at: usize) -> usize {
        self.problem(at..at, t("", ""), t("", ""))
            .location
            .as_ref()
            .map_or(0, |l| l.line)
    }

    /// A problem at an offset of the text as written.
    fn problem_as_written(&self, at: usize, message: Text, hint: Text) -> Problem {
        Problem::at(self.file, self.full, self.offset + at, message, hint)
    }

    /// Parse the document, reporting every syntax error the parser can
    /// recover from. The recovered table comes back too, so the rest of the
    /// file is still checked; callers must not build a site from it.
    pub fn parse_recovering(&self, problems: &mut Problems) -> Spanned<DeTable<'a>> {
        let slipped = self.report_slips(problems);
        let text = self.parsed_text();
        let (table, errors) = DeTable::parse_recoverable(text);
        for e in &errors {
            let span = e.span().unwrap_or(0..text.len());
            // A line with a slip gets one message, the slip's.
            let line = self.line_of(span.start);
            if !slipped.contains(&line) {
                problems.push(self.syntax_problem(e));
            }
            self.broken.borrow_mut().push(span);
        }
        table
    }

    /// Parse the document; any syntax error makes it unusable.
    pub fn parse(&self) -> Result<Spanned<DeTable<'a>>, Vec<Problem>> {
        let mut problems = Problems::default();
        let table = self.parse_recovering(&mut problems);
        if problems.0.is_empty() {
            Ok(table)
        } else {
            Err(problems.0)
        }
    }

    fn syntax_problem(&self, e: &toml::de::Error) -> Problem {
        let raw = e.message().trim();
        let hint = if raw.contains("recursion limit") {
            t(
                "brackets, braces or dotted keys nest too deeply on this line; a table header is one level, e.g. [[household]]",
                "这一行的方括号、花括号或点号嵌套太深；表头只写一层，例如 [[household]]",
            )
        } else if raw.contains("date") || raw.contains("month") || raw.contains("day") {
            t(
                "write a real date as YYYY-MM-DD without quotes, e.g. 2022-11-05",
                "按 年-月-日 写真实存在的日期，不加引号，例如 2022-11-05",
            )
        } else {
            t(
                "check quotes, brackets and `=` on this line; text values need \"double quotes\"",
                "检查这一行的引号、括号和等号；文字要放在英文双引号 \"…\" 里",
            )
        };
        // The parser gives no place when it gives up on nesting: point at
        // the most deeply nested line, which is where it gave up.
        let span = e.span().unwrap_or_else(|| {
            let at = deepest_line(self.parsed_text());
            at..at
        });
        self.problem(
            span,
            t(format!("TOML syntax: {raw}"), format!("TOML 格式错误：{raw}")),
            hint,
        )
    }

    /// Deserialise a whole table (for single-table files such as site.toml).
    /// Problems go to `problems`; the value comes back whenever serde could
    /// build one, so later checks still run and report theirs.
    pub fn deserialize<T: DeserializeOwned>(&self, table: Spanned<DeTable<'a>>, problems: &mut Problems) -> Option<T> {
        let span = table.span();
        let value = Spanned::new(span, DeValue::Table(table.into_inner()));
        self.deserialize_value(value, problems)
    }

    /// Deserialise one value. Unknown top-level fields are reported and
    /// dropped, then serde tries again, so one typo does not hide the rest.
    pub fn deserialize_value<T: DeserializeOwned>(
        &self,
        mut value: Spanned<DeValue<'a>>,
        problems: &mut Problems,
    ) -> Option<T> {
        let fallback = value.span();
        if self.overlaps_syntax_error(&fallback) {
            // Already reported as a syntax error; what serde would add is noise.
            return None;
        }
        loop {
            match T::deserialize(ValueDeserializer::from(value.clone())) {
                Ok(v) => return Some(v),
                Err(e) => {
                    let span = e.span().unwrap_or_else(|| fallback.clone());
                    let unknown = unknown_field_name(e.message());
                    // A field typed with a Chinese name is reported as that
                    // slip; "missing field" would say it twice.
                    let missing_after_slip =
                        e.message().starts_with("missing field") && self.has_bare_key_within(&fallback);
                    if !unknown.is_some_and(|u| self.is_quiet(u)) && !missing_after_slip {
                        let (message, hint) = explain_serde(e.message());
                        problems.push(self.problem(span, message, hint));
                    }
                    let unknown = unknown?;
                    let DeValue::Table(table) = value.get_mut() else {
                        return None;
                    };
                    let before = table.len();
                    let kept = std::mem::replace(table, DeTable::new());
                    *table = kept.into_iter().filter(|(k, _)| k.get_ref() != unknown).collect();
                    if table.len() == before {
                        // The unknown field is in a nested table: stop here.
                        return None;
                    }
                }
            }
        }
    }

    /// Whether a line with a Chinese field name was taken out of the table
    /// at `span` (of the parsed text) as a slip. A `[[…]]` entry's span is
    /// its heading: its fields run to the next heading.
    fn has_bare_key_within(&self, span: &Range<usize>) -> bool {
        let Some(r) = self.repaired else { return false };
        // A line taken out right at the start of the span maps to after
        // itself: start from the character before.
        let start = span.start.checked_sub(1).map_or(0, |b| r.original(b));
        let text = self.parsed_text();
        let body_end = text[span.end.min(text.len())..]
            .find("\n[")
            .map_or(text.len(), |i| span.end + i);
        let end = r.original(body_end);
        r.slips
            .iter()
            .any(|s| matches!(s, Slip::BareKey { at, .. } if (start..=end).contains(at)))
    }

    /// Split a list file: each allowed top-level key is returned with its value,
    /// unknown keys become problems.
    pub fn top_level(
        &self,
        table: Spanned<DeTable<'a>>,
        allowed: &[&str],
        problems: &mut Problems,
    ) -> Vec<(String, Spanned<DeValue<'a>>)> {
        let mut out = Vec::new();
        for (key, value) in table.into_inner() {
            let name = key.get_ref().to_string();
            if allowed.contains(&name.as_str()) {
                out.push((name, value));
            } else if !self.has_syntax_errors() && !self.is_quiet(&name) {
                // With syntax errors, keys land where the parser guessed: not
                // worth a second, confusing message.
                problems.push(self.unknown_field(key.span(), &name, allowed));
            }
        }
        out
    }

    /// Deserialise every element of an array of tables, collecting every problem.
    pub fn each<T: DeserializeOwned>(
        &self,
        value: Spanned<DeValue<'a>>,
        problems: &mut Problems,
    ) -> Vec<(T, Range<usize>)> {
        let span = value.span();
        let DeValue::Array(items) = value.into_inner() else {
            problems.push(self.problem(
                span,
                t(
                    "expected a list of tables here",
                    "这里应该是一组表（用 [[…]] 写的条目）",
                ),
                t(
                    "write each entry under its own [[name]] heading",
                    "每一条都用 [[名称]] 开头另起一段",
                ),
            ));
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter().cloned() {
            let item_span = item.span();
            if let Some(v) = self.deserialize_value(item, problems) {
                out.push((v, item_span));
            }
        }
        out
    }

    pub fn unknown_field(&self, span: Range<usize>, name: &str, allowed: &[&str]) -> Problem {
        let list = allowed.join(", ");
        self.problem(
            span,
            t(format!("unknown field `{name}`"), format!("不认识的字段 `{name}`")),
            t(
                format!("check the spelling; fields allowed here: {list}"),
                format!("检查拼写；这里可用的字段：{list}"),
            ),
        )
    }
}

/// The byte offset of the line with the most brackets, braces and dots:
/// where a parser runs out of nesting.
fn deepest_line(text: &str) -> usize {
    let mut best = (0, 0);
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let depth = line.bytes().filter(|b| matches!(b, b'[' | b'{' | b'.')).count();
        if depth > best.1 {
            best = (start, depth);
        }
        start += line.len();
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code, reason = "fields exist to be deserialised")]
    struct Item {
        id: String,
        n: u32,
    }

    #[test]
    fn each_reports_every_bad_entry() {
        let text = "[[item]]\nid = \"a\"\nn = 1\n[[item]]\nid = \"b\"\nn = \"x\"\n[[item]]\nid = \"c\"\nm = 2\n";
        let doc = Doc::new(Path::new("f.toml"), text);
        let table = doc.parse().unwrap();
        let mut problems = Problems::default();
        let parts = doc.top_level(table, &["item"], &mut problems);
        let items: Vec<(Item, _)> = doc.each(parts.into_iter().next().unwrap().1, &mut problems);
        // The entry with an unknown field `m` is reported, and still missing `n`.
        assert_eq!(items.len(), 1);
        let lines: Vec<usize> = problems.0.iter().map(|p| p.location.as_ref().unwrap().line).collect();
        assert_eq!(lines, vec![6, 9, 7]);
        assert!(problems.0[1].message.en.contains("unknown field `m`"));
        assert!(problems.0[2].message.en.contains("missing field `n`"));
    }

    #[test]
    fn syntax_errors_are_located() {
        let doc = Doc::new(Path::new("f.toml"), "a = 1\nb = \n");
        let problems = doc.parse().unwrap_err();
        assert_eq!(problems[0].location.as_ref().unwrap().line, 2);
    }
}
