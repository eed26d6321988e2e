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
//! A first build, a rebuild and `check` are one run with different sinks:
//! `load` reads and validates, `produce` makes what changed (villages in
//! `villages`) and hands it to a [`Sink`] (`sink`: the staging folder, the
//! live folder, `check`'s inspection, memory), `rules` holds the page-weight
//! rule. A first build, `check` and a memory run start with nothing
//! remembered, so they make everything.

mod cache;
mod load;
mod outcome;
mod print;
mod produce;
mod rules;
mod sink;
mod villages;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{Lang, Problem, Problems};
use crate::model::Site;
use crate::progress::Progress;
use crate::source::Sources;
use crate::theme::Theme;
use crate::validate;

pub use outcome::{BuildError, Options, Report};
pub use print::Printed;
pub use rules::PAGE_BUDGET;
pub use sink::{Finished, MemorySink, OnDisk, Sink};

use produce::{Job, Memo};
use sink::{Inspection, LiveSink, StagingSink};

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

/// What a run is for; each has its sink.
enum Mode {
    /// Publish into the output folder: a first build swaps a staging folder
    /// in, later ones update the live folder.
    Build,
    /// Inspect everything, publish nothing, and be strict (`check`).
    Check,
    /// Hand everything to a sink of the caller's.
    Into(Box<dyn Sink>),
}

/// The output folder as the last build left it, and what it was made from.
#[derive(Default)]
struct Live {
    on_disk: OnDisk,
    memo: Memo,
}

pub struct Engine {
    options: Options,
    /// The last walk of content/: unchanged folders and files are taken from it.
    sources: Option<Sources>,
    memo: validate::Memo,
    /// The last theme loaded, kept while its files do not change.
    theme: Option<Arc<Theme>>,
    /// None until a build published (and again after a failed first build).
    live: Option<Live>,
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
    /// What the engine took up from the build cache (`build` only).
    cached: cache::State,
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
    /// Whether the build cache was used, or why not (`build` only).
    pub cache: Option<&'static str>,
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
            live: None,
            carried: BTreeSet::new(),
            base_path: None,
            lang: Lang::default(),
            last: Stats::default(),
            progress: Arc::default(),
            cached: cache::State::default(),
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

    /// Build after `changes`: the first build writes the whole site aside and
    /// swaps it in; later ones update the output folder file by file.
    pub fn rebuild(&mut self, changes: &ChangeSet) -> Result<Report, BuildError> {
        let mut changes = changes.clone();
        changes.paths.extend(std::mem::take(&mut self.carried));
        let result = self.run(&changes, Mode::Build);
        if result.is_err() {
            self.carried = changes.paths;
        }
        // A deploy starts only from a good build: say how this one went.
        let status = crate::deploy::status_file(&self.options.root);
        let word: &[u8] = if result.is_ok() { b"ok\n" } else { b"failed\n" };
        let _ = crate::fs::write(&status, word);
        result
    }

    /// Validate and render everything, inspect every page (numbers, links,
    /// weight) and the sources (lint); write nothing.
    pub fn check(&mut self) -> Result<Report, BuildError> {
        self.run(&ChangeSet::rescan(), Mode::Check)
    }

    /// Validate and render the whole site into `sink`, remembering nothing
    /// (tests keep it in memory, see [`MemorySink`]).
    pub fn render_into(&mut self, sink: Box<dyn Sink>) -> Result<Report, BuildError> {
        self.run(&ChangeSet::rescan(), Mode::Into(sink))
    }

