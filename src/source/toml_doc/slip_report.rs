//! The messages for Chinese input slips (see `source::slips`): one per line,
//! at the first slip's column, with the line as it should be typed.

use std::collections::BTreeSet;

use super::Doc;
use crate::error::{Problems, t};
use crate::privacy::{PersonalField, personal_field, personal_field_message};
use crate::source::slips::{Slip, likely_field, rewritten_line};

impl Doc<'_> {
    /// Report the slips of this document; returns the lines they are on.
    pub(super) fn report_slips(&self, problems: &mut Problems) -> BTreeSet<usize> {
        let Some(repaired) = self.repaired else {
            return BTreeSet::new();
        };
        let mut lines = BTreeSet::new();
        for slip in &repaired.slips {
            let line = self.line_at(slip.at());
            if let Slip::Mark { .. } = slip
                && !lines.insert(line)
            {
                // One message a line names every mark on it.
                continue;
            }
            lines.insert(line);
            let written = self.line_text(slip.at());
            let rewrite = rewritten_line(written);
            let (message, hint) = match slip {
                Slip::Mark { .. } => {
                    let marks: Vec<String> = repaired
                        .slips
                        .iter()
                        .filter(|s| matches!(s, Slip::Mark { .. }) && self.line_at(s.at()) == line)
                        .filter_map(|s| match s {
                            Slip::Mark { mark, .. } => Some(mark.to_string()),
                            _ => None,
                        })
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect();
                    let marks = marks.join(" ");
                    (
                        t(
                            format!("Chinese (full-width) punctuation in TOML syntax: {marks}"),
                            format!("这一行的 {marks} 是中文（全角）标点，TOML 的格式符号要用英文标点"),
                        ),
                        t(
                            format!("switch the input method to English punctuation and write: {rewrite}"),
                            format!("把输入法切换到英文标点，写成：{rewrite}"),
                        ),
                    )
                }
                Slip::Date { .. } => (
                    t(
                        "a date is written year-month-day with hyphens, without quotes",
                        "日期要按 年-月-日 用短横线写，不加引号",
                    ),
                    t(format!("write: {rewrite}"), format!("写成：{rewrite}")),
                ),
                Slip::YesNo { word, value, .. } => (
                    t(
                        format!("“{word}” for yes/no: TOML writes true or false"),
                        format!("“{word}”要写成 true（是）或 false（否）"),
                    ),
                    t(
                        format!("write: {rewrite} (this one means {value})"),
                        format!("写成：{rewrite}"),
                    ),
                ),
                Slip::BareKey { key, at } => match personal_field(key).filter(|_| self.people) {
                    Some(kind) => personal_field_message(&PersonalField {
                        name: key.clone(),
                        kind,
                        span: *at..*at,
                    }),
                    None => {
                        let message = t(
                            format!("field name “{key}” is not in English"),
                            format!("字段名“{key}”是中文，字段名要用英文"),
                        );
                        let hint = match likely_field(key) {
                            Some(field) => {
                                let line = rewritten_line(&written.replacen(key.as_str(), field, 1));
                                t(
                                    format!("if it is the {field}, write: {line}"),
                                    format!("如果这是 {field}，写成：{line}"),
                                )
                            }
                            None => t(
                                "use the English field name (e.g. name, head, stars); Chinese goes in the value, in \"quotes\"",
                                "用英文字段名（例如 name、head、stars）；中文写在等号后面的引号里",
                            ),
                        };
                        (message, hint)
                    }
                },
            };
            problems.push(self.problem_as_written(slip.at(), message, hint));
        }
        lines
    }

    /// The line number (from 0) of an offset of the text as written.
    pub(super) fn line_at(&self, at: usize) -> usize {
        self.text[..at.min(self.text.len())].matches('\n').count()
    }

    /// The line of the text as written that holds `at`.
    fn line_text(&self, at: usize) -> &str {
        let start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = self.text[at..].find('\n').map_or(self.text.len(), |i| at + i);
        self.text[start..end].trim_end_matches('\r')
    }

    /// The line (from 0) of an offset of the parsed text.
    pub(super) fn line_of(&self, at: usize) -> usize {
        self.line_at(self.repaired.map_or(at, |r| r.original(at)))
    }
}
