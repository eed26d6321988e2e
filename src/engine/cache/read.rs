//! Taking up a cache: checked whole, then its towns decoded on other
//! threads while content/ is walked.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use bincode::Options as _;

use super::{CachedRender, CachedValidation, Header, MAGIC, Snapshot, Stamp, TICK, codec, file, header};
use crate::engine::sink::OnDisk;
use crate::engine::{Engine, Live, produce};
use crate::model::Town;
use crate::validate::{self, Memoized};

/// Take up where the cached build left off, if the cache is whole, made
/// by this binary for this output, and the output is as it left it.
/// Returns why not otherwise (the engine is then untouched: a full build).
///
/// The towns (most of the cache) are decoded on other threads while the
/// walk of content/ goes on: [`Pending::finish`] waits for them.
pub(super) fn restore(engine: &mut Engine) -> Result<(), &'static str> {
    let cache = file(&engine.options);
    if !cache.exists() {
        return Err("no cache");
    }
    // Every build writes pages: with no output folder there is nothing to
    // take up, and no need to read and check the whole cache to know it.
    if !engine.options.output_dir().is_dir() {
        return Err(OUTPUT_CHANGED);
    }
    let bytes = std::fs::read(cache).map_err(|_| "no cache")?;
    let payload = payload(&bytes).ok_or(DAMAGED)?;
    let mut reader = payload;
    let header: Header = codec().deserialize_from(&mut reader).map_err(|_| DAMAGED)?;
    if header != self::header(&engine.options) {
        return Err("cache from another starboard or output");
    }
    let snapshot: Snapshot = codec().deserialize_from(&mut reader).map_err(|_| DAMAGED)?;
    let towns_at = payload.len() - reader.len() + MAGIC.len();
    if !outputs_as_left(&engine.options.output_dir(), &snapshot.outputs) {
        return Err(OUTPUT_CHANGED);
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
    engine.cached.restat = Some(snapshot.started.checked_sub(TICK).unwrap_or(SystemTime::UNIX_EPOCH));
    engine.cached.theme = Some(snapshot.theme);
    let stamps = snapshot.outputs.into_iter().map(|(path, stamp)| {
        let written = snapshot.on_disk.get(&path).copied();
        (path, (written, stamp))
    });
    engine.cached.pending = Some(Pending {
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
const OUTPUT_CHANGED: &str = "output changed since";

/// What a restore has yet to put in place: the towns being decoded.
pub(in crate::engine) struct Pending {
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
    pub(in crate::engine) fn finish(self, engine: &mut Engine) {
        let Some(towns) = self.decoding.join().ok().flatten() else {
            engine.cached.file = None;
            engine.cached.theme = None;
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
        engine.cached.blobs = Some(blobs);
        engine.cached.took_up = true;
    }
}

/// The town records of the cache a build took up from, by town path,
/// with the town each was decoded into (by address): a town the build
/// still holds as it was is written to the next cache byte for byte.
pub(in crate::engine) struct Blobs {
    bytes: Arc<Vec<u8>>,
    towns: crate::hash::FastMap<String, (usize, Range<usize>)>,
    /// Each output file's fingerprint and stamp as the cache had them: a
    /// file with the same fingerprint now was not written, and keeps its
    /// stamp (no need to look again).
    stamps: Stamps,
}

type Stamps = crate::hash::FastMap<String, (Option<crate::output::Written>, Option<Stamp>)>;

impl Blobs {
    pub(super) fn unchanged(&self, path: &str, town: &Arc<Town>) -> Option<&[u8]> {
        let (at, range) = self.towns.get(path)?;
        (*at == Arc::as_ptr(town) as usize).then(|| &self.bytes[range.clone()])
    }

    pub(super) fn stamp(&self, path: &str, written: crate::output::Written) -> Option<Option<Stamp>> {
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
