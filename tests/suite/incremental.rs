//! Incremental rebuilds through the library's engine: after every edit the
//! live output must equal a clean full build of the same content, and an edit
//! must touch only what depends on it.

use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;

use starboard::Options;
use starboard::engine::{ChangeSet, Engine};

use crate::support::Site;

const VILLAGE: &str = "content/villages/测试县/测试镇/测试村";
const OTHER: &str = "content/villages/测试县/测试镇/二村";
const OTHER_BOARD: &str = "public/ceshixian/ceshizhen/ercun/index.html";

struct Live {
    site: Site,
    engine: Engine,
}

impl Live {
    /// The minimal fixture plus a second village, built once.
    fn start() -> Live {
        let site = Site::fixture("minimal");
        site.write(
            &format!("{OTHER}/village.toml"),
            "name = \"二村\"\n[six_no]\nno_gangs = true\nno_drugs = true\n",
        );
        site.write(
            &format!("{OTHER}/households.toml"),
            "period = \"2022\"\n[[household]]\nid = \"e-1\"\nhead = \"王小五\"\nstars = [\"law\", \"hygiene\"]\n",
        );
        // A second town, so edits in the first leave a whole town unchanged.
        site.write(
            "content/villages/测试县/二镇/五村/village.toml",
            "name = \"五村\"\n[six_no]\nno_gangs = true\nno_drugs = true\n",
        );
        let mut engine = Engine::new(Options {
            root: site.dir.path().to_path_buf(),
            output: None,
            base_url: None,
        });
        engine.rebuild(&ChangeSet::rescan()).unwrap();
        Live { site, engine }
    }

    /// Write files (None deletes), then rebuild with exactly those paths.
    fn edit(&mut self, files: &[(&str, Option<&str>)]) -> Result<(), String> {
        let mut changes = ChangeSet::default();
        for (rel, text) in files {
            match text {
                Some(t) => self.site.write(rel, t),
                None => remove(&self.site.path(rel)),
            }
            changes.paths.insert(self.site.path(rel));
        }
        self.engine.rebuild(&changes).map(|_| ()).map_err(|e| e.to_string())
    }

    /// The live output equals a clean full build of the same content.
    fn assert_same_as_full_build(&self, step: &str) {
        let fresh = tempfile::tempdir().unwrap();
        starboard::build(&Options {
            root: self.site.dir.path().to_path_buf(),
            output: Some(fresh.path().join("public")),
            base_url: None,
        })
        .unwrap();
        let live = self.site.snapshot();
        let full = crate::support::snapshot_of(&fresh.path().join("public"));
        let live_paths: Vec<&PathBuf> = live.keys().collect();
        let full_paths: Vec<&PathBuf> = full.keys().collect();
        assert_eq!(live_paths, full_paths, "after {step}: same files");
        for (path, bytes) in &full {
            assert!(live[path] == *bytes, "after {step}: {} differs", path.display());
        }
    }
}

fn remove(path: &std::path::Path) {
    if path.is_dir() {
        std::fs::remove_dir_all(path).unwrap();
    } else if path.exists() {
        std::fs::remove_file(path).unwrap();
    }
}

fn inode(site: &Site, rel: &str) -> u64 {
    std::fs::metadata(site.path(rel)).unwrap().ino()
}

#[test]
fn one_household_edit_reads_one_file_and_leaves_other_villages_alone() {
    let mut live = Live::start();
    let other_before = inode(&live.site, OTHER_BOARD);
    let households = format!("{VILLAGE}/households.toml");
    let text = std::fs::read_to_string(live.site.path(&households)).unwrap();
    // 陈明华 → 陈建国 shows on the board as 陈*华 → 陈*国.
    live.edit(&[(&households, Some(&text.replace("陈明华", "陈建国")))])
        .unwrap();
    assert_eq!(live.engine.last.files_read, 1, "only the edited file is read");
    assert_eq!(live.engine.last.villages_rendered, 1, "only its village is rendered");
    let board = live.site.public("ceshixian/ceshizhen/ceshicun/index.html");
    assert!(
        board.contains("陈*国") && !board.contains("陈*华"),
        "the edit is on the board"
    );
    assert_eq!(
        inode(&live.site, OTHER_BOARD),
        other_before,
        "the other board was not rewritten"
    );
    live.assert_same_as_full_build("a household edit");
}

/// The search index's files, each with its inode (a rewritten file gets a
/// new one).
fn search_files(site: &Site) -> std::collections::BTreeMap<String, u64> {
    std::fs::read_dir(site.path("public/search"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().ino(),
            )
        })
        .collect()
}

