//! How a page is made: its template's context (hashed as it is filled, so a
//! shared page can tell its inputs are unchanged), the memo of what shared
//! pages were made from, and the renderer the producers write through.

use std::hash::{Hash, Hasher as _};
use std::sync::Arc;

use serde::Serialize;
use tera::Context;

use super::search;
use super::views::{NewsCard, PageMeta};
use super::{Body, Output, RenderError};
use crate::hash::{FastMap, Hasher};
use crate::model::figures::Totals;
use crate::model::{Markdown, Site, Town};
use crate::theme::{Key, Theme, Wording, error_chain};

/// What each shared page was last rendered from: output path → input hash;
/// town pages also by the town itself, so an unchanged town is not even
/// turned into a view.
#[derive(Default, Clone)]
pub struct PageMemo {
    pub(super) pages: FastMap<String, u64>,
    pub(super) towns: FastMap<String, (Arc<Town>, u64)>,
    /// What the search index was last made of (rebuilds only).
    pub(super) search: Option<Arc<search::index::Memo>>,
}

impl PageMemo {
    /// What the build cache keeps: each page's input hash. (Town pages are
    /// then recognised by that hash alone, after being turned into views.)
    pub fn page_keys(&self) -> &FastMap<String, u64> {
        &self.pages
    }

    pub fn from_page_keys(pages: FastMap<String, u64>) -> PageMemo {
        PageMemo {
            pages,
            towns: FastMap::default(),
            search: None,
        }
    }

    /// Forget pages not in `paths` (the pages this render made): a page that
    /// went away and comes back must be written again, not taken as unchanged.
    pub fn retain(&mut self, paths: &[String]) {
        let keep: std::collections::HashSet<&str> = paths.iter().map(String::as_str).collect();
        self.pages.retain(|p, _| keep.contains(p.as_str()));
        self.towns
            .retain(|p, _| keep.contains(format!("{p}index.html").as_str()) || keep.contains(p.as_str()));
    }
}

/// Site-wide values every template gets.
#[derive(Serialize, Hash)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
    month: Option<String>,
}

/// What a page's template will get: the values are hashed at once (so the
/// page can tell whether its inputs changed) but only serialised for Tera if
/// the page is rendered.
type Insert<'v> = Box<dyn FnOnce(&mut Context) + 'v>;

pub(super) struct PageCtx<'v> {
    /// None for pages that are never memoised (village pages): no hashing.
    pub(super) hash: Option<Hasher>,
    pub(super) inserts: Vec<Insert<'v>>,
}

impl<'v> PageCtx<'v> {
    pub(super) fn new() -> PageCtx<'v> {
        PageCtx {
            hash: Some(Hasher::default()),
            inserts: Vec::new(),
        }
    }

    pub(super) fn unhashed() -> PageCtx<'v> {
        PageCtx {
            hash: None,
            inserts: Vec::new(),
        }
    }

    /// A value already in Tera's form, shared by pages that show the same
    /// view (Tera's maps and lists are shared, not copied). Only for pages
    /// that are not memoised: nothing here is hashed.
    pub(super) fn put_value(&mut self, key: &'static str, value: tera::Value) {
        debug_assert!(self.hash.is_none(), "a memoised page hashes what it shows");
        self.inserts.push(Box::new(move |ctx| ctx.insert_value(key, value)));
    }

    pub(super) fn put<T: Serialize + Hash + ?Sized>(&mut self, key: &'static str, value: &'v T) {
        if let Some(hash) = &mut self.hash {
            key.hash(hash);
            value.hash(hash);
        }
        self.inserts.push(Box::new(move |ctx| ctx.insert(key, value)));
    }
}

/// Room reserved for a page as it is rendered: most pages fit, so few grow.
const PAGE_CAPACITY: usize = 16 * 1024;

pub(super) struct Renderer<'a> {
    pub(super) site: &'a Site,
    pub(super) theme: &'a Theme,
    pub(super) out: Vec<Output>,
    /// Absolute URLs of the pages search engines may index, for sitemap.xml.
    pub(super) indexable: Vec<String>,
    /// None renders every page.
    pub(super) memo: Option<&'a mut PageMemo>,
    /// What every page depends on besides its own context (theme, config…).
    pub(super) global: u64,
    /// Site news and the latest village news, newest first.
    pub(super) news: Vec<NewsCard>,
    /// Figures of every county and town, summed once (shared pages only).
    pub(super) totals: Totals,
    /// What every page's template gets besides its own values.
    common: Common,
}

/// The site's and theme's values every template gets, in Tera's form once
/// for all of a renderer's pages (Tera shares maps, it does not copy them).
struct Common {
    site: tera::Value,
    assets: tera::Value,
}

impl Common {
    fn new(site: &Site, theme: &Theme) -> Common {
        let config = &site.config;
        let view = SiteView {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            language: &config.language,
            month: site.this_month.map(|m| theme.wording.month(m)),
        };
        Common {
            site: tera::Value::from_serializable(&view),
            assets: tera::Value::from_serializable(&theme.asset_paths),
        }
    }
}

