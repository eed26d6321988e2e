//! `check`'s lint: things staff paste in from Word, WeChat and converted web
//! pages that are not errors but look wrong on a board. Each is a warning at
//! file:line:column; `check --strict` turns them into failures.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use crate::error::{Problem, t};
use crate::render::{Body, Output};
use crate::source::SourceFile;

/// Findings of one kind shown per file; the rest are counted in one more
/// warning (a pasted-in book of Traditional text would give millions, and
/// locating each is a walk through the file).
pub const PER_KIND: usize = 10;

/// Warnings for one content file.
pub fn file(file: &SourceFile, simplified: bool) -> Vec<Problem> {
    let mut out = Vec::new();
    let pinyin = pinyin_artifacts(file.text());
    report(file, &pinyin, &mut out, |artifact| {
        (
            t(
                format!("`{artifact}` looks like a converter's pinyin left in the text"),
                format!("`{artifact}` 像是转换工具留下的拼音注音"),
            ),
            t("delete the part in brackets", "删除括号里的拼音"),
        )
    });
    if simplified {
        let traditional = traditional_characters(file.text());
        report(file, &traditional, &mut out, |(c, simple)| {
            (
                t(
                    format!("`{c}` is a Traditional character in a Simplified Chinese site"),
                    format!("简体站点里出现了繁体字 `{c}`"),
                ),
                t(
                    format!("use the Simplified form `{simple}`"),
                    format!("请改用简体字 `{simple}`"),
                ),
            )
        });
    }
    let full_width = full_width_in_ids(file.text());
    report(file, &full_width, &mut out, |c| {
        (
            t(format!("full-width `{c}` in an id"), format!("id 里有全角字符 `{c}`")),
            t(
                "type ids with half-width letters and digits (switch the input method to English)",
                "id 请用半角字母和数字（把输入法切换到英文）",
            ),
        )
    });
    out
}

/// Warnings for the first [`PER_KIND`] findings of one kind, and a count of the rest.
fn report<T>(
    file: &SourceFile,
    found: &[(usize, T)],
    out: &mut Vec<Problem>,
    say: impl Fn(&T) -> (crate::error::Text, crate::error::Text),
) {
    for (offset, what) in found.iter().take(PER_KIND) {
        let (message, hint) = say(what);
        // A spreadsheet's text is the TOML it stands for: point at the cell.
        let location = match file.cells() {
            Some(cells) => cells.locate(*offset),
            None => Some(crate::error::Location::at(file.text(), *offset)),
        };
        out.push(Problem::error(&file.shown, location, message, hint).warning());
    }
    let more = found.len().saturating_sub(PER_KIND);
    if more > 0 {
        out.push(
            Problem::error(
                &file.shown,
                None,
                t(format!("and {more} more like these"), format!("同类问题还有 {more} 处")),
                t("", ""),
            )
            .warning(),
        );
    }
}

/// A Chinese character followed by pinyin with tone marks in brackets:
/// 發(fā)布, 积分（jī fēn）.
fn pinyin_artifacts(text: &str) -> Vec<(usize, String)> {
    let tones = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ";
    let mut out = Vec::new();
    let mut prev_cjk = false;
    for (i, c) in text.char_indices() {
        if prev_cjk && (c == '(' || c == '（') {
            let rest = &text[i + c.len_utf8()..];
            let end = rest.find([')', '）']).unwrap_or(0);
            let inside = &rest[..end];
            let pinyin_like = !inside.is_empty()
                && inside.chars().count() <= 24
                && inside
                    .chars()
                    .all(|x| x.is_ascii_lowercase() || x == ' ' || tones.contains(x))
                && inside.chars().any(|x| tones.contains(x));
            if pinyin_like {
                let close = rest[end..].chars().next().map_or(0, char::len_utf8);
                out.push((i, text[i..i + c.len_utf8() + end + close].to_string()));
            }
        }
        prev_cjk = is_cjk(c);
    }
    out
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// OpenCC's Traditional → Simplified character table (Apache-2.0; see
/// third_party/opencc/README.md).
const TS_CHARACTERS: &str = include_str!("../third_party/opencc/TSCharacters.txt");

/// Characters that are only Traditional, each with its usual Simplified
/// form: those none of whose Simplified forms is the character itself
/// (乾 → 干 乾 stays out: 乾 is Simplified too).
fn traditional_only() -> &'static HashMap<char, &'static str> {
    static TABLE: OnceLock<HashMap<char, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        TS_CHARACTERS
            .lines()
            .filter_map(|line| {
                let (from, to) = line.split_once('\t')?;
                let mut from = from.chars();
                let c = from.next().filter(|_| from.next().is_none())?;
                let mut forms = to.split(' ');
                let usual = forms.clone().next()?;
                (!forms.any(|s| s.chars().eq([c]))).then_some((c, usual))
            })
            .collect()
    })
}

