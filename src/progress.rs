//! How far a build has got: counters the engine bumps as it goes and a
//! terminal progress bar reads. The bar appears only on a terminal and only
//! when a build runs longer than a couple of seconds; small sites and
//! scripts (CI, pipes) never see it.

use std::io::IsTerminal as _;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::Lang;

/// The stage a build is in and, where it is countable, how much of it is done.
#[derive(Debug, Default)]
pub struct Progress {
    stage: Mutex<&'static str>,
    done: AtomicUsize,
    /// Zero while the stage has no count (reading, validating).
    total: AtomicUsize,
}

impl Progress {
    /// A new stage of `total` steps (0 when it cannot be counted).
    pub fn stage(&self, name: &'static str, total: usize) {
        *self.stage.lock().expect("no thread panics holding the stage") = name;
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    /// One step of the current stage done (called from many threads).
    pub fn step(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// (stage, steps done, steps in all).
    pub fn now(&self) -> (&'static str, usize, usize) {
        let stage = *self.stage.lock().expect("no thread panics holding the stage");
        (
            stage,
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }
}

/// The most memory this process has held so far (Linux's VmHWM), in bytes;
/// None where the system does not tell.
pub fn peak_memory() -> Option<u64> {
    let status = crate::fs::read(std::path::Path::new("/proc/self/status")).ok()?;
    let status = String::from_utf8_lossy(&status);
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

/// A progress bar on stderr for as long as it is alive.
pub struct Bar {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// How long a build runs before the bar appears; the environment variable
/// `STARBOARD_PROGRESS_AFTER_MS` changes it (tests set 0).
fn show_after() -> Duration {
    std::env::var("STARBOARD_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(Duration::from_secs(2), Duration::from_millis)
}

impl Bar {
    /// Draw `progress` on stderr once the build has run a couple of seconds;
    /// nothing at all when stderr is not a terminal.
    /// Stages are named in `lang`.
    pub fn start(progress: Arc<Progress>, lang: Lang) -> Bar {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = std::io::stderr().is_terminal().then(|| {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || draw(&progress, &stop, lang))
        });
        Bar { stop, thread }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn draw(progress: &Progress, stop: &AtomicBool, lang: Lang) {
    let started = Instant::now();
    let tick = Duration::from_millis(100);
    let after = show_after();
    while started.elapsed() < after {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        std::thread::sleep(tick);
    }
    let counted = indicatif::ProgressStyle::with_template("{msg:>8} [{bar:30}] {pos}/{len} {elapsed}")
        .expect("a valid template")
        .progress_chars("=> ");
    let uncounted = indicatif::ProgressStyle::with_template("{msg:>8} {spinner} {elapsed}").expect("a valid template");
    let bar = indicatif::ProgressBar::new(0).with_elapsed(started.elapsed());
    let mut was_counted = None;
    // Drawn at least once, however soon the build ends.
    loop {
        let (stage, done, total) = progress.now();
        let is_counted = total > 0;
        if was_counted != Some(is_counted) {
            bar.set_style(if is_counted { counted.clone() } else { uncounted.clone() });
            was_counted = Some(is_counted);
        }
        bar.set_message(crate::wording::stage(lang, stage));
        bar.set_length(total.max(done) as u64);
        bar.set_position(done as u64);
        bar.tick();
        if stop.load(Ordering::Relaxed) {
            break;
        }
        std::thread::sleep(tick);
    }
    bar.finish_and_clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn peak_memory_grows_with_what_was_held() {
        let before = peak_memory().expect("Linux reports VmHWM");
        let held = vec![1u8; 64 * 1024 * 1024];
        std::hint::black_box(&held);
        let after = peak_memory().unwrap();
        assert!(after >= before.max(64 * 1024 * 1024), "{before} → {after}");
    }

    #[test]
    fn steps_count_within_a_stage_and_restart_with_the_next() {
        let p = Progress::default();
        p.stage("render", 3);
        std::thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| p.step());
            }
        });
        assert_eq!(p.now(), ("render", 3, 3));
        p.stage("write", 0);
        assert_eq!(p.now(), ("write", 0, 0));
    }
}
