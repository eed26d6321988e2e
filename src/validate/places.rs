//! The county → town → village hierarchy: titles, kinds, slugs (and their
//! collisions). A village's own facts and six-no status are in `village`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use toml::Spanned;

use crate::error::{Problem, t};
use crate::model::{County, Intro, Place, PlaceKind, Town, Village};
use crate::slug::{is_valid_slug, slugify};
use crate::source::raw::{RawCountyKind, RawPlaceFront, RawTownKind};
use crate::source::{PlaceDir, SourceFile, VillageDir};

use super::markdown_file::{self, Parsed, bad_slug, front_doc};
use super::{Ctx, Memo, Memoized};

/// Top-level URL segments the site itself uses; a county may not take them.
pub const RESERVED: [&str; 8] = [
    "news",
    "stars",
    "points",
    "partners",
    "assets",
    "atom.xml",
    "sitemap.xml",
    "404.html",
];

/// On a first build nothing is memoised yet: validate every town on all
/// cores, each with a memo of its own, and merge the memos. The sequential
/// pass below then finds every town ready (and reports its problems).
///
/// Each town lets go of its files' text once validated (unless
/// `keep_text`), so a big site's sources and its model are not in memory
/// whole at once.
fn prevalidate_towns_in_parallel(ctx: &mut Ctx<'_>, dirs: &mut [PlaceDir], keep_text: bool) {
    use rayon::prelude::*;
    if !ctx.memo.towns.is_empty() {
        return;
    }
    let (config, standards) = (ctx.config, ctx.standards);
    let towns: Vec<(&mut PlaceDir, &str)> = dirs
        .iter_mut()
        .flat_map(|c| {
            let folder = c.folder.as_str();
            c.children.iter_mut().map(move |t| (t, folder))
        })
        .collect();
    let built: Vec<(String, Memoized<Arc<Town>>, Memo)> = towns
        .into_par_iter()
        .map(|(dir, county_folder)| {
            let mut memo = Memo::default();
            let mut task = Ctx {
                config,
                standards,
                problems: Default::default(),
                memo: &mut memo,
            };
            let town = Arc::new(build_town(&mut task, dir, county_folder));
            if !keep_text {
                dir.forget_texts();
            }
            let problems = task.problems.0;
            let path = format!("{county_folder}/{}", dir.folder);
            let memoized = Memoized {
                key: dir.key,
                value: town,
                problems,
            };
            (path, memoized, memo)
        })
        .collect();
    for (path, town, memo) in built {
        ctx.memo.merge(memo);
        ctx.memo.towns.insert(path, town);
    }
}

pub(crate) fn counties(ctx: &mut Ctx<'_>, dirs: &mut [PlaceDir], keep_text: bool) -> Vec<County> {
    prevalidate_towns_in_parallel(ctx, dirs, keep_text);
    let dirs = &*dirs;
    let mut slugs = SlugSet::default();
    for reserved in RESERVED {
        slugs.taken.push((
            reserved.to_string(),
            PathBuf::from(format!("starboard's own {reserved}/ pages")),
        ));
    }
    let mut out = Vec::new();
    for dir in dirs {
        ctx.problems.extend(dir.problems.iter().cloned());
        for v in &dir.villages {
            ctx.problems.push(Problem::error(
                &v.shown,
                None,
                t(
                    "a village folder sits directly in a county folder",
                    "村的文件夹直接放在了县的文件夹里",
                ),
                t(
                    "put it inside a town folder: villages/<county>/<town>/<village>/",
                    "请放进乡镇的文件夹：villages/县/乡镇/村/",
                ),
            ));
        }
        let (intro, kind, slug) = place_front(ctx, dir, &mut slugs, |k: Option<RawCountyKind>| match k {
            None | Some(RawCountyKind::County) => PlaceKind::County,
            Some(RawCountyKind::City) => PlaceKind::City,
            Some(RawCountyKind::District) => PlaceKind::District,
        });
        let mut town_slugs = SlugSet::default();
        let mut towns: Vec<Arc<Town>> = dir
            .children
            .iter()
            .map(|town_dir| town(ctx, town_dir, &dir.folder, &mut town_slugs))
            .collect();
        towns.sort_by(|a, b| (a.intro.weight, &a.slug).cmp(&(b.intro.weight, &b.slug)));
        out.push(place(dir, intro, kind, slug, towns));
    }
    out.sort_by(|a, b| (a.intro.weight, &a.slug).cmp(&(b.intro.weight, &b.slug)));
    out
}

/// A town, validated again only when something in its folder changed.
fn town(ctx: &mut Ctx<'_>, dir: &PlaceDir, county_folder: &str, slugs: &mut SlugSet) -> Arc<Town> {
    ctx.problems.extend(dir.problems.iter().cloned());
    let path = format!("{county_folder}/{}", dir.folder);
    let town = ctx.memoized(
        |m| &mut m.towns,
        &path,
        dir.key,
        |ctx| Arc::new(build_town(ctx, dir, county_folder)),
    );
    claim_slug(ctx, &town.slug, &dir.shown, slugs);
    town
}

