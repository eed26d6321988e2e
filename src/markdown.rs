//! The one Markdown setup: pulldown-cmark with tables, footnotes and
//! strikethrough, emphasis that works next to Chinese punctuation, and the
//! raw-HTML policy (escaped unless site.toml allows it).

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

mod emphasis;

/// The Markdown extensions content may use.
pub(crate) const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH);

/// Render Markdown to HTML. `allow_html` passes raw HTML through; otherwise it
/// is shown as text.
pub fn to_html(markdown: &str, allow_html: bool) -> String {
    to_html_at(markdown, allow_html, "")
}

/// Like [`to_html`], for a page published one or more folders below its source
/// file: relative links and images get `prefix` (e.g. `../`) so files that sat
/// beside the Markdown are still found.
pub fn to_html_at(markdown: &str, allow_html: bool, prefix: &str) -> String {
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(markdown, OPTIONS).into_offset_iter().collect();
    let events = emphasis::amend(markdown, events).map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) if !allow_html => Event::Text(s),
        Event::Start(mut tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
            // An email autolink's destination is the bare address; the
            // writer puts `mailto:` before it.
            if let Tag::Link {
                dest_url, link_type, ..
            }
            | Tag::Image {
                dest_url, link_type, ..
            } = &mut tag
                && *link_type != LinkType::Email
                && is_relative(dest_url)
            {
                *dest_url = CowStr::from(format!("{prefix}{dest_url}"));
            }
            Event::Start(tag)
        }
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    if allow_html { sanitise(&out) } else { out }
}

/// Links in `markdown` to a path beside or below it (not `https:`, `#x`,
/// `/x` or an email address), with the offset of each link's address (of
/// the link itself when the address is elsewhere, as in `[a][ref]`). Code
/// and escaped text hold no links, so none are found there.
pub fn relative_links(markdown: &str) -> Vec<(usize, String)> {
    Parser::new_ext(markdown, OPTIONS)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link {
                link_type, dest_url, ..
            }) if link_type != LinkType::Email && is_relative(&dest_url) => {
                let at = markdown[range.clone()]
                    .rfind(&*dest_url)
                    .map_or(range.start, |i| range.start + i);
                Some((at, dest_url.to_string()))
            }
            _ => None,
        })
        .collect()
}

/// Raw HTML that site.toml allows still loses what could run or track:
/// scripts, event handlers, `javascript:` links, frames, styles. ammonia
/// keeps ordinary formatting, tables and links.
fn sanitise(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["class", "id"])
        .link_rel(None)
        .clean(html)
        .to_string()
}

/// A link to a file beside the page (not `/x`, `#x`, `https:`, `mailto:`).
fn is_relative(url: &str) -> bool {
    let scheme_end = url.find(':');
    let path_start = url.find(['/', '?', '#']).unwrap_or(url.len());
    !url.is_empty() && !url.starts_with(['/', '#', '?']) && scheme_end.is_none_or(|c| c > path_start)
}

/// Plain text of a Markdown snippet, for summaries and share descriptions.
pub fn plain_text(markdown: &str, max_chars: usize) -> String {
    // A post is summed up by its first paragraph or two: the parser is
    // given only those when nothing after them could change them.
    if let Some(start) = opening(markdown, max_chars)
        && let Some(text) = summary(start, max_chars, true)
    {
        return text;
    }
    summary(markdown, max_chars, false).unwrap_or_default()
}

/// Up to `max_chars` of `markdown`'s text (and `…` if there is more), or
/// None when `must_fill` and the text ran out first.
fn summary(markdown: &str, max_chars: usize, must_fill: bool) -> Option<String> {
    let mut out = String::new();
    let mut count = 0;
    let mut parser = Parser::new_ext(markdown, OPTIONS).into_offset_iter();
    // Block by block, as far as the summary needs: emphasis is amended
    // within a block, never across one.
    'blocks: loop {
        let block = top_level_block(&mut parser);
        if block.is_empty() {
            if must_fill {
                return None;
            }
            break;
        }
        for event in emphasis::amend(markdown, block) {
            let before = out.len();
            push_plain(event, &mut out);
            count += out[before..].chars().count();
            if count > max_chars {
                break 'blocks;
            }
        }
    }
    Some(shortened(&out, max_chars))
}

