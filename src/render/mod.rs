//! Pages in memory: one function per page kind, each turning the model into a
//! view and the view into bytes with the theme. No disk access here.

mod views;
mod village;

use std::path::PathBuf;

use serde::Serialize;
use tera::Context;

use crate::model::figures::Stats;
use crate::model::{County, Place, Site, Village};
use crate::theme::{Theme, error_chain};

use views::{Crumb, NewsCard, PageMeta, PlaceCard, StatsView, news_card, partner_groups, place_kind_label};

/// One file of the finished site, by its path under the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: String,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Bytes(Vec<u8>),
    /// A file copied as it is (images and other files beside content).
    Copy(PathBuf),
    /// Rendered before with the same inputs: already in the output folder.
    Unchanged,
}

impl Output {
    pub fn unchanged(path: &str) -> Output {
        Output {
            path: path.to_string(),
            body: Body::Unchanged,
        }
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

/// Site-wide values every template gets.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
    month: Option<String>,
}

struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    out: Vec<Output>,
    /// Absolute URLs of the pages search engines may index, for sitemap.xml.
    indexable: Vec<String>,
}

impl Renderer<'_> {
    /// Render `template` to `<path>index.html` (or to `path` itself when it names a file).
    fn page(&mut self, template: &str, path: &str, meta: PageMeta, mut ctx: Context) -> Result<(), RenderError> {
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
        let config = &self.site.config;
        ctx.insert(
            "site",
            &SiteView {
                title: &config.title,
                description: &config.description,
                base_url: &config.base_url,
                language: &config.language,
                month: self.site.this_month.map(|m| m.zh()),
            },
        );
        ctx.insert("root", &root);
        if !meta.noindex && file.ends_with("index.html") {
            self.indexable.push(meta.url.clone());
        }
        ctx.insert("page", &meta);
        ctx.insert("assets", &self.theme.asset_paths);
        let html = self.theme.tera.render(template, &ctx).map_err(|e| RenderError {
            page: file.clone(),
            message: error_chain(&e),
        })?;
        self.out.push(Output {
            path: file,
            body: Body::Bytes(html.into_bytes()),
        });
        Ok(())
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
}

/// Every file of the site, sorted by path.
pub fn site(site: &Site, theme: &Theme) -> Result<Vec<Output>, RenderError> {
    let mut out = shared(site, theme)?;
    for at in villages(site) {
        out.extend(village(site, theme, &at)?);
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Every file except the village boards and village news: home, county and
/// town pages, standards, partners, site news, feeds, static files.
pub fn shared(site: &Site, theme: &Theme) -> Result<Vec<Output>, RenderError> {
    let mut r = Renderer {
        site,
        theme,
        out: Vec::new(),
        indexable: Vec::new(),
    };
    home(&mut r)?;
    for county in &site.counties {
        county_pages(&mut r, county)?;
    }
    standards_pages(&mut r)?;
    news_pages(&mut r)?;
    r.page(
        "404.html",
        "404.html",
        r.meta("找不到这个页面", "", "404.html", true),
        Context::new(),
    )?;
    feeds(&mut r)?;
    let mut out = r.out;
    for (path, bytes) in &theme.statics {
        out.push(Output {
            path: path.clone(),
            body: Body::Bytes(bytes.clone()),
        });
    }
    Ok(out)
}

/// A village with where it sits: its folder path and breadcrumbs.
pub struct VillageAt<'a> {
    pub village: &'a std::sync::Arc<Village>,
    pub path: String,
    crumbs: Vec<Crumb>,
}

impl VillageAt<'_> {
    /// A key for everything besides the village itself that its pages show.
    pub fn place_key(&self) -> String {
        let names: Vec<&str> = self.crumbs.iter().map(|c| c.name.as_str()).collect();
        format!("{}|{}", self.path, names.join("|"))
    }
}

