//! Pages in memory: one function per page kind (in `pages` and `village`),
//! each turning the model into a view and the view into bytes with the
//! theme. No disk access here.
//!
//! Shared pages (home, counties, towns, lists) remember a hash of everything
//! they were rendered from; when a rebuild would give the same inputs the
//! page is not rendered again and comes out as [`Body::Unchanged`].

mod pages;
mod print;
mod search;
mod svg;
mod views;
mod village;

use std::hash::{Hash, Hasher as _};
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use tera::Context;

use crate::hash::{FastMap, Hasher};
use crate::model::figures::Totals;
use crate::model::{County, Markdown, Site, Town, Village};
use crate::theme::{Key, Theme, Wording, error_chain};

use views::{Crumb, NewsCard, PageMeta};

/// One file of the finished site, by its path under the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: String,
    pub body: Body,
    /// The Markdown the page shows, so `check` can place a broken link at
    /// its line in the content rather than in the HTML.
    pub shows: Vec<Markdown>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Bytes(Vec<u8>),
    /// A file copied as it is (images and other files beside content).
    Copy(PathBuf),
    /// Rendered before from the same inputs: already in the output folder.
    Unchanged,
}

impl Output {
    pub fn new(path: String, body: Body) -> Output {
        Output {
            path,
            body,
            shows: Vec::new(),
        }
    }

    pub fn unchanged(path: &str) -> Output {
        Output::new(path.to_string(), Body::Unchanged)
    }
}

/// A template failed while rendering a page.
#[derive(Debug)]
pub struct RenderError {
    pub page: String,
    pub message: String,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "could not render {}: {}", self.page, self.message)
    }
}

impl std::error::Error for RenderError {}

impl RenderError {
    /// The failure in Chinese.
    pub fn zh(&self) -> String {
        format!(
            "无法生成页面 {}：{}（是主题模板的问题；改过 themes/ 里的模板的话，请检查改动）",
            self.page, self.message
        )
    }
}

/// What each shared page was last rendered from: output path → input hash;
/// town pages also by the town itself, so an unchanged town is not even
/// turned into a view.
#[derive(Default, Clone)]
pub struct PageMemo {
    pages: FastMap<String, u64>,
    towns: FastMap<String, (Arc<Town>, u64)>,
    /// What the search index was last made of (rebuilds only).
    search: Option<Arc<search::index::Memo>>,
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

struct PageCtx<'v> {
    /// None for pages that are never memoised (village pages): no hashing.
    hash: Option<Hasher>,
    inserts: Vec<Insert<'v>>,
}

impl<'v> PageCtx<'v> {
    fn new() -> PageCtx<'v> {
        PageCtx {
            hash: Some(Hasher::default()),
            inserts: Vec::new(),
        }
    }

    fn unhashed() -> PageCtx<'v> {
        PageCtx {
            hash: None,
            inserts: Vec::new(),
        }
    }

    /// A value already in Tera's form, shared by pages that show the same
    /// view (Tera's maps and lists are shared, not copied). Only for pages
    /// that are not memoised: nothing here is hashed.
    fn put_value(&mut self, key: &'static str, value: tera::Value) {
        debug_assert!(self.hash.is_none(), "a memoised page hashes what it shows");
        self.inserts.push(Box::new(move |ctx| ctx.insert_value(key, value)));
    }

    fn put<T: Serialize + Hash + ?Sized>(&mut self, key: &'static str, value: &'v T) {
        if let Some(hash) = &mut self.hash {
            key.hash(hash);
            value.hash(hash);
        }
        self.inserts.push(Box::new(move |ctx| ctx.insert(key, value)));
    }
}

/// Room reserved for a page as it is rendered: most pages fit, so few grow.
const PAGE_CAPACITY: usize = 16 * 1024;

struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    out: Vec<Output>,
    /// Absolute URLs of the pages search engines may index, for sitemap.xml.
    indexable: Vec<String>,
    /// None renders every page.
    memo: Option<&'a mut PageMemo>,
    /// What every page depends on besides its own context (theme, config…).
    global: u64,
    /// Site news and the latest village news, newest first.
    news: Vec<NewsCard>,
    /// Figures of every county and town, summed once (shared pages only).
    totals: Totals,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, theme: &'a Theme, memo: Option<&'a mut PageMemo>, global: u64) -> Renderer<'a> {
        Renderer {
            site,
            theme,
            out: Vec::new(),
            indexable: Vec::new(),
            memo,
            global,
            news: Vec::new(),
            totals: Totals::default(),
        }
    }

    /// Whether `town`'s page at `path` is what the memo holds for `key`;
    /// remembers it either way.
    fn town_unchanged(&mut self, path: &str, town: &Arc<Town>, key: u64) -> bool {
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
    fn page(&mut self, template: &str, path: &str, meta: PageMeta, page: PageCtx<'_>) -> Result<(), RenderError> {
        self.page_showing(template, path, meta, page, None)
    }

    /// [`Renderer::page`] for a page that shows a Markdown body.
    fn page_showing(
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
        let config = &self.site.config;
        let site = SiteView {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            language: &config.language,
            month: self.site.this_month.map(|m| self.theme.wording.month(m)),
        };
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
        ctx.insert("site", &site);
        ctx.insert("root", &root);
        ctx.insert("page", &meta);
        ctx.insert("assets", &self.theme.asset_paths);
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
    fn file(&mut self, path: String, bytes: Vec<u8>) {
        if let Some(memo) = &mut self.memo {
            let key = crate::hash::content_key(&bytes);
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
    fn unchanged_file(&mut self, path: String) {
        self.out.push(Output::unchanged(&path));
    }

    /// The words of the theme, in the site's language.
    fn words(&self) -> &'a Wording {
        &self.theme.wording
    }

    /// The meta of a page whose title and description are words of the theme.
    fn meta_of(&self, title: Key, description: Key, path: &str, noindex: bool) -> PageMeta {
        let w = self.words();
        self.meta(w.text(title), w.text(description), path, noindex)
    }

    fn meta(&self, title: &str, description: &str, path: &str, noindex: bool) -> PageMeta {
        PageMeta {
            title: title.to_string(),
            description: description.to_string(),
            path: path.to_string(),
            url: format!("{}{path}", self.site.config.base_url),
            noindex,
        }
    }

    fn copy_assets(&mut self, assets: &[crate::source::Asset], base: &str) {
        for a in assets.iter().filter(|a| self.theme.publishes(&a.name)) {
            self.out
                .push(Output::new(format!("{base}{}", a.name), Body::Copy(a.path.clone())));
        }
    }
}

/// A producer: the function that makes the files of one kind of output.
/// A new kind of output (a search index, printables) is one more entry in
/// [`SHARED`] or [`VILLAGE`] and the module with its function.
type SharedFn = fn(&mut Renderer<'_>) -> Result<(), RenderError>;
type VillageFn = fn(&mut Renderer<'_>, &village::Board<'_>) -> Result<(), RenderError>;

/// Every output made once for the whole site, in the order it is made: the
/// feeds and sitemap come after the pages they list.
const SHARED: &[SharedFn] = &[
    pages::home,
    pages::places, // county and town pages
    pages::stars,
    pages::points,
    pages::partners,
    pages::news_pages, // the news list and site news
    pages::not_found,
    pages::feeds,   // Atom feed, sitemap, robots.txt
    search::search, // the search page and its index
    pages::theme_files,
];

/// The printables of each village (`starboard print`), paths relative to
/// the print folder.
const PRINT: &[VillageFn] = &[print::plaques, print::ranking, print::six_no];

/// Every output made for each village, in order.
const VILLAGE: &[VillageFn] = &[village::board, village::poster, village::news, village::assets];

/// Every file except the village boards and village news: home, county and
/// town pages, standards, partners, site news, feeds, static files. With a
/// memo, pages whose inputs (and `global`) are unchanged come out Unchanged.
pub fn shared(
    site: &Site,
    theme: &Theme,
    memo: Option<&mut PageMemo>,
    global: u64,
) -> Result<Vec<Output>, RenderError> {
    let mut r = Renderer::new(site, theme, memo, global);
    r.news = pages::latest_news(site, &theme.wording);
    r.totals = Totals::of(site);
    for produce in SHARED {
        produce(&mut r)?;
    }
    Ok(r.out)
}

/// A village with where it sits.
pub struct VillageAt<'a> {
    pub village: &'a Arc<Village>,
    county: &'a County,
    town: &'a Town,
}

impl VillageAt<'_> {
    /// The village's folder under the output (`tengxian/jinjizhen/tongrongcun/`).
    pub fn path(&self) -> String {
        format!("{}/{}/{}/", self.county.slug, self.town.slug, self.village.slug)
    }

    /// A hash of `global` and of everything besides the village itself that
    /// its pages show about where it sits (slugs and names above it).
    pub fn key(&self, global: u64) -> u64 {
        let mut h = Hasher::default();
        global.hash(&mut h);
        (&self.county.slug, &self.county.name, &self.town.slug, &self.town.name).hash(&mut h);
        h.finish()
    }

    fn crumbs(&self) -> [Crumb; 3] {
        let county = format!("{}/", self.county.slug);
        let town = format!("{county}{}/", self.town.slug);
        [
            Crumb {
                name: self.county.name.clone(),
                path: county,
            },
            Crumb {
                name: self.town.name.clone(),
                path: town,
            },
            Crumb {
                name: self.village.name.clone(),
                path: self.path(),
            },
        ]
    }
}

/// Every village in site order.
pub fn villages(site: &Site) -> impl Iterator<Item = VillageAt<'_>> {
    site.counties.iter().flat_map(|county| {
        county.children.iter().flat_map(move |town| {
            town.children
                .iter()
                .map(move |village| VillageAt { village, county, town })
        })
    })
}

/// A village's board, its news pages and the files beside them.
/// A village's printables (see [`PRINT`]).
pub fn printables(site: &Site, theme: &Theme, at: &VillageAt<'_>) -> Result<Vec<Output>, RenderError> {
    let mut r = Renderer::new(site, theme, None, 0);
    let board = village::Board::new(site, &theme.wording, at.village, at.path(), at.crumbs());
    for produce in PRINT {
        produce(&mut r, &board)?;
    }
    Ok(r.out)
}

pub fn village(site: &Site, theme: &Theme, at: &VillageAt<'_>) -> Result<Vec<Output>, RenderError> {
    let mut r = Renderer::new(site, theme, None, 0);
    let board = village::Board::new(site, &theme.wording, at.village, at.path(), at.crumbs());
    for produce in VILLAGE {
        produce(&mut r, &board)?;
    }
    Ok(r.out)
}
