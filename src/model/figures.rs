//! Figures staff would otherwise count by hand: points balances, top-N
//! rankings, star tiers and the six-no / star-household roll-ups.

use std::collections::BTreeMap;
use std::ops::Add;

use crate::date::{Date, Month};
use crate::model::{Entry, EntryKind, Household, Tier, Village};

/// Each household's points balance: awarded − deducted − redeemed, and the
/// redemptions that would have taken a balance below zero.
#[derive(Debug, Default)]
pub struct Passbook<'a> {
    pub balances: BTreeMap<&'a str, i64>,
    pub overdrafts: Vec<Overdraft>,
}

/// A redemption the household could not afford: `entry` indexes the ledger
/// as given, `had` is the balance just before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overdraft {
    pub entry: usize,
    pub had: i64,
}

/// Walks the ledger in date order. On one day, points earned or deducted
/// come before points spent (a villager may spend what the day's work
/// earned, whatever order the lines were typed in). A refused redemption is
/// left out of the balance, so one mistake does not make every later
/// redemption look unaffordable too.
pub fn passbook(ledger: &[Entry]) -> Passbook<'_> {
    let mut order: Vec<usize> = (0..ledger.len()).collect();
    order.sort_by_key(|&i| (ledger[i].date, ledger[i].kind == EntryKind::Redeem));
    let mut book = Passbook::default();
    for i in order {
        let e = &ledger[i];
        let balance = book.balances.entry(e.household.as_str()).or_insert(0);
        let points = i64::from(e.points);
        match e.kind {
            EntryKind::Award => *balance += points,
            EntryKind::Deduct => *balance -= points,
            EntryKind::Redeem if points > *balance => book.overdrafts.push(Overdraft {
                entry: i,
                had: *balance,
            }),
            EntryKind::Redeem => *balance -= points,
        }
    }
    book.overdrafts.sort_by_key(|o| o.entry);
    book
}

/// One line of a ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    pub rank: usize,
    pub household: usize,
    pub points: i64,
}

/// The top `n` households by points earned (awarded − deducted; redeeming does
/// not lower a rank) over the entries `within` accepts. Households with no
/// positive score are left out: a ranking never shows a bottom list. Equal
/// scores share a rank.
pub fn ranking(households: &[Household], ledger: &[Entry], within: impl Fn(Date) -> bool, n: usize) -> Vec<Ranked> {
    let mut earned: crate::hash::FastMap<&str, i64> = crate::hash::FastMap::default();
    for e in ledger.iter().filter(|e| within(e.date)) {
        let delta = match e.kind {
            EntryKind::Award => i64::from(e.points),
            EntryKind::Deduct => -i64::from(e.points),
            EntryKind::Redeem => 0,
        };
        *earned.entry(e.household.as_str()).or_insert(0) += delta;
    }
    let mut scored: Vec<(usize, i64)> = households
        .iter()
        .enumerate()
        .filter_map(|(i, h)| earned.get(h.id.as_str()).map(|p| (i, *p)))
        .filter(|(_, p)| *p > 0)
        .collect();
    scored.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| households[a.0].id.cmp(&households[b.0].id)));
    let mut out: Vec<Ranked> = Vec::new();
    for (position, (household, points)) in scored.into_iter().take(n).enumerate() {
        let rank = match out.last() {
            Some(prev) if prev.points == points => prev.rank,
            _ => position + 1,
        };
        out.push(Ranked {
            rank,
            household,
            points,
        });
    }
    out
}

/// The index of the highest tier whose `min_stars` the count reaches.
/// `tiers` is sorted highest first.
pub fn tier_of(star_count: usize, tiers: &[Tier]) -> Option<usize> {
    tiers.iter().position(|t| star_count >= t.min_stars)
}

/// Totals shown on home, county and town pages (serialised as they are).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Stats {
    pub villages: usize,
    pub six_no: usize,
    pub star_households: usize,
    pub households: usize,
    pub points_month: i64,
}

impl Stats {
    /// From the figures counted once per village at validation.
    pub fn of_village(v: &Village, month: Option<Month>) -> Stats {
        let points_month = month
            .and_then(|m| v.awarded.iter().find(|(am, _)| *am == m))
            .map_or(0, |(_, p)| *p);
        Stats {
            villages: 1,
            six_no: usize::from(v.is_six_no()),
            star_households: v.star_households,
            households: v.households.len(),
            points_month,
        }
    }
}

impl Add for Stats {
    type Output = Stats;
    fn add(self, o: Stats) -> Stats {
        Stats {
            villages: self.villages + o.villages,
            six_no: self.six_no + o.six_no,
            star_households: self.star_households + o.star_households,
            households: self.households + o.households,
            points_month: self.points_month + o.points_month,
        }
    }
}

