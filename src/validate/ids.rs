//! Ids within one file: each used once, safe to put in a URL, and a
//! reference to one that does not exist told with the ids that do.

use std::collections::HashMap;
use std::ops::Range;

use crate::error::{Problems, t};
use crate::source::toml_doc::Doc;

/// Tracks ids of one kind in one file and reports repeats.
pub(crate) struct IdSet<'d> {
    doc: &'d Doc<'d>,
    what: (&'static str, &'static str),
    /// Id → where it was first seen (span start), turned into a line
    /// number only when a repeat has to be reported.
    seen: HashMap<String, usize>,
}

impl<'d> IdSet<'d> {
    pub fn new(doc: &'d Doc<'d>, what: (&'static str, &'static str)) -> IdSet<'d> {
        IdSet {
            doc,
            what,
            seen: HashMap::new(),
        }
    }

    /// Record an id; false (and a problem) if it is empty, repeated or unsafe.
    pub fn add(&mut self, id: &str, span: Range<usize>, problems: &mut Problems) -> bool {
        let (en, zh) = self.what;
        if id.trim().is_empty() || id.chars().any(|c| c.is_whitespace() || c == '/' || c == '\\') {
            problems.push(self.doc.problem(
                span,
                t(
                    format!("{en} id `{id}` is empty or has spaces or slashes"),
                    format!("{zh}的 id `{id}` 为空或含有空格、斜杠"),
                ),
                t(
                    "use short letters, digits and '-', e.g. \"tr-001\"",
                    "用简短的字母、数字和 '-'，例如 \"tr-001\"",
                ),
            ));
            return false;
        }
        if let Some(first) = self.seen.get(id) {
            let line = self
                .doc
                .problem(*first..*first, t("", ""), t("", ""))
                .location
                .map_or(0, |l| l.line);
            problems.push(self.doc.problem(
                span,
                t(
                    format!("{en} id `{id}` is used twice"),
                    format!("{zh}的 id `{id}` 重复了"),
                ),
                t(
                    format!("it is already used on line {line}; give each one its own id"),
                    format!("第 {line} 行已经用过它；每一条要有自己的 id"),
                ),
            ));
            return false;
        }
        self.seen.insert(id.to_string(), span.start);
        true
    }
}

/// A reference to an id that does not exist, with the ids that do.
pub(crate) fn unknown_ref(
    doc: &Doc<'_>,
    id: &toml::Spanned<String>,
    what: (&str, &str),
    known: &[&str],
) -> crate::error::Problem {
    let list = if known.len() > 20 {
        format!("{} …", known[..20].join(", "))
    } else {
        known.join(", ")
    };
    doc.problem(
        id.span(),
        t(
            format!("no {} has id `{}`", what.0, id.get_ref()),
            format!("没有 id 为 `{}` 的{}", id.get_ref(), what.1),
        ),
        if known.is_empty() {
            t(format!("define the {} first", what.0), format!("请先定义{}", what.1))
        } else {
            t(
                format!("check the spelling; known ids: {list}"),
                format!("检查拼写；已有的 id：{list}"),
            )
        },
    )
}