/// Traditional-only characters, their offsets and Simplified forms.
fn traditional_characters(text: &str) -> Vec<(usize, (char, &'static str))> {
    let table = traditional_only();
    text.char_indices()
        .filter_map(|(i, c)| table.get(&c).map(|simple| (i, (c, *simple))))
        .collect()
}

/// Full-width letters or digits inside `id = "…"` or `household = "…"` values.
fn full_width_in_ids(text: &str) -> Vec<(usize, char)> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let key = line.split('=').next().unwrap_or("").trim();
        if matches!(key, "id" | "household" | "item")
            && let Some(eq) = line.find('=')
        {
            for (i, c) in line[eq..].char_indices() {
                if ('\u{ff10}'..='\u{ff5a}').contains(&c) {
                    out.push((line_start + eq + i, c));
                }
            }
        }
        line_start += line.len();
    }
    out
}

/// A link whose page was not among those known when it was found.
pub struct PendingLink {
    /// The paths that would satisfy it (a folder link is satisfied by its
    /// index.html).
    pub targets: Vec<String>,
    /// The warning, should none of them exist.
    pub problem: Problem,
}

/// Relative links in the pages of `outputs` that lead to no path `known`
/// accepts. A site checked in parts passes what it knows so far (its shared
/// pages, this part's files) and settles the rest once every path is known.
/// A link written in Markdown is reported at its line in the content file,
/// as written there; a link the theme wrote, in the page.
pub fn unresolved_links(outputs: &[Output], known: impl Fn(&str) -> bool) -> Vec<PendingLink> {
    let mut out = Vec::new();
    for o in outputs
        .iter()
        .filter(|o| o.path.ends_with(".html") && o.path != "404.html")
    {
        let Body::Bytes(bytes) = &o.body else { continue };
        let html = String::from_utf8_lossy(bytes);
        let dir = o.path.rsplit_once('/').map_or("", |(d, _)| d);
        let unknown = |href: &str| -> Option<Vec<String>> {
            let targets = link_targets(dir, href)?;
            (!targets.iter().any(|t| known(t))).then_some(targets)
        };
        let from_markdown: Vec<Range<usize>> = o
            .shows
            .iter()
            .filter_map(|m| {
                let body = m.to_html();
                html.find(&body).map(|at| at..at + body.len())
            })
            .collect();
        for (offset, href) in hrefs(&html) {
            if from_markdown.iter().any(|r| r.contains(&offset)) {
                continue;
            }
            let Some(targets) = unknown(href) else { continue };
            let problem = Problem::at(
                Path::new(&o.path),
                &html,
                offset,
                t(
                    format!("link `{href}` leads to no page of the site"),
                    format!("链接 `{href}` 指向的页面不存在"),
                ),
                t("check the link's address in the theme", "请检查主题里这个链接的地址"),
            )
            .warning();
            out.push(PendingLink { targets, problem });
        }
        for m in &o.shows {
            for link in m.relative_links() {
                let Some(targets) = unknown(&link.published) else {
                    continue;
                };
                let written = &link.written;
                let problem = Problem::at(
                    &m.file().shown,
                    m.file().text(),
                    link.offset,
                    t(
                        format!("link `{written}` leads to no page of the site"),
                        format!("链接 `{written}` 指向的页面不存在"),
                    ),
                    t(
                        "check the address: it counts from the folder this file is in",
                        "请检查链接地址：它从这个文件所在的文件夹算起",
                    ),
                )
                .warning();
                out.push(PendingLink { targets, problem });
            }
        }
    }
    out
}

/// The paths that would satisfy a relative `href` on a page in `dir` (a
/// folder link is satisfied by its index.html); None for a link that is
/// not to a page of the site (`https:`, `#x`, `/x`).
fn link_targets(dir: &str, href: &str) -> Option<Vec<String>> {
    if href.contains(':') || href.starts_with(['#', '/', '?']) {
        return None;
    }
    Some(match resolve(dir, href.split(['#', '?']).next().unwrap_or("")) {
        Some(t) if t.is_empty() || t.ends_with('/') => vec![format!("{t}index.html")],
        Some(t) => vec![format!("{t}/index.html"), t],
        None => Vec::new(),
    })
}

