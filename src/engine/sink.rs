//! Where rendered files go. Rendering hands each part of the site (the
//! shared pages, then one village's files at a time, from any thread) to a
//! [`Sink`]: the staging folder of a first build, the live folder of a
//! rebuild, `check`'s inspection, or memory (for tests). The next output
//! (uploads to object storage) is one more implementation.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;

use super::BuildError;
use crate::error::{Lang, Problem, Problems, t};
use crate::output::{self, Written};
use crate::render::{Body, Output};
use crate::scan;

/// Takes rendered files as they are made.
pub trait Sink: Sync {
    /// The stage's name in `--timings`.
    fn name(&self) -> &'static str;

    /// Take one part of the site; returns the outputs to keep for later
    /// (a rebuild's changes, written once everything rendered), none when
    /// they were taken for good.
    fn take(&self, outputs: Vec<Output>) -> Result<Vec<Output>, BuildError>;
}

/// A rebuild's: keep everything, to bring the live output folder up to date
/// in one go once rendering succeeded.
pub(super) struct Keep;

impl Sink for Keep {
    fn name(&self) -> &'static str {
        "render"
    }

    fn take(&self, outputs: Vec<Output>) -> Result<Vec<Output>, BuildError> {
        Ok(outputs)
    }
}

/// A first build in progress: the staging folder, the personal numbers found
/// so far, and a fingerprint of every file written.
pub(super) struct StagingSink<'a> {
    staging: output::Staging,
    privacy: &'a crate::config::Privacy,
    lang: Lang,
    leaks: Mutex<Vec<scan::Leak>>,
    written: Mutex<HashMap<String, Written>>,
}

impl<'a> StagingSink<'a> {
    pub(super) fn new(
        out_dir: &Path,
        privacy: &'a crate::config::Privacy,
        lang: Lang,
    ) -> Result<StagingSink<'a>, BuildError> {
        Ok(StagingSink {
            staging: output::Staging::new(out_dir).map_err(|e| output_error(e, lang))?,
            privacy,
            lang,
            leaks: Mutex::default(),
            written: Mutex::default(),
        })
    }

    /// Scan `outputs`, then write them unless the build already cannot
    /// succeed (a personal number was found: keep scanning, to report all).
    fn write(&self, outputs: Vec<Output>) -> Result<(), BuildError> {
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

    pub(super) fn into_parts(self) -> (output::Staging, Vec<scan::Leak>, HashMap<String, Written>) {
        let leaks = self.leaks.into_inner().expect("no thread panicked");
        let written = self.written.into_inner().expect("no thread panicked");
        (self.staging, leaks, written)
    }
}

impl Sink for StagingSink<'_> {
    fn name(&self) -> &'static str {
        "render+scan+write"
    }

    fn take(&self, outputs: Vec<Output>) -> Result<Vec<Output>, BuildError> {
        self.write(outputs).map(|()| Vec::new())
    }
}

/// `check` in progress: what it found in the pages rendered so far, and the
/// path of every file, to tell links to nowhere and two files at one path.
pub(super) struct Inspection<'a> {
    privacy: &'a crate::config::Privacy,
    lang: Lang,
    /// The shared pages' paths, which most links lead to.
    shared: std::sync::OnceLock<HashSet<String>>,
    paths: output::PathSet,
    leaks: Mutex<Vec<scan::Leak>>,
    /// Links to pages not known when they were found (another village's,
    /// or none at all).
    pending: Mutex<Vec<crate::lint::PendingLink>>,
}

/// What `check` found in the pages.
pub(super) struct Inspected {
    pub(super) leaks: Vec<scan::Leak>,
    pub(super) broken_links: Vec<Problem>,
    pub(super) pages: usize,
    pub(super) files: usize,
}

impl<'a> Inspection<'a> {
    pub(super) fn new(privacy: &'a crate::config::Privacy, lang: Lang) -> Inspection<'a> {
        Inspection {
            privacy,
            lang,
            shared: std::sync::OnceLock::new(),
            paths: output::PathSet::default(),
            leaks: Mutex::default(),
            pending: Mutex::default(),
        }
    }

    /// Inspect one part of the site (the shared pages, or a village's).
    fn inspect(&self, outputs: Vec<Output>) -> Result<(), BuildError> {
        self.paths.claim(&outputs).map_err(|e| output_error(e, self.lang))?;
        let leaks = scan::outputs(&outputs, self.privacy);
        let own: HashSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
        // The first part taken is the shared pages, which most links lead to.
        let shared = self.shared.get_or_init(|| own.iter().map(|p| p.to_string()).collect());
        let pending = crate::lint::unresolved_links(&outputs, |p| shared.contains(p) || own.contains(p));
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
    pub(super) fn finish(self) -> Inspected {
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

impl Sink for Inspection<'_> {
    fn name(&self) -> &'static str {
        "render+inspect"
    }

    fn take(&self, outputs: Vec<Output>) -> Result<Vec<Output>, BuildError> {
        self.inspect(outputs).map(|()| Vec::new())
    }
}

/// The whole site in memory, by path: for tests that look at what a build
/// makes without a folder (files beside the content are read in).
#[derive(Default)]
pub struct MemorySink {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl MemorySink {
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.files.into_inner().expect("no thread panicked holding the files")
    }
}

impl Sink for MemorySink {
    fn name(&self) -> &'static str {
        "render"
    }

    fn take(&self, outputs: Vec<Output>) -> Result<Vec<Output>, BuildError> {
        output::check_paths(&outputs).map_err(|e| output_error(e, Lang::default()))?;
        let mut files = self.files.lock().expect("no thread panicked holding the files");
        for o in outputs {
            let bytes = match o.body {
                Body::Bytes(b) => b,
                Body::Copy(src) => output::published_bytes(&src).map_err(|e| output_error(e, Lang::default()))?,
                Body::Unchanged => continue,
            };
            if files.insert(o.path.clone(), bytes).is_some() {
                return Err(output_error(output::OutputError::Collision(o.path), Lang::default()));
            }
        }
        Ok(Vec::new())
    }
}

/// Output failures as users see them: two files at one path is a problem in
/// the content (a file beside a village named like a page), said in the
/// site's language; the rest are I/O errors.
pub(super) fn output_error(e: output::OutputError, lang: Lang) -> BuildError {
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
