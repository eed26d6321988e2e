//! Rendering the villages that changed, on all cores, and remembering what
//! each was rendered from (so an unchanged village is not rendered again,
//! and a village gone takes its files with it).

use std::cell::Cell;
use std::collections::HashSet;
use std::sync::Arc;

use super::BuildError;
use crate::hash::FastMap;
use crate::model::{Site, Village};
use crate::progress::Progress;
use crate::render::{self, Body, Output};
use crate::theme::Theme;

use super::Stats;
use super::sink::Sink;

/// What a village's pages were last rendered from, and the files they made.
pub(super) struct RenderedVillage {
    pub(super) village: Arc<Village>,
    pub(super) key: u64,
    pub(super) paths: Vec<String>,
    /// The board page and its size in bytes, for the page-weight budget.
    pub(super) board: (String, usize),
    /// The last rebuild that found this village still in the site.
    pub(super) seen: Cell<u64>,
}

/// What rendering the villages gave: outputs that changed, files they no
/// longer make, and the memo entries to keep after a successful write.
#[derive(Default)]
pub(super) struct VillageUpdates {
    pub(super) changed: Vec<Output>,
    pub(super) stale: Vec<String>,
    pub(super) villages: Vec<(String, RenderedVillage)>,
}

/// One village's rendered files: their paths, the board's size, and the
/// outputs the sink kept (none when they were written at once).
struct VillageFiles {
    paths: Vec<String>,
    board: (String, usize),
    kept: Vec<Output>,
}

/// What rendering the villages of one rebuild needs.
pub(super) struct VillageJob<'a> {
    pub(super) site: &'a Site,
    pub(super) theme: &'a Theme,
    /// See [`render_key`].
    pub(super) global: u64,
    pub(super) sink: &'a dyn Sink,
    pub(super) progress: &'a Progress,
}

/// Render the villages that changed; unchanged ones are only marked as still there.
pub(super) fn render_villages(
    job: &VillageJob<'_>,
    memo: &FastMap<String, RenderedVillage>,
    generation: &mut u64,
    last: &mut Stats,
) -> Result<VillageUpdates, BuildError> {
    use rayon::prelude::*;
    let VillageJob {
        site,
        theme,
        global,
        sink,
        progress,
    } = *job;
    *generation += 1;
    // Which villages need rendering is quick to tell; rendering them is the
    // work, done on all cores.
    let mut todo = Vec::new();
    for at in render::villages(site) {
        let key = at.key(global);
        let previous = memo.get(&at.village.place_path);
        if let Some(p) = previous {
            p.seen.set(*generation);
        }
        if !previous.is_some_and(|p| p.key == key && Arc::ptr_eq(&p.village, at.village)) {
            todo.push((at, key));
        }
    }
    progress.stage("render", todo.len());
    let rendered: Vec<Result<VillageFiles, BuildError>> = todo
        .par_iter()
        .map(|(at, _)| {
            let outputs = render::village(site, theme, at).map_err(BuildError::Render)?;
            let files = VillageFiles {
                paths: outputs.iter().map(|o| o.path.clone()).collect(),
                board: board_size(at, &outputs),
                kept: sink.take(outputs)?,
            };
            progress.step();
            Ok(files)
        })
        .collect();
    let mut u = VillageUpdates::default();
    for ((at, key), files) in todo.into_iter().zip(rendered) {
        let VillageFiles { paths, board, kept } = files?;
        last.villages_rendered += 1;
        if let Some(prev) = memo.get(&at.village.place_path) {
            u.stale.extend(gone(&prev.paths, &paths));
        }
        u.changed.extend(kept);
        let village = Arc::clone(at.village);
        let seen = Cell::new(*generation);
        u.villages.push((
            village.place_path.clone(),
            RenderedVillage {
                village,
                key,
                paths,
                board,
                seen,
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
