//! Writing the finished site: everything goes into a staging folder beside the
//! output, which is swapped in whole only when every file was written. A build
//! that fails leaves the last good output untouched.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::fs::{self, FsError};
use crate::render::{Body, Output};

mod swap;

pub use swap::remove_leftovers;
use swap::swap_in;

#[derive(Debug)]
pub enum OutputError {
    Io(FsError),
    /// A page path that would escape the output folder.
    UnsafePath(String),
    /// Two files would be written to the same path.
    Collision(String),
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Io(e) => write!(f, "{e}"),
            OutputError::UnsafePath(p) => write!(f, "refusing to write outside the output folder: {p}"),
            OutputError::Collision(p) => write!(f, "two files would be written to {p}"),
        }
    }
}

impl std::error::Error for OutputError {}

impl OutputError {
    /// The message in the site's language.
    pub fn render(&self, lang: crate::error::Lang) -> String {
        match (self, lang) {
            (OutputError::Io(e), crate::error::Lang::Zh) => e.zh(),
            (OutputError::UnsafePath(p), crate::error::Lang::Zh) => format!("拒绝写到输出文件夹以外：{p}"),
            (OutputError::Collision(p), crate::error::Lang::Zh) => format!("有两个文件会写到 {p}"),
            (e, crate::error::Lang::En) => e.to_string(),
        }
    }
}

impl From<FsError> for OutputError {
    fn from(e: FsError) -> Self {
        OutputError::Io(e)
    }
}

/// Check every output path is relative, stays inside, and is written once.
pub fn check_paths(files: &[Output]) -> Result<(), OutputError> {
    let mut seen = std::collections::HashSet::new();
    for f in files {
        let path = Path::new(&f.path);
        let safe = !f.path.is_empty()
            && !f.path.contains('\0')
            && path.components().all(|c| matches!(c, Component::Normal(_)));
        if !safe {
            return Err(OutputError::UnsafePath(f.path.clone()));
        }
        if !seen.insert(f.path.as_str()) {
            return Err(OutputError::Collision(f.path.clone()));
        }
    }
    Ok(())
}

/// Sibling folder names used while swapping, hidden and tied to this process.
fn sibling(output: &Path, what: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    output.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
}

/// Write `files` into a staging folder, then swap it in for `output`.
pub fn write_site(output: &Path, files: &[Output]) -> Result<(), OutputError> {
    let staging = Staging::new(output)?;
    staging.write(files)?;
    staging.finish()
}

/// A whole site in the making: files go into a staging folder beside the
/// output as soon as they are rendered (so a big site is never held in
/// memory at once), and [`Staging::finish`] swaps the folder in. Dropped
/// unfinished (the build failed), the staging folder is removed and the
/// output is as it was.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    paths: PathSet,
    finished: bool,
}

/// Every output path claimed so far, by any thread: a path that would leave
/// the output folder, or a second file at one path, is refused.
#[derive(Default)]
pub struct PathSet(Mutex<HashSet<String>>);

impl PathSet {
    /// Claim the paths of `files`.
    pub fn claim(&self, files: &[Output]) -> Result<(), OutputError> {
        check_paths(files)?;
        let mut paths = self.0.lock().expect("no thread panics holding the path list");
        for f in files {
            if !paths.insert(f.path.clone()) {
                return Err(OutputError::Collision(f.path.clone()));
            }
        }
        Ok(())
    }

    pub fn into_inner(self) -> HashSet<String> {
        self.0.into_inner().expect("no thread panicked holding the path list")
    }
}