impl std::iter::Sum for Stats {
    fn sum<I: Iterator<Item = Stats>>(iter: I) -> Stats {
        iter.fold(Stats::default(), Add::add)
    }
}

/// Totals of every county and town, summed once from the villages' own
/// figures, by the place's path under the site (`tengxian/`,
/// `tengxian/jinjizhen/`); the empty path is the whole site.
#[derive(Debug, Default)]
pub struct Totals(std::collections::HashMap<String, Stats>);

impl Totals {
    pub fn of(site: &super::Site) -> Totals {
        let mut totals = std::collections::HashMap::new();
        let mut all = Stats::default();
        for county in &site.counties {
            let mut in_county = Stats::default();
            for town in &county.children {
                let in_town: Stats = town
                    .children
                    .iter()
                    .map(|v| Stats::of_village(v, site.this_month))
                    .sum();
                totals.insert(format!("{}/{}/", county.slug, town.slug), in_town);
                in_county = in_county + in_town;
            }
            totals.insert(format!("{}/", county.slug), in_county);
            all = all + in_county;
        }
        totals.insert(String::new(), all);
        Totals(totals)
    }

    /// The totals of the county or town at `path` (none for a path that is
    /// not one).
    pub fn at(&self, path: &str) -> Stats {
        self.0.get(path).copied().unwrap_or_default()
    }
}

/// Households that reach a tier.
pub fn star_households(households: &[Household], tiers: &[Tier]) -> usize {
    households
        .iter()
        .filter(|h| tier_of(h.stars.len(), tiers).is_some())
        .count()
}

/// Points awarded per month, oldest first, for the village chart.
pub fn awarded_by_month(ledger: &[Entry]) -> Vec<(Month, i64)> {
    let mut by: BTreeMap<Month, i64> = BTreeMap::new();
    for e in ledger.iter().filter(|e| e.kind == EntryKind::Award) {
        *by.entry(e.date.month()).or_insert(0) += i64::from(e.points);
    }
    by.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(h: &str, day: u8, kind: EntryKind, points: u32) -> Entry {
        Entry {
            household: h.into(),
            date: Date::new(2022, 11, i64::from(day)).unwrap(),
            kind,
            item: "x".into(),
            points,
            show_name: false,
        }
    }

    fn household(id: &str) -> Household {
        Household {
            id: id.into(),
            shown_name: id.into(),
            grid: None,
            stars: vec![],
            balance: 0,
        }
    }

    #[test]
    fn balance_is_award_minus_deduct_minus_redeem() {
        let ledger = vec![
            entry("a", 1, EntryKind::Award, 10),
            entry("a", 2, EntryKind::Deduct, 3),
            entry("a", 3, EntryKind::Redeem, 4),
            entry("b", 3, EntryKind::Award, 5),
        ];
        let book = passbook(&ledger);
        assert_eq!(book.balances["a"], 3);
        assert_eq!(book.balances["b"], 5);
        assert!(book.overdrafts.is_empty());
    }

    #[test]
    fn a_redemption_beyond_the_balance_is_an_overdraft_and_not_counted() {
        let ledger = vec![
            entry("a", 1, EntryKind::Award, 10),
            entry("a", 2, EntryKind::Redeem, 50),
            entry("a", 3, EntryKind::Redeem, 8),
        ];
        let book = passbook(&ledger);
        assert_eq!(book.overdrafts, vec![Overdraft { entry: 1, had: 10 }]);
        assert_eq!(book.balances["a"], 2, "the refused 50 is left out, the 8 is spent");
    }

    #[test]
    fn ledger_order_is_by_date_and_a_day_earns_before_it_spends() {
        // Typed out of order: the redemption first, the award later in the
        // file but on the same day; an earlier-dated deduction last.
        let ledger = vec![
            entry("a", 5, EntryKind::Redeem, 10),
            entry("a", 5, EntryKind::Award, 10),
            entry("a", 1, EntryKind::Award, 4),
            entry("a", 2, EntryKind::Deduct, 4),
        ];
        let book = passbook(&ledger);
        assert!(book.overdrafts.is_empty());
        assert_eq!(book.balances["a"], 0);
        let late = vec![entry("a", 1, EntryKind::Redeem, 1), entry("a", 2, EntryKind::Award, 5)];
        assert_eq!(passbook(&late).overdrafts, vec![Overdraft { entry: 0, had: 0 }]);
    }

    #[test]
    fn ranking_is_top_n_without_bottom_and_shares_ties() {
        let hs: Vec<Household> = ["a", "b", "c", "d"].iter().map(|s| household(s)).collect();
        let ledger = vec![
            entry("a", 1, EntryKind::Award, 5),
            entry("b", 1, EntryKind::Award, 9),
            entry("c", 1, EntryKind::Award, 5),
            entry("c", 2, EntryKind::Redeem, 5),
            entry("d", 1, EntryKind::Award, 2),
            entry("d", 2, EntryKind::Deduct, 2),
        ];
        let r = ranking(&hs, &ledger, |_| true, 10);
        let got: Vec<(usize, &str, i64)> = r
            .iter()
            .map(|x| (x.rank, hs[x.household].id.as_str(), x.points))
            .collect();
        assert_eq!(got, vec![(1, "b", 9), (2, "a", 5), (2, "c", 5)]);
        assert_eq!(ranking(&hs, &ledger, |_| true, 1).len(), 1);
        assert!(ranking(&hs, &ledger, |d| d.day > 5, 10).is_empty());
    }

    #[test]
    fn tiers_pick_the_highest_reached() {
        let tiers = vec![
            Tier {
                name: "十星".into(),
                min_stars: 10,
            },
            Tier {
                name: "五星".into(),
                min_stars: 5,
            },
        ];
        assert_eq!(tier_of(12, &tiers), Some(0));
        assert_eq!(tier_of(7, &tiers), Some(1));
        assert_eq!(tier_of(4, &tiers), None);
    }
}

