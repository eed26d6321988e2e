//! The output folder (issue 10): the swap never leaves a moment without a
//! whole public/, killed builds leave nothing the next build does not
//! clear, a mount point works as the output, and a full disk under watch
//! leaves the previous site whole with no temporary files.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use starboard::Options;
use starboard::engine::{ChangeSet, Engine};

use crate::support::{Site, snapshot_of};

const NEWS: &str = "content/villages/测试县/测试镇/测试村/news";

/// Tests that mount a tmpfs need root: skip with the reason, or fail under CI.
fn root_or_skip(what: &str) -> bool {
    if unsafe { libc::geteuid() } == 0 {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{what} needs root under CI"
    );
    eprintln!("skipped {what}: needs root to mount a tmpfs");
    false
}

/// A tmpfs mounted at `dir` for the life of the value.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .unwrap()
            .success();
        assert!(ok, "mount tmpfs at {}", dir.display());
        Tmpfs(dir.to_path_buf())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Files whose names say they are temporary (`.x.tmp-PID`).
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    snapshot_of(dir)
        .into_keys()
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().contains(".tmp-")))
        .collect()
}

#[test]
fn there_is_always_a_whole_site_at_public() {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    let index = site.path("public/index.html");
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (stop, index) = (Arc::clone(&stop), index.clone());
        std::thread::spawn(move || {
            let mut looks = 0u64;
            let mut missing = 0u64;
            while !stop.load(Ordering::Relaxed) {
                looks += 1;
                if !index.is_file() {
                    missing += 1;
                }
            }
            (looks, missing)
        })
    };
    let options = Options {
        root: site.dir.path().to_path_buf(),
        output: None,
        base_url: None,
    };
    for i in 0..20 {
        site.write(
            "content/news/hello.md",
            &format!("+++\ntitle = \"第{i}次\"\ndate = 2022-11-01\n+++\n"),
        );
        starboard::build(&options).unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    let (looks, missing) = watcher.join().unwrap();
    assert!(looks > 1000, "the poller ran ({looks} looks)");
    assert_eq!(
        missing, 0,
        "public/index.html was missing in {missing} of {looks} looks"
    );
    assert!(site.public("news/index.html").contains("第19次"));
    assert!(site.leftovers().is_empty(), "{:?}", site.leftovers());
}

#[test]
fn leftovers_of_killed_builds_are_removed_by_the_next_build() {
    let site = Site::fixture("minimal");
    assert_eq!(site.build().code, 0);
    // As a build killed with -9 leaves them: a pid that runs no more.
    let dead = 4_190_000 + std::process::id() % 1000;
    for name in [format!(".public.staging-{dead}"), format!(".public.old-{dead}")] {
        site.write(&format!("{name}/index.html"), "old site");
    }
    assert_eq!(site.leftovers().len(), 2);
    assert_eq!(site.build().code, 0);
    assert!(site.leftovers().is_empty(), "{:?}", site.leftovers());
}

#[test]
fn a_build_killed_half_way_leaves_the_old_site_and_nothing_for_long() {
    let site = Site::fixture("minimal");
    // Enough villages that the build is still writing when it is killed.
    for i in 0..300 {
        site.write(
            &format!("content/villages/测试县/大镇/村{i}/village.toml"),
            &format!("name = \"村{i}\"\n[six_no]\nno_gangs = true\nno_drugs = true\n"),
        );
    }
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = site.snapshot();
    let mut child = Command::new(env!("CARGO_BIN_EXE_starboard"))
        // A full build: with the cache this one would have nothing to write.
        .args(["build", "--no-cache"])
        .current_dir(site.dir.path())
        .spawn()
        .unwrap();
    let staging = format!(".public.staging-{}", child.id());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !site.path(&staging).exists() && std::time::Instant::now() < deadline {
        std::thread::yield_now();
    }
    // Killed while it writes, not after it finished.
    assert!(site.path(&staging).exists(), "the build never got to writing");
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(site.snapshot(), before, "public/ is the last good site");
    assert_eq!(site.build().code, 0);
    assert!(site.leftovers().is_empty(), "{:?}", site.leftovers());
}

#[test]
fn an_output_folder_that_is_a_mount_point_works() {
    if !root_or_skip("the mount-point test") {
        return;
    }
    let site = Site::fixture("minimal");
    let _mount = Tmpfs::mount(&site.path("public"), "16m");
    assert_eq!(site.build().code, 0, "first build into the mount point");
    site.write(
        "content/news/hello.md",
        "+++\ntitle = \"挂载点上的新闻\"\ndate = 2022-11-01\n+++\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let fresh = tempfile::tempdir().unwrap();
    starboard::build(&Options {
        root: site.dir.path().to_path_buf(),
        output: Some(fresh.path().join("public")),
        base_url: None,
    })
    .unwrap();
    assert!(
        site.snapshot() == snapshot_of(&fresh.path().join("public")),
        "same as a fresh build"
    );
    assert!(temporaries(&site.path("public")).is_empty());
}

#[test]
fn a_full_disk_under_watch_keeps_the_previous_site_whole() {
    if !root_or_skip("the full-disk test") {
        return;
    }
    let site = Site::fixture("minimal");
    let _mount = Tmpfs::mount(&site.path("public"), "1m");
    let mut engine = Engine::new(Options {
        root: site.dir.path().to_path_buf(),
        output: None,
        base_url: None,
    });
    engine.rebuild(&ChangeSet::rescan()).unwrap();
    let before = site.snapshot();
    // A batch of new posts and a photo too big for what is left.
    let mut changes = ChangeSet::default();
    for i in 0..5 {
        let rel = format!("{NEWS}/p{i}.md");
        site.write(
            &rel,
            &format!("+++\ntitle = \"新闻{i}\"\ndate = 2022-11-0{}\n+++\n", i + 1),
        );
        changes.paths.insert(site.path(&rel));
    }
    let photo = format!("{NEWS}/大照片.png");
    std::fs::write(site.path(&photo), vec![7u8; 2 * 1024 * 1024]).unwrap();
    changes.paths.insert(site.path(&photo));
    let err = engine.rebuild(&changes).unwrap_err().to_string();
    assert!(err.contains("磁盘已满"), "said in the site's language: {err}");
    assert!(site.snapshot() == before, "the previous site, whole");
    assert!(
        temporaries(&site.path("public")).is_empty(),
        "{:?}",
        temporaries(&site.path("public"))
    );
    // Room again: the same batch lands whole.
    std::fs::remove_file(site.path(&photo)).unwrap();
    changes.paths.insert(site.path(&photo));
    engine.rebuild(&changes).unwrap();
    assert!(site.public("ceshixian/ceshizhen/ceshicun/index.html").contains("新闻4"));
}
