//! standards.toml and partners.toml: the campaign's measures and its partners.

use std::ops::Range;

use crate::error::{Problems, t};
use crate::model::{Group, PointsItem, Reward, SixNo, Standards, Star, Tier};
use crate::source::SourceFile;
use crate::source::raw::{RawDefinition, RawGroup, RawItemKind, RawPointsItem, RawPointsPage, RawReward, RawTier};
use crate::source::toml_doc::Doc;

use super::ids::{IdSet, NameSet};

/// Groups every site has: (id, name).
pub const BUILT_IN_GROUPS: [(&str, &str); 4] = [
    ("grid-worker", "网格员"),
    ("cadre", "村（社区）干部"),
    ("six-no-villager", "六无平安村村民"),
    ("star-household", "星级文明户"),
];

pub fn parse(file: Option<&SourceFile>, problems: &mut Problems) -> Standards {
    let mut standards = Standards {
        groups: BUILT_IN_GROUPS
            .iter()
            .map(|(id, name)| Group {
                id: id.to_string(),
                name: name.to_string(),
            })
            .collect(),
        ..Standards::default()
    };
    let Some(file) = file else {
        return standards;
    };
    let doc = Doc::of(file);
    let table = doc.parse_recovering(problems);
    let allowed = ["star", "tier", "points_item", "six_no", "reward", "group", "points"];
    for (key, value) in doc.top_level(table, &allowed, problems) {
        match key.as_str() {
            "star" => stars(&doc, doc.each(value, problems), &mut standards, problems),
            "tier" => tiers(&doc, doc.each(value, problems), &mut standards, problems),
            "points_item" => points_items(&doc, doc.each(value, problems), &mut standards, problems),
            "six_no" => {
                let mut ids = IdSet::new(&doc, ("six-no criterion", "六无标准"));
                for (raw, _) in doc.each::<RawDefinition>(value, problems) {
                    if ids.add(raw.id.get_ref(), raw.id.span(), problems) {
                        standards.six_no.push(SixNo {
                            id: raw.id.into_inner(),
                            name: raw.name.into_inner(),
                            description: raw.description,
                        });
                    }
                }
            }
            "reward" => rewards(&doc, doc.each(value, problems), &mut standards, problems),
            "points" => {
                if let Some(page) = doc.deserialize_value::<RawPointsPage>(value, problems) {
                    standards.points_intro = page.intro.filter(|s| !s.trim().is_empty());
                }
            }
            _ => groups(&doc, doc.each(value, problems), &mut standards, problems),
        }
    }
    unreachable_tiers(&doc, &standards, problems);
    // Highest tier first, so a household's tier is the first one it reaches.
    standards.tiers.sort_by_key(|t| std::cmp::Reverse(t.min_stars));
    standards
}

/// A tier that needs more stars than the site defines can never be reached.
fn unreachable_tiers(doc: &Doc<'_>, s: &Standards, problems: &mut Problems) {
    let count = s.stars.len();
    for tier in s.tiers.iter().filter(|t| t.min_stars > count) {
        let at = doc.text.find(&format!("\"{}\"", tier.name)).unwrap_or(0);
        problems.push(
            doc.problem(
                at..at,
                t(
                    format!(
                        "tier {} needs {} stars, but only {count} stars are defined",
                        tier.name, tier.min_stars
                    ),
                    format!("{}要求 {} 颗星，但只定义了 {count} 颗星", tier.name, tier.min_stars),
                ),
                t(
                    "lower min_stars or add the missing [[star]] entries",
                    "调低 min_stars，或补上缺少的 [[star]]",
                ),
            )
            .warning(),
        );
    }
}

fn stars(doc: &Doc<'_>, raws: Vec<(RawDefinition, Range<usize>)>, s: &mut Standards, problems: &mut Problems) {
    let mut ids = IdSet::new(doc, ("star", "星"));
    let mut names = NameSet::new(doc, ("star", "星"));
    for (raw, _) in raws {
        names.add(&raw.name, problems);
        if ids.add(raw.id.get_ref(), raw.id.span(), problems) {
            s.stars.push(Star {
                id: raw.id.into_inner(),
                name: raw.name.into_inner(),
                description: raw.description,
            });
        }
    }
}

fn tiers(doc: &Doc<'_>, raws: Vec<(RawTier, Range<usize>)>, s: &mut Standards, problems: &mut Problems) {
    for (raw, _) in raws {
        let n = *raw.min_stars.get_ref();
        if !(1..=100).contains(&n) {
            problems.push(doc.problem(
                raw.min_stars.span(),
                t("min_stars must be between 1 and 100", "min_stars 必须在 1 到 100 之间"),
                t(
                    "it is how many stars a household needs for this tier",
                    "它表示评上这一档需要几颗星",
                ),
            ));
            continue;
        }
        if s.tiers.iter().any(|t| t.min_stars == n as usize) {
            problems.push(doc.problem(
                raw.min_stars.span(),
                t(
                    format!("two tiers both need {n} stars"),
                    format!("有两个星级档次都要求 {n} 颗星"),
                ),
                t("give each tier a different min_stars", "每个档次的 min_stars 要不同"),
            ));
            continue;
        }
        s.tiers.push(Tier {
            name: raw.name,
            min_stars: n as usize,
        });
    }
}

fn positive(doc: &Doc<'_>, value: &toml::Spanned<i64>, problems: &mut Problems) -> Option<u32> {
    let n = *value.get_ref();
    if (1..=100_000).contains(&n) {
        return Some(n as u32);
    }
    problems.push(doc.problem(
        value.span(),
        t(
            format!("{n} is not a usable number of points"),
            format!("{n} 不是有效的积分数"),
        ),
        t("write a whole number from 1 to 100000", "请写 1 到 100000 之间的整数"),
    ));
    None
}

