//! The build, kept alive between rebuilds: files read, villages validated and
//! pages rendered last time are reused while their inputs are unchanged.
//!
//! `starboard build` runs one full pass (written aside and swapped in);
//! `watch` and `serve` call [`Engine::rebuild`] with the paths that changed.
//! Every rebuild looks at content/ as `build` does, so it finds what `build`
//! would (a folder restored, a village.toml gone); only folders with a
//! change in them are walked again, only files whose size, mtime or event
//! say they changed are read again, only pages whose inputs changed are
//! rendered, and only output files whose bytes changed are rewritten.
//!
//! Rendered files go to a [`Sink`] (`sink`); villages are rendered in
//! `villages`; the page-weight rule is in `rules`.

mod load;
mod outcome;
mod rules;
mod sink;
mod villages;

use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{Lang, Problem, Problems};
use crate::hash::{FastMap, Hasher};
use crate::model::Site;
use crate::output::{self, Written};
use crate::progress::Progress;
use crate::render::{self, Body, Output};
use crate::source::Sources;
use crate::theme::Theme;
use crate::{scan, validate};

pub use outcome::{BuildError, Options, Report};

pub use rules::PAGE_BUDGET;
use sink::{Inspected, Inspection, Keep, StagingSink, output_error};
pub use sink::{MemorySink, Sink};
use villages::{RenderedVillage, VillageJob, VillageUpdates, gone, render_villages};

/// Paths that changed under the site root; `rescan` asks for a full walk
/// (the watcher lost events, or the caller does not know what changed).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ChangeSet {
    pub paths: BTreeSet<PathBuf>,
    pub rescan: bool,
}

impl ChangeSet {
    pub fn rescan() -> ChangeSet {
        ChangeSet {
            paths: BTreeSet::new(),
            rescan: true,
        }
    }
}

/// The outcome of rendering: what to write, what to delete, and the memos to
/// keep once (and only if) the writing succeeded.
struct Rendered {
    /// Every output for a first build; only new or changed ones afterwards.
    changed: Vec<Output>,
    stale: Vec<String>,
    pages: render::PageMemo,
    shared_paths: Vec<String>,
    /// Villages rendered again, by place path, and villages gone.
    villages: Vec<(String, RenderedVillage)>,
    removed: Vec<String>,
}

pub struct Engine {
    options: Options,
    sources: Option<Sources>,
    memo: validate::Memo,
    theme: Option<(u64, Theme)>,
    /// Shared pages' input hashes (see `render::shared`).
    pages: render::PageMemo,
    shared_paths: Vec<String>,
    /// By place path (`藤县/金鸡镇/同荣村`).
    villages: FastMap<String, RenderedVillage>,
    /// Counts rebuilds, to mark which villages are still there.
    generation: u64,
    /// What is in the output folder now, by path; None before the first write.
    written: Option<HashMap<String, Written>>,
    /// base_url's path and language from the last site.toml that parsed.
    base_path: Option<String>,
    lang: Lang,
    /// Paths of a batch whose rebuild failed: read again on the next one,
    /// so a failure never loses an edit made in the same batch.
    carried: BTreeSet<PathBuf>,
    /// Counters of the last rebuild, for tests and timings.
    pub last: Stats,
    /// Where the running rebuild is, for a progress bar.
    progress: Arc<Progress>,
}

/// What the last rebuild did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    pub files_read: usize,
    pub villages_rendered: usize,
    pub files_written: usize,
    pub files_removed: usize,
    /// How long each stage took, in order, and the process's peak memory
    /// (bytes) when it ended, where the system tells it.
    pub timings: Vec<(&'static str, Duration, Option<u64>)>,
}

impl Stats {
    /// Record that the stage `name` ended now; it began where the last one ended.
    fn lap(&mut self, name: &'static str, since: &mut Instant) {
        let now = Instant::now();
        self.timings.push((name, now - *since, crate::progress::peak_memory()));
        *since = now;
    }
}

impl Engine {
    pub fn new(options: Options) -> Engine {
        Engine {
            options,
            sources: None,
            memo: validate::Memo::default(),
            theme: None,
            pages: render::PageMemo::default(),
            shared_paths: Vec::new(),
            villages: FastMap::default(),
            generation: 0,
            written: None,
            carried: BTreeSet::new(),
            base_path: None,
            lang: Lang::default(),
            last: Stats::default(),
            progress: Arc::default(),
        }
    }

