use proptest::prelude::*;
use pulldown_cmark::{Event, Parser, html};

use super::*;
use crate::markdown::{OPTIONS, to_html, to_html_at};

/// What a Chinese reader expects: (Markdown, the HTML of its paragraph or
/// block, without the trailing newline).
const CJK_CASES: &[(&str, &str)] = &[
    // A closing run after Chinese punctuation, before a letter.
    ("**五星级文明户，**张家", "<p><strong>五星级文明户，</strong>张家</p>"),
    ("他说*“好，”*然后走了", "<p>他说<em>“好，”</em>然后走了</p>"),
    (
        "积分**（每月评定）**公示",
        "<p>积分<strong>（每月评定）</strong>公示</p>",
    ),
    (
        "**注意：**Wi-Fi 密码在门口",
        "<p><strong>注意：</strong>Wi-Fi 密码在门口</p>",
    ),
    (
        "***特别表扬，***李家",
        "<p><em><strong>特别表扬，</strong></em>李家</p>",
    ),
    ("__重要__：请按时参加", "<p><strong>重要</strong>：请按时参加</p>"),
    ("~~原价，~~现价", "<p><del>原价，</del>现价</p>"),
    // An emphasis may hold a whole link.
    (
        "**注意：[通知](n.html)，**张家",
        "<p><strong>注意：<a href=\"n.html\">通知</a>，</strong>张家</p>",
    ),
    // Masked names: a comma cannot begin the emphasised text.
    ("陈*、王*获评五星级文明户", "<p>陈*、王*获评五星级文明户</p>"),
    ("获评的有：陈*，王*。", "<p>获评的有：陈*，王*。</p>"),
    // Arithmetic and whitespace on the inner side.
    ("3 * 4 = 12，5 * 6 = 30", "<p>3 * 4 = 12，5 * 6 = 30</p>"),
    ("a * foo bar*，好", "<p>a * foo bar*，好</p>"),
    ("** foo bar**，好", "<p>** foo bar**，好</p>"),
    // Footnote-style lines: a run at the start of a line cannot close.
    (
        "*注：本表每月更新\n*数据截至11月底",
        "<p>*注：本表每月更新\n*数据截至11月底</p>",
    ),
    // Code and alt text are shown as written.
    (
        "```\nSELECT * FROM a;\n**注意，**这里\n```",
        "<pre><code>SELECT * FROM a;\n**注意，**这里\n</code></pre>",
    ),
    (
        "    **注意，**缩进的代码",
        "<pre><code>**注意，**缩进的代码</code></pre>",
    ),
    (
        "星号 `*` 和 `**` 都不是强调，`**注意，**`也不是",
        "<p>星号 <code>*</code> 和 <code>**</code> 都不是强调，<code>**注意，**</code>也不是</p>",
    ),
    (
        "![**合影，**村民](photo.jpg)",
        "<p><img src=\"photo.jpg\" alt=\"**合影，**村民\" /></p>",
    ),
    // Never across the edge of a link.
    (
        "[**通知，](n.html)**张家",
        "<p><a href=\"n.html\">**通知，</a>**张家</p>",
    ),
    (r"\*\*不是粗体，\*\*对", "<p>**不是粗体，**对</p>"),
    (
        "| 项目 |\n|---|\n| **合计，**分 |",
        "<table><thead><tr><th>项目</th></tr></thead><tbody>\n<tr><td><strong>合计，</strong>分</td></tr>\n</tbody></table>",
    ),
];

#[test]
fn chinese_cases_read_as_a_chinese_reader_expects() {
    let mut wrong = Vec::new();
    for (markdown, expected) in CJK_CASES {
        let got = to_html(markdown, false);
        if got.trim_end() != *expected {
            wrong.push(format!("{markdown:?}\n  want {expected}\n  got  {}", got.trim_end()));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn email_autolinks_keep_mailto_under_a_prefix() {
    let html = to_html_at("写信到 <cun@example.org>", false, "../");
    assert!(html.contains("href=\"mailto:cun@example.org\""), "{html}");
}

/// Plain pulldown-cmark with the same options and raw-HTML policy.
fn plain(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, OPTIONS).map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// Pieces of Markdown: Latin and Chinese letters, spaces and line breaks,
/// delimiter runs, the punctuation Markdown gives meaning to, and Chinese
/// punctuation (kept away from delimiter runs by `apart`).
fn token() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a", "b", "foo", "中", "文字", "1", " ", " ", "\n", "\n\n", "*", "*", "**", "***", "_", "__", "~~", "~", "`",
        "[", "]", "(", ")", "](u)", "![", "!", "\\", "#", "> ", "- ", "1. ", ".", ",", ":", "\"", "'", "|", "&",
        "&#42;", "<", ">", "    ", "，", "。", "、", "“", "”", "（", "）", "：",
    ])
}

/// Put a letter between Chinese punctuation and a delimiter run, so the
/// generated Markdown is the kind this pass must leave to CommonMark.
fn apart(markdown: &str) -> String {
    let mut out = String::new();
    let mut prev: Option<char> = None;
    for c in markdown.chars() {
        if let Some(p) = prev {
            let delimiter = |x: char| matches!(x, '*' | '_' | '~');
            let chinese = |x: char| chinese_punctuation(x).is_some();
            if (delimiter(p) && chinese(c)) || (chinese(p) && delimiter(c)) {
                out.push('x');
            }
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Where no Chinese punctuation touches a run, starboard's Markdown is
    /// exactly pulldown-cmark's.
    #[test]
    fn without_chinese_punctuation_beside_runs_output_is_commonmark(
        tokens in prop::collection::vec(token(), 0..40)
    ) {
        let markdown = apart(&tokens.concat());
        prop_assert_eq!(to_html(&markdown, false), plain(&markdown), "{:?}", markdown);
    }
}

/// The characters this pass calls Chinese punctuation are punctuation to
/// pulldown-cmark too, and the letters are letters: otherwise output could
/// differ from CommonMark where no Chinese punctuation is involved.
#[test]
fn classification_agrees_with_pulldown_cmark() {
    // `a*Xb*` is emphasis exactly when X is not punctuation.
    let emphasised = |c: char| plain(&format!("a*{c}b*")).contains("<em>");
    let mut disagree = Vec::new();
    for cp in (0x80..0x3_2000u32).filter(|cp| *cp < 0x4E00 || *cp > 0x9FFF || cp % 101 == 0) {
        let Some(c) = char::from_u32(cp) else { continue };
        match side(Some(c), Within::Block) {
            Some(Side::Chinese { .. }) if emphasised(c) => disagree.push(format!("{c} U+{cp:04X} is not punctuation")),
            Some(Side::Letter) if !emphasised(c) => disagree.push(format!("{c} U+{cp:04X} is not a letter")),
            _ => {}
        }
    }
    assert!(disagree.is_empty(), "{}", disagree.join("\n"));
}