/// What an event adds to plain text: its text, or a space where a line or
/// a block ends.
fn push_plain(event: Event<'_>, out: &mut String) {
    match event {
        Event::Text(t) | Event::Code(t) => out.push_str(&t),
        Event::SoftBreak
        | Event::HardBreak
        | Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell | TagEnd::Item) => out.push(' '),
        _ => {}
    }
}

/// `text` with its spaces closed up, cut to `max_chars` with `…` if longer.
fn shortened(text: &str, max_chars: usize) -> String {
    let trimmed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if trimmed.chars().count() > max_chars {
        let cut: String = trimmed.chars().take(max_chars).collect();
        format!("{cut}…")
    } else {
        trimmed
    }
}

/// The start of `markdown` up to a blank line, long enough to hold a
/// summary, that parses exactly as it does within the whole. None when
/// something later could reach back (a link or footnote definition, `]:`),
/// when a block could run on past a blank line (fenced code, raw HTML), or
/// when no blank line is followed by a plain paragraph (an indented line or
/// a list item there would continue, or loosen, what came before).
fn opening(markdown: &str, max_chars: usize) -> Option<&str> {
    let bytes = markdown.as_bytes();
    if memchr::memmem::find(bytes, b"]:").is_some() || memchr::memchr3(b'`', b'~', b'<', bytes).is_some() {
        return None;
    }
    // Chinese text is three bytes a character, markup aside.
    let enough = max_chars * 6;
    memchr::memmem::find_iter(bytes, b"\n\n")
        .map(|at| at + 2)
        .filter(|end| *end >= enough)
        .find(|end| {
            bytes.get(*end).is_some_and(|b| {
                !b.is_ascii_digit() && !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'-' | b'*' | b'+' | b'>' | b'|')
            })
        })
        .map(|end| &markdown[..end])
}