/// Issue 14: a one-household edit rewrites only the index shards it
/// touches (the old and new name's characters and the manifest); the rest
/// stay the very same files.
#[test]
fn one_household_edit_rewrites_only_the_search_shards_it_touches() {
    let mut live = Live::start();
    let before = search_files(&live.site);
    let households = format!("{VILLAGE}/households.toml");
    let text = std::fs::read_to_string(live.site.path(&households)).unwrap();
    live.edit(&[(&households, Some(&text.replace("陈明华", "陈建国")))])
        .unwrap();
    let after = search_files(&live.site);
    let kept = after
        .iter()
        .filter(|(name, ino)| before.get(*name) == Some(ino))
        .count();
    let new = after.len() - kept;
    // 陈*华 → 陈*国: the shards of 陈, 华 and 国, and the manifest.
    assert!(new <= 4, "{new} of {} index files rewritten", after.len());
    assert!(kept >= after.len() - 4 && kept > 0, "{kept} kept");
    live.assert_same_as_full_build("a household edit, search index");
}

#[test]
fn incremental_equals_full_build_over_a_sequence_of_edits_issue_3() {
    let mut live = Live::start();
    live.assert_same_as_full_build("the first build");

    // Add a village.
    let third = "content/villages/测试县/测试镇/三村";
    live.edit(&[
        (&format!("{third}/village.toml"), Some("name = \"三村\"\n[six_no]\nno_gangs = true\nno_drugs = false\n")),
        (&format!("{third}/households.toml"), Some("period = \"2022\"\n[[household]]\nid = \"s-1\"\nhead = \"李四\"\nstars = [\"law\", \"hygiene\", \"mutual-aid\"]\n")),
    ])
    .unwrap();
    assert!(live.site.path("public/ceshixian/ceshizhen/sancun/index.html").is_file());
    live.assert_same_as_full_build("adding a village");

    // Add, change and delete a village news post.
    let post = format!("{VILLAGE}/news/second.md");
    live.edit(&[(&post, Some("+++\ntitle = \"第二条\"\ndate = 2022-11-20\n+++\n新的\n"))])
        .unwrap();
    assert!(
        live.site
            .public("ceshixian/ceshizhen/ceshicun/news/second/index.html")
            .contains("新的")
    );
    live.assert_same_as_full_build("adding a post");
    live.edit(&[(&post, Some("+++\ntitle = \"第二条\"\ndate = 2022-11-20\n+++\n改过的\n"))])
        .unwrap();
    live.assert_same_as_full_build("changing a post");
    live.edit(&[(&post, None)]).unwrap();
    assert!(
        !live
            .site
            .path("public/ceshixian/ceshizhen/ceshicun/news/second")
            .exists(),
        "stale output removed"
    );
    live.assert_same_as_full_build("deleting a post");

    // Rename a village folder: the old URL goes, the new one comes.
    let renamed = "content/villages/测试县/测试镇/四村";
    std::fs::rename(live.site.path(third), live.site.path(renamed)).unwrap();
    let mut changes = ChangeSet::default();
    changes.paths.insert(live.site.path(third));
    changes.paths.insert(live.site.path(renamed));
    live.engine.rebuild(&changes).unwrap();
    assert!(!live.site.path("public/ceshixian/ceshizhen/sancun").exists());
    assert!(live.site.path("public/ceshixian/ceshizhen/sicun/index.html").is_file());
    live.assert_same_as_full_build("renaming a village");

    // A bad edit fails and leaves the output as it was; the fix recovers.
    let before = live.site.snapshot();
    let points = format!("{VILLAGE}/points.toml");
    let good = std::fs::read_to_string(live.site.path(&points)).unwrap();
    let err = live.edit(&[(&points, Some("[[entry]\nhousehold = "))]).unwrap_err();
    assert!(err.contains("points.toml:1"), "{err}");
    assert_eq!(live.site.snapshot(), before, "a failed rebuild writes nothing");
    live.edit(&[(&points, Some(&good))]).unwrap();
    live.assert_same_as_full_build("fixing a bad edit");

    // A reading problem (not UTF-8) stays reported until fixed, even when
    // the next save is elsewhere.
    let bad = format!("{VILLAGE}/news/bad.md");
    std::fs::write(live.site.path(&bad), b"+++\ntitle = \"\xff\"\n+++\n").unwrap();
    let mut changes = ChangeSet::default();
    changes.paths.insert(live.site.path(&bad));
    let err = live.engine.rebuild(&changes).unwrap_err().to_string();
    assert!(err.contains("bad.md") && err.contains("UTF-8"), "{err}");
    let err = live
        .edit(&[(&format!("{OTHER}/households.toml"), Some("period = \"2022\"\n"))])
        .unwrap_err();
    assert!(err.contains("bad.md"), "still reported after an unrelated save: {err}");
    live.edit(&[(&bad, None)]).unwrap();
    live.assert_same_as_full_build("fixing a file that was not UTF-8");

    // Site-wide changes re-render everything that shows them.
    live.edit(&[(
        "content/site.toml",
        Some("title = \"改名了\"\nbase_url = \"https://example.org/sub/\"\n[privacy]\nfull_names = true\n"),
    )])
    .unwrap();
    assert!(
        live.site
            .public(OTHER_BOARD.trim_start_matches("public/"))
            .contains("改名了")
    );
    live.assert_same_as_full_build("changing site.toml");
    live.edit(&[("themes/default/templates/404.html", Some("<p>404 {{ site.title }}</p>"))])
        .unwrap();
    assert_eq!(live.site.public("404.html"), "<p>404 改名了</p>");
    live.assert_same_as_full_build("overriding a theme file");

    // A whole-town deletion.
    live.edit(&[("content/villages/测试县/测试镇", None)]).unwrap();
    assert!(!live.site.path("public/ceshixian/ceshizhen").exists());
    live.assert_same_as_full_build("deleting a town");
}