fn points_items(doc: &Doc<'_>, raws: Vec<(RawPointsItem, Range<usize>)>, s: &mut Standards, problems: &mut Problems) {
    let mut ids = IdSet::new(doc, ("points item", "积分项目"));
    let mut names = NameSet::new(doc, ("points item", "积分项目"));
    for (raw, _) in raws {
        names.add(&raw.name, problems);
        let points = positive(doc, &raw.points, problems);
        if ids.add(raw.id.get_ref(), raw.id.span(), problems)
            && let Some(points) = points
        {
            s.points_items.push(PointsItem {
                id: raw.id.into_inner(),
                name: raw.name.into_inner(),
                points,
                deducts: raw.kind == RawItemKind::Deduct,
                description: raw.description,
            });
        }
    }
}

fn rewards(doc: &Doc<'_>, raws: Vec<(RawReward, Range<usize>)>, s: &mut Standards, problems: &mut Problems) {
    let mut ids = IdSet::new(doc, ("reward", "兑换物品"));
    let mut names = NameSet::new(doc, ("reward", "兑换物品"));
    for (raw, _) in raws {
        names.add(&raw.name, problems);
        let cost = positive(doc, &raw.cost, problems);
        if ids.add(raw.id.get_ref(), raw.id.span(), problems)
            && let Some(cost) = cost
        {
            s.rewards.push(Reward {
                id: raw.id.into_inner(),
                name: raw.name.into_inner(),
                cost,
                description: raw.description,
            });
        }
    }
}

fn groups(doc: &Doc<'_>, raws: Vec<(RawGroup, Range<usize>)>, s: &mut Standards, problems: &mut Problems) {
    let mut ids = IdSet::new(doc, ("group", "群体"));
    for (raw, _) in raws {
        if BUILT_IN_GROUPS.iter().any(|(id, _)| id == raw.id.get_ref()) {
            problems.push(doc.problem(
                raw.id.span(),
                t(
                    format!("`{}` is a built-in group", raw.id.get_ref()),
                    format!("`{}` 是内置群体", raw.id.get_ref()),
                ),
                t(
                    "built-in groups need no [[group]]; remove this entry",
                    "内置群体不用再写 [[group]]，删掉这一条即可",
                ),
            ));
            continue;
        }
        if ids.add(raw.id.get_ref(), raw.id.span(), problems) {
            s.groups.push(Group {
                id: raw.id.into_inner(),
                name: raw.name,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Problem;

    fn file(text: &str) -> SourceFile {
        SourceFile::new(
            "content/standards.toml".into(),
            "content/standards.toml".into(),
            text.into(),
            (None, 0),
            false,
        )
    }

    fn parsed(text: &str) -> (Standards, Problems) {
        let mut problems = Problems::default();
        let s = parse(Some(&file(text)), &mut problems);
        (s, problems)
    }

    const TWO_STARS: &str =
        "[[star]]\nid = \"law\"\nname = \"守法星\"\n\n[[star]]\nid = \"hygiene\"\nname = \"卫生星\"\n";

    #[test]
    fn tiers_come_highest_first_and_built_in_groups_are_there_without_a_file() {
        let text = format!(
            "{TWO_STARS}\n[[tier]]\nname = \"一星级\"\nmin_stars = 1\n\n[[tier]]\nname = \"二星级\"\nmin_stars = 2\n"
        );
        let (s, problems) = parsed(&text);
        assert!(problems.0.is_empty(), "{}", problems.render(crate::error::Lang::En));
        let tiers: Vec<&str> = s.tiers.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(tiers, ["二星级", "一星级"]);
        let mut none = Problems::default();
        let defaults = parse(None, &mut none);
        assert_eq!(defaults.groups.len(), BUILT_IN_GROUPS.len());
        assert!(defaults.stars.is_empty() && none.0.is_empty());
    }

    #[test]
    fn a_tier_beyond_the_stars_is_a_warning_at_its_name() {
        let text = format!("{TWO_STARS}\n[[tier]]\nname = \"十星级\"\nmin_stars = 10\n");
        let (_, problems) = parsed(&text);
        let warnings: Vec<&Problem> = problems.warnings().collect();
        assert_eq!(warnings.len(), 1);
        assert!(!problems.has_errors());
        let at = warnings[0].location.as_ref().unwrap();
        assert_eq!(
            at.line,
            text[..text.find("\"十星级\"").unwrap()].matches('\n').count() + 1
        );
        assert!(
            warnings[0].message.zh.contains("只定义了 2 颗星"),
            "{}",
            warnings[0].message.zh
        );
    }

    #[test]
    fn a_duplicate_id_and_points_out_of_range_are_errors_at_their_values() {
        let text = format!(
            "{TWO_STARS}\n[[star]]\nid = \"law\"\nname = \"又一个\"\n\n[[points_item]]\nid = \"v\"\nname = \"志愿\"\npoints = 0\n"
        );
        let (s, problems) = parsed(&text);
        assert_eq!(s.stars.len(), 2, "the second `law` is not taken");
        let mut errors: Vec<(usize, &str)> = problems
            .errors()
            .map(|p| (p.location.as_ref().unwrap().line, p.message.en.as_str()))
            .collect();
        errors.sort();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].0, 10, "the duplicate id's line: {errors:?}");
        assert_eq!(errors[1].0, 16, "the points' line: {errors:?}");
        assert!(errors[1].1.contains("0 is not a usable number of points"));
    }
}