/// Every village in site order.
pub fn villages(site: &Site) -> Vec<VillageAt<'_>> {
    let mut out = Vec::new();
    for county in &site.counties {
        let county_crumb = Crumb {
            name: county.name.clone(),
            path: format!("{}/", county.slug),
        };
        for town in &county.children {
            let town_crumb = Crumb {
                name: town.name.clone(),
                path: format!("{}{}/", county_crumb.path, town.slug),
            };
            for v in &town.children {
                let path = format!("{}{}/", town_crumb.path, v.slug);
                let crumbs = vec![
                    county_crumb.clone(),
                    town_crumb.clone(),
                    Crumb {
                        name: v.name.clone(),
                        path: path.clone(),
                    },
                ];
                out.push(VillageAt {
                    village: v,
                    path,
                    crumbs,
                });
            }
        }
    }
    out
}

/// A village's board, its news pages and the files beside them.
pub fn village(site: &Site, theme: &Theme, at: &VillageAt<'_>) -> Result<Vec<Output>, RenderError> {
    let mut r = Renderer {
        site,
        theme,
        out: Vec::new(),
        indexable: Vec::new(),
    };
    village_pages(&mut r, at.village, &at.path, &at.crumbs)?;
    Ok(r.out)
}

/// Figures of a village, or summed over a town's or county's villages.
trait Figures {
    fn stats(&self, site: &Site) -> Stats;
}

impl Figures for Village {
    fn stats(&self, site: &Site) -> Stats {
        Stats::of_village(self, &site.standards.tiers, site.this_month)
    }
}

impl<T: Figures> Figures for std::sync::Arc<T> {
    fn stats(&self, site: &Site) -> Stats {
        T::stats(self, site)
    }
}

impl<C: Figures> Figures for Place<C> {
    fn stats(&self, site: &Site) -> Stats {
        self.children.iter().map(|c| c.stats(site)).sum()
    }
}

/// A county or town as a card in its parent's listing.
fn place_card<C: Figures>(site: &Site, place: &Place<C>, path: String) -> PlaceCard {
    PlaceCard {
        name: place.name.clone(),
        kind: place_kind_label(place.kind),
        stats: place.stats(site).into(),
        path,
        six_no: None,
        children: Vec::new(),
    }
}

fn home(r: &mut Renderer<'_>) -> Result<(), RenderError> {
    let site = r.site;
    let counties: Vec<PlaceCard> = site
        .counties
        .iter()
        .map(|c| PlaceCard {
            children: c
                .children
                .iter()
                .map(|t| Crumb {
                    name: t.name.clone(),
                    path: format!("{}/{}/", c.slug, t.slug),
                })
                .collect(),
            ..place_card(site, c, format!("{}/", c.slug))
        })
        .collect();
    let total: Stats = site.counties.iter().map(|c| c.stats(site)).sum();
    let mut ctx = Context::new();
    ctx.insert("intro", &site.home.html);
    ctx.insert("stats", &StatsView::from(total));
    ctx.insert("counties", &counties);
    ctx.insert("news", &all_news(site).into_iter().take(6).collect::<Vec<_>>());
    let title = site.home.title.clone().unwrap_or_else(|| site.config.title.clone());
    let description = site
        .home
        .summary
        .clone()
        .unwrap_or_else(|| site.config.description.clone());
    let meta = r.meta(&title, &description, "", false);
    r.page("home.html", "", meta, ctx)
}

fn county_pages(r: &mut Renderer<'_>, county: &County) -> Result<(), RenderError> {
    let site = r.site;
    let base = format!("{}/", county.slug);
    let towns = county
        .children
        .iter()
        .map(|t| place_card(site, t, format!("{base}{}/", t.slug)))
        .collect();
    let crumbs = vec![Crumb {
        name: county.name.clone(),
        path: base.clone(),
    }];
    place_page(r, county, &base, towns, &crumbs)?;
    for town in &county.children {
        let town_base = format!("{base}{}/", town.slug);
        let villages = town
            .children
            .iter()
            .map(|v| PlaceCard {
                name: v.name.clone(),
                kind: place_kind_label(v.kind),
                path: format!("{town_base}{}/", v.slug),
                stats: v.stats(site).into(),
                six_no: Some(v.is_six_no()),
                children: Vec::new(),
            })
            .collect();
        let mut town_crumbs = crumbs.clone();
        town_crumbs.push(Crumb {
            name: town.name.clone(),
            path: town_base.clone(),
        });
        place_page(r, town, &town_base, villages, &town_crumbs)?;
    }
    Ok(())
}

