//! Rendering the villages that changed, on all cores, and remembering what
//! each was rendered from (so an unchanged village is not rendered again,
//! and a village gone takes its files with it).

use std::collections::HashSet;
use std::sync::Arc;

use super::produce::Job;
use super::{BuildError, Stats};
use crate::hash::FastMap;
use crate::model::Village;
use crate::render::{self, Body, Output};

/// What a village's pages were last rendered from, and the files they made.
pub(super) struct RenderedVillage {
    village: Arc<Village>,
    pub(super) key: u64,
    pub(super) paths: Vec<String>,
    /// The board page and its size in bytes, for the page-weight budget.
    pub(super) board: (String, usize),
}

impl RenderedVillage {
    pub(super) fn new(village: Arc<Village>, key: u64, paths: Vec<String>, board: (String, usize)) -> RenderedVillage {
        RenderedVillage {
            village,
            key,
            paths,
            board,
        }
    }
}

/// What rendering the villages gave: files they no longer make, and the
/// memo entries to keep once the output is published.
#[derive(Default)]
pub(super) struct VillageUpdates {
    pub(super) stale: Vec<String>,
    pub(super) villages: Vec<(String, RenderedVillage)>,
}

/// The paths of one village's files and its board's size.
struct VillageFiles {
    paths: Vec<String>,
    board: (String, usize),
}

/// Render the villages whose data or surroundings changed since `memo`.
pub(super) fn render_villages(
    job: &Job<'_>,
    memo: &FastMap<String, RenderedVillage>,
    stats: &mut Stats,
) -> Result<VillageUpdates, BuildError> {
    use rayon::prelude::*;
    // Which villages need rendering is quick to tell; rendering them is the
    // work, done on all cores.
    let todo: Vec<_> = render::villages_keyed(job.site, job.global)
        .filter(|(at, key)| {
            let previous = memo.get(&at.village.place_path);
            !previous.is_some_and(|p| p.key == *key && Arc::ptr_eq(&p.village, at.village))
        })
        .collect();
    job.progress.stage("render", todo.len());
    let rendered: Vec<Result<VillageFiles, BuildError>> = todo
        .par_iter()
        .map(|(at, _)| {
            let outputs =
                render::village(job.site, job.theme, at).map_err(|e| BuildError::Render(e, job.site.config.lang))?;
            let paths = outputs.iter().map(|o| o.path.clone()).collect();
            let board = board_size(at, &outputs);
            job.hand(outputs)?;
            job.progress.step();
            Ok(VillageFiles { paths, board })
        })
        .collect();
    let mut u = VillageUpdates::default();
    for ((at, key), files) in todo.into_iter().zip(rendered) {
        let VillageFiles { paths, board } = files?;
        stats.villages_rendered += 1;
        if let Some(prev) = memo.get(&at.village.place_path) {
            u.stale.extend(gone(&prev.paths, &paths));
        }
        let village = Arc::clone(at.village);
        u.villages.push((
            village.place_path.clone(),
            RenderedVillage {
                village,
                key,
                paths,
                board,
            },
        ));
    }
    Ok(u)
}

/// The board's path and size among a village's outputs.
fn board_size(at: &render::VillageAt<'_>, outputs: &[Output]) -> (String, usize) {
    let path = format!("{}index.html", at.path());
    let size = outputs.iter().find(|o| o.path == path).map_or(0, |o| match &o.body {
        Body::Bytes(b) => b.len(),
        _ => 0,
    });
    (path, size)
}

/// Paths in `before` that are not in `after`.
pub(super) fn gone(before: &[String], after: &[String]) -> Vec<String> {
    let after: HashSet<&String> = after.iter().collect();
    before.iter().filter(|p| !after.contains(p)).cloned().collect()
}
