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
            let line = self.doc.line_number(*first);
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

/// The names of one kind of standard: entries may name a standard by its
/// name, so two may not share one.
pub(crate) struct NameSet<'d> {
    doc: &'d Doc<'d>,
    what: (&'static str, &'static str),
    seen: HashMap<String, usize>,
}

impl<'d> NameSet<'d> {
    pub fn new(doc: &'d Doc<'d>, what: (&'static str, &'static str)) -> NameSet<'d> {
        NameSet {
            doc,
            what,
            seen: HashMap::new(),
        }
    }

    pub fn add(&mut self, name: &toml::Spanned<String>, problems: &mut Problems) {
        let key = name.get_ref().trim().to_string();
        let Some(&first) = self.seen.get(&key) else {
            self.seen.insert(key, name.span().start);
            return;
        };
        let line = self.doc.line_number(first);
        let (en, zh) = self.what;
        problems.push(self.doc.problem(
            name.span(),
            t(
                format!("two {en}s are named `{key}` (the first on line {line})"),
                format!("有两个{zh}都叫“{key}”（第一个在第 {line} 行）"),
            ),
            t(
                "give each its own name: households.toml and points.toml may name it instead of its id",
                "请各用各的名称：households.toml 和 points.toml 里可以直接写名称代替 id",
            ),
        ));
    }
}

/// A reference to an id that does not exist, with the ids that do.
pub(crate) fn unknown_ref(
    doc: &Doc<'_>,
    id: &toml::Spanned<impl AsRef<str>>,
    what: (&str, &str),
    known: &[impl AsRef<str>],
) -> crate::error::Problem {
    let known: Vec<&str> = known.iter().map(AsRef::as_ref).collect();
    let list = if known.len() > 20 {
        format!("{} …", known[..20].join(", "))
    } else {
        known.join(", ")
    };
    doc.problem(
        id.span(),
        t(
            format!("no {} has id `{}`", what.0, id.get_ref().as_ref()),
            format!("没有 id 为 `{}` 的{}", id.get_ref().as_ref(), what.1),
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

/// A standard a reference may name: a star, a points item, a reward.
pub(crate) trait Standard {
    fn id(&self) -> &str;
    fn name(&self) -> &str;
}

macro_rules! standard {
    ($($t:ty),*) => {$(
        impl Standard for $t {
            fn id(&self) -> &str { &self.id }
            fn name(&self) -> &str { &self.name }
        }
    )*};
}
standard!(crate::model::Star, crate::model::PointsItem, crate::model::Reward);

/// The position of the standard a reference names: by its id, or by its
/// name as staff also write it (`守纪星`). Names are unique (standards.toml
/// is checked for that).
pub(crate) fn find_standard<T: Standard>(items: &[T], wanted: &str) -> Option<usize> {
    let wanted = wanted.trim();
    items
        .iter()
        .position(|i| i.id() == wanted)
        .or_else(|| items.iter().position(|i| i.name() == wanted))
}

/// `id（name）` for each standard, for the list in an unknown-reference hint.
pub(crate) fn ids_with_names<T: Standard>(items: &[T]) -> Vec<String> {
    items.iter().map(|i| format!("{}（{}）", i.id(), i.name())).collect()
}