fn build_town(ctx: &mut Ctx<'_>, dir: &PlaceDir, county_folder: &str) -> Town {
    let (intro, kind, slug) = place_intro(ctx, dir, |k: Option<RawTownKind>| match k {
        None | Some(RawTownKind::Town) => PlaceKind::Town,
        Some(RawTownKind::Street) => PlaceKind::Street,
    });
    let mut village_slugs = SlugSet::default();
    // Villages list in pinyin order.
    let mut villages = Vec::new();
    for v in &dir.villages {
        let path = format!("{county_folder}/{}/{}", dir.folder, v.folder);
        villages.extend(village(ctx, v, path, &mut village_slugs));
    }
    villages.sort_by(|a, b| a.slug.cmp(&b.slug));
    place(dir, intro, kind, slug, villages)
}

/// A county or town: titled by its `_index.md`, or else by its folder name.
fn place<C>(dir: &PlaceDir, intro: Intro, kind: PlaceKind, slug: String, children: Vec<C>) -> Place<C> {
    Place {
        name: intro.title.clone().unwrap_or_else(|| dir.folder.clone()),
        folder: dir.folder.clone(),
        slug,
        kind,
        intro,
        assets: dir.assets.clone(),
        children,
    }
}

/// Slugs taken among siblings, with who took them.
#[derive(Default)]
/// A list rather than a map: siblings are few, and a scan beats hashing.
struct SlugSet {
    taken: Vec<(String, PathBuf)>,
}

impl SlugSet {
    fn claim(&mut self, slug: &str, owner: &Path) -> Result<(), String> {
        match self.taken.iter().find(|(s, _)| s == slug) {
            Some((_, other)) => Err(other.display().to_string()),
            None => {
                self.taken.push((slug.to_string(), owner.to_path_buf()));
                Ok(())
            }
        }
    }
}

/// Read a county's or town's `_index.md` and settle its slug.
fn place_front<K: serde::de::DeserializeOwned>(
    ctx: &mut Ctx<'_>,
    dir: &PlaceDir,
    slugs: &mut SlugSet,
    kind_of: fn(Option<K>) -> PlaceKind,
) -> (Intro, PlaceKind, String) {
    let (intro, kind, slug) = place_intro(ctx, dir, kind_of);
    claim_slug(ctx, &slug, &dir.shown, slugs);
    (intro, kind, slug)
}

/// Introduction, kind and slug (hand-written or pinyin) of a county or town.
fn place_intro<K: serde::de::DeserializeOwned>(
    ctx: &mut Ctx<'_>,
    dir: &PlaceDir,
    kind_of: fn(Option<K>) -> PlaceKind,
) -> (Intro, PlaceKind, String) {
    let (intro, kind, hand_slug) = match &dir.index {
        Some(file) => ctx.memoized(
            |m| &mut m.intros,
            &file.path,
            file.hash,
            |ctx| parse_place_front(ctx, file, kind_of),
        ),
        None => (Intro::default(), kind_of(None), None),
    };
    let slug = hand_slug.unwrap_or_else(|| slugify(&dir.folder));
    (intro, kind, slug)
}

/// The introduction, kind and hand-written slug from a place's `_index.md`.
fn parse_place_front<K: serde::de::DeserializeOwned>(
    ctx: &mut Ctx<'_>,
    file: &Arc<SourceFile>,
    kind_of: fn(Option<K>) -> PlaceKind,
) -> (Intro, PlaceKind, Option<String>) {
    let Some(Parsed {
        front,
        body,
        front_offset,
    }) = markdown_file::parse(ctx, file, Some(RawPlaceFront::<K>::default()))
    else {
        return (Intro::default(), kind_of(None), None);
    };
    let hand_slug = front.slug.filter(|s| {
        let ok = is_valid_slug(s.get_ref());
        if !ok {
            ctx.problems.push(bad_slug(&front_doc(file, front_offset), s));
        }
        ok
    });
    let intro = Intro {
        title: front.title,
        weight: front.weight,
        summary: front.summary,
        body: Some(body),
    };
    (intro, kind_of(front.kind), hand_slug.map(Spanned::into_inner))
}

/// Take `slug` among its siblings; an empty or already taken slug is a problem.
fn claim_slug(ctx: &mut Ctx<'_>, slug: &str, shown: &Path, slugs: &mut SlugSet) {
    if slug.is_empty() {
        ctx.problems.push(Problem::error(
            shown,
            None,
            t("cannot make a URL from this folder name", "无法用这个文件夹名生成网址"),
            t(
                "set slug = \"…\" (letters, digits, '-') in its _index.md or village.toml",
                "在 _index.md 或 village.toml 里设置 slug = \"…\"（字母、数字、'-'）",
            ),
        ));
    } else if let Err(other) = slugs.claim(slug, shown) {
        ctx.problems.push(Problem::error(
            shown,
            None,
            t(
                format!("this folder and {other} would both be published at …/{slug}/"),
                format!("这个文件夹和 {other} 都会发布到 …/{slug}/"),
            ),
            t(
                "give one of them its own slug = \"…\"",
                "给其中一个设置不同的 slug = \"…\"",
            ),
        ));
    }
}

/// A village, validated again only when one of its files changed.
fn village(ctx: &mut Ctx<'_>, dir: &VillageDir, place_path: String, slugs: &mut SlugSet) -> Option<Arc<Village>> {
    ctx.problems.extend(dir.problems.iter().cloned());
    let village = ctx.memoized(
        |m| &mut m.villages,
        &place_path.clone(),
        dir.key,
        |ctx| super::village::build(ctx, dir, place_path).map(Arc::new),
    )?;
    claim_slug(ctx, &village.slug, &dir.shown, slugs);
    Some(village)
}
