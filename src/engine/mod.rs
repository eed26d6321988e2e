//! The build, kept alive between rebuilds: files read, villages validated and
//! pages rendered last time are reused while their inputs are unchanged.
//!
//! `starboard build` runs one full pass (written aside and swapped in);
//! `watch` and `serve` call [`Engine::rebuild`] with the paths that changed.
//! Every rebuild walks the whole of content/ again, exactly as `build` does,
//! so it finds what `build` would (a folder restored, a village.toml gone);
//! only files whose size, mtime or event say they changed are read again,
//! only pages whose inputs changed are rendered, and only output files whose
//! bytes changed are rewritten.

use std::cell::Cell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::{Lang, Problem, Problems, t};
use crate::hash::{FastMap, Hasher};
use crate::model::{Site, Village};
use crate::output::{self, Written};
use crate::progress::Progress;
use crate::render::{self, Body, Output};
use crate::source::{Loader, Sources};
use crate::theme::{self, Theme};
use crate::{BuildError, Options, Report, config, scan, validate};

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

/// What a village's pages were last rendered from, and the files they made.
struct RenderedVillage {
    village: Arc<Village>,
    key: u64,
    paths: Vec<String>,
    /// The board page and its size in bytes, for the page-weight budget.
    board: (String, usize),
    /// The last rebuild that found this village still in the site.
    seen: Cell<u64>,
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
    /// base_url's path from the last site.toml that parsed.
    base_path: Option<String>,
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

