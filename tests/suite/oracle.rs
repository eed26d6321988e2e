//! The random-edit oracle (issue 10): seeded sequences of edits, deletions,
//! restores, renames, bad saves, odd files (FIFO, socket, links out of the
//! site) and batches of them, applied under the real file watcher. After
//! each step the live output must equal a fresh `build` of the same content
//! when that build succeeds, and be unchanged (with the same problems) when
//! it fails.
//!
//! `STARBOARD_ORACLE_STEPS` (default 300) and `STARBOARD_ORACLE_SEED` set
//! the length and the seed; a failure prints both, so it can be replayed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use starboard::Options;
use starboard::engine::Engine;

use crate::support::{Site, snapshot_of};

mod edits;
mod processes;

use edits::{Rng, VILLAGES, households};

/// What the watcher reported for one rebuild: whether it took the sync
/// marker of step `n`, and how it ended.
struct Rebuild {
    marker: Option<u64>,
    outcome: Result<(), String>,
}

struct Oracle {
    site: Site,
    /// The watcher's rebuilds; None when each step is built by a new
    /// `starboard build` process instead (see `processes`).
    rebuilds: Option<Receiver<Rebuild>>,
    /// Folders and files moved out of content/ (to be moved back), by where
    /// they came from.
    stash: BTreeMap<String, PathBuf>,
    step: u64,
    /// The live output when the last good rebuild finished.
    last_good: BTreeMap<PathBuf, Vec<u8>>,
    log: Vec<String>,
    seed: u64,
    /// Whether a rebuild before the last one of this step succeeded.
    good_between: bool,
    /// Steps after which the site built, and after which it did not.
    good: u64,
    bad: u64,
    /// Builds that took up from the build cache (`processes`).
    cache_used: usize,
}

impl Oracle {
    /// The oracle's site: the fixture with three more villages.
    fn site(seed: u64) -> Site {
        let site = Site::fixture("minimal");
        site.write(
            &format!("{}/village.toml", VILLAGES[1]),
            "name = \"二村\"\n[six_no]\nno_gangs = true\nno_drugs = true\n",
        );
        site.write(
            &format!("{}/village.toml", VILLAGES[2]),
            "name = \"五村\"\n[six_no]\nno_gangs = true\nno_drugs = false\n",
        );
        site.write(
            &format!("{}/village.toml", VILLAGES[3]),
            "name = \"六村\"\n[six_no]\nno_gangs = true\nno_drugs = true\n",
        );
        for village in VILLAGES {
            site.write(
                &format!("{village}/households.toml"),
                &households(&mut Rng(seed | 5), "h"),
            );
        }
        std::fs::remove_file(site.path(&format!("{}/points.toml", VILLAGES[0]))).unwrap();
        site
    }

    fn new(site: Site, rebuilds: Option<Receiver<Rebuild>>, seed: u64) -> Oracle {
        Oracle {
            site,
            rebuilds,
            stash: BTreeMap::new(),
            step: 0,
            last_good: BTreeMap::new(),
            log: Vec::new(),
            seed,
            good_between: false,
            good: 0,
            bad: 0,
            cache_used: 0,
        }
    }

