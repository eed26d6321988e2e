//! Markdown files with `+++` front matter: news posts and `_index.md` pages.

use std::collections::HashMap;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::config::bad_date;
use crate::date::Date;
use crate::error::{Problem, t};
use crate::markdown;
use crate::model::{Markdown, News};
use crate::slug::{is_valid_slug, slugify};
use crate::source::SourceFile;
use crate::source::front_matter::{SplitError, split};
use crate::source::raw::RawNewsFront;
use crate::source::toml_doc::Doc;

use super::Ctx;

/// A parsed Markdown file: front matter, body, and where the front matter
/// starts (to locate later problems about its values).
pub(crate) struct Parsed<T> {
    pub front: T,
    pub body: Markdown,
    pub front_offset: usize,
}

/// Front matter parsed, body left as Markdown: where the front matter and
/// the body start in the file.
pub(crate) struct Front<T> {
    pub front: T,
    pub front_offset: usize,
    pub body_start: usize,
}

/// Split and parse the front matter as `T`; the body is published where the
/// file is (no link prefix). A file without front matter is an error unless
/// `plain` gives the front matter to assume (`_index.md` may be just text).
pub(crate) fn parse<T: DeserializeOwned>(
    ctx: &mut Ctx<'_>,
    file: &Arc<SourceFile>,
    plain: Option<T>,
) -> Option<Parsed<T>> {
    let Front {
        front,
        front_offset,
        body_start,
    } = parse_front(ctx, file, plain)?;
    Some(Parsed {
        front,
        body: Markdown::new(file, body_start, ctx.config.allow_html, ""),
        front_offset,
    })
}

/// [`parse`] without rendering the body.
pub(crate) fn parse_front<T: DeserializeOwned>(
    ctx: &mut Ctx<'_>,
    file: &SourceFile,
    plain: Option<T>,
) -> Option<Front<T>> {
    let text = file.text();
    let parts = match split(text) {
        Ok(parts) => parts,
        Err(SplitError::Missing) if plain.is_some() => {
            return plain.map(|front| Front {
                front,
                front_offset: 0,
                body_start: 0,
            });
        }
        Err(e) => {
            ctx.problems.push(split_problem(file, e));
            return None;
        }
    };
    let doc = Doc::part(&file.shown, parts.front, parts.front_offset, text).repaired(file.repaired());
    let table = match doc.parse() {
        Ok(t) => t,
        Err(p) => {
            ctx.problems.extend(p);
            return None;
        }
    };
    let front = doc.deserialize::<T>(table, &mut ctx.problems)?;
    Some(Front {
        front,
        front_offset: parts.front_offset,
        // The body is the rest of the file.
        body_start: text.len() - parts.body.len(),
    })
}

fn split_problem(file: &SourceFile, e: SplitError) -> Problem {
    let (message, hint) = match e {
        SplitError::Missing => (
            t("this file has no front matter", "这个文件缺少开头的 +++ 信息区"),
            t(
                "start the file with a line +++, then title = \"…\" and date = 2022-11-05, then another +++",
                "文件开头先写一行 +++，接着写 title = \"…\" 和 date = 2022-11-05，再写一行 +++",
            ),
        ),
        SplitError::Unclosed => (
            t(
                "the front matter opened with +++ is never closed",
                "开头的 +++ 信息区没有结束",
            ),
            t(
                "add a line with only +++ after the last field",
                "在最后一个字段后面加一行 +++",
            ),
        ),
    };
    Problem::at(&file.shown, file.text(), 0, message, hint)
}

/// A Doc that locates spans of an already-parsed front matter in its file.
pub(crate) fn front_doc(file: &SourceFile, front_offset: usize) -> Doc<'_> {
    Doc::part(&file.shown, "", front_offset, file.text()).repaired(file.repaired())
}

/// News posts of one folder, newest first, drafts left out, slugs checked.
pub(crate) fn news_list(ctx: &mut Ctx<'_>, files: &[Arc<SourceFile>]) -> Vec<News> {
    let mut out: Vec<News> = Vec::new();
    let mut slugs: HashMap<String, String> = HashMap::new();
    for file in files {
        let entry = ctx.memoized(|m| &mut m.news, &file.path, file.hash, |ctx| news_post(ctx, file));
        let Some((news, draft)) = entry else {
            continue;
        };
        if let Some(other) = slugs.insert(news.slug.clone(), file.shown.display().to_string()) {
            let slug = &news.slug;
            ctx.problems.push(Problem::error(
                &file.shown,
                None,
                t(
                    format!("this post and {other} would both be published at news/{slug}/"),
                    format!("这篇和 {other} 都会发布到 news/{slug}/"),
                ),
                t(
                    "give one of them a different slug = \"…\"",
                    "给其中一篇换一个 slug = \"…\"",
                ),
            ));
            continue;
        }
        if !draft {
            out.push(news);
        }
    }
    out.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    out
}

/// One post and whether it is a draft; None when it has errors.
fn news_post(ctx: &mut Ctx<'_>, file: &Arc<SourceFile>) -> Option<(News, bool)> {
    let Front {
        front,
        front_offset,
        body_start,
    } = parse_front::<RawNewsFront>(ctx, file, None)?;
    let doc = front_doc(file, front_offset);
    let date = Date::from_toml(front.date.get_ref());
    if date.is_none() {
        ctx.problems.push(bad_date(&doc, front.date.span()));
    }
    let stem = file
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = match &front.slug {
        Some(s) if !is_valid_slug(s.get_ref()) => {
            ctx.problems.push(bad_slug(&doc, s));
            return None;
        }
        Some(s) => s.get_ref().clone(),
        None => slugify(&stem),
    };
    if slug.is_empty() {
        ctx.problems.push(Problem::error(
            &file.shown,
            None,
            t("cannot make a URL from this file name", "无法用这个文件名生成网址"),
            t(
                "add slug = \"…\" (letters, digits, '-') to the front matter",
                "在信息区加上 slug = \"…\"（字母、数字、'-'）",
            ),
        ));
        return None;
    }
    let summary = front
        .summary
        .unwrap_or_else(|| markdown::plain_text(&file.text()[body_start..], 80));
    // A post's page is one folder below its source file (`news/<slug>/`).
    let body = Markdown::new(file, body_start, ctx.config.allow_html, "../");
    let news = News {
        title: front.title,
        date: date?,
        summary,
        slug,
        body,
    };
    Some((news, front.draft))
}

pub(crate) fn bad_slug(doc: &Doc<'_>, slug: &toml::Spanned<String>) -> Problem {
    doc.problem(
        slug.span(),
        t(
            format!("slug `{}` cannot be used in a URL", slug.get_ref()),
            format!("slug `{}` 不能用作网址", slug.get_ref()),
        ),
        t(
            "use lower-case letters, digits and '-' only, e.g. \"tongrong\"",
            "只用小写字母、数字和 '-'，例如 \"tongrong\"",
        ),
    )
}