    /// The running rebuild's stage and counts, for a progress bar.
    pub fn progress(&self) -> Arc<Progress> {
        Arc::clone(&self.progress)
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// base_url's path (`/` or `/sub/`) as site.toml last said it; None
    /// before a site.toml was read.
    pub fn base_path(&self) -> Option<&str> {
        self.base_path.as_deref()
    }

    /// The site's language as site.toml last said it (the default before).
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Validate and render the whole site into `sink` (shared pages first,
    /// then village by village), remembering nothing; tests keep it in
    /// memory. Returns the warnings.
    pub fn render_into(&mut self, sink: &dyn Sink) -> Result<Problems, BuildError> {
        let (site, warnings) = self.prepare()?;
        self.render_whole(&site, sink)?;
        Ok(warnings)
    }

    /// The whole site loaded and validated, with its theme.
    fn prepare(&mut self) -> Result<(Site, Problems), BuildError> {
        let (site, mut warnings) = self.load(&ChangeSet::rescan(), &mut Instant::now())?;
        self.theme(&site, true)?;
        warnings.extend(self.unpublished_files());
        Ok((site, warnings))
    }

    /// Render every page into `sink`; returns the boards' sizes.
    fn render_whole(&self, site: &Site, sink: &dyn Sink) -> Result<Vec<(String, usize)>, BuildError> {
        let (_, theme) = self.theme.as_ref().expect("loaded by prepare");
        // Shared pages first: most links lead to them, so a village's links
        // are settled as soon as its own pages are rendered.
        sink.take(render::shared(site, theme, None, 0).map_err(BuildError::Render)?)?;
        let job = VillageJob {
            site,
            theme,
            global: 0,
            sink,
            progress: &self.progress,
        };
        let villages = render_villages(&job, &FastMap::default(), &mut 0, &mut Stats::default())?;
        Ok(villages.villages.into_iter().map(|(_, v)| v.board).collect())
    }

    /// Validate and render everything; write nothing. Pages are inspected
    /// (numbers, links, weight) as they are rendered and then dropped, so a
    /// big site is never held in memory at once.
    pub fn check(&mut self) -> Result<Report, BuildError> {
        let (site, mut warnings) = self.prepare()?;
        let lang = site.config.lang;
        let inspection = Inspection::new(&site.config.privacy, lang);
        let boards = self.render_whole(&site, &inspection)?;
        let (_, theme) = self.theme.as_ref().expect("loaded by prepare");
        // `check` fails on a page over the weight budget; `build` warns.
        let heavy = rules::heavy_boards(boards.iter(), theme);
        let Inspected {
            leaks,
            broken_links,
            pages,
            files,
        } = inspection.finish();
        let leaks = self.leak_problems(leaks);
        // The lint: warnings about pasted-in text and links to nowhere.
        let simplified = site.config.is_simplified();
        if let Some(sources) = &self.sources {
            for file in sources.files() {
                warnings.extend(crate::lint::file(file, simplified));
            }
        }
        warnings.extend(broken_links);
        let warnings = warnings.sorted();
        if !heavy.is_empty() || !leaks.is_empty() {
            let mut problems = warnings;
            problems.extend(heavy);
            problems.extend(leaks);
            return Err(BuildError::Problems(problems.sorted(), lang));
        }
        Ok(Report {
            lang,
            warnings,
            pages,
            files,
        })
    }

    /// Build after `changes`. The first build writes the whole site aside and
    /// swaps it in; later ones update the output folder file by file.
    pub fn rebuild(&mut self, changes: &ChangeSet) -> Result<Report, BuildError> {
        let mut changes = changes.clone();
        changes.paths.extend(std::mem::take(&mut self.carried));
        let result = self.rebuild_now(&changes);
        if result.is_err() {
            self.carried = changes.paths;
        }
        result
    }

    fn rebuild_now(&mut self, changes: &ChangeSet) -> Result<Report, BuildError> {
        self.last = Stats::default();
        let mut clock = Instant::now();
        let (site, warnings) = self.load(changes, &mut clock)?;
        self.last.files_read = self.sources.as_ref().map_or(0, |s| s.reads);
        let theme_changed =
            self.written.is_none() || changes.rescan || touches(changes, &self.options.root.join("themes"));
        if self.written.is_none() {
            // Nothing is on disk yet that an unchanged page could stand for.
            self.pages = render::PageMemo::default();
            self.shared_paths.clear();
            self.villages.clear();
        }
        self.theme(&site, theme_changed)?;
        let mut warnings = warnings;
        warnings.extend(self.unpublished_files());
        self.last.lap("theme", &mut clock);
        let lang = site.config.lang;
        let out_dir = self.options.output_dir();
        let first = self.written.is_none();
        if first {
            // A first build streams: each village's files are scanned and
            // written to the staging folder as soon as they are rendered.
            let stream = StagingSink::new(&out_dir, &site.config.privacy, lang)?;
            let rendered = self.render(&site, &stream, &mut clock)?;
            let (staging, leaks, written) = stream.into_parts();
            // Dropping the staging folder leaves the output as it was.
            self.refuse_leaks(leaks, &warnings, lang)?;
            self.progress.stage("write", 0);
            staging.finish().map_err(|e| output_error(e, lang))?;
            self.last.files_written = written.len();
            self.written = Some(written);
            self.keep(rendered);
        } else {
            let mut rendered = self.render(&site, &Keep, &mut clock)?;
            // Nothing is written that would publish a personal number.
            self.refuse_leaks(scan::outputs(&rendered.changed, &site.config.privacy), &warnings, lang)?;
            self.last.lap("scan", &mut clock);
            self.progress.stage("write", 0);
            let written = self.written.as_mut().expect("not a first build");
            let (w, r) = output::update_site(
                &out_dir,
                std::mem::take(&mut rendered.changed),
                &rendered.stale,
                written,
            )
            .map_err(|e| output_error(e, lang))?;
            self.last.files_written = w;
            self.last.files_removed = r;
            self.keep(rendered);
        }
        if let Some((_, theme)) = &self.theme {
            let heavy = rules::heavy_boards(self.villages.values().map(|v| &v.board), theme);
            warnings.extend(heavy.into_iter().map(Problem::warning));
        }
        let warnings = warnings.sorted();
        self.last.lap(if first { "swap" } else { "write" }, &mut clock);
        let written = self.written.as_ref().expect("set by the write above");
        Ok(Report {
            lang: site.config.lang,
            warnings,
            pages: written.keys().filter(|p| p.ends_with(".html")).count(),
            files: written.len(),
        })
    }

    /// Once the output is written, the memos describe what is on disk.
    fn keep(&mut self, rendered: Rendered) {
        self.pages = rendered.pages;
        self.shared_paths = rendered.shared_paths;
        for key in rendered.removed {
            self.villages.remove(&key);
        }
        self.villages.extend(rendered.villages);
    }

    /// Render what changed: shared pages whose inputs differ, and the pages
    /// of villages that changed (or whose surroundings did).
    fn render(&mut self, site: &Site, sink: &dyn Sink, clock: &mut Instant) -> Result<Rendered, BuildError> {
        let (theme_key, theme) = self.theme.as_ref().expect("theme loaded before render");
        let global = render_key(site, *theme_key, &self.options);
        let mut pages = self.pages.clone();
        // Shared pages and changed villages do not depend on each other: on
        // two cores, render them side by side.
        let (shared, village_result) = std::thread::scope(|scope| {
            let shared = scope.spawn(|| {
                let outputs = render::shared(site, theme, Some(&mut pages), global).map_err(BuildError::Render)?;
                let paths: Vec<String> = outputs.iter().map(|o| o.path.clone()).collect();
                let outputs = outputs.into_iter().filter(|o| o.body != Body::Unchanged).collect();
                Ok::<_, BuildError>((paths, sink.take(outputs)?))
            });
            let job = VillageJob {
                site,
                theme,
                global,
                sink,
                progress: &self.progress,
            };
            let villages = render_villages(&job, &self.villages, &mut self.generation, &mut self.last);
            (shared.join().expect("rendering shared pages does not panic"), villages)
        });
        let (shared_paths, shared) = shared?;
        pages.retain(&shared_paths);
        let VillageUpdates {
            mut changed,
            mut stale,
            villages,
        } = village_result?;
        stale.extend(gone(&self.shared_paths, &shared_paths));
        changed.extend(shared);
        let generation = self.generation;
        // Villages that are no longer there take their files with them.
        let removed: Vec<String> = self
            .villages
            .iter()
            .filter(|(_, v)| v.seen.get() != generation)
            .map(|(k, _)| k.clone())
            .collect();
        for key in &removed {
            stale.extend(self.villages[key].paths.iter().cloned());
        }
        self.last.lap(sink.name(), clock);
        Ok(Rendered {
            changed,
            stale,
            pages,
            shared_paths,
            villages,
            removed,
        })
    }
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

/// Whether any changed path is under `dir`.
fn touches(changes: &ChangeSet, dir: &Path) -> bool {
    changes.paths.iter().any(|p| p.starts_with(dir))
}
