//! The shared pages: home, county and town pages, standards, points,
//! partners, news list and site news, feeds, sitemap and robots.txt.

use serde::Serialize;

use crate::model::figures::Stats;
use std::hash::{Hash, Hasher as _};

use crate::hash::Hasher;
use crate::model::{County, News, Place, Site, Village};
use crate::theme::{Key, Wording};

use super::views::{BodyHtml, Crumb, NewsCard, PlaceCard, news_card, partner_groups, place_kind_label};
use super::{PageCtx, RenderError, Renderer, villages};

/// A county or town as a card in its parent's listing.
fn place_card<C>(r: &Renderer<'_>, place: &Place<C>, path: String) -> PlaceCard {
    PlaceCard {
        name: place.name.clone(),
        kind: place_kind_label(r.words(), place.kind),
        stats: r.totals.at(&path),
        path,
        six_no: None,
        children: Vec::new(),
    }
}

pub(super) fn home(r: &mut Renderer<'_>) -> Result<(), RenderError> {
    let site = r.site;
    let mut counties = Vec::new();
    for c in &site.counties {
        counties.push(PlaceCard {
            children: c
                .children
                .iter()
                .map(|t| Crumb {
                    name: t.name.clone(),
                    path: format!("{}/{}/", c.slug, t.slug),
                })
                .collect(),
            ..place_card(r, c, format!("{}/", c.slug))
        });
    }
    let total = r.totals.at("");
    let latest: Vec<NewsCard> = r.news.iter().take(6).cloned().collect();
    let mut ctx = PageCtx::new();
    let intro = site.home.body.as_ref().map(BodyHtml);
    ctx.put("intro", &intro);
    ctx.put("stats", &total);
    ctx.put("counties", &counties);
    ctx.put("news", &latest);
    let title = site.home.title.clone().unwrap_or_else(|| site.config.title.clone());
    let description = site
        .home
        .summary
        .clone()
        .unwrap_or_else(|| site.config.description.clone());
    let meta = r.meta(&title, &description, "", false);
    r.page_showing("home.html", "", meta, ctx, site.home.body.as_ref())
}

/// Every county page and the town pages under it.
pub(super) fn places(r: &mut Renderer<'_>) -> Result<(), RenderError> {
    for county in &r.site.counties {
        county_pages(r, county)?;
    }
    Ok(())
}

