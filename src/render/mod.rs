//! Pages in memory: one function per page kind (in `pages` and `village`),
//! each turning the model into a view and the view into bytes with the
//! theme. No disk access here.
//!
//! Shared pages (home, counties, towns, lists) remember a hash of everything
//! they were rendered from; when a rebuild would give the same inputs the
//! page is not rendered again and comes out as [`Body::Unchanged`].

mod pages;
mod print;
mod renderer;
mod search;
mod svg;
mod views;
mod village;

use std::hash::{Hash, Hasher as _};
use std::path::PathBuf;
use std::sync::Arc;

use crate::hash::Hasher;
use crate::model::figures::Totals;
use crate::model::{County, Markdown, Site, Town, Village};
use crate::theme::Theme;

pub use renderer::PageMemo;
use renderer::{PageCtx, Renderer};
use views::Crumb;

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

/// A hash of `global` and of everything besides a village itself that its
/// pages show about where it sits (slugs and names above it): the same for
/// every village of a town.
fn place_key(global: u64, county: &County, town: &Town) -> u64 {
    let mut h = Hasher::default();
    global.hash(&mut h);
    (&county.slug, &county.name, &town.slug, &town.name).hash(&mut h);
    h.finish()
}

/// Every village in site order with its place's key ([`place_key`]), made
/// once per town (a rebuild asks it of every village of the site).
pub fn villages_keyed(site: &Site, global: u64) -> impl Iterator<Item = (VillageAt<'_>, u64)> {
    site.counties.iter().flat_map(move |county| {
        county.children.iter().flat_map(move |town| {
            let key = place_key(global, county, town);
            town.children
                .iter()
                .map(move |village| (VillageAt { village, county, town }, key))
        })
    })
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

/// A village's printables (see [`PRINT`]).
pub fn printables(site: &Site, theme: &Theme, at: &VillageAt<'_>) -> Result<Vec<Output>, RenderError> {
    let mut r = Renderer::new(site, theme, None, 0);
    let board = village::Board::new(site, &theme.wording, at.village, at.path(), at.crumbs());
    for produce in PRINT {
        produce(&mut r, &board)?;
    }
    Ok(r.out)
}

/// A village's board, its news pages and the files beside them.
pub fn village(site: &Site, theme: &Theme, at: &VillageAt<'_>) -> Result<Vec<Output>, RenderError> {
    let mut r = Renderer::new(site, theme, None, 0);
    let board = village::Board::new(site, &theme.wording, at.village, at.path(), at.crumbs());
    for produce in VILLAGE {
        produce(&mut r, &board)?;
    }
    Ok(r.out)
}
