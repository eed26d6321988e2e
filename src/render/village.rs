//! The village board's view: six-no checklist, honour roll by tier, rankings,
//! points supermarket, usable partner offers, news.

use std::sync::Arc;

use serde::Serialize;

use crate::model::figures::{Stats, ranking, tier_of};
use crate::model::{EntryKind, Household, Site, Village};
use crate::theme::{Key, Wording};

use super::views::{BodyHtml, Crumb, NewsCard, PartnerView, news_card, partner_view, place_kind_label};
use super::{PageCtx, RenderError, Renderer, svg};

#[derive(Serialize, Hash)]
pub struct VillageView {
    pub name: String,
    pub kind: String,
    pub description: String,
    pub grids: u32,
    pub office_phone: String,
    pub six_no: Vec<SixNoLine>,
    pub six_no_met: usize,
    /// Certified and meeting every criterion now.
    pub is_six_no: bool,
    pub certified: Option<String>,
    pub period: Option<u16>,
    pub tiers: Vec<TierView>,
    /// Households with stars but not yet enough for the lowest tier.
    pub other_stars: Vec<HouseholdView>,
    pub month: Option<String>,
    pub month_ranking: Vec<RankLine>,
    pub period_ranking: Vec<RankLine>,
    pub monthly_points: Vec<MonthPoints>,
    pub stats: Stats,
    pub rewards: Vec<RewardView>,
    pub partners: Vec<PartnerView>,
    pub news: Vec<NewsCard>,
    pub deductions: Option<Deductions>,
    /// Shown only when site.toml turns balances on: every published
    /// household's points left to spend, in roster order (never sorted by
    /// balance: that would be a bottom list).
    pub balances: Option<Vec<RankLine>>,
    /// The board's own address, printed under its QR code.
    pub url: String,
    /// Inline SVG pictures (see `svg`).
    pub qr: String,
    pub points_chart: String,
    pub tier_chart: String,
}

#[derive(Serialize, Hash)]
pub struct SixNoLine {
    pub name: String,
    pub description: String,
    pub ok: bool,
}

#[derive(Serialize, Hash)]
pub struct TierView {
    pub name: String,
    pub min_stars: usize,
    pub households: Vec<HouseholdView>,
}

#[derive(Serialize, Clone, Hash)]
pub struct HouseholdView {
    /// The row's anchor on the board (`h3`), which search links to.
    pub anchor: String,
    pub name: String,
    pub grid: Option<u32>,
    /// Star names, shared by every household's view (a village's
    /// households hold thousands of stars between them).
    pub stars: Vec<Arc<str>>,
}

#[derive(Serialize, Hash)]
pub struct RankLine {
    pub rank: usize,
    pub name: String,
    pub points: i64,
}

#[derive(Serialize, Hash)]
pub struct MonthPoints {
    pub month: String,
    pub points: i64,
}

#[derive(Serialize, Hash)]
pub struct RewardView {
    pub name: String,
    pub cost: u32,
    pub description: String,
}

/// Shown only when site.toml turns deductions on: the village total, and only
/// the entries that say they may name their household.
#[derive(Serialize, Hash)]
pub struct Deductions {
    pub total: i64,
    pub named: Vec<RankLine>,
}

/// What every page of one village is made from: the village, where it
/// sits, its view (masked names, figures) and the shared page description.
pub(super) struct Board<'a> {
    pub(super) v: &'a Village,
    pub(super) path: String,
    pub(super) view: VillageView,
    /// The view in Tera's form, made once for the board and the poster
    /// (turning it into Tera's values was a tenth of rendering a village).
    value: std::cell::OnceCell<tera::Value>,
    /// The crumbs in Tera's form, for each of the village's pages.
    crumbs: tera::Value,
    description: String,
    noindex: bool,
}