    /// Validate and render everything; write nothing. Pages are inspected
    /// (numbers, links, weight) as they are rendered and then dropped, so a
    /// big site is never held in memory at once.
    pub fn check(&mut self) -> Result<Report, BuildError> {
        let (site, warnings) = self.load(&ChangeSet::rescan(), &mut Instant::now())?;
        let lang = site.config.lang;
        self.theme(&site, true)?;
        let mut warnings = warnings;
        warnings.extend(self.unpublished_files());
        let (_, theme) = self.theme.as_ref().expect("just loaded");
        // Shared pages first: most links lead to them, so a village's links
        // are settled as soon as its own pages are rendered.
        let shared = render::shared(&site, theme, None, 0).map_err(BuildError::Render)?;
        let inspection = Inspection::new(&site.config.privacy, lang, &shared);
        inspection.take(shared)?;
        let job = VillageJob {
            site: &site,
            theme,
            global: 0,
            sink: &Sink::Inspect(&inspection),
            progress: &self.progress,
        };
        let villages = render_villages(&job, &FastMap::default(), &mut 0, &mut Stats::default())?;
        // `check` fails on a page over the weight budget; `build` warns.
        let css = css_bytes(theme);
        let heavy: Vec<Problem> = villages
            .villages
            .iter()
            .map(|(_, v)| &v.board)
            .filter(|(_, bytes)| bytes + css > PAGE_BUDGET)
            .map(|(page, bytes)| over_budget(page, bytes + css))
            .collect();
        let Inspected {
            leaks,
            broken_links,
            pages,
            files,
        } = inspection.finish();
        let leaks = self.leak_problems(leaks);
        // The lint: warnings about pasted-in text and links to nowhere.
        let simplified = matches!(
            site.config.language.to_ascii_lowercase().as_str(),
            "zh" | "zh-hans" | "zh-cn" | "zh-sg"
        );
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
            let stream = Stream::new(&out_dir, &site.config.privacy, lang)?;
            let rendered = self.render(&site, &Sink::Stream(&stream), &mut clock)?;
            let (staging, leaks, written) = stream.into_parts();
            // Dropping the staging folder leaves the output as it was.
            self.refuse_leaks(leaks, &warnings, lang)?;
            self.progress.stage("write", 0);
            staging.finish().map_err(|e| output_error(e, lang))?;
            self.last.files_written = written.len();
            self.written = Some(written);
            self.keep(rendered);
        } else {
            let mut rendered = self.render(&site, &Sink::Keep, &mut clock)?;
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
        let css = self.theme.as_ref().map_or(0, |(_, t)| css_bytes(t));
        for (page, bytes) in self.villages.values().map(|v| &v.board) {
            if bytes + css > PAGE_BUDGET {
                warnings.push(over_budget(page, bytes + css).warning());
            }
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

    /// Warnings for files beside the content of a kind neither a page shows
    /// nor the theme declares: they are not published, and staff should know.
    fn unpublished_files(&self) -> Vec<Problem> {
        let (Some(sources), Some((_, theme))) = (&self.sources, &self.theme) else {
            return Vec::new();
        };
        sources
            .assets()
            .into_iter()
            .filter(|a| crate::source::asset_kind(&a.name) == crate::source::AssetKind::Unknown)
            .filter(|a| !theme.publishes(&a.name))
            .map(|a| {
                Problem::error(
                    &a.shown,
                    None,
                    t(
                        "a file of a kind pages do not show; it is not published",
                        "页面不会显示这种文件，它不会被发布",
                    ),
                    t(
                        "pictures (JPG, PNG, WebP, SVG) and PDF are published; move other files out of content/",
                        "只发布图片（JPG、PNG、WebP、SVG）和 PDF；其他文件请移出 content/",
                    ),
                )
                .warning()
            })
            .collect()
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

    /// Fail the build, with the warnings so far, if pages would publish a
    /// personal number.
    fn refuse_leaks(&self, leaks: Vec<scan::Leak>, warnings: &Problems, lang: Lang) -> Result<(), BuildError> {
        if leaks.is_empty() {
            return Ok(());
        }
        let mut problems = warnings.clone();
        problems.extend(self.leak_problems(leaks));
        Err(BuildError::Problems(problems.sorted(), lang))
    }

    /// Leaks as problems at the content file that holds the number.
    fn leak_problems(&self, leaks: Vec<scan::Leak>) -> Vec<Problem> {
        let files = self.sources.as_ref().map(|s| s.files()).unwrap_or_default();
        scan::problems(leaks, |digits| {
            files.iter().find_map(|f| {
                let at = f.text.find(digits)?;
                Some((f.shown.clone(), crate::error::Location::at(&f.text, at)))
            })
        })
    }

    /// config → load → validate, reading only what `changes` touched.
    fn load(&mut self, changes: &ChangeSet, clock: &mut Instant) -> Result<(Site, Problems), BuildError> {
        self.progress.stage("read", 0);
        let changed: HashSet<PathBuf> = changes.paths.iter().cloned().collect();
        // Folders and files are taken from the last walk where unchanged.
        let previous = if changes.rescan { None } else { self.sources.take() };
        let loaded = Loader::new(&self.options.root, &changed).load(previous);
        self.sources = Some(loaded.map_err(BuildError::Io)?);
        self.last.lap("read", clock);
        let sources = self.sources.as_ref().expect("just loaded");
        // Reading problems are kept with the folders they were found in, so
        // they are reported on every rebuild until fixed, not only on the one
        // that read the file.
        let mut problems = Problems(sources.problems.clone());
        let Some(site_file) = &sources.site else {
            problems.push(validate::missing_site_toml());
            return Err(BuildError::Problems(problems.sorted(), Lang::En));
        };
        let lang = config::sniff_lang(&site_file.text);
        let config = match config::parse(&site_file.shown, &site_file.text, self.options.base_url.as_deref()) {
            Ok(c) => c,
            Err(p) => {
                problems.extend(p.0);
                return Err(BuildError::Problems(problems.sorted(), lang));
            }
        };
        let lang = config.lang;
        self.base_path = Some(config.base_path().to_string());
        self.progress.stage("validate", 0);
        let (site, more) = validate::site(sources, config, &mut self.memo);
        self.last.lap("validate", clock);
        problems.extend(more.0);
        let problems = problems.sorted();
        match site {
            Some(site) if !problems.has_errors() => Ok((site, problems)),
            _ => Err(BuildError::Problems(problems, lang)),
        }
    }

    /// The theme, loaded again only when its files may have changed.
    fn theme(&mut self, site: &Site, reload: bool) -> Result<&Theme, BuildError> {
        if reload || self.theme.is_none() {
            let theme = theme::load(&self.options.root, &site.config.theme).map_err(|e| match e {
                theme::ThemeError::Refused(p) => BuildError::Problems(Problems(vec![*p]), site.config.lang),
                e => BuildError::Theme(e),
            })?;
            self.theme = Some((theme.key, theme));
        }
        Ok(&self.theme.as_ref().expect("just loaded").1)
    }

    /// Render what changed: shared pages whose inputs differ, and the pages
    /// of villages that changed (or whose surroundings did).
    fn render(&mut self, site: &Site, sink: &Sink<'_>, clock: &mut Instant) -> Result<Rendered, BuildError> {
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
        self.last.lap(
            match sink {
                Sink::Keep => "render",
                Sink::Stream(_) => "render+scan+write",
                Sink::Inspect(_) => "render+inspect",
            },
            clock,
        );
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

/// What rendering the villages gave: outputs that changed, files they no
/// longer make, and the memo entries to keep after a successful write.
#[derive(Default)]
struct VillageUpdates {
    changed: Vec<Output>,
    stale: Vec<String>,
    villages: Vec<(String, RenderedVillage)>,
}

/// One village's rendered files: their paths, the board's size, and the
/// outputs the sink kept (none when they were written at once).
struct VillageFiles {
    paths: Vec<String>,
    board: (String, usize),
    kept: Vec<Output>,
}

/// Where rendered files go.
enum Sink<'a> {
    /// Kept, to bring the output folder up to date file by file.
    Keep,
    /// Scanned and written into the staging folder straight away.
    Stream(&'a Stream<'a>),
    /// Inspected for `check` and dropped.
    Inspect(&'a Inspection<'a>),
}

impl Sink<'_> {
    /// Pass `outputs` on; returns those kept for later.
    fn take(&self, outputs: Vec<Output>) -> Result<Vec<Output>, BuildError> {
        match self {
            Sink::Keep => Ok(outputs),
            Sink::Stream(stream) => stream.take(outputs).map(|()| Vec::new()),
            Sink::Inspect(inspection) => inspection.take(outputs).map(|()| Vec::new()),
        }
    }
}

/// A first build in progress: the staging folder, the personal numbers found
/// so far, and a fingerprint of every file written.
struct Stream<'a> {
    staging: output::Staging,
    privacy: &'a crate::config::Privacy,
    lang: Lang,
    leaks: Mutex<Vec<scan::Leak>>,
    written: Mutex<HashMap<String, Written>>,
}

impl<'a> Stream<'a> {
    fn new(out_dir: &Path, privacy: &'a crate::config::Privacy, lang: Lang) -> Result<Stream<'a>, BuildError> {
        Ok(Stream {
            staging: output::Staging::new(out_dir).map_err(|e| output_error(e, lang))?,
            privacy,
            lang,
            leaks: Mutex::default(),
            written: Mutex::default(),
        })
    }

    /// Scan `outputs`, then write them unless the build already cannot
    /// succeed (a personal number was found: keep scanning, to report all).
    fn take(&self, outputs: Vec<Output>) -> Result<(), BuildError> {
        let leaks = scan::outputs(&outputs, self.privacy);
        let mut all_leaks = self.leaks.lock().expect("no thread panics holding the leaks");
        all_leaks.extend(leaks);
        if !all_leaks.is_empty() {
            return Ok(());
        }
        drop(all_leaks);
        self.staging.write(&outputs).map_err(|e| output_error(e, self.lang))?;
        let fingerprints: Vec<(String, Written)> = outputs
            .into_iter()
            .map(|o| {
                let fingerprint = output::written(&o.body);
                (o.path, fingerprint)
            })
            .collect();
        self.written
            .lock()
            .expect("no thread panics holding the fingerprints")
            .extend(fingerprints);
        Ok(())
    }

    fn into_parts(self) -> (output::Staging, Vec<scan::Leak>, HashMap<String, Written>) {
        let leaks = self.leaks.into_inner().expect("no thread panicked");
        let written = self.written.into_inner().expect("no thread panicked");
        (self.staging, leaks, written)
    }
}

/// `check` in progress: what it found in the pages rendered so far, and the
/// path of every file, to tell links to nowhere and two files at one path.
struct Inspection<'a> {
    privacy: &'a crate::config::Privacy,
    lang: Lang,
    /// The shared pages' paths, which most links lead to.
    shared: HashSet<String>,
    paths: output::PathSet,
    leaks: Mutex<Vec<scan::Leak>>,
    /// Links to pages not known when they were found (another village's,
    /// or none at all).
    pending: Mutex<Vec<crate::lint::PendingLink>>,
}

/// What `check` found in the pages.
struct Inspected {
    leaks: Vec<scan::Leak>,
    broken_links: Vec<Problem>,
    pages: usize,
    files: usize,
}

impl<'a> Inspection<'a> {
    fn new(privacy: &'a crate::config::Privacy, lang: Lang, shared: &[Output]) -> Inspection<'a> {
        Inspection {
            privacy,
            lang,
            shared: shared.iter().map(|o| o.path.clone()).collect(),
            paths: output::PathSet::default(),
            leaks: Mutex::default(),
            pending: Mutex::default(),
        }
    }

    /// Inspect one part of the site (the shared pages, or a village's).
    fn take(&self, outputs: Vec<Output>) -> Result<(), BuildError> {
        self.paths.claim(&outputs).map_err(|e| output_error(e, self.lang))?;
        let leaks = scan::outputs(&outputs, self.privacy);
        let own: HashSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
        let pending = crate::lint::unresolved_links(&outputs, |p| self.shared.contains(p) || own.contains(p));
        self.leaks
            .lock()
            .expect("no thread panics holding the leaks")
            .extend(leaks);
        self.pending
            .lock()
            .expect("no thread panics holding the links")
            .extend(pending);
        Ok(())
    }

    /// Settle the pending links against every path.
    fn finish(self) -> Inspected {
        let paths = self.paths.into_inner();
        let broken_links = self
            .pending
            .into_inner()
            .expect("no thread panicked")
            .into_iter()
            .filter(|link| !link.targets.iter().any(|t| paths.contains(t)))
            .map(|link| link.problem)
            .collect();
        Inspected {
            leaks: self.leaks.into_inner().expect("no thread panicked"),
            broken_links,
            pages: paths.iter().filter(|p| p.ends_with(".html")).count(),
            files: paths.len(),
        }
    }
}

/// What rendering the villages of one rebuild needs.
struct VillageJob<'a> {
    site: &'a Site,
    theme: &'a Theme,
    /// See [`render_key`].
    global: u64,
    sink: &'a Sink<'a>,
    progress: &'a Progress,
}

/// Render the villages that changed; unchanged ones are only marked as still there.
fn render_villages(
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

/// A village board page must stay light for cheap phones on slow networks.
pub const PAGE_BUDGET: usize = 50 * 1024;

/// The board's path and size among a village's outputs.
fn board_size(at: &render::VillageAt<'_>, outputs: &[Output]) -> (String, usize) {
    let path = format!("{}index.html", at.path());
    let size = outputs.iter().find(|o| o.path == path).map_or(0, |o| match &o.body {
        Body::Bytes(b) => b.len(),
        _ => 0,
    });
    (path, size)
}

/// Bytes of the theme's stylesheets, which every page loads.
fn css_bytes(theme: &Theme) -> usize {
    theme
        .statics
        .iter()
        .filter(|(p, _)| p.ends_with(".css"))
        .map(|(_, b)| b.len())
        .sum()
}

/// Output failures as users see them: two files at one path is a problem in
/// the content (a file beside a village named like a page), said in the
/// site's language; the rest are I/O errors.
fn output_error(e: output::OutputError, lang: Lang) -> BuildError {
    match e {
        output::OutputError::Collision(path) => BuildError::Problems(Problems(vec![collision(&path)]), lang),
        other => BuildError::Output(other, lang),
    }
}

fn collision(path: &str) -> Problem {
    Problem::error(
        Path::new(path),
        None,
        t(
            format!("two files would be published at {path}"),
            format!("有两个文件会发布到同一个地址 {path}"),
        ),
        t(
            "rename the file beside the content that has this name (e.g. an index.html in a village folder)",
            "请给内容文件夹里同名的文件改名（例如村文件夹里的 index.html）",
        ),
    )
}

/// A board over the budget, named with its size.
fn over_budget(page: &str, bytes: usize) -> Problem {
    let kb = bytes.div_ceil(1024);
    let limit = PAGE_BUDGET / 1024;
    Problem::error(
        Path::new(page),
        None,
        t(
            format!("page weighs {kb} KB with its stylesheet, over the {limit} KB budget for phones on slow networks"),
            format!("这个页面连同样式表共 {kb} KB，超过了 {limit} KB 的预算（手机网络慢时打开太久）"),
        ),
        t(
            "move older news off the village, or shorten long descriptions",
            "把较早的新闻移走，或缩短过长的介绍文字",
        ),
    )
}

/// Paths in `before` that are not in `after`.
fn gone(before: &[String], after: &[String]) -> Vec<String> {
    let after: HashSet<&String> = after.iter().collect();
    before.iter().filter(|p| !after.contains(p)).cloned().collect()
}

/// Everything besides a village's own data that its pages depend on.
fn render_key(site: &Site, theme_key: u64, options: &Options) -> u64 {
    let mut h = Hasher::default();
    theme_key.hash(&mut h);
    format!("{:?}|{:?}|{:?}", site.config, site.standards, site.partners).hash(&mut h);
    site.this_month.hash(&mut h);
    options.base_url.hash(&mut h);
    h.finish()
}

/// Whether any changed path is under `dir`.
fn touches(changes: &ChangeSet, dir: &Path) -> bool {
    changes.paths.iter().any(|p| p.starts_with(dir))
}
