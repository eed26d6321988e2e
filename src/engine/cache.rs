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
//! slower: see [`restore`].

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bincode::Options as _;
use serde::{Deserialize, Serialize};

use super::produce::CachedMemo as CachedRender;
use super::sink::OnDisk;
use super::{Engine, Live, produce};
use crate::fs::Stamp;
use crate::model::Town;
use crate::source::Sources;
use crate::validate::{self, CachedMemo as CachedValidation, Memoized};

/// The first bytes of a cache file; the number changes with its layout:
/// magic, header, snapshot, towns (a count, then each as length and
/// bytes), then the length and checksum of all between magic and them.
const MAGIC: &[u8; 8] = b"SBCACHE2";

/// A file's stamp can be a clock tick behind the truth (coarse timestamps
/// on some file systems, two seconds on FAT): files stamped this close to
/// the start of the cached build are read again by the next.
const TICK: Duration = Duration::from_secs(2);

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
fn codec() -> impl bincode::Options {
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

/// Take up where the cached build left off, if the cache is whole, made
/// by this binary for this output, and the output is as it left it.
/// Returns why not otherwise (the engine is then untouched: a full build).
///
/// The towns (most of the cache) are decoded on other threads while the
/// walk of content/ goes on: [`Pending::finish`] waits for them.
pub fn restore(engine: &mut Engine) -> Result<(), &'static str> {
    let bytes = std::fs::read(file(&engine.options)).map_err(|_| "no cache")?;
    let payload = payload(&bytes).ok_or(DAMAGED)?;
    let mut reader = payload;
    let header: Header = codec().deserialize_from(&mut reader).map_err(|_| DAMAGED)?;
    if header != self::header(&engine.options) {
        return Err("cache from another starboard or output");
    }
    let snapshot: Snapshot = codec().deserialize_from(&mut reader).map_err(|_| DAMAGED)?;
    let towns_at = payload.len() - reader.len() + MAGIC.len();
    if !outputs_as_left(&engine.options.output_dir(), &snapshot.outputs) {
        return Err("output changed since");
    }
    let bytes = Arc::new(bytes);
    let decoding = {
        let bytes = Arc::clone(&bytes);
        let end = bytes.len() - 16;
        std::thread::spawn(move || {
            let towns = read_towns(&bytes[towns_at..end])?;
            // Ranges in the whole file.
            let whole = |r: Range<usize>| r.start + towns_at..r.end + towns_at;
            Some(towns.into_iter().map(|(town, r)| (town, whole(r))).collect())
        })
    };
    engine.sources = Some(snapshot.sources);
    engine.restat = Some(snapshot.started.checked_sub(TICK).unwrap_or(SystemTime::UNIX_EPOCH));
    engine.cached_theme = Some(snapshot.theme);
    let stamps = snapshot.outputs.into_iter().map(|(path, stamp)| {
        let written = snapshot.on_disk.get(&path).copied();
        (path, (written, stamp))
    });
    engine.pending = Some(Pending {
        validated: snapshot.validated,
        rendered: snapshot.rendered,
        stamps: stamps.collect(),
        on_disk: snapshot.on_disk,
        decoding,
        bytes,
    });
    Ok(())
}

const DAMAGED: &str = "cache damaged";

/// What a restore has yet to put in place: the towns being decoded.
pub(super) struct Pending {
    validated: CachedValidation,
    rendered: CachedRender,
    on_disk: OnDisk,
    stamps: Stamps,
    decoding: std::thread::JoinHandle<Option<Vec<Decoded>>>,
    /// The cache file, whose town records are written again as they are
    /// for towns that did not change (see [`Blobs`]).
    bytes: Arc<Vec<u8>>,
}

