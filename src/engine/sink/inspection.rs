//! `check`'s sink: each part of the site is inspected as it is rendered
//! (two files at one path, links) and then dropped, so a
//! big site is never held in memory at once. Links to pages not known yet
//! are settled in `finish`, against every path.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use super::{Finished, OnDisk, Sink, count, output_error};
use crate::engine::BuildError;
use crate::error::Lang;
use crate::lint::PendingLink;
use crate::output;
use crate::render::Output;

pub(in crate::engine) struct Inspection {
    lang: Lang,
    /// The shared pages' paths, which most links lead to.
    shared: OnceLock<HashSet<String>>,
    paths: output::PathSet,
    /// Links to pages not known when they were found (another village's,
    /// or none at all).
    pending: Mutex<Vec<PendingLink>>,
}

impl Inspection {
    pub(in crate::engine) fn new(lang: Lang) -> Inspection {
        Inspection {
            lang,
            shared: OnceLock::new(),
            paths: output::PathSet::default(),
            pending: Mutex::default(),
        }
    }
}

impl Sink for Inspection {
    fn name(&self) -> &'static str {
        "render+inspect"
    }

    fn take(&self, outputs: Vec<Output>) -> Result<(), BuildError> {
        self.paths.claim(&outputs).map_err(|e| output_error(e, self.lang))?;
        let own: HashSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
        // The first part taken is the shared pages, which most links lead to.
        let shared = self.shared.get_or_init(|| own.iter().map(|p| p.to_string()).collect());
        let pending = crate::lint::unresolved_links(&outputs, |p| shared.contains(p) || own.contains(p));
        self.pending
            .lock()
            .expect("no thread panics holding the links")
            .extend(pending);
        Ok(())
    }

    fn finish(self: Box<Self>, _stale: &[String], _on_disk: &mut OnDisk) -> Result<Finished, BuildError> {
        let paths = self.paths.into_inner();
        let broken_links = self
            .pending
            .into_inner()
            .expect("no thread panicked holding the links")
            .into_iter()
            .filter(|link| !link.targets.iter().any(|t| paths.contains(t)))
            .map(|link| link.problem)
            .collect();
        let (pages, files) = count(paths.iter());
        Ok(Finished {
            broken_links,
            pages,
            files,
            ..Finished::default()
        })
    }
}
