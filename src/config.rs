//! `site.toml` → [`SiteConfig`]: strict about unknown fields, generous with
//! defaults, and private by default.

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use crate::date::Date;
use crate::error::{Lang, Problem, Problems, t};
use crate::source::toml_doc::Doc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    title: String,
    base_url: Spanned<String>,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default)]
    allow_html: bool,
    as_of: Option<Spanned<Datetime>>,
    #[serde(default)]
    privacy: RawPrivacy,
    #[serde(default)]
    print: Print,
}

/// `[print]`: the printables of `starboard print` (door plaques, ranking
/// posters, six-no notices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Print {
    /// Also write them on every build.
    pub on_build: bool,
    /// Door plaques: four to an A4 sheet with cut marks, or one per A5 or
    /// A6 sheet.
    pub plaques: PlaqueSheet,
    /// The name on a plaque: as the board shows it, or the family (陈家).
    pub names: PlaqueName,
}

impl Default for Print {
    fn default() -> Self {
        Print {
            on_build: false,
            plaques: PlaqueSheet::A4,
            names: PlaqueName::Shown,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaqueSheet {
    A4,
    A5,
    A6,
}

impl PlaqueSheet {
    /// Plaques on one sheet.
    pub fn per_sheet(self) -> usize {
        match self {
            PlaqueSheet::A4 => 4,
            PlaqueSheet::A5 | PlaqueSheet::A6 => 1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaqueName {
    Shown,
    Family,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrivacy {
    #[serde(default)]
    full_names: bool,
    #[serde(default)]
    show_deductions: bool,
    #[serde(default)]
    show_balances: bool,
    #[serde(default = "default_ranking_size")]
    ranking_size: u32,
    #[serde(default)]
    index_names: bool,
    #[serde(default)]
    allow_numbers: Vec<String>,
    #[serde(default)]
    allow_pages: Vec<String>,
}

impl Default for RawPrivacy {
    fn default() -> Self {
        RawPrivacy {
            full_names: false,
            show_deductions: false,
            show_balances: false,
            ranking_size: default_ranking_size(),
            index_names: false,
            allow_numbers: Vec::new(),
            allow_pages: Vec::new(),
        }
    }
}

fn default_language() -> String {
    "zh-Hans".to_string()
}
fn default_theme() -> String {
    "default".to_string()
}
fn default_ranking_size() -> u32 {
    10
}

/// What the site may publish beyond the safe defaults. Every switch is off
/// unless site.toml turns it on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Privacy {
    /// Show full names of households with `consent = true`.
    pub full_names: bool,
    /// Show village totals of deducted points.
    pub show_deductions: bool,
    /// Show each published household's points balance on its board (a
    /// balance reveals deductions, so it is off like them).
    pub show_balances: bool,
    /// How many households a ranking lists (never a bottom list).
    pub ranking_size: usize,
    /// Let search engines index pages that carry names.
    pub index_names: bool,
    /// Phone or other numbers that may be published (business lines).
    pub allow_numbers: Vec<String>,
    /// Output paths (prefixes, e.g. `partners/`) the number scan skips.
    pub allow_pages: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SiteConfig {
    pub title: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub language: String,
    pub lang: Lang,
    pub description: String,
    pub theme: String,
    pub allow_html: bool,
    /// The day figures are counted up to; None means "the latest ledger entry".
    pub as_of: Option<Date>,
    pub privacy: Privacy,
    pub print: Print,
}

impl SiteConfig {
    /// Whether pages are in Simplified Chinese (where a Traditional
    /// character is a slip worth a warning).
    pub fn is_simplified(&self) -> bool {
        matches!(
            self.language.to_ascii_lowercase().as_str(),
            "zh" | "zh-hans" | "zh-cn" | "zh-sg"
        )
    }

    /// The path part of base_url (`/` or `/sub/folder/`).
    pub fn base_path(&self) -> &str {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, r)| r);
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    }
}

/// Guess the message language before site.toml is valid, so even its own
/// errors come out in the staff's language (Chinese, like the default
/// language, when the file does not say).
pub fn sniff_lang(text: &str) -> Lang {
    text.lines()
        .find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == "language").then(|| Lang::from_code(v.trim().trim_matches('"')))
        })
        .unwrap_or_default()
}

/// Parse site.toml; `base_url_override` comes from `--base-url`.
pub fn parse(doc: Doc<'_>, base_url_override: Option<&str>) -> Result<SiteConfig, Problems> {
    let table = doc.parse().map_err(Problems)?;
    let mut problems = Problems::default();
    let Some(raw) = doc.deserialize::<RawSite>(table, &mut problems) else {
        return Err(problems);
    };

    let base_url = match base_url_override {
        Some(url) => normalise_base_url(url),
        None => normalise_base_url(raw.base_url.get_ref()),
    };
    let base_url = base_url.unwrap_or_else(|| {
        problems.push(doc.problem(
            raw.base_url.span(),
            t(
                "base_url must start with http:// or https://",
                "base_url 必须以 http:// 或 https:// 开头",
            ),
            t(
                "write the address the site will be served from, e.g. \"https://example.org/village/\"",
                "写网站发布后的地址，例如 \"https://example.org/village/\"",
            ),
        ));
        String::from("/")
    });

    let as_of = raw.as_of.and_then(|d| {
        let date = Date::from_toml(d.get_ref());
        if date.is_none() {
            problems.push(bad_date(&doc, d.span()));
        }
        date
    });
    if raw.privacy.ranking_size == 0 || raw.privacy.ranking_size > 100 {
        problems.push(Problem::error(
            doc.file,
            None,
            t(
                "privacy.ranking_size must be between 1 and 100",
                "privacy.ranking_size 必须在 1 到 100 之间",
            ),
            t("the default is 10", "默认是 10"),
        ));
    }
    if problems.has_errors() {
        return Err(problems);
    }
    let RawPrivacy {
        full_names,
        show_deductions,
        show_balances,
        ranking_size,
        index_names,
        allow_numbers,
        allow_pages,
    } = raw.privacy;
    Ok(SiteConfig {
        title: raw.title,
        base_url,
        lang: Lang::from_code(&raw.language),
        language: raw.language,
        description: raw.description,
        theme: raw.theme,
        allow_html: raw.allow_html,
        as_of,
        print: raw.print,
        privacy: Privacy {
            full_names,
            show_deductions,
            show_balances,
            ranking_size: ranking_size as usize,
            index_names,
            allow_numbers,
            allow_pages,
        },
    })
}

/// A date field that is not a plain, real calendar date.
pub fn bad_date(doc: &Doc<'_>, span: std::ops::Range<usize>) -> Problem {
    doc.problem(
        span,
        t("not a valid date", "日期无效"),
        t(
            "write a real date as YYYY-MM-DD without quotes, e.g. 2022-11-05",
            "按 年-月-日 写真实存在的日期，不加引号，例如 2022-11-05",
        ),
    )
}

fn normalise_base_url(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return None;
    }
    let mut out = url.to_string();
    if !out.ends_with('/') {
        out.push('/');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn defaults_are_private() {
        let c = parse(
            Doc::new(
                Path::new("site.toml"),
                "title = \"t\"\nbase_url = \"https://a.org/sub\"\n",
            ),
            None,
        )
        .unwrap();
        assert_eq!(c.base_url, "https://a.org/sub/");
        assert_eq!(c.base_path(), "/sub/");
        assert!(
            !c.privacy.full_names && !c.privacy.show_deductions && !c.privacy.show_balances && !c.privacy.index_names
        );
        assert_eq!(c.privacy.ranking_size, 10);
        assert_eq!(c.lang, Lang::Zh);
    }

    #[test]
    fn base_url_override_wins() {
        let c = parse(
            Doc::new(Path::new("site.toml"), "title = \"t\"\nbase_url = \"https://a.org/\"\n"),
            Some("http://localhost:1111"),
        )
        .unwrap();
        assert_eq!(c.base_url, "http://localhost:1111/");
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn bad_base_url_is_located() {
        let err = parse(
            Doc::new(Path::new("site.toml"), "title = \"t\"\nbase_url = \"example.org\"\n"),
            None,
        )
        .unwrap_err();
        assert_eq!(err.0[0].location.as_ref().unwrap().line, 2);
    }

    #[test]
    fn sniffs_language_from_broken_files() {
        assert_eq!(sniff_lang("language = \"zh-Hans\"\ntitle = "), Lang::Zh);
        assert_eq!(sniff_lang("title = "), Lang::Zh, "the default language is zh-Hans");
        assert_eq!(sniff_lang("language = \"en\"\ntitle = "), Lang::En);
    }
}