impl Pending {
    /// Wait for the towns and take up the cached build's memos and output;
    /// if they cannot be decoded, the engine builds in full.
    pub(super) fn finish(self, engine: &mut Engine) {
        let Some(towns) = self.decoding.join().ok().flatten() else {
            engine.cache_file = None;
            engine.cached_theme = None;
            return;
        };
        let mut validated = self.validated;
        let mut blobs = Blobs {
            bytes: self.bytes,
            towns: crate::hash::FastMap::default(),
            stamps: self.stamps,
        };
        validated.towns = towns
            .into_iter()
            .map(|((path, town), range)| {
                blobs
                    .towns
                    .insert(path.clone(), (Arc::as_ptr(&town.value) as usize, range));
                (path, town)
            })
            .collect();
        let memo = validate::Memo::from_cached(validated);
        let rendered = produce::Memo::from_cached(self.rendered, &memo);
        engine.memo = memo;
        engine.live = Some(Live {
            on_disk: self.on_disk,
            memo: rendered,
        });
        engine.blobs = Some(blobs);
        engine.took_up = true;
    }
}

/// The town records of the cache a build took up from, by town path,
/// with the town each was decoded into (by address): a town the build
/// still holds as it was is written to the next cache byte for byte.
pub(super) struct Blobs {
    bytes: Arc<Vec<u8>>,
    towns: crate::hash::FastMap<String, (usize, Range<usize>)>,
    /// Each output file's fingerprint and stamp as the cache had them: a
    /// file with the same fingerprint now was not written, and keeps its
    /// stamp (no need to look again).
    stamps: Stamps,
}

type Stamps = crate::hash::FastMap<String, (Option<crate::output::Written>, Option<Stamp>)>;

impl Blobs {
    fn unchanged(&self, path: &str, town: &Arc<Town>) -> Option<&[u8]> {
        let (at, range) = self.towns.get(path)?;
        (*at == Arc::as_ptr(town) as usize).then(|| &self.bytes[range.clone()])
    }

    fn stamp(&self, path: &str, written: crate::output::Written) -> Option<Option<Stamp>> {
        let (was, stamp) = self.stamps.get(path)?;
        (*was == Some(written)).then_some(*stamp)
    }
}

/// The payload of a cache file (between magic and trailer) whose length
/// and checksum hold.
fn payload(bytes: &[u8]) -> Option<&[u8]> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (rest, sum) = rest.split_last_chunk::<8>()?;
    let (payload, len) = rest.split_last_chunk::<8>()?;
    let whole = payload.len() as u64 == u64::from_le_bytes(*len)
        && crate::hash::Checksum::of(payload) == u64::from_le_bytes(*sum);
    whole.then_some(payload)
}

type CachedTown = (String, Memoized<Arc<Town>>);

/// A town as decoded, and where its record is in the cache file.
type Decoded = (CachedTown, Range<usize>);

/// The towns, each decoded on its own, on all cores, with where its
/// record is in `rest`.
fn read_towns(rest: &[u8]) -> Option<Vec<Decoded>> {
    use rayon::prelude::*;
    let mut at: usize = 0;
    let mut take = |n: usize| -> Option<Range<usize>> {
        let range = at..at.checked_add(n).filter(|end| *end <= rest.len())?;
        at = range.end;
        Some(range)
    };
    let count = u64::from_le_bytes(rest[take(8)?].try_into().ok()?);
    let mut parts = Vec::new();
    for _ in 0..count {
        let len = u64::from_le_bytes(rest[take(8)?].try_into().ok()?);
        parts.push(take(usize::try_from(len).ok()?)?);
    }
    if at != rest.len() {
        return None;
    }
    parts
        .into_par_iter()
        .map(|range| Some((codec().deserialize(&rest[range.clone()]).ok()?, range)))
        .collect()
}

/// Whether every output file has the stamp the cache recorded.
fn outputs_as_left(out_dir: &Path, outputs: &[(String, Option<Stamp>)]) -> bool {
    use rayon::prelude::*;
    outputs
        .par_iter()
        .all(|(path, stamp)| crate::fs::stamp(&out_dir.join(path)).ok() == *stamp)
}

/// What [`Snapshot`] is, borrowed from the engine to be written.
#[derive(Serialize)]
struct SnapshotRef<'a> {
    started: SystemTime,
    theme: u64,
    sources: &'a Sources,
    validated: &'a CachedValidation,
    rendered: &'a CachedRender,
    on_disk: &'a OnDisk,
    outputs: &'a [(String, Option<Stamp>)],
}