/// Move a path out of the site (to a stash folder beside content/) or back.
fn shift(site: &Site, from: &str, to: &str) -> ChangeSet {
    std::fs::create_dir_all(site.path(to).parent().unwrap()).unwrap();
    std::fs::rename(site.path(from), site.path(to)).unwrap();
    let mut changes = ChangeSet::default();
    changes.paths.insert(site.path(from));
    changes.paths.insert(site.path(to));
    changes
}

#[test]
fn a_post_or_a_town_moved_out_and_back_comes_back_issue_10() {
    let mut live = Live::start();
    let post = "content/news/hello.md";
    let town = "content/villages/测试县/测试镇";
    for (rel, page) in [
        (post, "news/hello/index.html"),
        (town, "ceshixian/ceshizhen/index.html"),
    ] {
        live.engine.rebuild(&shift(&live.site, rel, "stash/x")).unwrap();
        assert!(!live.site.path("public").join(page).exists(), "{page} gone with {rel}");
        live.engine.rebuild(&shift(&live.site, "stash/x", rel)).unwrap();
        assert!(live.site.path("public").join(page).is_file(), "{page} back with {rel}");
        live.assert_same_as_full_build(&format!("moving {rel} out and back"));
    }
}

#[test]
fn removing_village_toml_fails_as_build_does_issue_10() {
    let mut live = Live::start();
    let before = live.site.snapshot();
    let err = live.edit(&[(&format!("{OTHER}/village.toml"), None)]).unwrap_err();
    let build = live.site.build();
    assert_eq!(build.code, 1);
    assert!(err.contains("没有 village.toml"), "{err}");
    assert_eq!(format!("{err}\n"), build.stderr, "the same problems as build");
    assert_eq!(live.site.snapshot(), before, "the village is not dropped from public/");
}

#[test]
fn an_edit_in_a_failed_batch_is_published_once_the_batch_is_fixed_issue_10() {
    let mut live = Live::start();
    let households = format!("{VILLAGE}/households.toml");
    let text = std::fs::read_to_string(live.site.path(&households)).unwrap();
    let socket = live.site.path(&format!("{VILLAGE}/news/zz.md"));
    // One batch: a roster edit and a socket where a post would be.
    live.site.write(&households, &text.replace("陈明华", "陈建国"));
    let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let mut changes = ChangeSet::default();
    changes.paths.insert(live.site.path(&households));
    changes.paths.insert(socket.clone());
    let err = live.engine.rebuild(&changes).unwrap_err().to_string();
    assert!(err.contains("套接字"), "{err}");
    // The next batch only removes the socket.
    drop(listener);
    std::fs::remove_file(&socket).unwrap();
    let mut changes = ChangeSet::default();
    changes.paths.insert(socket);
    live.engine.rebuild(&changes).unwrap();
    assert!(
        live.site
            .public("ceshixian/ceshizhen/ceshicun/index.html")
            .contains("陈*国")
    );
    live.assert_same_as_full_build("fixing the batch");
}
