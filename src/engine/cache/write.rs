//! Keeping a cache: streamed to a file aside, then renamed into place.

use std::path::Path;
use std::time::SystemTime;

use bincode::Options as _;
use serde::Serialize;

use super::Blobs;
use super::{CachedRender, CachedValidation, Header, MAGIC, Stamp, codec, file, header};
use crate::engine::Engine;
use crate::engine::sink::OnDisk;
use crate::source::Sources;
use crate::validate;

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
pub(super) fn save(engine: &mut Engine, started: SystemTime, theme: u64) -> std::io::Result<()> {
    let (Some(sources), Some(live)) = (&engine.sources, &engine.live) else {
        return Ok(());
    };
    let out_dir = engine.options.output_dir();
    let blobs = engine.cached.blobs.take();
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
    prune_others(&path);
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

/// Remove the caches beside `kept` that no build can take up any more: of
/// output folders that are gone (a build would not read them), or whose
/// header cannot be read. Each output folder a site was ever built into
/// has its cache; without this they would pile up.
fn prune_others(kept: &Path) {
    use std::io::Read as _;
    let Some(dir) = kept.parent() else { return };
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let is_cache = path.extension().is_some_and(|e| e == "bin")
            && path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("build-"));
        if !is_cache || path == kept {
            continue;
        }
        // The header is at the start: its first kilobytes will do.
        let mut start = Vec::new();
        let read = std::fs::File::open(&path).and_then(|f| f.take(16 * 1024).read_to_end(&mut start));
        let header: Option<Header> = read
            .ok()
            .and_then(|_| start.strip_prefix(MAGIC))
            .and_then(|mut rest| codec().deserialize_from(&mut rest).ok());
        if header.is_none_or(|h| !h.output.is_dir()) {
            let _ = std::fs::remove_file(&path);
        }
    }
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
