//! Problems found in a site, and how they are shown to the people who fix them.
//!
//! A [`Problem`] carries its location as data (file, line, column) plus a plain
//! message and a hint in both English and Chinese; the printer picks the language
//! from site.toml. Stages collect problems and fail once, so staff fix every typo
//! in one pass. This module knows nothing about stages.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use unicode_width::UnicodeWidthChar;

/// The language messages are printed in: Chinese for `zh-*` sites, English
/// otherwise. The default is the default site language, zh-Hans: messages
/// before any site.toml is read (there is none, say) are in Chinese too.
/// `config` decides a site's language; nothing else does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    En,
    #[default]
    Zh,
}

impl Lang {
    /// `zh`, `zh-Hans`, `zh-CN`, … are Chinese; everything else is English.
    pub fn from_code(code: &str) -> Lang {
        let lower = code.to_ascii_lowercase();
        if lower == "zh" || lower.starts_with("zh-") || lower.starts_with("zh_") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// One text in both languages we print.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Text {
        Text {
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// Shorthand used by every stage: `t("English", "中文")`.
pub fn t(en: impl Into<String>, zh: impl Into<String>) -> Text {
    Text::new(en, zh)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Severity {
    Error,
    Warning,
}

/// Where in a source file something is: 1-based line and column (columns count
/// characters, not bytes), plus the text of that line for the snippet.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    /// The line, or for very long lines (generated HTML) a window of it.
    pub line_text: String,
    /// Characters of the line left out before `line_text` starts.
    pub skipped: usize,
    /// In a spreadsheet: the cell (`Sheet1!C7`); `line` is its row and
    /// `line_text` the cell's text.
    pub cell: Option<String>,
}

impl Location {
    /// Locate a byte offset in `source`. Offsets past the end point at the
    /// end. A very long line is cut to a window around the spot.
    pub fn at(source: &str, offset: usize) -> Location {
        let loc = Location::whole_line(source, offset);
        if loc.line_text.len() > 160 && loc.line_text.chars().count() > 160 {
            return Location::window(source, offset, 60);
        }
        loc
    }

    /// The line around `offset` (no copy yet), its number and the column.
    /// Linear in the size of `source`, whatever the length of the line.
    fn parts(source: &str, offset: usize) -> (&str, usize, usize) {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[offset..].find('\n').map_or(source.len(), |i| offset + i);
        let line = source.as_bytes()[..line_start].iter().filter(|b| **b == b'\n').count() + 1;
        let column = source[line_start..offset].chars().count() + 1;
        (source[line_start..line_end].trim_end_matches('\r'), line, column)
    }

    fn whole_line(source: &str, offset: usize) -> Location {
        let (text, line, column) = Location::parts(source, offset);
        Location {
            line,
            column,
            line_text: text.to_string(),
            skipped: 0,
            cell: None,
        }
    }

    /// Like `at`, keeping only `radius` characters either side of the spot
    /// (and copying only those: a 15 MB line is not copied per problem).
    pub fn window(source: &str, offset: usize, radius: usize) -> Location {
        let (text, line, column) = Location::parts(source, offset);
        let start = column.saturating_sub(1 + radius);
        let end = column - 1 + radius;
        let byte = |n: usize| text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
        let (from, to) = (byte(start), byte(end));
        Location {
            line,
            column,
            line_text: text[from..to].to_string(),
            skipped: start,
            cell: None,
        }
    }

    /// A spreadsheet cell: `name` (`Sheet1!C7`) in row `row`, its text, and
    /// the character of it to point at (from 1).
    pub fn cell(name: String, row: usize, text: &str, column: usize) -> Location {
        Location {
            line: row,
            column,
            line_text: text.to_string(),
            skipped: 0,
            cell: Some(name),
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `text` with control characters (a terminal's escape codes in a file
/// name, say) shown as `\u{1b}` instead of acted on by the terminal.
pub fn printable(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| match c {
            '\t' => "\t".to_string(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// One thing wrong (or worth a warning) in the site. Shared, not copied:
/// the warnings of unchanged villages are reported again on every rebuild,
/// thousands of them on a big site.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Problem(std::sync::Arc<Details>);

impl std::ops::Deref for Problem {
    type Target = Details;

    fn deref(&self) -> &Details {
        &self.0
    }
}

/// What a [`Problem`] says, and where.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Details {
    pub severity: Severity,
    /// Path as the user knows it: relative to the site root where possible.
    pub file: PathBuf,
    /// None when the problem is about the file as a whole (missing, unreadable).
    pub location: Option<Location>,
    pub message: Text,
    pub hint: Text,
}

impl Problem {
    pub fn error(file: &Path, location: Option<Location>, message: Text, hint: Text) -> Problem {
        Problem(std::sync::Arc::new(Details {
            severity: Severity::Error,
            file: file.to_path_buf(),
            location,
            message,
            hint,
        }))
    }

    /// An error at byte `offset` of `source`.
    pub fn at(file: &Path, source: &str, offset: usize, message: Text, hint: Text) -> Problem {
        Problem::error(file, Some(Location::at(source, offset)), message, hint)
    }

    pub fn warning(mut self) -> Problem {
        std::sync::Arc::make_mut(&mut self.0).severity = Severity::Warning;
        self
    }

    /// `file:line:column` (`file: Sheet1!C7` in a spreadsheet), or just the
    /// file when there is no position.
    pub fn position(&self) -> String {
        match &self.location {
            Some(Location { cell: Some(cell), .. }) => {
                format!("{}: {cell}", printable(&self.file.display().to_string()))
            }
            Some(loc) => format!(
                "{}:{}:{}",
                printable(&self.file.display().to_string()),
                loc.line,
                loc.column
            ),
            None => printable(&self.file.display().to_string()),
        }
    }

    /// The full report: heading, source line with a caret, hint.
    pub fn render(&self, lang: Lang) -> String {
        let label = match (self.severity, lang) {
            (Severity::Error, Lang::En) => "error",
            (Severity::Error, Lang::Zh) => "错误",
            (Severity::Warning, Lang::En) => "warning",
            (Severity::Warning, Lang::Zh) => "警告",
        };
        let mut out = format!("{label}: {}\n  --> {}\n", self.message.get(lang), self.position());
        if let Some(loc) = &self.location {
            let number = match &loc.cell {
                // The cell's column and row (`C7`), beside its text.
                Some(cell) => cell.rsplit_once('!').map_or(cell.as_str(), |(_, c)| c).to_string(),
                None => loc.line.to_string(),
            };
            let pad = " ".repeat(number.len());
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{number} | {}", printable(&loc.line_text));
            let _ = writeln!(
                out,
                "{pad} | {}^",
                caret_padding(&loc.line_text, loc.column - loc.skipped)
            );
        }
        let hint = self.hint.get(lang);
        if !hint.is_empty() {
            let word = if lang == Lang::Zh { "提示" } else { "hint" };
            let _ = writeln!(out, "  = {word}: {hint}");
        }
        out
    }
}

/// Spaces that put a caret under the `column`-th character, counting wide
/// (Chinese) characters as two terminal cells and keeping tabs as tabs.
pub fn caret_padding(line: &str, column: usize) -> String {
    line.chars()
        .take(column.saturating_sub(1))
        .map(|c| match c {
            '\t' => "\t".to_string(),
            _ => " ".repeat(c.width().unwrap_or(0)),
        })
        .collect()
}

/// Everything wrong with a site, sorted by file and position.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    pub fn extend(&mut self, more: impl IntoIterator<Item = Problem>) {
        self.0.extend(more);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|p| p.severity == Severity::Error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter().filter(|p| p.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter().filter(|p| p.severity == Severity::Warning)
    }

    /// Sort so the report reads file by file, top to bottom. Keep one problem
    /// per position: a second one there is a consequence of the first (a bad
    /// date the parser rejects is also a value serde cannot read).
    pub fn sorted(mut self) -> Problems {
        self.0.sort_by(|a, b| {
            let key = |p: &Problem| {
                let (l, c) = p.location.as_ref().map_or((0, 0), |l| (l.line, l.column));
                (p.severity, l, c)
            };
            // Comparing paths as strings is much cheaper than by components.
            (a.severity, a.file.as_os_str(), key(a)).cmp(&(b.severity, b.file.as_os_str(), key(b)))
        });
        // Places first: comparing paths component by component is the
        // slow part, and most neighbours differ in place.
        self.0
            .dedup_by(|b, a| a.location.is_some() && a.location == b.location && a.file == b.file);
        self
    }

    /// The warnings, at most `per_kind` of each kind (kinds told apart by
    /// their hint), then one line per kind saying how many more there are:
    /// a big site's standing warnings should not bury the build's summary.
    pub fn render_warnings(&self, lang: Lang, per_kind: usize) -> String {
        let mut out = String::new();
        let mut kinds: Vec<(&str, usize)> = Vec::new();
        for w in self.warnings() {
            let hint = w.hint.get(lang);
            let kind = match kinds.iter().position(|(h, _)| *h == hint) {
                Some(i) => i,
                None => {
                    kinds.push((hint, 0));
                    kinds.len() - 1
                }
            };
            kinds[kind].1 += 1;
            if kinds[kind].1 <= per_kind {
                out.push_str(&w.render(lang));
                out.push('\n');
            }
        }
        for (hint, n) in kinds.into_iter().filter(|(_, n)| *n > per_kind) {
            let more = n - per_kind;
            let _ = match lang {
                Lang::En => writeln!(
                    out,
                    "… and {more} more warning(s) like these ({hint}); `starboard check` lists them all\n"
                ),
                Lang::Zh => writeln!(
                    out,
                    "……另有 {more} 个同类警告（{hint}）；运行 `starboard check` 可看全部\n"
                ),
            };
        }
        out
    }

    /// The whole report with a closing count line.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        for p in &self.0 {
            out.push_str(&p.render(lang));
            out.push('\n');
        }
        let errors = self.errors().count();
        let warnings = self.warnings().count();
        let _ = match lang {
            Lang::En => writeln!(out, "{errors} error(s), {warnings} warning(s)"),
            Lang::Zh => writeln!(out, "共 {errors} 个错误，{warnings} 个警告"),
        };
        out
    }
}

#[cfg(test)]
mod tests;