/// The events of the next top-level block (a heading, a paragraph, a whole
/// list…), or none at the end.
fn top_level_block<'a>(events: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>) -> Vec<(Event<'a>, Range<usize>)> {
    let mut block = Vec::new();
    let mut depth = 0usize;
    for (event, range) in events {
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        block.push((event, range));
        if depth == 0 {
            break;
        }
    }
    block
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The summary as it was made before it went block by block: from the
    /// whole document's events.
    fn plain_text_of_whole(markdown: &str, max_chars: usize) -> String {
        let mut out = String::new();
        let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(markdown, OPTIONS).into_offset_iter().collect();
        for event in emphasis::amend(markdown, events) {
            push_plain(event, &mut out);
            if out.chars().count() > max_chars {
                break;
            }
        }
        shortened(&out, max_chars)
    }

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "文字",
            "村民",
            "ab",
            " ",
            "  ",
            "\n",
            "\n\n",
            "\n\n",
            "*",
            "**",
            "_",
            "~~",
            "`",
            "[",
            "]",
            "](u)",
            "[^1]",
            "\n\n[^1]: 注",
            "\n\n[r]: /x",
            "[r]",
            "# ",
            "\n## ",
            "> ",
            "- ",
            "\n- ",
            "1. ",
            "    ",
            "\n```\n",
            "|a|b|\n|-|-|\n|c|d|",
            "<b>",
            "&amp;",
            "\\*",
            "，",
            "。",
            "、",
            "“",
            "”",
            "（",
            "）",
            "\n---\n",
            "  \n",
        ])
    }

    /// Whole blocks, some of which run on past a blank line or reach back.
    fn block() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "近日，村民积极参与星级文明户评选活动，走访农户二百余户。",
            "同时，志愿服务队广泛宣传垃圾分类，**小积分**撬动大治理。",
            "```\n代码第一行\n\n代码第二行\n```",
            "~~~\n甲\n\n乙\n~~~",
            "- 第一项\n\n- 第二项",
            "1. 第一步\n\n2. 第二步",
            "- 一项\n\n  续写同一项",
            "    缩进代码\n\n    仍是代码",
            "<div>\n\n*强调*\n\n</div>",
            "见[说明][r]和脚注[^1]。",
            "[r]: /guide/",
            "[^1]: 注释文字",
            "> 引用\n\n> 另一段引用",
            "标题\n===",
            "| 项目 | 户数 |\n| --- | --- |\n| 评星 | 12 |",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Summaries of posts made of whole blocks are those of the whole
        /// document, whatever the parser is given of it.
        #[test]
        fn summaries_of_whole_blocks_are_those_of_the_whole_document(
            blocks in prop::collection::vec(block(), 1..8),
            max_chars in 1usize..60,
        ) {
            let markdown = blocks.join("\n\n");
            prop_assert_eq!(plain_text(&markdown, max_chars), plain_text_of_whole(&markdown, max_chars), "{:?}", markdown);
        }

        /// Going block by block changes no summary.
        #[test]
        fn summaries_are_those_of_the_whole_document(
            pieces in prop::collection::vec(piece(), 0..60),
            max_chars in 1usize..40,
        ) {
            let markdown = pieces.concat();
            prop_assert_eq!(plain_text(&markdown, max_chars), plain_text_of_whole(&markdown, max_chars), "{:?}", markdown);
        }
    }

    #[test]
    fn ordinary_emphasis_still_works() {
        assert_eq!(to_html("a **b** c", false), "<p>a <strong>b</strong> c</p>\n");
    }

    #[test]
    fn unmatched_stars_stay_literal() {
        assert_eq!(to_html("一**二", false), "<p>一**二</p>\n");
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let escaped = to_html("<script>alert(1)</script>\n\n看<b>这</b>", false);
        assert!(!escaped.contains("<script>") && !escaped.contains("<b>"), "{escaped}");
        assert!(escaped.contains("&lt;script&gt;"));
        let allowed = to_html("看<b>这</b>", true);
        assert!(allowed.contains("<b>这</b>"));
    }

    #[test]
    fn allowed_html_is_sanitised() {
        let html = to_html(
            "<script>alert(1)</script><p onclick=\"x()\">点</p>\n\n<a href=\"javascript:alert(1)\">坏</a> <a href=\"https://a.org/\">好</a><iframe src=\"https://t.example/\"></iframe>",
            true,
        );
        assert!(
            !html.contains("<script") && !html.contains("alert(1)</script>"),
            "{html}"
        );
        assert!(
            !html.contains("onclick") && !html.contains("javascript:") && !html.contains("iframe"),
            "{html}"
        );
        assert!(html.contains(r#"<a href="https://a.org/">好</a>"#), "{html}");
        assert!(html.contains("<p>点</p>"), "{html}");
    }

    #[test]
    fn tables_footnotes_strikethrough() {
        let html = to_html(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~旧~~ 注[^1]\n\n[^1]: 说明\n",
            false,
        );
        assert!(html.contains("<table>"));
        assert!(html.contains("<del>旧</del>"));
        assert!(html.contains("footnote-definition"));
    }

    #[test]
    fn relative_links_get_the_prefix() {
        let html = to_html_at(
            "![照片](photo.jpg) [外](https://a.org/) [锚](#x) [根](/y)",
            false,
            "../",
        );
        assert!(html.contains("src=\"../photo.jpg\""), "{html}");
        assert!(html.contains("href=\"https://a.org/\""));
        assert!(html.contains("href=\"#x\""));
        assert!(html.contains("href=\"/y\""));
    }

    #[test]
    fn plain_text_summary() {
        assert_eq!(plain_text("# 标题\n\n**一**二三四五", 5), "标题 一二…");
        assert_eq!(plain_text("记**积分5分，**村里", 20), "记积分5分，村里");
        assert_eq!(
            plain_text("| 项目 | 说明 |\n| --- | --- |\n| 认定 | 六项 |\n", 30),
            "项目 说明 认定 六项"
        );
    }
}
