//! A village's households.toml (roster and stars) and points.toml (ledger).
//! Privacy is applied here: unpublished households and entries outside the
//! current and previous period never reach the model.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::config::bad_date;
use crate::date::Date;
use crate::error::{Problem, t};
use crate::model::figures::passbook;
use crate::model::{Entry, EntryKind, Household};
use crate::privacy::shown_name;
use crate::source::raw::{RawEntry, RawEntryKind, RawHousehold};
use crate::source::toml_doc::Doc;
use crate::source::{SourceFile, VillageDir};
use toml::Spanned;
use toml::de::DeValue;

use super::Ctx;
use super::ids::{IdSet, find_standard, ids_with_names, unknown_ref};

pub(crate) struct Roster {
    pub period: Option<u16>,
    pub households: Vec<Household>,
    pub ledger: Vec<Entry>,
}

/// Published or not: ledger entries may name either, pages only the published.
struct Known {
    published: HashMap<String, bool>,
    /// Ids of households written in the file whose entry has a problem of
    /// its own: the ledger may name them without a second error.
    unread: HashSet<String>,
    /// False when households.toml could not be read: then the ledger's
    /// household ids are not checked, to avoid one error per entry.
    complete: bool,
}

/// The roster and ledger of a village; `village_period` is village.toml's
/// `period` (for a village whose households are a spreadsheet), used when
/// households.toml gives none.
pub(crate) fn load(
    ctx: &mut Ctx<'_>,
    dir: &VillageDir,
    village_period: Option<(&Doc<'_>, Spanned<DeValue<'_>>)>,
) -> Roster {
    let mut roster = Roster {
        period: None,
        households: Vec::new(),
        ledger: Vec::new(),
    };
    let mut known = Known {
        published: HashMap::new(),
        unread: HashSet::new(),
        complete: !dir.households_unread,
    };
    if let Some(file) = &dir.households {
        households(ctx, file, &mut roster, &mut known);
    }
    if let Some((doc, value)) = village_period {
        let span = value.span();
        match (roster.period, period(ctx, doc, value)) {
            (None, year) => roster.period = year,
            (Some(_), Some(_)) => ctx.problems.push(doc.problem(
                span,
                t(
                    "period is given in households.toml already",
                    "households.toml 里已经写了 period",
                ),
                t("keep it in one of the two files", "只在其中一个文件里写"),
            )),
            (Some(_), None) => {}
        }
    }
    if let Some(file) = &dir.points {
        ledger(ctx, file, &mut roster, &known);
    }
    roster
}

fn households(ctx: &mut Ctx<'_>, file: &SourceFile, roster: &mut Roster, known: &mut Known) {
    let doc = Doc::of(file).about_people();
    let list = doc.list::<RawHousehold>("household", &["period"], &mut ctx.problems);
    // Rows of a spreadsheet left out for a cell of their own.
    known
        .unread
        .extend(file.cells().into_iter().flat_map(|c| c.left_out.iter().cloned()));
    // A household the parser could not read may be the one the ledger names.
    known.complete = !doc.has_syntax_errors();
    for (_, value) in list.values {
        roster.period = period(ctx, &doc, value);
    }
    let mut ids = IdSet::new(&doc, ("household", "住户"));
    let full_names = ctx.config.privacy.full_names;
    for raw in list.items {
        let stars = star_indices(ctx, &doc, &raw);
        if raw.head.get_ref().trim().is_empty() {
            ctx.problems.push(doc.problem(
                raw.head.span(),
                t("the household head's name is empty", "户主姓名是空的"),
                t(
                    "write the name, e.g. head = \"陈明华\"",
                    "写上姓名，例如 head = \"陈明华\"",
                ),
            ));
        }
        if !ids.add(raw.id.get_ref(), raw.id.span(), &mut ctx.problems) {
            continue;
        }
        known.published.insert(raw.id.get_ref().to_string(), raw.publish);
        if raw.publish {
            roster.households.push(Household {
                shown_name: shown_name(raw.head.get_ref(), raw.consent, raw.mask, full_names),
                id: raw.id.into_inner().into_owned(),
                grid: raw.grid,
                stars,
                balance: 0,
            });
        }
    }
    known.unread.extend(
        list.written_ids
            .into_iter()
            .filter(|id| !known.published.contains_key(id)),
    );
}