impl<'a> Board<'a> {
    pub(super) fn new(site: &Site, w: &Wording, v: &'a Village, path: String, crumbs: [Crumb; 3]) -> Board<'a> {
        let view = view(site, w, v, &path);
        let summary = if v.is_six_no() {
            Key::BoardSummarySixNo
        } else {
            Key::BoardSummary
        };
        let description = w.fill(summary, &[("name", &v.name), ("n", &view.stats.star_households)]);
        Board {
            v,
            path,
            crumbs: tera::Value::from_serializable(&crumbs),
            view,
            value: std::cell::OnceCell::new(),
            description,
            noindex: !site.config.privacy.index_names,
        }
    }

    /// [`Board::view`] as Tera takes it.
    pub(super) fn view_value(&self) -> tera::Value {
        self.value
            .get_or_init(|| tera::Value::from_serializable(&self.view))
            .clone()
    }
}

/// The village's honour-roll board.
pub(super) fn board(r: &mut Renderer<'_>, b: &Board<'_>) -> Result<(), RenderError> {
    let mut ctx = PageCtx::unhashed();
    ctx.put_value("village", b.view_value());
    ctx.put_value("crumbs", b.crumbs.clone());
    let title = format!("{} · {}", b.v.name, r.site.config.title);
    let meta = r.meta(&title, &b.description, &b.path, b.noindex);
    r.page("village.html", &b.path, meta, ctx)
}

/// The board as an A4 poster for the notice board.
pub(super) fn poster(r: &mut Renderer<'_>, b: &Board<'_>) -> Result<(), RenderError> {
    let poster_path = format!("{}poster/", b.path);
    let mut ctx = PageCtx::unhashed();
    ctx.put_value("village", b.view_value());
    ctx.put_value("crumbs", b.crumbs.clone());
    let title = r.words().fill(Key::PosterTitle, &[("name", &b.v.name)]);
    let meta = r.meta(&title, &b.description, &poster_path, b.noindex);
    r.page("poster.html", &poster_path, meta, ctx)
}

/// A page per village news post.
pub(super) fn news(r: &mut Renderer<'_>, b: &Board<'_>) -> Result<(), RenderError> {
    for news in &b.v.news {
        let news_path = format!("{}news/{}/", b.path, news.slug);
        let card = news_card(r.words(), news, &b.path, &b.v.name);
        let mut ctx = PageCtx::unhashed();
        ctx.put("news", &card);
        let html = BodyHtml(&news.body);
        ctx.put("html", &html);
        ctx.put_value("crumbs", b.crumbs.clone());
        let meta = r.meta(&news.title, &news.summary, &news_path, b.noindex);
        r.page_showing("news.html", &news_path, meta, ctx, Some(&news.body))?;
    }
    Ok(())
}

/// Pictures and PDF files beside the village's content.
pub(super) fn assets(r: &mut Renderer<'_>, b: &Board<'_>) -> Result<(), RenderError> {
    r.copy_assets(&b.v.assets, &b.path);
    Ok(())
}

pub fn view(site: &Site, w: &Wording, v: &Village, folder: &str) -> VillageView {
    let s = &site.standards;
    let url = format!("{}{folder}", site.config.base_url);
    let star_names: Vec<Arc<str>> = s.stars.iter().map(|d| Arc::from(d.name.as_str())).collect();
    let household_view = |i: usize, h: &Household| HouseholdView {
        anchor: format!("h{i}"),
        name: h.shown_name.clone(),
        grid: h.grid,
        stars: h.stars.iter().map(|i| Arc::clone(&star_names[*i])).collect(),
    };
    let mut tiers: Vec<TierView> = s
        .tiers
        .iter()
        .map(|t| TierView {
            name: t.name.clone(),
            min_stars: t.min_stars,
            households: Vec::new(),
        })
        .collect();
    let mut other_stars = Vec::new();
    for (n, h) in v.households.iter().enumerate() {
        match tier_of(h.stars.len(), &s.tiers) {
            Some(i) => tiers[i].households.push(household_view(n, h)),
            None if !h.stars.is_empty() => other_stars.push(household_view(n, h)),
            None => {}
        }
    }
    let n = site.config.privacy.ranking_size;
    let lines = |within: &dyn Fn(crate::date::Date) -> bool| -> Vec<RankLine> {
        ranking(&v.households, &v.ledger, within, n)
            .into_iter()
            .map(|r| RankLine {
                rank: r.rank,
                name: v.households[r.household].shown_name.clone(),
                points: r.points,
            })
            .collect()
    };
    let month = site.this_month;
    let month_ranking = lines(&|d| month.is_some_and(|m| m.contains(d)));
    let period_ranking = lines(&|d| v.period.is_some_and(|p| d.year == p));
    let mut tier_counts: Vec<(String, i64)> = tiers
        .iter()
        .map(|t| (t.name.clone(), t.households.len() as i64))
        .collect();
    if !other_stars.is_empty() {
        tier_counts.push((w.text(Key::OtherStars).to_string(), other_stars.len() as i64));
    }
    VillageView {
        name: v.name.clone(),
        kind: place_kind_label(w, v.kind),
        description: v.description.clone(),
        grids: v.grids,
        office_phone: v.office_phone.clone(),
        six_no: s
            .six_no
            .iter()
            .zip(&v.six_no)
            .map(|(c, ok)| SixNoLine {
                name: c.name.clone(),
                description: c.description.clone(),
                ok: *ok,
            })
            .collect(),
        six_no_met: v.six_no.iter().filter(|ok| **ok).count(),
        is_six_no: v.is_six_no(),
        certified: v.certified.map(|d| w.day(d)),
        period: v.period,
        tiers: tiers.into_iter().filter(|t| !t.households.is_empty()).collect(),
        other_stars,
        month: month.map(|m| w.month(m)),
        month_ranking,
        period_ranking,
        monthly_points: v
            .awarded
            .iter()
            .copied()
            .map(|(m, points)| MonthPoints {
                month: w.month(m),
                points,
            })
            .collect(),
        stats: Stats::of_village(v, month),
        rewards: s
            .rewards
            .iter()
            .map(|r| RewardView {
                name: r.name.clone(),
                cost: r.cost,
                description: r.description.clone(),
            })
            .collect(),
        partners: usable_partners(site, w, v),
        news: v.news.iter().map(|n| news_card(w, n, folder, &v.name)).collect(),
        deductions: site.config.privacy.show_deductions.then(|| deductions(v)),
        balances: (site.config.privacy.show_balances
            && (!v.ledger.is_empty() || v.households.iter().any(|h| h.balance != 0)))
        .then(|| balances(v)),
        qr: svg::qr(&url, &w.fill(Key::QrLabel, &[("name", &v.name)])),
        points_chart: svg::bars(
            &v.awarded.iter().map(|(m, p)| (w.month(*m), *p)).collect::<Vec<_>>(),
            w.text(Key::PointsUnit),
            &w.fill(Key::PointsChart, &[("name", &v.name)]),
        ),
        tier_chart: svg::bars(
            &tier_counts,
            w.text(Key::HouseholdsUnit),
            &w.fill(Key::TierChart, &[("name", &v.name)]),
        ),
        url,
    }
}

/// Partner offers this village's people can use: the partner serves the
/// village's area, and the offer's groups exist here (six-no villagers only
/// in certified villages).
fn usable_partners(site: &Site, w: &Wording, v: &Village) -> Vec<PartnerView> {
    site.partners
        .iter()
        .filter(|p| {
            p.area.is_empty()
                || p.area.iter().any(|a| {
                    v.place_path
                        .strip_prefix(a.as_str())
                        .is_some_and(|r| r.is_empty() || r.starts_with('/'))
                })
        })
        .filter_map(|p| {
            let groups: Vec<&String> = p
                .eligible
                .iter()
                .filter(|g| g.as_str() != "six-no-villager" || v.is_six_no())
                .collect();
            (!groups.is_empty()).then(|| partner_view(site, w, p, &groups))
        })
        .collect()
}

fn balances(v: &Village) -> Vec<RankLine> {
    v.households
        .iter()
        .map(|h| RankLine {
            rank: 0,
            name: h.shown_name.clone(),
            points: h.balance,
        })
        .collect()
}

fn deductions(v: &Village) -> Deductions {
    let entries = v.ledger.iter().filter(|e| e.kind == EntryKind::Deduct);
    Deductions {
        total: entries.clone().map(|e| i64::from(e.points)).sum(),
        named: entries
            .filter(|e| e.show_name)
            .filter_map(|e| {
                let h = v.households.iter().find(|h| h.id == e.household)?;
                Some(RankLine {
                    rank: 0,
                    name: h.shown_name.clone(),
                    points: i64::from(e.points),
                })
            })
            .collect(),
    }
}
