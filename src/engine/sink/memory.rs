//! The whole site in memory, by path: for tests that look at what a build
//! makes without a folder (files beside the content are read in). Clones
//! share the files, so a test keeps one and hands the other to the engine.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::{Finished, OnDisk, Sink, count, output_error};
use crate::engine::BuildError;
use crate::error::Lang;
use crate::output::{self, OutputError};
use crate::render::{Body, Output};

#[derive(Default, Clone)]
pub struct MemorySink {
    files: Arc<Mutex<BTreeMap<String, Vec<u8>>>>,
}

impl MemorySink {
    /// The files taken so far.
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        self.files.lock().expect("no thread panicked holding the files").clone()
    }
}

impl Sink for MemorySink {
    fn name(&self) -> &'static str {
        "render"
    }

    fn take(&self, outputs: Vec<Output>) -> Result<(), BuildError> {
        let failed = |e| output_error(e, Lang::default());
        output::check_paths(&outputs).map_err(failed)?;
        let mut files = self.files.lock().expect("no thread panicked holding the files");
        for o in outputs {
            let bytes = match o.body {
                Body::Bytes(b) => b,
                Body::Copy(src) => output::published_bytes(&src).map_err(failed)?,
                Body::Unchanged => continue,
            };
            if files.insert(o.path.clone(), bytes).is_some() {
                return Err(failed(OutputError::Collision(o.path)));
            }
        }
        Ok(())
    }

    fn finish(self: Box<Self>, _stale: &[String], _on_disk: &mut OnDisk) -> Result<Finished, BuildError> {
        let files = self.files.lock().expect("no thread panicked holding the files");
        let (pages, count) = count(files.keys());
        Ok(Finished {
            pages,
            files: count,
            ..Finished::default()
        })
    }
}