/// A county or town page: introduction, figures and its children, plus the
/// files beside its `_index.md`.
fn place_page<C: Figures>(
    r: &mut Renderer<'_>,
    place: &Place<C>,
    path: &str,
    children: Vec<PlaceCard>,
    crumbs: &[Crumb],
) -> Result<(), RenderError> {
    let stats = place.stats(r.site);
    let name = &place.name;
    let mut ctx = Context::new();
    ctx.insert("name", name);
    ctx.insert("kind", place_kind_label(place.kind));
    ctx.insert("intro", &place.intro.html);
    ctx.insert("stats", &StatsView::from(stats));
    ctx.insert("children", &children);
    ctx.insert("crumbs", crumbs);
    let description = place.intro.summary.clone().unwrap_or_else(|| {
        format!(
            "{name}：{} 个村（社区），{} 个六无平安村，{} 户星级文明户",
            stats.villages, stats.six_no, stats.star_households
        )
    });
    let meta = r.meta(&format!("{name} · {}", r.site.config.title), &description, path, false);
    r.page("place.html", path, meta, ctx)?;
    copy_assets(r, &place.assets, path);
    Ok(())
}

fn village_pages(
    r: &mut Renderer<'_>,
    v: &crate::model::Village,
    path: &str,
    crumbs: &[Crumb],
) -> Result<(), RenderError> {
    let site = r.site;
    let noindex = !site.config.privacy.index_names;
    let view = village::view(site, v, path);
    let description = format!(
        "{}光荣榜：{} 户星级文明户{}",
        v.name,
        view.stats.star_households,
        if v.is_six_no() { "，六无平安村" } else { "" }
    );
    let mut ctx = Context::new();
    ctx.insert("village", &view);
    ctx.insert("crumbs", crumbs);
    let meta = r.meta(
        &format!("{} · {}", v.name, site.config.title),
        &description,
        path,
        noindex,
    );
    r.page("village.html", path, meta, ctx)?;
    for news in &v.news {
        let news_path = format!("{path}news/{}/", news.slug);
        let mut ctx = Context::new();
        ctx.insert("news", &news_card(news, path, &v.name));
        ctx.insert("html", &news.html);
        ctx.insert("crumbs", crumbs);
        let meta = r.meta(&news.title, &news.summary, &news_path, noindex);
        r.page("news.html", &news_path, meta, ctx)?;
    }
    copy_assets(r, &v.assets, path);
    Ok(())
}

fn copy_assets(r: &mut Renderer<'_>, assets: &[crate::source::Asset], base: &str) {
    for a in assets {
        r.out.push(Output {
            path: format!("{base}{}", a.name),
            body: Body::Copy(a.path.clone()),
        });
    }
}

fn standards_pages(r: &mut Renderer<'_>) -> Result<(), RenderError> {
    let s = &r.site.standards;
    let mut ctx = Context::new();
    let stars: Vec<(&str, &str)> = s
        .stars
        .iter()
        .map(|x| (x.name.as_str(), x.description.as_str()))
        .collect();
    let tiers: Vec<(&str, usize)> = s.tiers.iter().map(|x| (x.name.as_str(), x.min_stars)).collect();
    let six_no: Vec<(&str, &str)> = s
        .six_no
        .iter()
        .map(|x| (x.name.as_str(), x.description.as_str()))
        .collect();
    ctx.insert("stars", &stars);
    ctx.insert("tiers", &tiers);
    ctx.insert("six_no", &six_no);
    let meta = r.meta("评星标准", "星级文明户的评星标准和六无平安村标准", "stars/", false);
    r.page("stars.html", "stars/", meta, ctx)?;

    let mut ctx = Context::new();
    let items: Vec<(&str, u32, &str)> = s
        .points_items
        .iter()
        .map(|x| (x.name.as_str(), x.points, x.description.as_str()))
        .collect();
    let rewards: Vec<(&str, u32, &str)> = s
        .rewards
        .iter()
        .map(|x| (x.name.as_str(), x.cost, x.description.as_str()))
        .collect();
    ctx.insert("items", &items);
    ctx.insert("rewards", &rewards);
    let meta = r.meta("积分项目", "文明实践积分怎样得、怎样用", "points/", false);
    r.page("points.html", "points/", meta, ctx)?;

    let mut ctx = Context::new();
    ctx.insert("groups", &partner_groups(r.site));
    let meta = r.meta(
        "合作商家",
        "为网格员、村干部和六无平安村村民提供优惠的合作商家",
        "partners/",
        false,
    );
    r.page("partners.html", "partners/", meta, ctx)
}