#[cfg(test)]
mod totals {
    use std::collections::HashSet;

    use super::*;

    /// A site read and validated from files: two towns in one county, one
    /// village with households in each town.
    fn site() -> super::super::Site {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write(
            "content/site.toml",
            "title = \"t\"\nbase_url = \"https://example.org/\"\n",
        );
        write(
            "content/standards.toml",
            include_str!("../../tests/fixtures/minimal/content/standards.toml"),
        );
        let village = |town: &str, name: &str, certified: bool, heads: &[(&str, &str)]| {
            let base = format!("content/villages/县/{town}/{name}");
            let six_no = if certified {
                "certified = 2022-01-01\nno_gangs = true\nno_drugs = true\n"
            } else {
                "no_gangs = true\nno_drugs = false\n"
            };
            write(
                &format!("{base}/village.toml"),
                &format!("name = \"{name}\"\n[six_no]\n{six_no}"),
            );
            let mut roster = String::from("period = \"2022\"\n");
            for (id, stars) in heads {
                roster.push_str(&format!(
                    "[[household]]\nid = \"{id}\"\nhead = \"陈明华\"\nstars = [{stars}]\n"
                ));
            }
            write(&format!("{base}/households.toml"), &roster);
        };
        village(
            "甲镇",
            "一村",
            true,
            &[("a", "\"law\", \"hygiene\", \"mutual-aid\""), ("b", "")],
        );
        village("甲镇", "二村", false, &[("c", "\"law\"")]);
        village("乙镇", "三村", true, &[("d", "\"law\", \"hygiene\", \"mutual-aid\"")]);
        let changed = HashSet::new();
        let mut sources = crate::source::Loader::new(dir.path(), &changed).load(None).unwrap();
        let file = sources.site.as_ref().unwrap();
        let config = crate::config::parse(crate::source::toml_doc::Doc::of(file), None).unwrap();
        let (site, problems) = crate::validate::site(&mut sources, config, &mut Default::default(), false);
        assert!(!problems.has_errors(), "{}", problems.render(crate::error::Lang::En));
        site.unwrap()
    }

    #[test]
    fn towns_sum_their_villages_and_counties_their_towns() {
        let site = site();
        let totals = Totals::of(&site);
        let county = &site.counties[0];
        let path = |town: usize| format!("{}/{}/", county.slug, county.children[town].slug);
        let villages = |town: usize| -> Stats {
            county.children[town]
                .children
                .iter()
                .map(|v| Stats::of_village(v, site.this_month))
                .sum()
        };
        let (first, second) = (totals.at(&path(0)), totals.at(&path(1)));
        assert_eq!(first, villages(0));
        assert_eq!(second, villages(1));
        assert_eq!(first.villages + second.villages, 3);
        assert_eq!(first.households + second.households, 4);
        assert_eq!((first.six_no, second.six_no), (1, 1), "一村 and 三村 are certified");
        assert_eq!(totals.at(&format!("{}/", county.slug)), first + second);
        assert_eq!(totals.at(""), first + second, "the site is its one county");
        assert_eq!(totals.at("nowhere/"), Stats::default());
    }
}
