//! The words of the theme and of the page views, one table per language
//! (`themes/default/wording/<language>.toml`), and a site's own theme may
//! override any of them in a file of the same name.
//!
//! Templates write `{{ t.key }}`, or `{{ t.key | fill(name=value, …) }}` for
//! a text with `{name}` in it. These are put into the templates when the
//! theme is loaded, not looked up per page: a page renders as fast as if the
//! words were written in the template, and a template asking for a word
//! that is not in the table fails at once, naming the template and the word.

use std::collections::HashMap;

use super::ThemeError;
use crate::error::Lang;

/// The table file of a language, under the theme folder.
pub fn file_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "wording/zh-Hans.toml",
        Lang::En => "wording/en.toml",
    }
}

macro_rules! keys {
    ($($key:ident = $name:literal,)*) => {
        /// The words the Rust side of rendering uses (page titles, labels,
        /// chart captions); templates name theirs as they like.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Key { $($key,)* }

        impl Key {
            pub const ALL: &'static [Key] = &[$(Key::$key,)*];

            pub fn name(self) -> &'static str {
                match self { $(Key::$key => $name,)* }
            }
        }
    };
}

keys! {
    County = "kind_county",
    City = "kind_city",
    District = "kind_district",
    Town = "kind_town",
    Street = "kind_street",
    Village = "kind_village",
    Community = "kind_community",
    Fuel = "partner_fuel",
    CarWash = "partner_car_wash",
    CreditUnion = "partner_credit_union",
    Shop = "partner_shop",
    OtherPartner = "partner_other",
    WholeArea = "partner_whole_area",
    AreaSeparator = "list_separator",
    Month = "month",
    Day = "day",
    PlaceSummary = "place_summary",
    BoardSummary = "board_summary",
    BoardSummarySixNo = "board_summary_six_no",
    PosterTitle = "poster_title",
    OtherStars = "other_stars",
    QrLabel = "qr_label",
    PointsUnit = "points_unit",
    PointsChart = "points_chart",
    HouseholdsUnit = "households_unit",
    TierChart = "tier_chart",
    StarsTitle = "stars_title",
    StarsSummary = "stars_summary",
    PointsTitle = "points_title",
    PointsSummary = "points_summary",
    PartnersTitle = "partners_title",
    PartnersSummary = "partners_summary",
    PartnersIntro = "partners_intro",
    NewsTitle = "news_title",
    NewsSummary = "news_summary",
    NotFoundTitle = "not_found_title",
    SearchTitle = "search_title",
    SearchSummary = "search_summary",
}

/// One language's words: the default theme's table with the site's
/// overrides laid over it.
#[derive(Debug, Clone)]
pub struct Wording {
    texts: HashMap<String, String>,
}

impl Wording {
    /// `embedded` is the default theme's table; `overlay` a site theme's file
    /// of the same name, whose keys must all be known ones.
    pub fn load(name: &str, embedded: &[u8], overlay: Option<&[u8]>) -> Result<Wording, ThemeError> {
        let mut texts = parse(name, embedded)?;
        if let Some(bytes) = overlay {
            for (key, text) in parse(name, bytes)? {
                if !texts.contains_key(&key) {
                    return Err(ThemeError::Template(format!(
                        "{name}: there is no word named `{key}` (the default theme's {name} lists them all)"
                    )));
                }
                texts.insert(key, text);
            }
        }
        Ok(Wording { texts })
    }

    /// The text of `key`; every key is in the default tables (tested), so a
    /// missing one can only be a theme built without them: show the key.
    pub fn text(&self, key: Key) -> &str {
        self.texts.get(key.name()).map_or(key.name(), String::as_str)
    }

