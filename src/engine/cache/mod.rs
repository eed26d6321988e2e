//! The build cache: what a build knew when it published, kept in
//! `.starboard/cache/` beside the output, so that the next `starboard build`
//! (a new process) walks content/ by file stamps, and reads, validates and
//! renders only what changed; with nothing changed it writes nothing.
//!
//! It holds the last walk with each file as a *ghost* (stamp and hash, no
//! text), the validation memo (the validated villages themselves), the
//! render memo (what each page and village was made from) and what the
//! output folder holds. A cache is used only when everything says it
//! describes this output, made by this very binary: else the build is a
//! full one, as if there were none. It can never make a build wrong, only
//! slower: see [`read::restore`].
//!
//! `read` takes a cache up, `write` keeps one; [`Engine::build_remembering`]
//! is the build that does both.

mod read;
mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use serde::{Deserialize, Serialize};

use super::produce::CachedMemo as CachedRender;
use super::sink::OnDisk;
use super::{BuildError, ChangeSet, Engine, Report};
use crate::fs::Stamp;
use crate::source::Sources;
use crate::validate::CachedMemo as CachedValidation;

pub(super) use read::{Blobs, Pending};

/// The first bytes of a cache file; the number changes with its layout:
/// magic, header, snapshot, towns (a count, then each as length and
/// bytes), then the length and checksum of all between magic and them.
const MAGIC: &[u8; 8] = b"SBCACHE2";

/// A file's stamp can be a clock tick behind the truth (coarse timestamps
/// on some file systems, two seconds on FAT): files stamped this close to
/// the start of the cached build are read again by the next.
const TICK: Duration = Duration::from_secs(2);

/// What the engine took up from a cache.
#[derive(Default)]
pub(super) struct State {
    /// The next walk looks at every folder and trusts only files stamped
    /// before this.
    pub(super) restat: Option<SystemTime>,
    /// The theme the cached build used: another one means a full build.
    pub(super) theme: Option<u64>,
    /// The cache file while it describes the output (removed before the
    /// output changes).
    pub(super) file: Option<PathBuf>,
    /// The part of the cache still being decoded.
    pub(super) pending: Option<Pending>,
    /// The last cache's records, to write again where nothing changed.
    blobs: Option<Blobs>,
    /// Whether the engine took up from the cache.
    took_up: bool,
}

/// Checked before the rest is even decoded.
#[derive(Serialize, Deserialize, PartialEq)]
struct Header {
    version: String,
    /// The running binary's size and mtime: a rebuilt starboard (even of
    /// the same version) may validate or render differently.
    binary: Option<Stamp>,
    /// The output folder this cache describes.
    output: PathBuf,
    base_url: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Snapshot {
    /// When the cached build began.
    started: SystemTime,
    theme: u64,
    sources: Sources,
    validated: CachedValidation,
    rendered: CachedRender,
    on_disk: OnDisk,
    /// Each output file's stamp when the cache was written: a file changed
    /// or removed by hand since then means a full build.
    outputs: Vec<(String, Option<Stamp>)>,
}

/// bincode with variable-length integers: most lengths and numbers in a
/// site are small, and the cache is read whole by every build.
fn codec() -> impl bincode::Options + Copy {
    bincode::DefaultOptions::new()
}

/// Where the cache of the build into `options`' output folder lives.
pub fn file(options: &super::Options) -> PathBuf {
    let out = options.output_dir();
    let name = crate::hash::of_bytes(absolute(&out).to_string_lossy().as_bytes());
    options
        .root
        .join(".starboard")
        .join("cache")
        .join(format!("build-{name:016x}.bin"))
}

/// Remove the cache (a build without it leaves it behind).
pub fn forget(options: &super::Options) {
    let _ = std::fs::remove_file(file(options));
}

fn header(options: &super::Options) -> Header {
    Header {
        version: env!("CARGO_PKG_VERSION").to_string(),
        binary: std::env::current_exe().ok().and_then(|exe| crate::fs::stamp(&exe).ok()),
        output: absolute(&options.output_dir()),
        base_url: options.base_url.clone(),
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

impl Engine {
    /// `starboard build`: take up where the last build (of any process)
    /// left off, as its cache says, build, and keep a cache for the next.
    /// With `use_cache` false, build in full and remove the cache.
    pub fn build_remembering(&mut self, use_cache: bool) -> Result<Report, BuildError> {
        if !use_cache {
            forget(&self.options);
            return self.rebuild(&ChangeSet::rescan());
        }
        let started = std::time::SystemTime::now();
        let mut since = Instant::now();
        let restored = read::restore(self);
        let restore_took = since.elapsed();
        let restore_peak = crate::progress::peak_memory();
        if restored.is_ok() {
            // A full build removes what killed builds left; so must this one.
            crate::output::remove_leftovers(&self.options.output_dir());
            self.cached.file = Some(file(&self.options));
        }
        let result = self.rebuild(&ChangeSet::rescan());
        // The cache is written again when the output changed (the old one
        // was removed then) or files were read (their stamps changed); a
        // failed build left the output, and so the cache, as they were.
        let stale = self.cached.file.take().is_none_or(|f| !f.exists());
        if result.is_ok() && (stale || self.last.files_read > 0) {
            let theme = self.theme.as_ref().map_or(0, |t| t.key);
            since = Instant::now();
            let saved = write::save(self, started, theme);
            self.last.lap("cache write", &mut since);
            if saved.is_err() {
                // Never a reason to fail a build: the next one is a full one.
                forget(&self.options);
            }
        }
        self.last.cache = Some(match (restored, self.cached.took_up) {
            (Err(why), _) => why,
            (Ok(()), true) => "used",
            (Ok(()), false) => "cache damaged",
        });
        self.last.timings.insert(0, ("cache read", restore_took, restore_peak));
        result
    }
}