impl<'a> Renderer<'a> {
    pub(super) fn new(site: &'a Site, theme: &'a Theme, memo: Option<&'a mut PageMemo>, global: u64) -> Renderer<'a> {
        Renderer {
            site,
            theme,
            out: Vec::new(),
            indexable: Vec::new(),
            memo,
            global,
            news: Vec::new(),
            totals: Totals::default(),
            common: Common::new(site, theme),
        }
    }

    /// Whether `town`'s page at `path` is what the memo holds for `key`;
    /// remembers it either way.
    pub(super) fn town_unchanged(&mut self, path: &str, town: &Arc<Town>, key: u64) -> bool {
        let Some(memo) = &mut self.memo else {
            return false;
        };
        let same = memo
            .towns
            .get(path)
            .is_some_and(|(t, k)| *k == key && Arc::ptr_eq(t, town));
        memo.towns.insert(path.to_string(), (Arc::clone(town), key));
        same
    }

    /// Render `template` to `<path>index.html` (or to `path` itself when it
    /// names a file), unless the memo shows the same inputs as last time.
    pub(super) fn page(
        &mut self,
        template: &str,
        path: &str,
        meta: PageMeta,
        page: PageCtx<'_>,
    ) -> Result<(), RenderError> {
        self.page_showing(template, path, meta, page, None)
    }

    /// [`Renderer::page`] for a page that shows a Markdown body.
    pub(super) fn page_showing(
        &mut self,
        template: &str,
        path: &str,
        meta: PageMeta,
        page: PageCtx<'_>,
        shows: Option<&Markdown>,
    ) -> Result<(), RenderError> {
        let file = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        };
        let depth = file.matches('/').count();
        // Relative links work under any sub-path and from file://; the 404 page
        // is served at every depth, so it links from the site's base path.
        let root = match (file.as_str(), depth) {
            ("404.html", _) => self.site.config.base_path().to_string(),
            (_, 0) => "./".to_string(),
            _ => "../".repeat(depth),
        };
        if !meta.noindex && file.ends_with("index.html") {
            self.indexable.push(meta.url.clone());
        }
        // The site and theme are in `global`; the page's own values go in here.
        let PageCtx { hash, inserts } = page;
        if let (Some(memo), Some(mut hash)) = (&mut self.memo, hash) {
            (self.global, template, &root, &meta).hash(&mut hash);
            let key = hash.finish();
            if memo.pages.get(&file) == Some(&key) {
                self.out.push(Output::unchanged(&file));
                return Ok(());
            }
            memo.pages.insert(file.clone(), key);
        }
        let mut ctx = Context::new();
        for insert in inserts {
            insert(&mut ctx);
        }
        ctx.insert_value("site", self.common.site.clone());
        ctx.insert("root", &root);
        ctx.insert("page", &meta);
        ctx.insert_value("assets", self.common.assets.clone());
        // Rendered straight into bytes: `render` would check the whole page
        // is UTF-8 again to hand back a String.
        let mut html = Vec::with_capacity(PAGE_CAPACITY);
        self.theme
            .tera
            .render_to(template, &ctx, &mut html)
            .map_err(|e| RenderError {
                page: file.clone(),
                message: error_chain(&e),
            })?;
        self.out.push(Output {
            path: file,
            body: Body::Bytes(html),
            shows: shows.into_iter().cloned().collect(),
        });
        Ok(())
    }

    /// A file made here (not from a template), unless the memo shows the
    /// same bytes at that path last time.
    pub(super) fn file(&mut self, path: String, bytes: Vec<u8>) {
        if let Some(memo) = &mut self.memo {
            let key = crate::hash::fingerprint(&bytes);
            if memo.pages.get(&path) == Some(&key) {
                self.out.push(Output::unchanged(&path));
                return;
            }
            memo.pages.insert(path.clone(), key);
        }
        self.out.push(Output::new(path, Body::Bytes(bytes)));
    }

    /// A file made here that the memo says is as it was (its path says
    /// what it holds: named by its hash).
    pub(super) fn unchanged_file(&mut self, path: String) {
        self.out.push(Output::unchanged(&path));
    }

    /// The words of the theme, in the site's language.
    pub(super) fn words(&self) -> &'a Wording {
        &self.theme.wording
    }

    /// The meta of a page whose title and description are words of the theme.
    pub(super) fn meta_of(&self, title: Key, description: Key, path: &str, noindex: bool) -> PageMeta {
        let w = self.words();
        self.meta(w.text(title), w.text(description), path, noindex)
    }

    pub(super) fn meta(&self, title: &str, description: &str, path: &str, noindex: bool) -> PageMeta {
        PageMeta {
            title: title.to_string(),
            description: description.to_string(),
            path: path.to_string(),
            url: format!("{}{path}", self.site.config.base_url),
            noindex,
        }
    }

    pub(super) fn copy_assets(&mut self, assets: &[crate::source::Asset], base: &str) {
        for a in assets.iter().filter(|a| self.theme.publishes(&a.name)) {
            self.out
                .push(Output::new(format!("{base}{}", a.name), Body::Copy(a.path.clone())));
        }
    }
}