fn county_pages(r: &mut Renderer<'_>, county: &County) -> Result<(), RenderError> {
    let base = format!("{}/", county.slug);
    let towns = county
        .children
        .iter()
        .map(|t| place_card(r, t, format!("{base}{}/", t.slug)))
        .collect();
    let crumbs = vec![Crumb {
        name: county.name.clone(),
        path: base.clone(),
    }];
    place_page(r, county, &base, towns, &crumbs)?;
    for town in &county.children {
        let town_base = format!("{base}{}/", town.slug);
        let key = {
            let mut h = Hasher::default();
            (r.global, &county.slug, &county.name).hash(&mut h);
            h.finish()
        };
        if r.town_unchanged(&town_base, town, key) {
            // Not rendered, but still listed in the sitemap.
            r.indexable.push(format!("{}{town_base}", r.site.config.base_url));
            r.out.push(super::Output::unchanged(&format!("{town_base}index.html")));
            r.copy_assets(&town.assets, &town_base);
            continue;
        }
        let villages = town
            .children
            .iter()
            .map(|v| PlaceCard {
                name: v.name.clone(),
                kind: place_kind_label(r.words(), v.kind),
                path: format!("{town_base}{}/", v.slug),
                stats: Stats::of_village(v, r.site.this_month),
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
fn place_page<C>(
    r: &mut Renderer<'_>,
    place: &Place<C>,
    path: &str,
    children: Vec<PlaceCard>,
    crumbs: &[Crumb],
) -> Result<(), RenderError> {
    let stats = r.totals.at(path);
    let name = &place.name;
    let kind = place_kind_label(r.words(), place.kind);
    let mut ctx = PageCtx::new();
    ctx.put("name", name);
    ctx.put("kind", &kind);
    let intro = place.intro.body.as_ref().map(BodyHtml);
    ctx.put("intro", &intro);
    ctx.put("stats", &stats);
    ctx.put("children", &children);
    ctx.put("crumbs", crumbs);
    let description = place.intro.summary.clone().unwrap_or_else(|| {
        r.words().fill(
            Key::PlaceSummary,
            &[
                ("name", name),
                ("villages", &stats.villages),
                ("six_no", &stats.six_no),
                ("households", &stats.star_households),
            ],
        )
    });
    let meta = r.meta(&format!("{name} · {}", r.site.config.title), &description, path, false);
    r.page_showing("place.html", path, meta, ctx, place.intro.body.as_ref())?;
    r.copy_assets(&place.assets, path);
    Ok(())
}

/// How stars are earned, and the six-no criteria.
pub(super) fn stars(r: &mut Renderer<'_>) -> Result<(), RenderError> {
    let s = &r.site.standards;
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
    let mut ctx = PageCtx::new();
    ctx.put("stars", &stars);
    ctx.put("tiers", &tiers);
    ctx.put("six_no", &six_no);
    let meta = r.meta_of(Key::StarsTitle, Key::StarsSummary, "stars/", false);
    r.page("stars.html", "stars/", meta, ctx)
}

/// How points are earned, what loses them, and what they buy.
pub(super) fn points(r: &mut Renderer<'_>) -> Result<(), RenderError> {
    let s = &r.site.standards;
    let items_that = |deducts: bool| -> Vec<(&str, u32, &str)> {
        s.points_items
            .iter()
            .filter(|x| x.deducts == deducts)
            .map(|x| (x.name.as_str(), x.points, x.description.as_str()))
            .collect()
    };
    let rewards: Vec<(&str, u32, &str)> = s
        .rewards
        .iter()
        .map(|x| (x.name.as_str(), x.cost, x.description.as_str()))
        .collect();
    let (earn, lose) = (items_that(false), items_that(true));
    let mut ctx = PageCtx::new();
    ctx.put("intro", &s.points_intro);
    ctx.put("items", &earn);
    ctx.put("deduct_items", &lose);
    ctx.put("rewards", &rewards);
    let meta = r.meta_of(Key::PointsTitle, Key::PointsSummary, "points/", false);
    r.page("points.html", "points/", meta, ctx)
}

/// The incentive partners, grouped.
pub(super) fn partners(r: &mut Renderer<'_>) -> Result<(), RenderError> {
    let groups = partner_groups(r.site, r.words());
    let w = r.words();
    let served = served_groups(r.site).join(w.text(Key::AreaSeparator));
    let intro = w.fill(Key::PartnersIntro, &[("groups", &served)]);
    let summary = w.fill(Key::PartnersSummary, &[("groups", &served)]);
    let mut ctx = PageCtx::new();
    ctx.put("groups", &groups);
    ctx.put("intro", &intro);
    let meta = r.meta(w.text(Key::PartnersTitle), &summary, "partners/", false);
    r.page("partners.html", "partners/", meta, ctx)
}

/// Names of the groups some partner has an offer for, in standards order:
/// the page says who the offers are for from the offers, not from a
/// sentence that may not fit this site.
fn served_groups(site: &Site) -> Vec<&str> {
    site.standards
        .groups
        .iter()
        .filter(|g| site.partners.iter().any(|p| p.eligible.contains(&g.id)))
        .map(|g| g.name.as_str())
        .collect()
}

/// How many village news posts the home page, news list and feed show.
const LATEST_VILLAGE_NEWS: usize = 30;

/// All site news and the latest village news, newest first. Older village
/// news stays on its village board.
pub(super) fn latest_news(site: &Site, w: &Wording) -> Vec<NewsCard> {
    let mut recent: Vec<Recent<'_>> = Vec::new();
    for county in &site.counties {
        for town in &county.children {
            for village in &town.children {
                recent.extend(village.news.iter().map(|news| Recent {
                    news,
                    slugs: [&county.slug, &town.slug, &village.slug],
                    village,
                }));
            }
        }
    }
    if recent.len() > LATEST_VILLAGE_NEWS {
        // Dates alone first (cheap to compare): only posts as new as the
        // 30th newest date can be among the newest 30.
        let mut dates: Vec<_> = recent.iter().map(|r| r.news.date).collect();
        let (_, cutoff, _) = dates.select_nth_unstable_by(LATEST_VILLAGE_NEWS - 1, |a, b| b.cmp(a));
        let cutoff = *cutoff;
        recent.retain(|r| r.news.date >= cutoff);
        recent.sort_by(newest_first);
        recent.truncate(LATEST_VILLAGE_NEWS);
    }
    let mut cards: Vec<NewsCard> = site.news.iter().map(|n| news_card(w, n, "", "")).collect();
    cards.extend(recent.iter().map(|r| {
        let [c, t, v] = r.slugs;
        news_card(w, r.news, &format!("{c}/{t}/{v}/"), &r.village.name)
    }));
    cards.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path)));
    cards
}

/// A village news post with where it is published.
struct Recent<'a> {
    news: &'a News,
    slugs: [&'a String; 3],
    village: &'a Village,
}

/// Newest first; ties broken by place, then slug, so the choice is stable.
fn newest_first(a: &Recent<'_>, b: &Recent<'_>) -> std::cmp::Ordering {
    b.news
        .date
        .cmp(&a.news.date)
        .then_with(|| (a.slugs, &a.news.slug).cmp(&(b.slugs, &b.news.slug)))
}

pub(super) fn news_pages(r: &mut Renderer<'_>) -> Result<(), RenderError> {
    let site = r.site;
    let all = r.news.clone();
    let mut ctx = PageCtx::new();
    ctx.put("items", &all);
    let meta = r.meta_of(Key::NewsTitle, Key::NewsSummary, "news/", false);
    r.page("news_list.html", "news/", meta, ctx)?;
    for news in &site.news {
        let path = format!("news/{}/", news.slug);
        let card = news_card(r.words(), news, "", "");
        let no_crumbs: [Crumb; 0] = [];
        let mut ctx = PageCtx::new();
        ctx.put("news", &card);
        let html = BodyHtml(&news.body);
        ctx.put("html", &html);
        ctx.put("crumbs", &no_crumbs);
        let meta = r.meta(&news.title, &news.summary, &path, false);
        r.page_showing("news.html", &path, meta, ctx, Some(&news.body))?;
    }
    r.copy_assets(&site.news_assets, "news/");
    Ok(())
}

#[derive(Serialize, Hash)]
struct FeedEntry {
    title: String,
    url: String,
    updated: String,
    summary: String,
}

/// The page for addresses that lead nowhere.
pub(super) fn not_found(r: &mut Renderer<'_>) -> Result<(), RenderError> {
    let meta = r.meta(r.words().text(Key::NotFoundTitle), "", "404.html", true);
    r.page("404.html", "404.html", meta, PageCtx::new())
}

/// The theme's stylesheets, scripts and images, under content-hashed names.
pub(super) fn theme_files(r: &mut Renderer<'_>) -> Result<(), RenderError> {
    for (path, bytes) in &r.theme.statics {
        r.out
            .push(super::Output::new(path.clone(), super::Body::Bytes(bytes.clone())));
    }
    Ok(())
}

/// Atom feed, sitemap (pages search engines may index) and robots.txt.
pub(super) fn feeds(r: &mut Renderer<'_>) -> Result<(), RenderError> {
    let site = r.site;
    let base = &site.config.base_url;
    let entries: Vec<FeedEntry> = r
        .news
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
    let mut ctx = PageCtx::new();
    ctx.put("entries", &entries);
    ctx.put("updated", &updated);
    r.page("atom.xml", "atom.xml", r.meta("", "", "atom.xml", false), ctx)?;

    let mut urls = r.indexable.clone();
    if site.config.privacy.index_names {
        for at in villages(site) {
            let path = at.path();
            urls.push(format!("{base}{path}"));
            urls.extend(at.village.news.iter().map(|n| format!("{base}{path}news/{}/", n.slug)));
        }
    }
    urls.sort();
    let mut ctx = PageCtx::new();
    ctx.put("urls", &urls);
    r.page("sitemap.xml", "sitemap.xml", r.meta("", "", "sitemap.xml", false), ctx)?;
    r.page(
        "robots.txt",
        "robots.txt",
        r.meta("", "", "robots.txt", false),
        PageCtx::new(),
    )
}