/// How many village news posts the home page, news list and feed show.
const LATEST_VILLAGE_NEWS: usize = 30;

/// All site news and the latest village news, newest first. Older village
/// news stays on its village board.
fn all_news(site: &Site) -> Vec<NewsCard> {
    let mut village_news = Vec::new();
    for at in villages(site) {
        village_news.extend(at.village.news.iter().map(|n| (n, at.path.clone(), &at.village.name)));
    }
    village_news.sort_by(|a, b| b.0.date.cmp(&a.0.date).then_with(|| a.1.cmp(&b.1)));
    let mut cards: Vec<NewsCard> = site.news.iter().map(|n| news_card(n, "", "")).collect();
    cards.extend(
        village_news
            .into_iter()
            .take(LATEST_VILLAGE_NEWS)
            .map(|(n, path, name)| news_card(n, &path, name)),
    );
    cards.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path)));
    cards
}

fn news_pages(r: &mut Renderer<'_>) -> Result<(), RenderError> {
    let site = r.site;
    let mut ctx = Context::new();
    ctx.insert("items", &all_news(site));
    let meta = r.meta("新闻动态", "各村文明实践活动的新闻", "news/", false);
    r.page("news_list.html", "news/", meta, ctx)?;
    for news in &site.news {
        let path = format!("news/{}/", news.slug);
        let mut ctx = Context::new();
        ctx.insert("news", &news_card(news, "", ""));
        ctx.insert("html", &news.html);
        ctx.insert("crumbs", &Vec::<Crumb>::new());
        let meta = r.meta(&news.title, &news.summary, &path, false);
        r.page("news.html", &path, meta, ctx)?;
    }
    copy_assets(r, &site.news_assets, "news/");
    Ok(())
}

#[derive(Serialize)]
struct FeedEntry {
    title: String,
    url: String,
    updated: String,
    summary: String,
}

/// Atom feed, sitemap (pages search engines may index) and robots.txt.
fn feeds(r: &mut Renderer<'_>) -> Result<(), RenderError> {
    let site = r.site;
    let base = &site.config.base_url;
    let news = all_news(site);
    let entries: Vec<FeedEntry> = news
        .iter()
        .take(30)
        .map(|n| FeedEntry {
            title: if n.place.is_empty() {
                n.title.clone()
            } else {
                format!("{}｜{}", n.place, n.title)
            },
            url: format!("{base}{}", n.path),
            updated: format!("{}T00:00:00+08:00", n.date),
            summary: n.summary.clone(),
        })
        .collect();
    let updated = entries
        .first()
        .map_or_else(|| "2000-01-01T00:00:00+08:00".to_string(), |e| e.updated.clone());
    let mut ctx = Context::new();
    ctx.insert("entries", &entries);
    ctx.insert("updated", &updated);
    r.page("atom.xml", "atom.xml", r.meta("", "", "atom.xml", false), ctx)?;

    let mut urls = r.indexable.clone();
    if site.config.privacy.index_names {
        for at in villages(site) {
            urls.push(format!("{base}{}", at.path));
            urls.extend(
                at.village
                    .news
                    .iter()
                    .map(|n| format!("{base}{}news/{}/", at.path, n.slug)),
            );
        }
    }
    urls.sort();
    let mut ctx = Context::new();
    ctx.insert("urls", &urls);
    r.page("sitemap.xml", "sitemap.xml", r.meta("", "", "sitemap.xml", false), ctx)?;
    r.page(
        "robots.txt",
        "robots.txt",
        r.meta("", "", "robots.txt", false),
        Context::new(),
    )
}
