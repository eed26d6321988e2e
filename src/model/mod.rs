//! The validated site: types that hold only checked values. Every id here is
//! known to exist, every date is real, unpublished households are gone.
//! Derived figures (balances, rankings, roll-ups) live in [`figures`].

pub mod figures;

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::date::{Date, Month};
use crate::source::{Asset, SourceFile};

#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    pub standards: Standards,
    pub partners: Vec<Partner>,
    pub home: Intro,
    pub news: Vec<News>,
    pub news_assets: Vec<Asset>,
    pub counties: Vec<County>,
    /// The month "this month" figures are counted for.
    pub this_month: Option<Month>,
}

/// Title and Markdown introduction of the home, a county or a town.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Intro {
    pub title: Option<String>,
    /// Listing order among siblings (counties, towns): lower first.
    pub weight: i64,
    pub summary: Option<String>,
    /// The text of `_index.md`, if there is one.
    pub body: Option<Markdown>,
}

#[derive(Debug, Default, Hash)]
pub struct Standards {
    pub stars: Vec<Star>,
    /// Highest `min_stars` first.
    pub tiers: Vec<Tier>,
    pub points_items: Vec<PointsItem>,
    pub six_no: Vec<SixNo>,
    pub rewards: Vec<Reward>,
    /// Built-in groups first, then the site's own.
    pub groups: Vec<Group>,
    /// `[points] intro`: the site's own words on how its points are run.
    pub points_intro: Option<String>,
}

#[derive(Debug, Clone, Hash)]
pub struct Star {
    pub id: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, Hash)]
pub struct Tier {
    pub name: String,
    pub min_stars: usize,
}

#[derive(Debug, Clone, Hash)]
pub struct PointsItem {
    pub id: String,
    pub name: String,
    pub points: u32,
    /// A deduction item (乱倒垃圾): never listed as a way to earn.
    pub deducts: bool,
    pub description: String,
}

#[derive(Debug, Clone, Hash)]
pub struct SixNo {
    pub id: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, Hash)]
pub struct Reward {
    pub id: String,
    pub name: String,
    pub cost: u32,
    pub description: String,
}

#[derive(Debug, Clone, Hash)]
pub struct Group {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PartnerKind {
    Fuel,
    CarWash,
    CreditUnion,
    Shop,
    Other,
}

impl PartnerKind {
    pub const ALL: [PartnerKind; 5] = [
        PartnerKind::Fuel,
        PartnerKind::CarWash,
        PartnerKind::CreditUnion,
        PartnerKind::Shop,
        PartnerKind::Other,
    ];