fn period(ctx: &mut Ctx<'_>, doc: &Doc<'_>, value: Spanned<DeValue<'_>>) -> Option<u16> {
    let span = value.span();
    let year = value.get_ref().as_str().and_then(|s| s.trim().parse::<u16>().ok());
    match year {
        Some(y) if (1900..=2199).contains(&y) => Some(y),
        _ => {
            ctx.problems.push(doc.problem(
                span,
                t(
                    "period must be a year in quotes, e.g. period = \"2022\"",
                    "period 必须是加引号的年份，例如 period = \"2022\"",
                ),
                t(
                    "the rating period is the year the stars were awarded for",
                    "评星周期就是这批星级评定所属的年份",
                ),
            ));
            None
        }
    }
}

/// Star ids → indices into the site's stars; unknown and repeated stars are problems.
fn star_indices(ctx: &mut Ctx<'_>, doc: &Doc<'_>, raw: &RawHousehold) -> Vec<usize> {
    let stars = &ctx.standards.stars;
    let mut out = Vec::new();
    for id in &raw.stars {
        match find_standard(stars, id.get_ref()) {
            Some(i) if out.contains(&i) => ctx.problems.push(doc.problem(
                id.span(),
                t(
                    format!("star `{}` is listed twice", id.get_ref()),
                    format!("星 `{}` 写了两次", id.get_ref()),
                ),
                t("list each star once", "每颗星只写一次"),
            )),
            Some(i) => out.push(i),
            None => {
                let known = ids_with_names(stars);
                ctx.problems.push(unknown_ref(doc, id, ("star", "星"), &known));
            }
        }
    }
    out.sort_unstable();
    out
}

fn ledger(ctx: &mut Ctx<'_>, file: &SourceFile, roster: &mut Roster, known: &Known) {
    let doc = Doc::of(file).about_people();
    let list = doc.list::<RawEntry>("entry", &[], &mut ctx.problems);
    // Every readable entry, and where to point at it: the passbook runs
    // over the whole file, whatever is published.
    let mut entries: Vec<Entry> = Vec::new();
    let mut spans: Vec<Range<usize>> = Vec::new();
    // Households with an entry that has its own problem (or a spreadsheet
    // row left out for one): their balance is not known, so an overdraft
    // there would be a follow-on error.
    let mut uncertain: HashSet<String> = file
        .cells()
        .into_iter()
        .flat_map(|c| c.left_out.iter().cloned())
        .collect();
    // An entry that could not be read at all may be any household's.
    let unread = doc.has_syntax_errors() || list.unreadable;
    for raw in list.items {
        let at = raw.points.as_ref().map_or_else(|| raw.item.span(), |p| p.span());
        let household = raw.household.get_ref().clone();
        match entry(ctx, &doc, raw, known) {
            Some(entry) => {
                entries.push(entry);
                spans.push(at);
            }
            None => _ = uncertain.insert(household.into_owned()),
        }
    }
    let book = passbook(&entries);
    if !unread {
        for o in &book.overdrafts {
            let e = &entries[o.entry];
            if !uncertain.contains(&e.household) {
                ctx.problems.push(overdraft(&doc, e, o.had, spans[o.entry].clone()));
            }
        }
    }
    for h in &mut roster.households {
        h.balance = book.balances.get(h.id.as_str()).copied().unwrap_or(0);
    }
    drop(book);
    // Only the current and the previous rating period are published.
    let oldest_year = roster.period.map(|p| p.saturating_sub(1));
    entries
        .retain(|e| oldest_year.is_none_or(|y| e.date.year >= y) && known.published.get(&e.household) == Some(&true));
    entries.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.household.cmp(&b.household)));
    entries.shrink_to_fit();
    roster.ledger = entries;
}

