//! Typed views handed to templates: plain data, already masked and counted.
//! Templates never see the model, so they cannot show what privacy removed.

use serde::Serialize;

use crate::model::figures::Stats;
use crate::model::{Markdown, News, PartnerKind, PlaceKind, Site};
use crate::theme::{Key, Wording};

/// A news body for a template: the model keeps Markdown, and the HTML is
/// made only when the page is rendered (a page memo hashes the source).
#[derive(Hash)]
pub struct BodyHtml<'a>(pub &'a Markdown);

impl Serialize for BodyHtml<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.to_html())
    }
}

/// Everything about the page itself: for `<head>`, share metadata and links.
#[derive(Serialize, Hash)]
pub struct PageMeta {
    pub title: String,
    pub description: String,
    /// Site-relative path of the page's folder (`tengxian/` or `` for home).
    pub path: String,
    /// Absolute URL, for canonical and og:url.
    pub url: String,
    /// Pages that name households are kept out of search engines by default.
    pub noindex: bool,
}

#[derive(Serialize, Clone, Hash)]
pub struct Crumb {
    pub name: String,
    pub path: String,
}

/// A child place in a county, town or home listing.
#[derive(Serialize, Hash)]
pub struct PlaceCard {
    pub name: String,
    pub kind: String,
    pub path: String,
    pub stats: Stats,
    /// For villages: whether it is a certified six-no village.
    pub six_no: Option<bool>,
    /// The next level down, for the home page's hierarchy.
    pub children: Vec<Crumb>,
}

#[derive(Serialize, Clone, Hash)]
pub struct NewsCard {
    pub title: String,
    /// `2026-11-17`, for `<time datetime>` and sorting.
    pub date: String,
    /// As the site's language writes a date (`2026年11月17日`).
    pub shown_date: String,
    pub summary: String,
    pub path: String,
    /// The village it comes from, for site-wide lists.
    pub place: String,
}

pub fn news_card(w: &Wording, news: &News, folder: &str, place: &str) -> NewsCard {
    NewsCard {
        title: news.title.clone(),
        date: news.date.to_string(),
        shown_date: w.day(news.date),
        summary: news.summary.clone(),
        path: format!("{folder}news/{}/", news.slug),
        place: place.to_string(),
    }
}

#[derive(Serialize, Hash)]
pub struct PartnerView {
    pub name: String,
    pub kind: String,
    pub offer: String,
    /// Names of the groups the offer is for.
    pub groups: Vec<String>,
    pub area: String,
    pub address: String,
    pub phone: String,
    pub hours: String,
}

#[derive(Serialize, Hash)]
pub struct PartnerGroup {
    pub kind: String,
    pub partners: Vec<PartnerView>,
}

pub fn place_kind_label(w: &Wording, kind: PlaceKind) -> String {
    w.text(match kind {
        PlaceKind::County => Key::County,
        PlaceKind::City => Key::City,
        PlaceKind::District => Key::District,
        PlaceKind::Town => Key::Town,
        PlaceKind::Street => Key::Street,
        PlaceKind::Village => Key::Village,
        PlaceKind::Community => Key::Community,
    })
    .to_string()
}

pub fn partner_kind_label(w: &Wording, kind: PartnerKind) -> String {
    w.text(match kind {
        PartnerKind::Fuel => Key::Fuel,
        PartnerKind::CarWash => Key::CarWash,
        PartnerKind::CreditUnion => Key::CreditUnion,
        PartnerKind::Shop => Key::Shop,
        PartnerKind::Other => Key::OtherPartner,
    })
    .to_string()
}

/// A partner as a view, listing only the groups in `groups`.
pub fn partner_view(site: &Site, w: &Wording, partner: &crate::model::Partner, groups: &[&String]) -> PartnerView {
    let names = groups
        .iter()
        .filter_map(|id| site.standards.groups.iter().find(|g| &&g.id == id))
        .map(|g| g.name.clone())
        .collect();
    PartnerView {
        name: partner.name.clone(),
        kind: partner_kind_label(w, partner.kind),
        offer: partner.offer.clone(),
        groups: names,
        area: if partner.area.is_empty() {
            w.text(Key::WholeArea).to_string()
        } else {
            partner.area.join(w.text(Key::AreaSeparator))
        },
        address: partner.address.clone(),
        phone: partner.phone.clone(),
        hours: partner.hours.clone(),
    }
}

/// The partners directory, grouped by kind in a fixed order.
pub fn partner_groups(site: &Site, w: &Wording) -> Vec<PartnerGroup> {
    PartnerKind::ALL
        .iter()
        .map(|kind| PartnerGroup {
            kind: partner_kind_label(w, *kind),
            partners: site
                .partners
                .iter()
                .filter(|p| p.kind == *kind)
                .map(|p| partner_view(site, w, p, &p.eligible.iter().collect::<Vec<_>>()))
                .collect(),
        })
        .filter(|g| !g.partners.is_empty())
        .collect()
}
