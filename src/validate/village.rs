//! A village's own file: its facts, households and ledger (through
//! `roster`), news, and six-no status with its certification.

use std::path::Path;

use crate::config::bad_date;
use crate::date::Date;
use crate::error::{Problem, t};
use crate::model::figures::{awarded_by_month, star_households};
use crate::model::{PlaceKind, Village};
use crate::slug::{is_valid_slug, slugify};
use crate::source::raw::{RawVillage, RawVillageKind};
use crate::source::toml_doc::Doc;
use crate::source::{SourceFile, VillageDir};

use super::Ctx;
use super::markdown_file::{self, bad_slug};
use super::roster;

pub(super) fn build(ctx: &mut Ctx<'_>, dir: &VillageDir, place_path: String) -> Option<Village> {
    let file: &SourceFile = &dir.village;
    let doc = Doc::of(file);
    let mut table = doc.parse_recovering(&mut ctx.problems);
    // `period` belongs to the roster (see `roster::load`).
    let period = table.get_mut().remove("period");
    let raw: Option<RawVillage> = doc.deserialize(table, &mut ctx.problems);
    // The roster is checked even when village.toml is broken, so every
    // problem of the village shows up in one build.
    let roster = roster::load(ctx, dir, period.map(|p| (&doc, p)));
    let news = markdown_file::news_list(ctx, &dir.news);
    let raw = raw?;
    let hand_slug = raw.slug.as_ref().filter(|s| {
        let ok = is_valid_slug(s.get_ref());
        if !ok {
            ctx.problems.push(bad_slug(&doc, s));
        }
        ok
    });
    let slug = hand_slug.map_or_else(|| slugify(&dir.folder), |s| s.get_ref().clone());
    let six_no = six_no_status(ctx, &doc, &raw);
    let certified = certification(ctx, &doc, &raw, &six_no);
    Some(Village {
        name: raw.name,
        slug,
        place_path,
        kind: match raw.kind {
            RawVillageKind::Village => PlaceKind::Village,
            RawVillageKind::Community => PlaceKind::Community,
        },
        description: raw.description,
        grids: raw.grids,
        office_phone: raw.office_phone,
        six_no,
        certified,
        period: roster.period,
        star_households: star_households(&roster.households, &ctx.standards.tiers),
        awarded: awarded_by_month(&roster.ledger),
        households: roster.households,
        ledger: roster.ledger,
        news,
        assets: dir.assets.clone(),
        source_dir: file.path.parent().map(Path::to_path_buf).unwrap_or_default(),
    })
}

/// The `certified` date in `[six_no]`. A certified village that no longer
/// meets a criterion keeps its date but is not counted as six-no (see
/// `Village::is_six_no`); staff get a warning to update one or the other.
fn certification(ctx: &mut Ctx<'_>, doc: &Doc<'_>, raw: &RawVillage, six_no: &[bool]) -> Option<Date> {
    let value = raw.six_no.as_ref()?.get_ref().get(CERTIFIED)?;
    let Some(date) = value.get_ref().as_datetime().and_then(Date::from_toml) else {
        ctx.problems.push(bad_date(doc, value.span()));
        return None;
    };
    let failing: Vec<&str> = ctx
        .standards
        .six_no
        .iter()
        .zip(six_no)
        .filter(|(_, ok)| !**ok)
        .map(|(s, _)| s.name.as_str())
        .collect();
    if !failing.is_empty() {
        let list = failing.join("、");
        ctx.problems.push(
            doc.problem(
                value.span(),
                t(
                    format!("certified as six-no, but no longer met: {list}; the village is not shown as six-no"),
                    format!("写了六无认定日期，但这些标准现在未达到：{list}；页面不会按六无平安村显示"),
                ),
                t(
                    "remove `certified` if the status was withdrawn, or correct the criteria",
                    "如果认定已撤销，请删除 certified；否则请更正各项标准",
                ),
            )
            .warning(),
        );
    }
    Some(date)
}

/// The key in `[six_no]` that holds the certification date.
const CERTIFIED: &str = "certified";

/// One boolean per site criterion; unknown and missing criteria are problems.
fn six_no_status(ctx: &mut Ctx<'_>, doc: &Doc<'_>, raw: &RawVillage) -> Vec<bool> {
    let criteria = &ctx.standards.six_no;
    let Some(table) = &raw.six_no else {
        if !criteria.is_empty() {
            ctx.problems.push(Problem::error(
                doc.file,
                None,
                t(
                    "village.toml has no [six_no] section",
                    "village.toml 缺少 [six_no] 部分",
                ),
                t(
                    format!("add [six_no] with one line per criterion: {}", ids(criteria)),
                    format!("加上 [six_no]，每项标准一行：{}", ids(criteria)),
                ),
            ));
        }
        return vec![false; criteria.len()];
    };
    for (key, value) in table.get_ref() {
        if key == CERTIFIED {
            continue;
        }
        if criteria.iter().any(|c| &c.id == key) && value.get_ref().as_bool().is_none() {
            ctx.problems.push(doc.problem(
                value.span(),
                t(
                    format!("`{key}` must be true or false"),
                    format!("`{key}` 只能写 true 或 false"),
                ),
                t(
                    "write true when the village meets the criterion, false when it does not",
                    "达到标准写 true，未达到写 false",
                ),
            ));
        } else if !criteria.iter().any(|c| &c.id == key) {
            ctx.problems.push(doc.problem(
                value.span(),
                t(
                    format!("no six-no criterion has id `{key}`"),
                    format!("没有 id 为 `{key}` 的六无标准"),
                ),
                t(
                    format!("criteria in standards.toml: {}", ids(criteria)),
                    format!("standards.toml 里的标准：{}", ids(criteria)),
                ),
            ));
        }
    }
    let missing: Vec<&str> = criteria
        .iter()
        .filter(|c| !table.get_ref().contains_key(&c.id))
        .map(|c| c.id.as_str())
        .collect();
    if !missing.is_empty() {
        let list = missing.join(", ");
        ctx.problems.push(doc.problem(
            table.span(),
            t(
                format!("[six_no] does not say true or false for: {list}"),
                format!("[six_no] 没有写明这些标准是 true 还是 false：{list}"),
            ),
            t(
                "add one line per criterion, e.g. no_drugs = true",
                "每项标准写一行，例如 no_drugs = true",
            ),
        ));
    }
    criteria
        .iter()
        .map(|c| table.get_ref().get(&c.id).and_then(|v| v.get_ref().as_bool()) == Some(true))
        .collect()
}

fn ids(criteria: &[crate::model::SixNo]) -> String {
    criteria.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(", ")
}