    /// The one run: load what changed, make what changed, publish it.
    fn run(&mut self, changes: &ChangeSet, mode: Mode) -> Result<Report, BuildError> {
        self.last = Stats::default();
        let mut clock = Instant::now();
        let build = matches!(mode, Mode::Build);
        let strict = matches!(mode, Mode::Check);
        // `check` lints every source afterwards: it keeps their text.
        let (site, mut warnings) = self.load(changes, &mut clock, strict)?;
        let reload =
            !build || self.live.is_none() || changes.rescan || touches(changes, &self.options.root.join("themes"));
        let theme = self.theme(&site, reload)?;
        // The cached build used another theme: build in full.
        if self.cached.theme.take().is_some_and(|key| key != theme.key) {
            self.live = None;
            if let Some(file) = &self.cached.file {
                let _ = std::fs::remove_file(file);
            }
        }
        // Only a build carries on from what it published last.
        let first = !build || self.live.is_none();
        warnings.extend(self.unpublished_files(&theme));
        self.last.lap("theme", &mut clock);
        let lang = site.config.lang;
        let out_dir = self.options.output_dir();
        let sink: Box<dyn Sink> = match mode {
            Mode::Build if !first => Box::new(LiveSink::new(out_dir, lang, self.cached.file.clone())),
            Mode::Build => Box::new(StagingSink::new(&out_dir, lang)?),
            Mode::Check => Box::new(Inspection::new(lang)),
            Mode::Into(sink) => sink,
        };
        let pass = Pass {
            site: &site,
            theme: &theme,
            sink,
            strict,
            warnings,
            clock,
        };
        let mut live = if first {
            Live::default()
        } else {
            self.live.take().unwrap_or_default()
        };
        let mut result = self.publish(pass, &mut live);
        // A rebuild that failed left the output, and so what it was made
        // from, as it was; a first build that failed left nothing to keep.
        if build && (result.is_ok() || !first) {
            self.live = Some(live);
        }
        // The printables too, when site.toml asks for them on every build.
        if build && result.is_ok() && site.config.print.on_build {
            let dir = self.options.root.join("print");
            if let Err(e) = self.write_printables(&site, &theme, &dir, &[]) {
                result = Err(e);
            }
        }
        result
    }

    /// Make what changed into the pass's sink and, unless a page would
    /// publish a personal number, publish it; `live` is what the output
    /// holds and was made from, brought up to date on success.
    fn publish(&mut self, pass: Pass<'_>, live: &mut Live) -> Result<Report, BuildError> {
        let Pass {
            site,
            theme,
            sink,
            strict,
            mut warnings,
            mut clock,
        } = pass;
        let lang = site.config.lang;
        let job = Job::new(site, theme, &self.options, &*sink, &self.progress);
        let rendered = produce::render(job, &live.memo, &mut self.last)?;
        self.last.lap(sink.name(), &mut clock);
        if strict {
            warnings.extend(self.lint(site));
        }
        if !rendered.leaks.is_empty() {
            // The sink is dropped unfinished: nothing is published.
            warnings.extend(self.leak_problems(rendered.leaks));
            return Err(BuildError::Problems(warnings.sorted(), lang));
        }
        self.progress.stage("write", 0);
        let finished = sink.finish(&rendered.stale, &mut live.on_disk)?;
        self.last.files_written = finished.written;
        self.last.files_removed = finished.removed;
        live.memo.keep(rendered);
        warnings.extend(finished.broken_links);
        // A heavy board fails `check`; a build only warns.
        let heavy = rules::heavy_boards(live.memo.boards(), theme);
        if strict && !heavy.is_empty() {
            warnings.extend(heavy);
            return Err(BuildError::Problems(warnings.sorted(), lang));
        }
        warnings.extend(heavy.into_iter().map(Problem::warning));
        self.last.lap("publish", &mut clock);
        Ok(Report {
            lang,
            warnings: warnings.sorted(),
            pages: finished.pages,
            files: finished.files,
        })
    }
}

/// One pass of a run, from the loaded site to its sink.
struct Pass<'a> {
    site: &'a Site,
    theme: &'a Theme,
    sink: Box<dyn Sink>,
    /// `check`: lint the sources, and fail on a heavy board.
    strict: bool,
    warnings: Problems,
    /// When the last stage ended.
    clock: Instant,
}

/// Whether any changed path is under `dir`.
fn touches(changes: &ChangeSet, dir: &Path) -> bool {
    changes.paths.iter().any(|p| p.starts_with(dir))
}
