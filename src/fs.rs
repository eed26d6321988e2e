//! The only place that calls `std::fs`: every error names the path it was about.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// An I/O failure with the path and the action that failed.
#[derive(Debug)]
pub struct FsError {
    pub action: &'static str,
    pub path: PathBuf,
    pub source: io::Error,
}

impl fmt::Display for FsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not {} {}: {}", self.action, self.path.display(), self.source)
    }
}

impl std::error::Error for FsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

pub type FsResult<T> = Result<T, FsError>;

fn wrap<T>(action: &'static str, path: &Path, r: io::Result<T>) -> FsResult<T> {
    r.map_err(|source| FsError {
        action,
        path: path.to_path_buf(),
        source,
    })
}

pub fn read(path: &Path) -> FsResult<Vec<u8>> {
    wrap("read", path, std::fs::read(path))
}

pub fn write(path: &Path, bytes: &[u8]) -> FsResult<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    wrap("write", path, std::fs::write(path, bytes))
}

pub fn create_dir_all(path: &Path) -> FsResult<()> {
    wrap("create folder", path, std::fs::create_dir_all(path))
}

pub fn remove_dir_all(path: &Path) -> FsResult<()> {
    wrap("remove folder", path, std::fs::remove_dir_all(path))
}

pub fn remove_file(path: &Path) -> FsResult<()> {
    wrap("remove", path, std::fs::remove_file(path))
}

pub fn remove_dir(path: &Path) -> FsResult<()> {
    wrap("remove folder", path, std::fs::remove_dir(path))
}

pub fn is_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|mut d| d.next().is_none())
}

pub fn rename(from: &Path, to: &Path) -> FsResult<()> {
    wrap("move", from, std::fs::rename(from, to))
}

pub fn copy(from: &Path, to: &Path) -> FsResult<()> {
    if let Some(parent) = to.parent() {
        create_dir_all(parent)?;
    }
    wrap("copy", from, std::fs::copy(from, to)).map(|_| ())
}

/// Entries of a folder, sorted by name so walks are deterministic.
pub fn read_dir_sorted(path: &Path) -> FsResult<Vec<PathBuf>> {
    let entries = wrap("list folder", path, std::fs::read_dir(path))?;
    let mut out = Vec::new();
    for entry in entries {
        out.push(wrap("list folder", path, entry)?.path());
    }
    out.sort();
    Ok(out)
}

/// Modification time and size: enough to tell whether a file needs reading again.
pub fn stamp(path: &Path) -> FsResult<(Option<std::time::SystemTime>, u64)> {
    let meta = wrap("read", path, std::fs::metadata(path))?;
    Ok((meta.modified().ok(), meta.len()))
}

/// [`stamp`] of a regular file; None when there is none at `path`.
pub fn file_stamp(path: &Path) -> Option<(Option<std::time::SystemTime>, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    meta.is_file().then(|| (meta.modified().ok(), meta.len()))
}

pub fn is_dir(path: &Path) -> bool {
    path.is_dir()
}

pub fn is_file(path: &Path) -> bool {
    path.is_file()
}

pub fn is_symlink(path: &Path) -> bool {
    path.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink())
}

pub fn exists(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}