    pub fn id(self) -> &'static str {
        match self {
            PartnerKind::Fuel => "fuel",
            PartnerKind::CarWash => "car-wash",
            PartnerKind::CreditUnion => "credit-union",
            PartnerKind::Shop => "shop",
            PartnerKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Hash)]
pub struct Partner {
    pub id: String,
    pub name: String,
    pub kind: PartnerKind,
    pub offer: String,
    pub eligible: Vec<String>,
    /// Place paths it serves (`藤县`, `藤县/金鸡镇`); empty means everywhere.
    pub area: Vec<String>,
    pub address: String,
    pub phone: String,
    pub hours: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PlaceKind {
    County,
    City,
    District,
    Town,
    Street,
    Village,
    Community,
}

/// A county (holding towns) or a town (holding villages).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Place<C> {
    pub name: String,
    pub folder: String,
    pub slug: String,
    pub kind: PlaceKind,
    pub intro: Intro,
    pub assets: Vec<Asset>,
    pub children: Vec<C>,
}

pub type Town = Place<Arc<Village>>;
pub type County = Place<Arc<Town>>;

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Village {
    pub name: String,
    pub slug: String,
    /// `藤县/金鸡镇/同荣村`: folder names, for partner areas and messages.
    pub place_path: String,
    pub kind: PlaceKind,
    pub description: String,
    pub grids: u32,
    pub office_phone: String,
    /// One entry per site six-no criterion, in standards order.
    pub six_no: Vec<bool>,
    pub certified: Option<Date>,
    /// The rating period (a year, e.g. "2022"), if households.toml gives one.
    pub period: Option<u16>,
    /// Published households only.
    pub households: Vec<Household>,
    /// Entries of published households, current and previous period only.
    pub ledger: Vec<Entry>,
    /// Households that reach a star tier (counted once, at validation).
    pub star_households: usize,
    /// Points awarded per month, oldest first.
    pub awarded: Vec<(Month, i64)>,
    pub news: Vec<News>,
    pub assets: Vec<Asset>,
    pub source_dir: PathBuf,
}

impl Village {
    /// Certified, and still meeting every criterion.
    pub fn is_six_no(&self) -> bool {
        self.certified.is_some() && self.six_no.iter().all(|ok| *ok)
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Household {
    pub id: String,
    /// The name pages may show: masked unless consent and site switch allow.
    pub shown_name: String,
    pub grid: Option<u32>,
    /// Star indices into `Standards::stars`, in standards order.
    pub stars: Vec<usize>,
    /// Points left to spend: awarded − deducted − redeemed over the whole
    /// ledger file (older periods included: the passbook carries over).
    pub balance: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum EntryKind {
    Award,
    Deduct,
    Redeem,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub household: String,
    pub date: Date,
    pub kind: EntryKind,
    pub item: String,
    pub points: u32,
    /// A deduction that names its household on the public page.
    pub show_name: bool,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct News {
    pub title: String,
    pub date: Date,
    pub summary: String,
    pub slug: String,
    pub body: Markdown,
}

/// A Markdown body kept as the file it is in and turned into HTML only when
/// its page is rendered: a site's news would otherwise sit in memory twice,
/// once as source and once as HTML.
#[derive(Debug, Clone)]
pub struct Markdown {
    file: Arc<SourceFile>,
    start: usize,
    allow_html: bool,
    /// Put before relative links: the page sits this far from the file.
    prefix: &'static str,
}

impl Markdown {
    /// The body that starts at byte `start` of `file`. It keeps the file
    /// as a ghost: the text is read again when the page is rendered, so a
    /// site's news is not held in memory from validation to rendering.
    pub fn new(file: &SourceFile, start: usize, allow_html: bool, prefix: &'static str) -> Markdown {
        Markdown {
            file: Arc::new(file.ghost_of()),
            start,
            allow_html,
            prefix,
        }
    }

    pub fn to_html(&self) -> String {
        self.file
            .with_text(|text| crate::markdown::to_html_at(body_of(text, self.start), self.allow_html, self.prefix))
    }

    /// Its links to other pages of the site, as written, with where each
    /// is in the file, and the address the page links to (prefixed).
    pub fn relative_links(&self) -> Vec<MarkdownLink> {
        self.file
            .with_text(|text| crate::markdown::relative_links(body_of(text, self.start)))
            .into_iter()
            .map(|(offset, written)| MarkdownLink {
                offset: self.start + offset,
                published: format!("{}{written}", self.prefix),
                written,
            })
            .collect()
    }

    pub fn file(&self) -> &SourceFile {
        &self.file
    }
}

/// The body from `start` on (nothing if the file was cut short since).
fn body_of(text: &str, start: usize) -> &str {
    text.get(start..).unwrap_or_default()
}

/// Cached as its file (a ghost) and where the body starts in it.
#[derive(serde::Serialize, serde::Deserialize)]
struct CachedMarkdown {
    file: Arc<SourceFile>,
    start: usize,
    allow_html: bool,
    /// `""` or `"../"`: the only prefixes pages use.
    up: bool,
}

impl serde::Serialize for Markdown {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        CachedMarkdown {
            file: Arc::clone(&self.file),
            start: self.start,
            allow_html: self.allow_html,
            up: !self.prefix.is_empty(),
        }
        .serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Markdown {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Markdown, D::Error> {
        let c = CachedMarkdown::deserialize(d)?;
        let prefix = if c.up { "../" } else { "" };
        Ok(Markdown {
            file: c.file,
            start: c.start,
            allow_html: c.allow_html,
            prefix,
        })
    }
}

/// A link in a Markdown body (see [`Markdown::relative_links`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownLink {
    pub offset: usize,
    pub written: String,
    pub published: String,
}

/// Two bodies are the same when they are made from the same text.
impl PartialEq for Markdown {
    fn eq(&self, other: &Markdown) -> bool {
        (
            &self.file.path,
            self.file.hash,
            self.start,
            self.allow_html,
            self.prefix,
        ) == (
            &other.file.path,
            other.file.hash,
            other.start,
            other.allow_html,
            other.prefix,
        )
    }
}

impl Eq for Markdown {}

/// A page memo hashes what the HTML is made from, not the HTML.
impl std::hash::Hash for Markdown {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.file.hash, self.start, self.allow_html, self.prefix).hash(state);
    }
}
