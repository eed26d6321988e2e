//! Serde structs that mirror each content file field for field. Unknown fields
//! are errors; values are not yet checked against each other (see `validate`).

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use super::toml_doc::plain::{Fields, FromPlain, GiveUp, required};

pub type Id = Spanned<String>;

/// Text from a roster or ledger, borrowed from the file when the plain
/// reader read it (households and ledger entries are most of a site's
/// values: copying each was a good part of reading them).
pub type Text<'a> = Spanned<Cow<'a, str>>;

/// A `[[star]]` or `[[six_no]]` entry: an id, a name, a description.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDefinition {
    pub id: Id,
    pub name: Spanned<String>,
    #[serde(default)]
    pub description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTier {
    pub name: String,
    pub min_stars: Spanned<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPointsItem {
    pub id: Id,
    pub name: Spanned<String>,
    pub points: Spanned<i64>,
    /// Absent on sites older than the marker: an award item.
    #[serde(default)]
    pub kind: RawItemKind,
    #[serde(default)]
    pub description: String,
}

/// standards.toml's `[points]`: how this site runs its points scheme, in
/// its own words (who rates, how often), shown on the points page.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPointsPage {
    pub intro: Option<String>,
}

#[derive(Deserialize, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum RawItemKind {
    #[default]
    Award,
    Deduct,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReward {
    pub id: Id,
    pub name: Spanned<String>,
    pub cost: Spanned<i64>,
    #[serde(default)]
    pub description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    pub id: Id,
    pub name: String,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
pub enum RawPartnerKind {
    Fuel,
    CarWash,
    CreditUnion,
    Shop,
    Other,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPartner {
    pub id: Id,
    pub name: String,
    pub kind: RawPartnerKind,
    pub offer: String,
    pub eligible: Vec<Id>,
    #[serde(default)]
    pub area: Vec<Spanned<String>>,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub hours: String,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
pub enum RawCountyKind {
    County,
    City,
    District,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
pub enum RawTownKind {
    Town,
    Street,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
pub enum RawVillageKind {
    Village,
    Community,
}

/// Front matter of a county's or town's `_index.md`; `K` is the level's kinds.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlaceFront<K> {
    pub title: Option<String>,
    pub kind: Option<K>,
    pub slug: Option<Spanned<String>>,
    pub summary: Option<String>,
    /// Listing order among siblings: lower first; ties in pinyin order.
    #[serde(default)]
    pub weight: i64,
}

impl<K> Default for RawPlaceFront<K> {
    fn default() -> Self {
        RawPlaceFront {
            title: None,
            kind: None,
            slug: None,
            summary: None,
            weight: 0,
        }
    }
}

/// Front matter of the home page's `_index.md`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawHomeFront {
    pub title: Option<String>,
    pub summary: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVillage {
    pub name: String,
    #[serde(default = "default_village_kind")]
    pub kind: RawVillageKind,
    pub slug: Option<Spanned<String>>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub grids: u32,
    #[serde(default)]
    pub office_phone: String,
    /// One boolean per six-no criterion, plus `certified = <date>` once the
    /// village is certified. Values are checked in `validate`.
    pub six_no: Option<Spanned<BTreeMap<String, Spanned<toml::Value>>>>,
}

fn default_village_kind() -> RawVillageKind {
    RawVillageKind::Village
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHousehold<'a> {
    pub id: Text<'a>,
    pub head: Text<'a>,
    pub grid: Option<u32>,
    #[serde(default)]
    pub stars: Vec<Text<'a>>,
    #[serde(default)]
    pub consent: bool,
    #[serde(default = "yes")]
    pub publish: bool,
    #[serde(default)]
    pub mask: bool,
}

fn yes() -> bool {
    true
}

impl<'a> FromPlain<'a> for RawHousehold<'a> {
    fn from_plain(f: &mut Fields<'_, 'a>) -> Result<Self, GiveUp> {
        let grid = f
            .int("grid")?
            .map(|g| u32::try_from(g.into_inner()).map_err(|_| GiveUp));
        Ok(RawHousehold {
            id: required(f.text("id")?)?,
            head: required(f.text("head")?)?,
            grid: grid.transpose()?,
            stars: f.texts("stars")?.unwrap_or_default(),
            consent: f.boolean("consent")?.unwrap_or(false),
            publish: f.boolean("publish")?.unwrap_or(true),
            mask: f.boolean("mask")?.unwrap_or(false),
        })
    }
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum RawEntryKind {
    Award,
    Deduct,
    Redeem,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntry<'a> {
    pub household: Text<'a>,
    pub date: Spanned<Datetime>,
    pub kind: RawEntryKind,
    pub item: Text<'a>,
    pub points: Option<Spanned<i64>>,
    #[serde(default)]
    pub note: Cow<'a, str>,
    #[serde(default)]
    pub show_name: bool,
}

impl<'a> FromPlain<'a> for RawEntry<'a> {
    fn from_plain(f: &mut Fields<'_, 'a>) -> Result<Self, GiveUp> {
        let kind = match &**required(f.text("kind")?)?.get_ref() {
            "award" => RawEntryKind::Award,
            "deduct" => RawEntryKind::Deduct,
            "redeem" => RawEntryKind::Redeem,
            _ => return Err(GiveUp),
        };
        Ok(RawEntry {
            household: required(f.text("household")?)?,
            date: required(f.date("date")?)?,
            kind,
            item: required(f.text("item")?)?,
            points: f.int("points")?,
            note: f.text("note")?.map(Spanned::into_inner).unwrap_or_default(),
            show_name: f.boolean("show_name")?.unwrap_or(false),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNewsFront {
    pub title: String,
    pub date: Spanned<Datetime>,
    pub summary: Option<String>,
    #[serde(default)]
    pub draft: bool,
    pub slug: Option<Spanned<String>>,
}