/// A redemption worth more than the household has at that date.
fn overdraft(doc: &Doc<'_>, e: &Entry, had: i64, at: Range<usize>) -> Problem {
    doc.problem(
        at,
        t(
            format!(
                "household {} spends {} points on {} but has only {had} then",
                e.household, e.points, e.date
            ),
            format!(
                "住户 {} 在 {} 兑换要用 {} 分，但那时只剩 {had} 分",
                e.household, e.date, e.points
            ),
        ),
        t(
            "check the points and the date of this redemption, and whether an award before it is missing",
            "请核对这笔兑换的积分和日期；如果之前有漏记的得分，请先补记",
        ),
    )
}

fn entry(ctx: &mut Ctx<'_>, doc: &Doc<'_>, raw: RawEntry, known: &Known) -> Option<Entry> {
    let problems_before = ctx.problems.0.len();
    let id: &str = raw.household.get_ref();
    if known.complete && !known.published.contains_key(id) && !known.unread.contains(id) {
        let ids: Vec<&str> = known.published.keys().map(String::as_str).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        ctx.problems.push(unknown_ref(
            doc,
            &raw.household,
            ("household in households.toml", "住户（households.toml 中）"),
            &sorted,
        ));
    }
    let date = Date::from_toml(raw.date.get_ref());
    if date.is_none() {
        ctx.problems.push(bad_date(doc, raw.date.span()));
    }
    let item = item_points(ctx, doc, &raw);
    let default_points = item.as_ref().map(|(p, _)| *p);
    let points = match &raw.points {
        Some(p) if !(1..=100_000).contains(p.get_ref()) => {
            ctx.problems.push(doc.problem(
                p.span(),
                t(
                    "points must be a whole number from 1 to 100000",
                    "积分必须是 1 到 100000 之间的整数",
                ),
                t(
                    "write the amount without a sign; kind = \"deduct\" or \"redeem\" says it is taken away",
                    "写正数即可；用 kind = \"deduct\" 或 \"redeem\" 表示扣减或兑换",
                ),
            ));
            None
        }
        Some(p) => Some(*p.get_ref() as u32),
        None => default_points,
    };
    if ctx.problems.0.len() > problems_before {
        return None;
    }
    Some(Entry {
        household: raw.household.into_inner().into_owned(),
        date: date?,
        kind: match raw.kind {
            RawEntryKind::Award => EntryKind::Award,
            RawEntryKind::Deduct => EntryKind::Deduct,
            RawEntryKind::Redeem => EntryKind::Redeem,
        },
        item: item.map_or_else(|| raw.item.into_inner().into_owned(), |(_, id)| id),
        points: points?,
        show_name: raw.show_name,
    })
}

/// The default points of the entry's item; an unknown item is a problem.
/// The points an entry's item gives, and the item's id (an entry may name
/// its item by id or by name).
fn item_points(ctx: &mut Ctx<'_>, doc: &Doc<'_>, raw: &RawEntry) -> Option<(u32, String)> {
    let s = ctx.standards;
    let wanted = raw.item.get_ref();
    if raw.kind == RawEntryKind::Redeem {
        if let Some(i) = find_standard(&s.rewards, wanted) {
            return Some((s.rewards[i].cost, s.rewards[i].id.clone()));
        }
        let known = ids_with_names(&s.rewards);
        ctx.problems
            .push(unknown_ref(doc, &raw.item, ("reward", "兑换物品"), &known));
        return None;
    }
    if let Some(i) = find_standard(&s.points_items, wanted) {
        return Some((s.points_items[i].points, s.points_items[i].id.clone()));
    }
    let known = ids_with_names(&s.points_items);
    ctx.problems
        .push(unknown_ref(doc, &raw.item, ("points item", "积分项目"), &known));
    None
}