impl Staging {
    pub fn new(output: &Path) -> Result<Staging, OutputError> {
        remove_leftovers(output);
        let dir = sibling(output, "staging");
        if fs::exists(&dir) {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            paths: PathSet::default(),
            finished: false,
        })
    }

    /// Write `files` (on all cores); may be called from several threads.
    pub fn write(&self, files: &[Output]) -> Result<(), OutputError> {
        self.paths.claim(files)?;
        write_all(&self.dir, files)
    }

    /// Swap the staging folder in for the output.
    pub fn finish(mut self) -> Result<(), OutputError> {
        let swapped = swap_in(&self.dir, &self.output);
        self.finished = swapped.is_ok();
        swapped
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Write every file, on all cores (creating folders is safe to race:
/// `create_dir_all` accepts a folder another thread just made).
fn write_all(dir: &Path, files: &[Output]) -> Result<(), OutputError> {
    use rayon::prelude::*;
    files.par_iter().try_for_each(|f| {
        let dest = dir.join(&f.path);
        match &f.body {
            Body::Bytes(bytes) => fs::write(&dest, bytes)?,
            Body::Copy(src) => copy_published(src, &dest)?,
            Body::Unchanged => return Err(OutputError::UnsafePath(format!("{} (no content to write)", f.path))),
        }
        Ok(())
    })
}

/// The bytes a file beside the content is published as: images lose their
/// metadata on the way. Read as a regular file only (never through a link
/// or from a pipe).
pub fn published_bytes(src: &Path) -> Result<Vec<u8>, OutputError> {
    let name = src.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let bytes = fs::read_regular(src)?;
    Ok(crate::strip::strip(&name, &bytes).unwrap_or(bytes))
}

fn copy_published(src: &Path, dest: &Path) -> Result<(), OutputError> {
    fs::write(dest, &published_bytes(src)?)?;
    Ok(())
}

/// A fingerprint of an output file's content: a hash of the bytes, or for a
/// copied file its source path, size and mtime (hashing photos would be slow).
pub type Written = u64;

pub fn written(body: &Body) -> Written {
    match body {
        // Compared only within this process: the fast key will do.
        Body::Bytes(bytes) => crate::hash::fingerprint(bytes),
        Body::Copy(src) => {
            let stamp = fs::stamp(src).ok();
            let mut h = crate::hash::Hasher::default();
            std::hash::Hash::hash(&(src, stamp), &mut h);
            std::hash::Hasher::finish(&h)
        }
        Body::Unchanged => 0,
    }
}

/// Bring the live output folder up to date: write the `changed` files whose
/// fingerprint differs from what is on disk, and remove `stale` files.
/// Either the whole change lands or none of it: every new file is first
/// written beside its destination under a hidden temporary name, and only
/// when all are written (a full disk fails here) are they renamed over the
/// old ones, so a reader never sees half a file or half a change; on failure
/// the temporary files are removed. Returns (files written, files removed).
pub fn update_site(
    out_dir: &Path,
    changed: Vec<Output>,
    stale: &[String],
    written: &mut HashMap<String, Written>,
    before_writing: impl FnOnce(),
) -> Result<(usize, usize), OutputError> {
    check_paths(&changed)?;
    // A path that moved from one page to another is written, not removed.
    let fresh: HashSet<String> = changed.iter().map(|o| o.path.clone()).collect();
    let stale_set: HashSet<&String> = stale.iter().filter(|p| !fresh.contains(*p)).collect();
    let todo: Vec<(Output, Written)> = changed
        .into_iter()
        .map(|o| {
            let fingerprint = self::written(&o.body);
            (o, fingerprint)
        })
        .filter(|(o, f)| written.get(&o.path) != Some(f))
        .collect();
    if !todo.is_empty() || stale_set.iter().any(|p| written.contains_key(*p)) {
        before_writing();
    }
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(todo.len());
    for (output, _) in &todo {
        let dest = out_dir.join(&output.path);
        let tmp = temporary_name(&dest);
        // Recorded before writing, so a half-written one is removed too.
        staged.push((tmp.clone(), dest));
        if let Err(e) = write_body(&tmp, &output.body, &output.path) {
            remove_staged(out_dir, &staged);
            return Err(e);
        }
    }
    for (tmp, dest) in &staged {
        fs::rename(tmp, dest)?;
    }
    let wrote = todo.len();
    for (output, fingerprint) in todo {
        written.insert(output.path, fingerprint);
    }
    let mut removed = 0;
    for path in stale_set {
        if written.remove(path).is_some() {
            remove_with_empty_parents(out_dir, &out_dir.join(path))?;
            removed += 1;
        }
    }
    Ok((wrote, removed))
}

/// `.index.html.tmp-<pid>` beside `dest`: hidden, and tied to this process.
fn temporary_name(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dest.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Remove temporary files of a change that did not land (and the folders
/// made for them that are empty again).
fn remove_staged(out_dir: &Path, staged: &[(PathBuf, PathBuf)]) {
    for (tmp, _) in staged {
        let _ = remove_with_empty_parents(out_dir, tmp);
    }
}

fn write_body(dest: &Path, body: &Body, shown: &str) -> Result<(), OutputError> {
    match body {
        Body::Bytes(bytes) => fs::write(dest, bytes)?,
        Body::Copy(src) => copy_published(src, dest)?,
        Body::Unchanged => return Err(OutputError::UnsafePath(format!("{shown} (changed, but not rendered)"))),
    }
    Ok(())
}

/// Remove a file and then each parent folder that became empty, up to `root`.
fn remove_with_empty_parents(root: &Path, file: &Path) -> Result<(), OutputError> {
    if fs::exists(file) {
        fs::remove_file(file)?;
    }
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || !fs::is_empty_dir(d) {
            break;
        }
        fs::remove_dir(d)?;
        dir = d.parent();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> Output {
        Output::new(path.into(), Body::Bytes(text.as_bytes().to_vec()))
    }

    #[test]
    fn rejects_paths_that_escape() {
        for bad in ["../x", "/etc/passwd", "a/../../b", "", "a/\0"] {
            assert!(
                matches!(check_paths(&[page(bad, "")]), Err(OutputError::UnsafePath(_))),
                "{bad:?}"
            );
        }
        assert!(check_paths(&[page("a/index.html", "")]).is_ok());
    }

    #[test]
    fn rejects_two_files_at_one_path() {
        let r = check_paths(&[page("a/index.html", "1"), page("a/index.html", "2")]);
        assert!(matches!(r, Err(OutputError::Collision(p)) if p == "a/index.html"));
    }

    #[test]
    fn swap_replaces_the_whole_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[page("old.html", "old")]).unwrap();
        write_site(&out, &[page("new/index.html", "new")]).unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(std::fs::read_to_string(out.join("new/index.html")).unwrap(), "new");
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging and old folders are cleaned up");
    }

    #[test]
    fn failed_write_leaves_output_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[page("index.html", "good")]).unwrap();
        let missing = Output::new("img.png".into(), Body::Copy(tmp.path().join("does-not-exist.png")));
        assert!(write_site(&out, &[page("index.html", "bad"), missing]).is_err());
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "good");
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