/// Keep what the engine knows after a successful build that began at
/// `started`. Written aside and renamed over the old cache, so a build cut
/// off while saving leaves the old cache (or none), never half of one.
pub fn save(engine: &mut Engine, started: SystemTime, theme: u64) -> std::io::Result<()> {
    let (Some(sources), Some(live)) = (&engine.sources, &engine.live) else {
        return Ok(());
    };
    let out_dir = engine.options.output_dir();
    let blobs = engine.blobs.take();
    let outputs = {
        use rayon::prelude::*;
        let mut paths: Vec<(&String, &crate::output::Written)> = live.on_disk.iter().collect();
        paths.sort();
        paths
            .into_par_iter()
            .map(|(p, written)| {
                let kept = blobs.as_ref().and_then(|b| b.stamp(p, *written));
                let stamp = kept.unwrap_or_else(|| crate::fs::stamp(&out_dir.join(p)).ok());
                (p.clone(), stamp)
            })
            .collect::<Vec<_>>()
    };
    let villages = engine.options.root.join("content").join("villages");
    let validated = std::mem::take(&mut engine.memo).into_cached(|news| !news.starts_with(&villages));
    let snapshot = SnapshotRef {
        started,
        theme,
        sources,
        validated: &validated,
        rendered: &live.memo.to_cached(),
        on_disk: &live.on_disk,
        outputs: &outputs,
    };
    let path = file(&engine.options);
    let written = write(&path, &header(&engine.options), &snapshot, blobs.as_ref());
    // The memo goes back to the engine, which may build again.
    engine.memo = validate::Memo::from_cached(validated);
    written
}

/// Write the cache file aside, then rename it into place. Streamed (a big
/// site's cache is never held in memory whole); towns are encoded a batch
/// at a time on all cores.
fn write(path: &Path, header: &Header, snapshot: &SnapshotRef<'_>, blobs: Option<&Blobs>) -> std::io::Result<()> {
    use rayon::prelude::*;
    use std::io::Write as _;
    std::fs::create_dir_all(path.parent().expect("the cache file is in a folder"))?;
    let tmp = path.with_extension("tmp");
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(MAGIC)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, Summing::new(file));
    codec()
        .serialize_into(&mut out, header)
        .map_err(std::io::Error::other)?;
    codec()
        .serialize_into(&mut out, snapshot)
        .map_err(std::io::Error::other)?;
    let towns = &snapshot.validated.towns;
    out.write_all(&(towns.len() as u64).to_le_bytes())?;
    for batch in towns.chunks(32) {
        // A town the build did not touch is its old record; others are
        // encoded anew.
        let encoded: Vec<std::borrow::Cow<'_, [u8]>> = batch
            .par_iter()
            .map(|town| match blobs.and_then(|b| b.unchanged(&town.0, &town.1.value)) {
                Some(old) => Ok(std::borrow::Cow::Borrowed(old)),
                None => codec().serialize(town).map(std::borrow::Cow::Owned),
            })
            .collect::<Result<_, _>>()
            .map_err(std::io::Error::other)?;
        for town in encoded {
            out.write_all(&(town.len() as u64).to_le_bytes())?;
            out.write_all(&town)?;
        }
    }
    let Summing { mut inner, sum, len } = out.into_inner().map_err(|e| e.into_error())?;
    inner.write_all(&len.to_le_bytes())?;
    inner.write_all(&sum.finish().to_le_bytes())?;
    // No fsync: a cache cut short by a crash fails its checksum and is
    // not used.
    drop(inner);
    std::fs::rename(&tmp, path)
}

/// A writer that counts and checksums what passes through it.
struct Summing<W> {
    inner: W,
    sum: crate::hash::Checksum,
    len: u64,
}

impl<W> Summing<W> {
    fn new(inner: W) -> Summing<W> {
        Summing {
            inner,
            sum: crate::hash::Checksum::default(),
            len: 0,
        }
    }
}

impl<W: std::io::Write> std::io::Write for Summing<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(bytes)?;
        self.sum.update(&bytes[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
