//! The oracle across processes (issue 17): after each random step a new
//! `starboard build` process, taking up from the build cache the last one
//! left, must leave public/ equal to a fresh build without a cache. Between
//! steps the cache is deleted, cut short or damaged, the theme changed, or
//! a published file changed by hand, at random.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use super::edits::Rng;
use super::{Oracle, env_or};

/// Every file of content/ and themes/ with its bytes and the mtime given.
type Aged = BTreeMap<PathBuf, (Vec<u8>, SystemTime)>;

impl Oracle {
    /// The site, first built by a process of its own.
    fn start_processes(seed: u64) -> Oracle {
        Oracle::new(Oracle::site(seed), None, seed)
    }

    /// One `starboard build` process; Err with what it printed if it failed.
    pub(super) fn build_in_a_new_process(&mut self) -> Result<(), String> {
        let run = self.site.run(&["build", "--timings"]);
        self.cache_used += usize::from(run.stderr.contains("build cache: used"));
        match run.code {
            0 => Ok(()),
            _ => Err(run.stderr),
        }
    }

    /// Give files their own past times, as if each step were an hour
    /// apart: a file the step changed gets a time no file had before, the
    /// others keep theirs. (Else every changed file would be stamped in
    /// the same second as the last build began, and read again for that
    /// reason alone: the build's trust in stamps would go untested.)
    fn age_files(&self, aged: &mut Aged) {
        let long_ago = SystemTime::now() - Duration::from_secs(30 * 24 * 3600);
        let this_step = long_ago + Duration::from_secs(3600 * self.step);
        let mut now = Aged::new();
        for dir in ["content", "themes"] {
            for path in regular_files(self.path(dir)) {
                let Ok(bytes) = std::fs::read(&path) else { continue };
                let time = match aged.get(&path) {
                    Some((before, time)) if *before == bytes => *time,
                    _ => this_step,
                };
                let Ok(file) = std::fs::File::options().append(true).open(&path) else {
                    continue;
                };
                file.set_modified(time).unwrap();
                now.insert(path, (bytes, time));
            }
        }
        *aged = now;
    }

    /// Something done to the cache, the theme or the output between builds.
    fn tamper(&mut self, rng: &mut Rng) -> String {
        let caches: Vec<_> = std::fs::read_dir(self.path(".starboard/cache"))
            .map(|d| d.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        let poster = self.path("themes/default/templates/poster.html");
        match (rng.below(6), caches.first()) {
            (0, Some(cache)) => {
                std::fs::remove_file(cache).unwrap();
                "cache deleted".into()
            }
            (1, Some(cache)) => {
                let bytes = std::fs::read(cache).unwrap();
                let cut = rng.below(bytes.len());
                std::fs::write(cache, &bytes[..cut]).unwrap();
                format!("cache cut to {cut} of {} bytes", bytes.len())
            }
            (2, Some(cache)) => {
                let mut bytes = std::fs::read(cache).unwrap();
                let at = rng.below(bytes.len());
                bytes[at] ^= 1 << rng.below(8);
                std::fs::write(cache, &bytes).unwrap();
                format!("cache byte {at} flipped")
            }
            (3, _) if poster.exists() => {
                std::fs::remove_dir_all(self.path("themes")).unwrap();
                "theme back to the built-in one".into()
            }
            (3, _) => {
                let theirs = include_str!("../../../themes/default/templates/poster.html");
                self.site.write(
                    "themes/default/templates/poster.html",
                    &format!("{theirs}\n<!-- 本村海报 -->\n"),
                );
                "theme's poster changed".into()
            }
            (4, _) => {
                let published = crate::support::snapshot_of(&self.path("public"));
                let Some(page) = published.keys().nth(rng.below(published.len().max(1))) else {
                    return "nothing published to change".into();
                };
                let page = self.path("public").join(page);
                let done = if rng.below(2) == 0 {
                    std::fs::remove_file(&page).unwrap();
                    format!("{} deleted by hand", page.display())
                } else {
                    std::fs::write(&page, "changed by hand").unwrap();
                    format!("{} changed by hand", page.display())
                };
                // A build that fails leaves public/ as it is now.
                self.last_good = crate::support::snapshot_of(&self.path("public"));
                done
            }
            _ => "cache left alone".into(),
        }
    }
}

/// The regular files under `dir` (not the odd files and links the edits
/// leave: a FIFO would block a read).
fn regular_files(dir: PathBuf) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(entry.path()),
                Ok(t) if t.is_file() => out.push(entry.path()),
                _ => {}
            }
        }
    }
    out
}

#[test]
fn cached_builds_always_equal_a_fresh_build() {
    let seed = env_or("STARBOARD_ORACLE_SEED", 0x5eed_2027);
    let steps = env_or("STARBOARD_ORACLE_STEPS", 300) / 2;
    let mut rng = Rng(seed);
    let mut oracle = Oracle::start_processes(seed);
    let mut aged = Aged::new();
    oracle.age_files(&mut aged);
    oracle.log.push("first build".into());
    let built = oracle.settle();
    oracle.compare(built);
    for _ in 0..steps {
        let tampered = oracle.tamper(&mut rng);
        let batch = if rng.below(4) == 0 { 2 + rng.below(3) } else { 1 };
        let changes: Vec<String> = (0..batch).map(|_| oracle.change(&mut rng)).collect();
        oracle.age_files(&mut aged);
        oracle.log.push(format!("{tampered}; {}", changes.join(" + ")));
        let built = oracle.settle();
        oracle.compare(built);
    }
    // The cache must have been taken up often, and the site built and
    // refused, or the walk proved little.
    assert!(
        oracle.cache_used as u64 >= steps / 4,
        "the cache was used in {} of {steps} builds",
        oracle.cache_used
    );
    assert!(oracle.good >= steps / 5 && oracle.bad >= steps / 20);
    eprintln!(
        "cached oracle: {steps} steps, {} built ({} from the cache), {} refused",
        oracle.good, oracle.cache_used, oracle.bad
    );
}