/// `href="…"` attributes inside tags: text that merely says `href="…"`
/// (in code, or escaped) is not a link.
fn hrefs(html: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(i) = html[rest..].find("href=\"") {
        let start = rest + i + 6;
        let Some(len) = html[start..].find('"') else { break };
        let before = &html[..rest + i];
        let in_tag = before.rfind('<').is_some_and(|lt| {
            !before[lt..].contains('>') && before[lt + 1..].starts_with(|c: char| c.is_ascii_alphabetic())
        });
        if in_tag {
            out.push((start, &html[start..start + len]));
        }
        rest = start + len;
    }
    out
}

/// `dir` joined with a relative `href`, `..` resolved; None if it climbs out.
fn resolve(dir: &str, href: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let trailing = href.ends_with('/') || href.is_empty() || href.ends_with('.');
    for part in href.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut joined = parts.join("/");
    if trailing && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// Relative links in `outputs` that point at none of them.
    fn broken_links(outputs: &[Output]) -> Vec<Problem> {
        let paths: HashSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
        unresolved_links(outputs, |p| paths.contains(p))
            .into_iter()
            .map(|link| link.problem)
            .collect()
    }

    fn source(text: &str) -> SourceFile {
        SourceFile::new("a.md".into(), "a.md".into(), text.into(), (None, 0), false)
    }

    #[test]
    fn finds_pinyin_left_by_converters() {
        let warnings = file(&source("新闻發(fā)布会，积分（jī fēn）"), false);
        let texts: Vec<&str> = warnings.iter().map(|w| w.message.en.as_str()).collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert!(texts[0].contains("(fā)") && texts[1].contains("（jī fēn）"));
        assert!(
            file(&source("同荣村(藤县)、2022(上)"), false).is_empty(),
            "brackets with Chinese or digits are fine"
        );
    }

    #[test]
    fn finds_traditional_characters_only_in_simplified_sites() {
        let warnings = file(&source("光荣榜發布"), true);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].location.as_ref().unwrap().column, 4);
        assert!(file(&source("光荣榜發布"), false).is_empty());
        assert!(file(&source("光荣榜发布，卫生星"), true).is_empty());
        // Beyond a hand list: the whole OpenCC table.
        let warnings = file(&source("评議結果詳見公告"), true);
        let flagged: Vec<usize> = warnings.iter().map(|w| w.location.as_ref().unwrap().column).collect();
        assert_eq!(flagged, vec![2, 3, 5, 6], "議 結 詳 見");
        assert!(
            format!("{:?}", warnings[2].hint).contains("`详`"),
            "{:?}",
            warnings[2].hint
        );
        // Characters that are Simplified as well are not flagged.
        assert!(file(&source("乾隆年间，於是"), true).is_empty());
    }

    #[test]
    fn finds_full_width_characters_in_ids() {
        let warnings = file(&source("[[household]]\nid = \"tr-００1\"\nhead = \"陈１\"\n"), false);
        assert_eq!(warnings.len(), 2, "only the id line, two characters");
        assert_eq!(warnings[0].location.as_ref().unwrap().line, 2);
    }

    #[test]
    fn resolves_relative_links() {
        assert_eq!(resolve("a/b", "../c/").as_deref(), Some("a/c/"));
        assert_eq!(resolve("", "./").as_deref(), Some(""));
        assert_eq!(resolve("a", "../../x").as_deref(), None);
        assert_eq!(resolve("news/x", "../photo.svg").as_deref(), Some("news/photo.svg"));
    }

    #[test]
    fn finds_links_to_missing_pages() {
        let page = |path: &str, html: &str| Output::new(path.into(), Body::Bytes(html.as_bytes().to_vec()));
        let outputs = vec![
            page(
                "index.html",
                r#"<a href="./">home</a><a href="news/">n</a><a href="nope/">x</a><a href="https://a.org/">e</a>"#,
            ),
            page(
                "news/index.html",
                r#"<a href="../">up</a><a href="../index.html">i</a>"#,
            ),
        ];
        let warnings = broken_links(&outputs);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].message.en.contains("nope/"));
    }
}