    /// The text of `key` with each `{name}` replaced by its value.
    pub fn fill(&self, key: Key, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        let mut out = String::new();
        let ok = expand(
            self.text(key),
            &mut out,
            |part, out| out.push_str(part),
            |name, out| {
                let (_, value) = args.iter().find(|(n, _)| *n == name)?;
                out.push_str(&value.to_string());
                Some(())
            },
        );
        debug_assert!(ok.is_ok(), "{:?} asks for a value the code does not give", key);
        out
    }

    /// A month as pages show it (`2026年11月`).
    pub fn month(&self, month: crate::date::Month) -> String {
        self.fill(Key::Month, &[("year", &month.year), ("month", &month.month)])
    }

    /// A date as pages show it (`2026年11月17日`).
    pub fn day(&self, date: crate::date::Date) -> String {
        self.fill(
            Key::Day,
            &[("year", &date.year), ("month", &date.month), ("day", &date.day)],
        )
    }

    /// `template` with its words put in: `{{ t.key … }}` becomes the text
    /// (escaped when `escape`, as Tera would escape a value in HTML and XML),
    /// and `t.key` inside any other tag a string literal.
    pub fn put_into(&self, template_name: &str, template: &str, escape: bool) -> Result<String, ThemeError> {
        let mut out = String::with_capacity(template.len() + template.len() / 4);
        let mut rest = template;
        while let Some(start) = ["{{", "{%", "{#"].iter().filter_map(|o| rest.find(o)).min() {
            let opener = &rest[start..start + 2];
            let closer = match opener {
                "{{" => "}}",
                "{%" => "%}",
                _ => "#}",
            };
            let Some(len) = rest[start + 2..].find(closer) else {
                break;
            };
            out.push_str(&rest[..start]);
            let inner = &rest[start + 2..start + 2 + len];
            match (opener, inner.trim().strip_prefix("t.")) {
                ("{{", Some(call)) => self.put_call(template_name, call, escape, &mut out)?,
                ("{#", _) => out.push_str(&rest[start..start + len + 4]),
                _ => {
                    out.push_str(opener);
                    self.put_literals(template_name, inner, &mut out)?;
                    out.push_str(closer);
                }
            }
            rest = &rest[start + len + 4..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// Inside a tag: each `t.key` (outside quotes) as a quoted string.
    fn put_literals(&self, template_name: &str, tag: &str, out: &mut String) -> Result<(), ThemeError> {
        let mut quote = None;
        let mut prev = ' ';
        let mut i = 0;
        while i < tag.len() {
            let c = tag[i..].chars().next().expect("i is on a char boundary");
            let word_start = !(prev.is_alphanumeric() || prev == '_' || prev == '.');
            if quote.is_none() && word_start && tag[i..].starts_with("t.") {
                let key_len = tag[i + 2..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(tag.len() - i - 2);
                let key = &tag[i + 2..i + 2 + key_len];
                let text = self.texts.get(key).ok_or_else(|| {
                    ThemeError::Template(format!(
                        "{template_name}: there is no word named `t.{key}` in the wording table"
                    ))
                })?;
                let q = ['"', '\'', '`']
                    .into_iter()
                    .find(|q| !text.contains(*q))
                    .ok_or_else(|| {
                        ThemeError::Template(format!("{template_name}: `t.{key}` has every kind of quote in it"))
                    })?;
                out.push(q);
                out.push_str(text);
                out.push(q);
                i += 2 + key_len;
                prev = 'x';
                continue;
            }
            match quote {
                Some(q) if c == q => quote = None,
                None if matches!(c, '"' | '\'' | '`') => quote = Some(c),
                _ => {}
            }
            out.push(c);
            prev = c;
            i += c.len_utf8();
        }
        Ok(())
    }

    /// One `t.key` or `t.key | fill(a=x, b=y)`.
    fn put_call(&self, template_name: &str, call: &str, escape: bool, out: &mut String) -> Result<(), ThemeError> {
        let fail = |what: String| ThemeError::Template(format!("{template_name}: {what}"));
        let end = call
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(call.len());
        let (key, tail) = call.split_at(end);
        let text = self
            .texts
            .get(key)
            .ok_or_else(|| fail(format!("there is no word named `t.{key}` in the wording table")))?;
        let args = fill_args(tail.trim()).ok_or_else(|| {
            fail(format!(
                "`t.{key}` can be followed only by `| fill(name=value, …)`, not `{}`",
                tail.trim()
            ))
        })?;
        // A value may name words too (`join(sep=t.list_separator)`).
        let args = args
            .into_iter()
            .map(|(name, value)| {
                let mut literal = String::new();
                self.put_literals(template_name, value, &mut literal)?;
                Ok((name, literal))
            })
            .collect::<Result<Vec<_>, ThemeError>>()?;
        let mut missing = None;
        let literal = |part: &str, out: &mut String| {
            if escape {
                escape_html(part, out);
            } else {
                out.push_str(part);
            }
        };
        let value = |name: &str, out: &mut String| match args.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => {
                out.push_str("{{ ");
                out.push_str(value);
                out.push_str(" }}");
                Some(())
            }
            None => {
                missing = Some(name.to_string());
                None
            }
        };
        match (expand(text, out, literal, value), missing) {
            (Ok(()), _) => Ok(()),
            (Err(()), Some(name)) => Err(fail(format!(
                "`t.{key}` has {{{name}}} in it: give it as `| fill({name}=…)`"
            ))),
            (Err(()), None) => Err(fail(format!("`t.{key}` has a `{{` that is not a {{name}}"))),
        }
    }
}

/// What Tera's autoescape does to a value, but leaving `/` alone: in
/// template text a slash needs no escaping.
fn escape_html(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
}

/// The key/value pairs of a table file; every value a string.
fn parse(name: &str, bytes: &[u8]) -> Result<HashMap<String, String>, ThemeError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ThemeError::Template(format!("{name} is not UTF-8")))?;
    let table: toml::Table = toml::from_str(text).map_err(|e| ThemeError::Template(format!("{name}: {e}")))?;
    table
        .into_iter()
        .map(|(key, value)| match value {
            toml::Value::String(s) if !s.contains("{{") && !s.contains("{%") && !s.contains("{#") => Ok((key, s)),
            toml::Value::String(_) => Err(ThemeError::Template(format!(
                "{name}: `{key}` may not hold template code ({{{{, {{% or {{#)"
            ))),
            _ => Err(ThemeError::Template(format!("{name}: `{key}` must be text in quotes"))),
        })
        .collect()
}

/// `| fill(a=x, b=y)` → [(a, x), (b, y)]; an empty tail → no arguments.
fn fill_args(tail: &str) -> Option<Vec<(&str, &str)>> {
    if tail.is_empty() {
        return Some(Vec::new());
    }
    let inner = tail
        .strip_prefix('|')?
        .trim_start()
        .strip_prefix("fill")?
        .trim_start()
        .strip_prefix('(')?
        .strip_suffix(')')?;
    split_top_level(inner)
        .into_iter()
        .filter(|a| !a.trim().is_empty())
        .map(|arg| {
            let (name, value) = arg.split_once('=')?;
            Some((name.trim(), value.trim()))
        })
        .collect()
}

/// Split at commas outside quotes and brackets (`join(sep=", ")` stays whole).
fn split_top_level(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None, 0);
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            (None, ',') if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

/// Copy `text` to `out`, its text through `literal` and each `{name}`
/// through `value`; Err when a name
/// has no value or a `{` opens no name.
fn expand(
    text: &str,
    out: &mut String,
    literal: impl Fn(&str, &mut String),
    mut value: impl FnMut(&str, &mut String) -> Option<()>,
) -> Result<(), ()> {
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        literal(&rest[..open], out);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or(())?;
        let name = &after[..close];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(());
        }
        value(name, out).ok_or(())?;
        rest = &after[close + 1..];
    }
    literal(rest, out);
    Ok(())
}

#[cfg(test)]
mod tests;
