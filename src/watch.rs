//! File events → change sets → rebuilds. Events are classified in one tested
//! function (ignoring the output folder, staging folders and editor litter),
//! collected until the files go quiet, then handed to the engine. A failed
//! rebuild is reported and the loop goes on: the last good site stays.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecursiveMode, Watcher};

use crate::engine::{ChangeSet, Engine};
use crate::{BuildError, Report};

/// How long the files must stay quiet before a rebuild starts: an editor's
/// save is often several events (write a temporary file, rename it) within a
/// few milliseconds.
pub const QUIET: Duration = Duration::from_millis(30);
/// The longest a rebuild waits while events keep coming.
pub const MAX_WAIT: Duration = Duration::from_millis(300);

/// What a file event means for the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Class {
    /// A path under content/ or themes/ (or the folders themselves) changed.
    Source(PathBuf),
    /// The watcher lost track (queue overflow): walk everything again.
    Rescan,
    /// Our own output, staging folders, editor swap files, reads.
    Ignore,
}

/// Classify one event's paths. `output` is the output folder; staging and
/// old-output folders are its hidden siblings (`.public.staging-…`).
pub fn classify(root: &Path, output: &Path, event: &Event) -> Vec<Class> {
    if event.need_rescan() {
        return vec![Class::Rescan];
    }
    if matches!(event.kind, EventKind::Access(_)) {
        return vec![Class::Ignore];
    }
    event.paths.iter().map(|p| classify_path(root, output, p)).collect()
}

fn classify_path(root: &Path, output: &Path, path: &Path) -> Class {
    if path.starts_with(output) || is_output_sibling(output, path) {
        return Class::Ignore;
    }
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    // Editors' and office programs' own files: Excel's and WPS's owner
    // files (`~$households.xlsx`), LibreOffice's locks.
    let litter = name.starts_with(".#")
        || name.starts_with("~$")
        || name.starts_with(".~lock.")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913";
    if litter {
        return Class::Ignore;
    }
    let watched = path.starts_with(root.join("content")) || path.starts_with(root.join("themes"));
    if watched {
        Class::Source(path.to_path_buf())
    } else {
        Class::Ignore
    }
}

/// `.public.staging-123` and `.public.old-123` beside `public`.
fn is_output_sibling(output: &Path, path: &Path) -> bool {
    let Some(name) = output.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return false;
    };
    let prefix = format!(".{name}.");
    path.strip_prefix(output.parent().unwrap_or(Path::new("")))
        .ok()
        .and_then(|rel| rel.components().next())
        .is_some_and(|first| first.as_os_str().to_string_lossy().starts_with(&prefix))
}

/// Collects changes until the files have been quiet for `quiet`, or events
/// have kept coming for `max_wait`. Pure: time is passed in.
#[derive(Debug)]
pub struct Debouncer {
    quiet: Duration,
    max_wait: Duration,
    pending: ChangeSet,
    first: Option<Instant>,
    last: Option<Instant>,
}

impl Debouncer {
    pub fn new(quiet: Duration, max_wait: Duration) -> Debouncer {
        Debouncer {
            quiet,
            max_wait,
            pending: ChangeSet::default(),
            first: None,
            last: None,
        }
    }

    pub fn add(&mut self, now: Instant, class: Class) {
        match class {
            Class::Ignore => return,
            Class::Rescan => self.pending.rescan = true,
            Class::Source(p) => {
                self.pending.paths.insert(p);
            }
        }
        self.first.get_or_insert(now);
        self.last = Some(now);
    }

    /// How long to wait for more events before the batch is due; None when
    /// nothing is pending.
    pub fn wait(&self, now: Instant) -> Option<Duration> {
        let (first, last) = (self.first?, self.last?);
        let quiet_end = last + self.quiet;
        let hard_end = first + self.max_wait;
        Some(quiet_end.min(hard_end).saturating_duration_since(now))
    }

    /// The batch, if it is due at `now`.
    pub fn take_due(&mut self, now: Instant) -> Option<ChangeSet> {
        if self.wait(now)? > Duration::ZERO {
            return None;
        }
        self.first = None;
        self.last = None;
        Some(std::mem::take(&mut self.pending))
    }
}

#[derive(Debug)]
pub struct WatchError(pub String);

impl std::fmt::Display for WatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::error::Error for WatchError {}

/// The outcome of one rebuild, handed to whoever shows it.
pub struct Rebuilt<'a> {
    pub result: &'a Result<Report, BuildError>,
    pub changes: &'a ChangeSet,
    pub took: Duration,
    pub engine: &'a Engine,
}

