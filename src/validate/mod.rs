//! Raw files → the validated [`Site`]: every reference checked, every problem
//! collected, so a build reports all of them at once.

mod ids;
mod markdown_file;
mod partners;
mod places;
mod roster;
pub mod standards;
mod village;

use std::collections::HashMap;
use std::hash::{Hash, Hasher as _};
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::date::Month;
use crate::error::{Problem, Problems, t};
use crate::hash::{FastMap, Hasher};
use crate::model::{Intro, News, PlaceKind, Site, Standards, Town, Village};
use crate::source::Sources;
use crate::source::raw::RawHomeFront;

pub use standards::BUILT_IN_GROUPS;

/// What every validation step can see and where it reports.
pub(crate) struct Ctx<'a> {
    pub config: &'a SiteConfig,
    pub standards: &'a Standards,
    pub problems: Problems,
    pub memo: &'a mut Memo,
}

/// Results of earlier validations, reused while their inputs are unchanged:
/// a village is validated again only when one of its files changed, a news
/// post only when its own file did. Everything is forgotten when site.toml or
/// standards.toml change, since every village depends on them.
#[derive(Default)]
pub struct Memo {
    global: u64,
    /// By place path (`藤县/金鸡镇/同荣村`).
    pub(crate) villages: FastMap<String, Memoized<Option<Arc<Village>>>>,
    /// By county/town folder path (`藤县/金鸡镇`).
    pub(crate) towns: FastMap<String, Memoized<Arc<Town>>>,
    pub(crate) news: HashMap<PathBuf, Memoized<Option<(News, bool)>>>,
    pub(crate) intros: HashMap<PathBuf, Memoized<(Intro, PlaceKind, Option<String>)>>,
}

impl Memo {
    /// Take in what another memo (a parallel task's) learned.
    pub(crate) fn merge(&mut self, other: Memo) {
        self.villages.extend(other.villages);
        self.towns.extend(other.towns);
        self.news.extend(other.news);
        self.intros.extend(other.intros);
    }
}

/// One memoised result with the key of the inputs it was made from and the
/// problems found on the way.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Memoized<T> {
    pub key: u64,
    pub value: T,
    pub problems: Vec<Problem>,
}

/// The memo as the build cache keeps it: each village once, inside its
/// town; the village table holds only where to find it. Towns are written
/// apart (`towns`), each on its own, so they can be read on all cores.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct CachedMemo {
    global: u64,
    /// Place path, key, problems, and whether it validated.
    villages: Vec<(String, u64, Vec<Problem>, bool)>,
    #[serde(skip)]
    pub towns: Vec<(String, Memoized<Arc<Town>>)>,
    news: HashMap<PathBuf, Memoized<Option<(News, bool)>>>,
    intros: HashMap<PathBuf, Memoized<(Intro, PlaceKind, Option<String>)>>,
}

impl Memo {
    /// The memo as the cache keeps it; of the news posts, only those
    /// `keep_news` says (a village's posts are validated with the village,
    /// which the cache holds whole).
    pub fn into_cached(self, keep_news: impl Fn(&std::path::Path) -> bool) -> CachedMemo {
        CachedMemo {
            global: self.global,
            villages: self
                .villages
                .into_iter()
                .map(|(path, m)| (path, m.key, m.problems, m.value.is_some()))
                .collect(),
            towns: self.towns.into_iter().collect(),
            news: self.news.into_iter().filter(|(path, _)| keep_news(path)).collect(),
            intros: self.intros,
        }
    }

    /// The memo again, each village the very value its town holds (pages
    /// remembered for a village are recognised by that identity). A village
    /// that validated but is in no town is forgotten: validated again if
    /// it comes back.
    pub fn from_cached(c: CachedMemo) -> Memo {
        let in_towns: FastMap<&str, &Arc<Village>> = c
            .towns
            .iter()
            .flat_map(|(_, t)| &t.value.children)
            .map(|v| (v.place_path.as_str(), v))
            .collect();
        let villages = c
            .villages
            .into_iter()
            .filter_map(|(path, key, problems, validated)| {
                let value = match validated {
                    true => Some(Arc::clone(in_towns.get(path.as_str())?)),
                    false => None,
                };
                Some((path, Memoized { key, value, problems }))
            })
            .collect();
        Memo {
            global: c.global,
            villages,
            towns: c.towns.into_iter().collect(),
            news: c.news,
            intros: c.intros,
        }
    }

