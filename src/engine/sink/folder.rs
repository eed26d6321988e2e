//! The output folder as a sink: a first build writes into a staging folder
//! as pages are rendered and swaps it in whole; a rebuild keeps what changed
//! and updates the live folder in one go once everything rendered.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{Finished, OnDisk, Sink, count, output_error};
use crate::engine::BuildError;
use crate::error::Lang;
use crate::output;
use crate::render::Output;

/// A first build: each part is written to the staging folder at once (a big
/// site is never held in memory), with a fingerprint of each file.
pub(in crate::engine) struct StagingSink {
    staging: output::Staging,
    lang: Lang,
    written: Mutex<OnDisk>,
}

impl StagingSink {
    pub(in crate::engine) fn new(out_dir: &Path, lang: Lang) -> Result<StagingSink, BuildError> {
        Ok(StagingSink {
            staging: output::Staging::new(out_dir).map_err(|e| output_error(e, lang))?,
            lang,
            written: Mutex::default(),
        })
    }
}

impl Sink for StagingSink {
    fn name(&self) -> &'static str {
        "render+scan+write"
    }

    fn take(&self, outputs: Vec<Output>) -> Result<(), BuildError> {
        self.staging.write(&outputs).map_err(|e| output_error(e, self.lang))?;
        let fingerprints: Vec<_> = outputs
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

    /// Swap the staging folder in. (Dropped instead, it is removed and the
    /// output stays as it was.)
    fn finish(self: Box<Self>, _stale: &[String], on_disk: &mut OnDisk) -> Result<Finished, BuildError> {
        self.staging.finish().map_err(|e| output_error(e, self.lang))?;
        *on_disk = self
            .written
            .into_inner()
            .expect("no thread panicked holding the fingerprints");
        let (pages, files) = count(on_disk.keys());
        Ok(Finished {
            written: files,
            pages,
            files,
            ..Finished::default()
        })
    }
}

/// A rebuild: what changed is kept as it is rendered and written to the live
/// folder only once all of it rendered (each file whole: see
/// [`output::update_site`]).
pub(in crate::engine) struct LiveSink {
    out_dir: PathBuf,
    lang: Lang,
    kept: Mutex<Vec<Output>>,
    /// A file that no longer describes the output once it changes (the
    /// build cache): removed before the first file is touched.
    voids: Option<PathBuf>,
}

impl LiveSink {
    pub(in crate::engine) fn new(out_dir: PathBuf, lang: Lang, voids: Option<PathBuf>) -> LiveSink {
        LiveSink {
            out_dir,
            lang,
            kept: Mutex::default(),
            voids,
        }
    }
}

impl Sink for LiveSink {
    fn name(&self) -> &'static str {
        "render+scan"
    }

    fn take(&self, outputs: Vec<Output>) -> Result<(), BuildError> {
        self.kept
            .lock()
            .expect("no thread panics holding the outputs")
            .extend(outputs);
        Ok(())
    }

    fn finish(self: Box<Self>, stale: &[String], on_disk: &mut OnDisk) -> Result<Finished, BuildError> {
        let kept = self.kept.into_inner().expect("no thread panicked holding the outputs");
        let voids = self.voids;
        // A build killed while it updates the output must not leave a cache
        // that says the output is as it was.
        let before_writing = || {
            if let Some(file) = voids {
                let _ = std::fs::remove_file(file);
            }
        };
        let (written, removed) = output::update_site(&self.out_dir, kept, stale, on_disk, before_writing)
            .map_err(|e| output_error(e, self.lang))?;
        let (pages, files) = count(on_disk.keys());
        Ok(Finished {
            written,
            removed,
            pages,
            files,
            ..Finished::default()
        })
    }
}