/// Watch content/ and themes/ and rebuild after every quiet batch of changes,
/// until the process ends. `first` is called once the watcher is listening,
/// to make the first build: a save made while it runs (or just after) is an
/// event already queued, so the next rebuild takes it. Only setting the
/// watcher up can fail. `poll` uses a polling watcher for file systems where
/// native events do not arrive (network drives, some VMs).
/// `first` returns what `after` is handed with every rebuild (the warnings
/// last printed, say).
pub fn run<S>(
    engine: &mut Engine,
    poll: bool,
    first: impl FnOnce(&mut Engine) -> S,
    mut after: impl FnMut(&mut S, Rebuilt<'_>),
) -> Result<(), WatchError> {
    let root = engine.options().root.clone();
    let output = engine.options().output_dir();
    let (tx, rx) = channel();
    let mut watcher: Box<dyn Watcher> = if poll {
        let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
        Box::new(notify::PollWatcher::new(tx, config).map_err(|e| WatchError(e.to_string()))?)
    } else {
        Box::new(notify::recommended_watcher(tx).map_err(|e| WatchError(e.to_string()))?)
    };
    let mut watched = Vec::new();
    watch_sources(watcher.as_mut(), &root, &mut watched)?;
    // Only now are changes noticed: build no earlier.
    let mut state = first(engine);
    let mut debouncer = Debouncer::new(QUIET, MAX_WAIT);
    loop {
        let timeout = debouncer.wait(Instant::now()).unwrap_or(Duration::from_millis(200));
        receive(&rx, timeout, &root, &output, &mut debouncer);
        let Some(changes) = debouncer.take_due(Instant::now()) else {
            continue;
        };
        // themes/ may have been created since: watch it from now on.
        watch_sources(watcher.as_mut(), &root, &mut watched)?;
        let started = Instant::now();
        let result = engine.rebuild(&changes);
        after(
            &mut state,
            Rebuilt {
                result: &result,
                changes: &changes,
                took: started.elapsed(),
                engine,
            },
        );
    }
}

fn receive(rx: &Receiver<notify::Result<Event>>, timeout: Duration, root: &Path, output: &Path, d: &mut Debouncer) {
    let mut next = rx.recv_timeout(timeout);
    loop {
        match next {
            Ok(Ok(event)) => {
                for class in classify(root, output, &event) {
                    d.add(Instant::now(), class);
                }
            }
            Ok(Err(_)) => d.add(Instant::now(), Class::Rescan),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return,
        }
        next = rx.recv_timeout(Duration::ZERO);
    }
}

/// Watch content/ and themes/ recursively, and the site folder itself (not
/// recursively) so a new themes/ is noticed; never public/ or target/.
fn watch_sources(watcher: &mut dyn Watcher, root: &Path, watched: &mut Vec<PathBuf>) -> Result<(), WatchError> {
    let targets = [
        (root.join("content"), RecursiveMode::Recursive),
        (root.join("themes"), RecursiveMode::Recursive),
        (root.to_path_buf(), RecursiveMode::NonRecursive),
    ];
    for (path, mode) in targets {
        if watched.contains(&path) || !path.is_dir() {
            continue;
        }
        watcher
            .watch(&path, mode)
            .map_err(|e| WatchError(format!("{}: {e}", path.display())))?;
        watched.push(path);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, CreateKind, ModifyKind};

    fn event(kind: EventKind, path: &str) -> Event {
        Event::new(kind).add_path(PathBuf::from(path))
    }

    #[test]
    fn classifies_sources_output_and_litter() {
        let root = Path::new("/site");
        let out = Path::new("/site/public");
        let modify = EventKind::Modify(ModifyKind::Any);
        let source = |p: &str| vec![Class::Source(PathBuf::from(p))];
        assert_eq!(
            classify(root, out, &event(modify, "/site/content/a.md")),
            source("/site/content/a.md")
        );
        assert_eq!(
            classify(root, out, &event(modify, "/site/themes/x/a.html")),
            source("/site/themes/x/a.html")
        );
        assert_eq!(
            classify(
                root,
                out,
                &event(modify, "/site/content/villages/a/b/c/households.xlsx")
            ),
            source("/site/content/villages/a/b/c/households.xlsx"),
            "a saved spreadsheet is a change"
        );
        for ignored in [
            "/site/public/index.html",
            "/site/.public.staging-42/index.html",
            "/site/.public.old-42",
            "/site/content/.households.toml.swp",
            "/site/content/households.toml~",
            "/site/content/4913",
            "/site/content/villages/a/b/c/~$households.xlsx",
            "/site/content/villages/a/b/c/.~lock.points.xlsx#",
            "/site/content/villages/a/b/c/households.xlsx.tmp",
            "/site/target/debug/x",
            "/site/README.md",
        ] {
            assert_eq!(
                classify(root, out, &event(modify, ignored)),
                vec![Class::Ignore],
                "{ignored}"
            );
        }
        let read = EventKind::Access(AccessKind::Any);
        assert_eq!(
            classify(root, out, &event(read, "/site/content/a.md")),
            vec![Class::Ignore]
        );
        let mut lost = event(EventKind::Create(CreateKind::Any), "/site/content");
        lost = lost.set_flag(notify::event::Flag::Rescan);
        assert_eq!(classify(root, out, &lost), vec![Class::Rescan]);
    }

    #[test]
    fn debouncer_waits_for_quiet() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let mut d = Debouncer::new(ms(50), ms(300));
        assert_eq!(d.wait(t0), None);
        d.add(t0, Class::Source("/a".into()));
        d.add(t0 + ms(20), Class::Source("/b".into()));
        assert!(d.take_due(t0 + ms(60)).is_none(), "only 40 ms since the last event");
        assert_eq!(d.wait(t0 + ms(60)), Some(ms(10)));
        let batch = d.take_due(t0 + ms(70)).unwrap();
        assert_eq!(batch.paths.len(), 2);
        assert!(d.take_due(t0 + ms(500)).is_none(), "empty after taking");
    }

    #[test]
    fn debouncer_gives_up_waiting_after_max_wait() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let mut d = Debouncer::new(ms(50), ms(300));
        for i in 0..10 {
            d.add(t0 + ms(i * 40), Class::Source(format!("/f{i}").into()));
        }
        assert!(d.take_due(t0 + ms(300)).is_some(), "events every 40 ms never go quiet");
    }

    #[test]
    fn ignored_events_do_not_start_a_batch() {
        let mut d = Debouncer::new(QUIET, MAX_WAIT);
        d.add(Instant::now(), Class::Ignore);
        assert_eq!(d.wait(Instant::now()), None);
        d.add(Instant::now(), Class::Rescan);
        assert!(d.take_due(Instant::now() + MAX_WAIT).unwrap().rescan);
    }
}
