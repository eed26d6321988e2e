//! One pass of the producers over what changed: the shared pages whose
//! inputs differ from last time, and the villages that changed (or whose
//! surroundings did), each part scanned for personal numbers and handed to
//! the sink as soon as it is made. A first build, `check` and a memory run
//! start from an empty [`Memo`], so everything is made.

use std::collections::HashSet;
use std::hash::{Hash, Hasher as _};
use std::sync::{Arc, Mutex};

use super::villages::{RenderedVillage, VillageUpdates, gone, render_villages};
use super::{BuildError, Options, Sink, Stats};
use crate::hash::{FastMap, Hasher};
use crate::model::Site;
use crate::progress::Progress;
use crate::render::{self, Body, Output};
use crate::scan;
use crate::theme::Theme;

/// What the output was last made from: shared pages' input hashes, their
/// paths, and each village's inputs and files, by place path
/// (`藤县/金鸡镇/同荣村`).
#[derive(Default)]
pub(super) struct Memo {
    pages: render::PageMemo,
    shared_paths: Vec<String>,
    villages: FastMap<String, RenderedVillage>,
}

/// The memo as the build cache keeps it.
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct CachedMemo {
    pages: FastMap<String, u64>,
    shared_paths: Vec<String>,
    villages: Vec<CachedVillage>,
}

#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct CachedVillage {
    place_path: String,
    key: u64,
    paths: Vec<String>,
    board: (String, usize),
}

impl Memo {
    pub(super) fn to_cached(&self) -> CachedMemo {
        CachedMemo {
            pages: self.pages.page_keys().clone(),
            shared_paths: self.shared_paths.clone(),
            villages: self
                .villages
                .iter()
                .map(|(path, v)| CachedVillage {
                    place_path: path.clone(),
                    key: v.key,
                    paths: v.paths.clone(),
                    board: v.board.clone(),
                })
                .collect(),
        }
    }

    /// The memo again, each village's entry tied to the village the
    /// validation memo holds (an entry without one is left out: that
    /// village is rendered again).
    pub(super) fn from_cached(c: CachedMemo, validated: &crate::validate::Memo) -> Memo {
        Memo {
            pages: render::PageMemo::from_page_keys(c.pages),
            shared_paths: c.shared_paths,
            villages: c
                .villages
                .into_iter()
                .filter_map(|v| {
                    let village = Arc::clone(validated.village(&v.place_path)?);
                    let rendered = RenderedVillage::new(village, v.key, v.paths, v.board);
                    Some((v.place_path, rendered))
                })
                .collect(),
        }
    }

    /// Once the output is published, the memo describes it.
    pub(super) fn keep(&mut self, rendered: Rendered) {
        self.pages = rendered.pages;
        self.shared_paths = rendered.shared_paths;
        for key in rendered.removed {
            self.villages.remove(&key);
        }
        self.villages.extend(rendered.villages);
    }

    /// Every village board (path, bytes), for the page-weight rule.
    pub(super) fn boards(&self) -> impl Iterator<Item = &(String, usize)> {
        self.villages.values().map(|v| &v.board)
    }
}

/// What a pass made besides the files it handed to the sink: the files the
/// site no longer has, personal numbers found, and the memo entries to keep
/// once (and only if) the output was published.
pub(super) struct Rendered {
    pub(super) stale: Vec<String>,
    pub(super) leaks: Vec<scan::Leak>,
    pages: render::PageMemo,
    shared_paths: Vec<String>,
    villages: Vec<(String, RenderedVillage)>,
    removed: Vec<String>,
}

/// What one pass needs.
pub(super) struct Job<'a> {
    pub(super) site: &'a Site,
    pub(super) theme: &'a Theme,
    /// Everything besides a village's own data its pages depend on.
    pub(super) global: u64,
    pub(super) sink: &'a dyn Sink,
    pub(super) progress: &'a Progress,
    leaks: Mutex<Vec<scan::Leak>>,
}

impl<'a> Job<'a> {
    pub(super) fn new(
        site: &'a Site,
        theme: &'a Theme,
        options: &Options,
        sink: &'a dyn Sink,
        progress: &'a Progress,
    ) -> Job<'a> {
        Job {
            site,
            theme,
            global: render_key(site, theme.key, options),
            sink,
            progress,
            leaks: Mutex::default(),
        }
    }

    /// Scan one part of the site for personal numbers, then hand it to the sink.
    pub(super) fn hand(&self, outputs: Vec<Output>) -> Result<(), BuildError> {
        let found = scan::outputs(&outputs, &self.site.config.privacy);
        if !found.is_empty() {
            self.leaks
                .lock()
                .expect("no thread panics holding the leaks")
                .extend(found);
        }
        self.sink.take(outputs)
    }
}

/// Make what changed since `memo` and hand it to the job's sink.
pub(super) fn render(job: Job<'_>, memo: &Memo, stats: &mut Stats) -> Result<Rendered, BuildError> {
    let mut pages = memo.pages.clone();
    // Shared pages and changed villages do not depend on each other: on
    // two cores, render them side by side.
    let (shared, villages) = std::thread::scope(|scope| {
        let shared = scope.spawn(|| {
            let outputs = render::shared(job.site, job.theme, Some(&mut pages), job.global)
                .map_err(|e| BuildError::Render(e, job.site.config.lang))?;
            let paths: Vec<String> = outputs.iter().map(|o| o.path.clone()).collect();
            job.hand(outputs.into_iter().filter(|o| o.body != Body::Unchanged).collect())?;
            Ok::<_, BuildError>(paths)
        });
        let villages = render_villages(&job, &memo.villages, stats);
        (shared.join().expect("rendering shared pages does not panic"), villages)
    });
    let shared_paths = shared?;
    pages.retain(&shared_paths);
    let VillageUpdates { mut stale, villages } = villages?;
    stale.extend(gone(&memo.shared_paths, &shared_paths));
    // Villages that are no longer there take their files with them.
    let removed = removed_villages(job.site, &memo.villages);
    for key in &removed {
        stale.extend(memo.villages[key].paths.iter().cloned());
    }
    Ok(Rendered {
        stale,
        leaks: job.leaks.into_inner().expect("no thread panicked holding the leaks"),
        pages,
        shared_paths,
        villages,
        removed,
    })
}

/// The villages `rendered` has that `site` no longer has. Told at once
/// when every village of the site is among as many rendered (the usual
/// rebuild), without a set of all their paths.
fn removed_villages(site: &Site, rendered: &FastMap<String, RenderedVillage>) -> Vec<String> {
    let mut count = 0;
    let all_known = render::villages(site).all(|at| {
        count += 1;
        rendered.contains_key(&at.village.place_path)
    });
    if all_known && count == rendered.len() {
        return Vec::new();
    }
    let here: HashSet<&str> = render::villages(site)
        .map(|at| at.village.place_path.as_str())
        .collect();
    rendered
        .keys()
        .filter(|k| !here.contains(k.as_str()))
        .cloned()
        .collect()
}

/// Everything besides a village's own data that its pages depend on.
fn render_key(site: &Site, theme_key: u64, options: &Options) -> u64 {
    let mut h = Hasher::default();
    theme_key.hash(&mut h);
    (&site.config, &site.standards, &site.partners).hash(&mut h);
    site.this_month.hash(&mut h);
    options.base_url.hash(&mut h);
    h.finish()
}
