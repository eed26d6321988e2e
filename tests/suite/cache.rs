//! The build cache from the command line (issue 17): a second `build`
//! process takes up from the first, writes nothing when nothing changed,
//! builds an edit as a full build would; `--no-cache` removes it. (The
//! random walk over edits and damaged caches is in `oracle/processes.rs`.)

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::support::{Site, snapshot_of};

/// Every file under `dir` with its inode and mtime: a file written again
/// (written aside and renamed, as starboard writes) changes both.
fn identities(dir: &Path) -> BTreeMap<PathBuf, (u64, i64, i64)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path);
            } else {
                out.insert(path, (meta.ino(), meta.mtime(), meta.mtime_nsec()));
            }
        }
    }
    out
}

/// Give every content file a time an hour ago, as files saved before the
/// build began have (files saved in the same moment are read again anyway).
fn age_content(site: &Site) {
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for path in identities(&site.path("content")).into_keys() {
        let file = std::fs::File::options().append(true).open(&path).unwrap();
        file.set_modified(an_hour_ago).unwrap();
    }
}

fn build(site: &Site, args: &[&str]) -> String {
    let mut all = vec!["build", "--timings"];
    all.extend(args);
    let run = site.run(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stderr
}

#[test]
fn a_build_with_nothing_changed_takes_up_the_cache_and_writes_nothing() {
    let site = Site::fixture("minimal");
    age_content(&site);
    assert!(build(&site, &[]).contains("build cache: no cache"));
    let before = (
        identities(&site.path("public")),
        identities(&site.path(".starboard/cache")),
    );
    assert_eq!(before.1.len(), 1, "one cache file: {:?}", before.1);
    let said = build(&site, &[]);
    assert!(said.contains("build cache: used"), "{said}");
    let after = (
        identities(&site.path("public")),
        identities(&site.path(".starboard/cache")),
    );
    assert_eq!(before, after, "nothing in public/ or the cache was written");
}

#[test]
fn an_edit_is_built_from_the_cache_as_a_full_build_would() {
    let site = Site::fixture("minimal");
    age_content(&site);
    build(&site, &[]);
    let households = site.village("households.toml");
    let text = std::fs::read_to_string(site.path(&households)).unwrap();
    site.write(&households, &text.replace("陈明华", "王明华"));
    let said = build(&site, &[]);
    assert!(said.contains("build cache: used"), "{said}");
    let board = site.public("ceshixian/ceshizhen/ceshicun/index.html");
    assert!(board.contains("王*华") && !board.contains("陈*华"), "{board}");
    let fresh = site.path("fresh");
    build(&site, &["--no-cache", "--output", fresh.to_str().unwrap()]);
    assert_eq!(snapshot_of(&site.path("public")), snapshot_of(&fresh));
}

#[test]
fn no_cache_builds_in_full_and_removes_the_cache() {
    let site = Site::fixture("minimal");
    build(&site, &[]);
    assert_eq!(identities(&site.path(".starboard/cache")).len(), 1);
    let said = build(&site, &["--no-cache"]);
    assert!(!said.contains("build cache:"), "{said}");
    assert!(
        identities(&site.path(".starboard/cache")).is_empty(),
        "the cache is removed"
    );
    assert!(build(&site, &[]).contains("build cache: no cache"));
}

#[test]
fn with_the_output_folder_removed_the_cache_is_not_taken_up() {
    let site = Site::fixture("minimal");
    age_content(&site);
    build(&site, &[]);
    let first = snapshot_of(&site.path("public"));
    std::fs::remove_dir_all(site.path("public")).unwrap();
    let said = build(&site, &[]);
    assert!(said.contains("build cache: output changed since"), "{said}");
    assert_eq!(snapshot_of(&site.path("public")), first, "built again in full");
    assert!(build(&site, &[]).contains("build cache: used"), "a new cache was kept");
}

#[test]
fn caches_of_output_folders_that_are_gone_are_removed() {
    let site = Site::fixture("minimal");
    let (a, b) = (site.path("a"), site.path("b"));
    build(&site, &["--output", a.to_str().unwrap()]);
    build(&site, &["--output", b.to_str().unwrap()]);
    assert_eq!(
        identities(&site.path(".starboard/cache")).len(),
        2,
        "one cache per output folder"
    );
    std::fs::remove_dir_all(&a).unwrap();
    build(&site, &[]);
    let caches = identities(&site.path(".starboard/cache"));
    assert_eq!(caches.len(), 2, "public/'s and b's, not a's: {caches:?}");
    let said = build(&site, &["--output", b.to_str().unwrap()]);
    assert!(said.contains("build cache: used"), "b's cache was kept: {said}");
}
