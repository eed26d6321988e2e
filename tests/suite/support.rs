//! Shared helpers: fixture sites copied to temp dirs, the real binary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// A fixture site copied into a temp dir.
pub struct Site {
    pub dir: TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

impl Site {
    pub fn fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixtures().join(name), dir.path());
        Site { dir }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn village(&self, file: &str) -> String {
        format!("content/villages/测试县/测试镇/测试村/{file}")
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_starboard"))
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    /// [`Site::run`], failing the test if the command has not finished
    /// within `limit` (it is killed): for inputs that once made it hang.
    pub fn run_within(&self, args: &[&str], limit: std::time::Duration) -> Run {
        use std::io::Read;
        let mut child = Command::new(env!("CARGO_BIN_EXE_starboard"))
            .args(args)
            .current_dir(self.dir.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > limit {
                child.kill().unwrap();
                panic!("starboard {args:?} did not finish within {limit:?}");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let (mut stdout, mut stderr) = (String::new(), String::new());
        child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
        child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
        Run {
            code: status.code().unwrap_or(-1),
            stdout,
            stderr,
        }
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    pub fn public(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path("public").join(rel)).unwrap_or_else(|e| panic!("public/{rel}: {e}"))
    }

    /// Staging or swap folders (`.public.*`) left beside public/.
    pub fn leftovers(&self) -> Vec<String> {
        std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".public"))
            .collect()
    }

    /// Every file under public/ with its bytes.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        snapshot_of(&self.path("public"))
    }
}

/// Every file under `root` with its bytes, by path relative to `root`.
pub fn snapshot_of(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(root).unwrap().to_path_buf(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// Compare with tests/expected/<name>.txt (or <name> when it has an
/// extension, e.g. `example_home.html`); `BLESS=1 cargo test` rewrites it.
pub fn assert_matches_expected(name: &str, actual: &str) {
    let file = if name.contains('.') {
        name.to_string()
    } else {
        format!("{name}.txt")
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected").join(file);
    if std::env::var_os("BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected =
        std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{} missing: run with BLESS=1", path.display()));
    assert_eq!(actual, expected, "output differs from {}", path.display());
}

/// The minimal fixture's one village board.
pub const VILLAGE_PAGE: &str = "ceshixian/ceshizhen/ceshicun/index.html";

/// Build `site`, which has exactly one mistake: it fails with one error,
/// whose text is tests/expected/<name>.txt.
pub fn assert_one_error_pinned(site: &Site, name: &str) {
    let run = site.build();
    assert_eq!(run.code, 1, "{name}: {}", run.stderr);
    assert!(
        run.stderr.contains("共 1 个错误"),
        "{name}: one error only:\n{}",
        run.stderr
    );
    assert_matches_expected(name, &run.stderr);
}