    /// The validated village at `place_path`, as the memo holds it.
    pub fn village(&self, place_path: &str) -> Option<&Arc<Village>> {
        self.villages.get(place_path)?.value.as_ref()
    }
}

impl<'a> Ctx<'a> {
    /// Run `make` with a problem list of its own, or reuse what it gave for
    /// the same `key` last time; either way its problems are reported.
    pub fn memoized<P, T: Clone, S: std::hash::BuildHasher>(
        &mut self,
        table: impl Fn(&mut Memo) -> &mut HashMap<P, Memoized<T>, S>,
        path: &P,
        key: u64,
        make: impl FnOnce(&mut Ctx<'a>) -> T,
    ) -> T
    where
        P: std::hash::Hash + Eq + Clone,
    {
        if let Some(m) = table(self.memo).get(path)
            && m.key == key
        {
            let (value, problems) = (m.value.clone(), m.problems.clone());
            self.problems.extend(problems);
            return value;
        }
        let outer = std::mem::take(&mut self.problems);
        let value = make(self);
        let problems = std::mem::replace(&mut self.problems, outer).0;
        self.problems.extend(problems.iter().cloned());
        table(self.memo).insert(
            path.clone(),
            Memoized {
                key,
                value: value.clone(),
                problems,
            },
        );
        value
    }
}

/// Validate everything, reusing `memo` where inputs are unchanged. Returns
/// the site when there are no errors; warnings come back either way.
/// With `keep_text` false, each file lets go of its text once validated
/// (it is read again if asked); `check` keeps it for its lint.
pub fn site(sources: &mut Sources, config: SiteConfig, memo: &mut Memo, keep_text: bool) -> (Option<Site>, Problems) {
    let mut problems = Problems::default();
    let standards = standards::parse(sources.standards.as_deref(), &mut problems);
    let raw_partners = partners::partners(sources.partners.as_deref(), &standards, &mut problems);

    let mut global = Hasher::default();
    format!("{config:?}").hash(&mut global);
    sources.standards.as_ref().map(|f| f.hash).hash(&mut global);
    if memo.global != global.finish() {
        *memo = Memo {
            global: global.finish(),
            ..Memo::default()
        };
    }
    let mut ctx = Ctx {
        config: &config,
        standards: &standards,
        problems,
        memo,
    };
    let home = home_intro(&mut ctx, sources);
    let news = markdown_file::news_list(&mut ctx, &sources.news);
    let counties = places::counties(&mut ctx, &mut sources.counties, keep_text);
    let partners = partners::check_partner_areas(&mut ctx, raw_partners, &counties);

    let problems = ctx.problems;
    if problems.has_errors() {
        return (None, problems.sorted());
    }
    let this_month = config.as_of.map(|d| d.month()).or_else(|| latest_month(&counties));
    let site = Site {
        config,
        standards,
        partners,
        home,
        news,
        news_assets: sources.news_assets.clone(),
        counties,
        this_month,
    };
    (Some(site), problems.sorted())
}

fn home_intro(ctx: &mut Ctx<'_>, sources: &Sources) -> Intro {
    let Some(file) = &sources.home else {
        return Intro::default();
    };
    match markdown_file::parse(ctx, file, Some(RawHomeFront::default())) {
        Some(p) => Intro {
            title: p.front.title,
            weight: 0,
            summary: p.front.summary,
            body: Some(p.body),
        },
        None => Intro::default(),
    }
}

fn latest_month(counties: &[crate::model::County]) -> Option<Month> {
    counties
        .iter()
        .flat_map(|c| &c.children)
        .flat_map(|t| &t.children)
        // Each ledger is sorted by date: its last entry is its latest.
        .filter_map(|v| v.ledger.last())
        .map(|e| e.date.month())
        .max()
}

pub(crate) fn missing_site_toml() -> Problem {
    Problem::error(
        &PathBuf::from("content/site.toml"),
        None,
        t("content/site.toml is missing", "缺少 content/site.toml"),
        t(
            "create it with at least title = \"…\" and base_url = \"https://…/\", or run `starboard init`",
            "新建这个文件，至少写上 title = \"…\" 和 base_url = \"https://…/\"，或者运行 `starboard init`",
        ),
    )
}