    /// The site under the real watcher, its first build done.
    fn start(seed: u64) -> Oracle {
        let site = Oracle::site(seed);
        let (tx, rebuilds) = channel();
        let (ready_tx, ready) = channel();
        let root = site.dir.path().to_path_buf();
        let first_edit = site.path(&format!("{}/households.toml", VILLAGES[1]));
        let during_edit = site.path(&format!("{}/households.toml", VILLAGES[3]));
        let marker_dir = site.path("content");
        std::thread::spawn(move || {
            let mut engine = Engine::new(Options {
                root,
                output: None,
                base_url: None,
            });
            // Saves made just before and just after the first build, once
            // the watcher listens: neither may be lost.
            let first = |engine: &mut Engine| {
                std::fs::write(&first_edit, households(&mut Rng(seed | 1), "first")).unwrap();
                // And saves while it runs, from another thread: whenever they
                // land, the rebuilds after it must catch up with them.
                let during = during_edit.clone();
                let writer = std::thread::spawn(move || {
                    for i in 0..5 {
                        std::fs::write(&during, households(&mut Rng(seed | (7 + i)), "h")).unwrap();
                        std::thread::yield_now();
                    }
                });
                let _ = engine.rebuild(&starboard::engine::ChangeSet::rescan());
                writer.join().unwrap();
                std::fs::write(&first_edit, households(&mut Rng(seed | 3), "after")).unwrap();
                ready_tx.send(()).unwrap();
            };
            let after = |_: &mut (), r: starboard::watch::Rebuilt<'_>| {
                let marker = r
                    .changes
                    .paths
                    .iter()
                    .filter_map(|p| marker_number(&marker_dir, p))
                    .max();
                let outcome = r.result.as_ref().map(|_| ()).map_err(|e| e.to_string());
                let _ = tx.send(Rebuild { marker, outcome });
            };
            starboard::watch::run(&mut engine, false, first, after).unwrap();
        });
        ready.recv_timeout(Duration::from_secs(60)).expect("the watcher starts");
        Oracle::new(site, Some(rebuilds), seed)
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.site.path(rel)
    }

    /// Write a file where its folder is (not in a folder that was moved
    /// out: that would make the folder anew, and the restore would clash).
    fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        if path.parent().is_some_and(Path::is_dir) {
            std::fs::write(path, text).unwrap();
        }
    }

    /// Write a hidden marker file (never content) and wait for the rebuild
    /// that took it: every event before it is in that rebuild or an earlier
    /// one, since the watcher delivers events in order.
    fn settle(&mut self) -> Result<(), String> {
        self.step += 1;
        let Some(rebuilds) = &self.rebuilds else {
            return self.build_in_a_new_process();
        };
        let marker = self.path(&format!("content/.oracle-{}", self.step));
        std::fs::write(&marker, "").unwrap();
        self.good_between = false;
        loop {
            let rebuild = rebuilds
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("no rebuild within 60 s; {}", self.replay()));
            if rebuild.marker.is_some_and(|m| m >= self.step) {
                let _ = std::fs::remove_file(&marker);
                return rebuild.outcome;
            }
            // A step's writes may be split over two rebuilds (a slow
            // machine lets the files go quiet between them).
            self.good_between |= rebuild.outcome.is_ok();
        }
    }

    fn replay(&self) -> String {
        format!(
            "replay with STARBOARD_ORACLE_SEED={}; steps:\n{}",
            self.seed,
            self.log.join("\n")
        )
    }

    /// The live output against a fresh build of the same content.
    fn compare(&mut self, live: Result<(), String>) {
        let fresh = tempfile::tempdir().unwrap();
        let built = starboard::build(&Options {
            root: self.site.dir.path().to_path_buf(),
            output: Some(fresh.path().join("public")),
            base_url: None,
        });
        let public = self.path("public");
        let now = if public.exists() {
            snapshot_of(&public)
        } else {
            BTreeMap::new()
        };
        match (built, live) {
            (Ok(_), Ok(())) => {
                let full = snapshot_of(&fresh.path().join("public"));
                if now != full {
                    let differ: Vec<String> = full
                        .keys()
                        .chain(now.keys())
                        .filter(|p| full.get(*p) != now.get(*p))
                        .map(|p| p.display().to_string())
                        .collect();
                    panic!(
                        "live output differs from a fresh build at {differ:?}; {}",
                        self.replay()
                    );
                }
                self.last_good = now;
                self.good += 1;
            }
            (Err(fresh), Err(live)) => {
                // (A process prints them its own way.)
                if self.rebuilds.is_some() {
                    assert_eq!(live, fresh.to_string(), "same problems as build; {}", self.replay());
                }
                // Unchanged since the last good rebuild, unless part of this
                // step was built (well) by a rebuild of its own: then what
                // that one published stands, and the next good step is
                // compared with a fresh build in full.
                assert!(
                    now == self.last_good || self.good_between,
                    "a failed rebuild changed public/; {}",
                    self.replay()
                );
                self.last_good = now;
                self.bad += 1;
            }
            (Ok(_), Err(live)) => panic!("watch failed where build succeeds: {live}; {}", self.replay()),
            (Err(fresh), Ok(())) => panic!("watch published what build refuses: {fresh}; {}", self.replay()),
        }
    }
}

fn marker_number(content: &Path, path: &Path) -> Option<u64> {
    let name = path.strip_prefix(content).ok()?.to_str()?;
    name.strip_prefix(".oracle-")?.parse().ok()
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn live_output_always_equals_a_fresh_build() {
    let seed = env_or("STARBOARD_ORACLE_SEED", 0x5eed_2026);
    let steps = env_or("STARBOARD_ORACLE_STEPS", 300);
    let mut rng = Rng(seed);
    let mut oracle = Oracle::start(seed);
    let live = oracle.settle();
    oracle
        .log
        .push("first build, with saves just before, during and after it".into());
    oracle.compare(live);
    for _ in 0..steps {
        // Most steps are one change; some are a batch of several at once.
        let batch = if rng.below(4) == 0 { 2 + rng.below(3) } else { 1 };
        let changes: Vec<String> = (0..batch).map(|_| oracle.change(&mut rng)).collect();
        oracle.log.push(changes.join(" + "));
        let live = oracle.settle();
        oracle.compare(live);
    }
    // The walk must have visited both kinds of state, or it proved little.
    assert!(
        oracle.good >= steps / 5 && oracle.bad >= steps / 20,
        "{} good and {} failed steps of {steps}",
        oracle.good,
        oracle.bad
    );
    eprintln!("oracle: {steps} steps, {} built, {} refused", oracle.good, oracle.bad);
}
