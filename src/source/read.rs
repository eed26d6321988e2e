//! How the walk reads: what a path is (links out of the site and special
//! files refused, with a located problem), a folder's entries, and a file
//! read only when its stamp or the watcher says it changed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Problem, t};
use crate::fs::{self, FsResult, Stamp};

use super::decode::{Decoded, decode, gbk_warning, not_text};
use super::walk::{Found, Loader};
use super::{MAX_TEXT_BYTES, SourceFile, is_hidden, refused};

impl Loader<'_> {
    pub(super) fn shown(&self, path: &Path) -> PathBuf {
        path.strip_prefix(self.root).unwrap_or(path).to_path_buf()
    }

    /// What is at `path`, with a located problem for what is never read
    /// (links out of the site, pipes, sockets, devices).
    pub(super) fn look(&mut self, path: &Path) -> Option<Found> {
        match self.allowed(path) {
            fs::Entry::File { open, .. } => Some(Found::File(open)),
            fs::Entry::Dir { .. } => Some(Found::Dir),
            _ => None,
        }
    }

    /// [`fs::entry`], noting links followed; what is refused is reported
    /// at its path and comes back as Missing.
    pub(super) fn allowed(&mut self, path: &Path) -> fs::Entry {
        let entry = fs::entry(&self.canonical, path);
        match &entry {
            fs::Entry::File { open, .. } | fs::Entry::Dir { open } => self.links |= open != path,
            fs::Entry::Refused(why) => {
                let shown = self.shown(path);
                self.problems.push(refused(&shown, why));
                return fs::Entry::Missing;
            }
            fs::Entry::Missing => {}
        }
        entry
    }

    /// Read a text file, or take it from the last walk when its stamp is
    /// the same and the watcher did not report it. None when there is no
    /// such file or it was refused (a problem says why).
    pub fn read_optional(&mut self, path: &Path) -> FsResult<Option<Arc<SourceFile>>> {
        match self.allowed(path) {
            fs::Entry::File { open, stamp } => self.read_stamped(path, &open, stamp),
            _ => Ok(None),
        }
    }

    pub(super) fn read_stamped(&mut self, path: &Path, open: &Path, stamp: Stamp) -> FsResult<Option<Arc<SourceFile>>> {
        if let Some(file) = self.prior.get(path)
            && self.unchanged(file, stamp)
        {
            if file.gbk {
                self.problems.push(gbk_warning(&file.shown));
            }
            return Ok(Some(Arc::clone(file)));
        }
        Ok(self.read_fresh(path, open, stamp)?.map(Arc::new))
    }

    /// Whether `file` of the last walk may be taken for the file now at
    /// `stamp`: same stamp, not reported by the watcher, and (when the last
    /// walk is the cache's) stamped before the cached build began.
    pub(super) fn unchanged(&self, file: &SourceFile, stamp: Stamp) -> bool {
        let trusted = match (self.trust_before, stamp.0) {
            (None, _) => true,
            (Some(before), Some(mtime)) => mtime < before,
            (Some(_), None) => false,
        };
        file.stamp == stamp && trusted && !self.changed.contains(&file.path)
    }

    /// Read from disk and decode (see `decode`); a file too big to be
    /// content, or not text, becomes a problem.
    pub(super) fn read_fresh(&mut self, path: &Path, open: &Path, stamp: Stamp) -> FsResult<Option<SourceFile>> {
        let size = stamp.1;
        if size > MAX_TEXT_BYTES {
            let shown = self.shown(path);
            self.problems.push(Problem::error(
                &shown,
                None,
                t(
                    format!("this file is {} MB, too big to be page content", size / 1024 / 1024),
                    format!("这个文件有 {} MB，太大了，不像是页面内容", size / 1024 / 1024),
                ),
                t(
                    "split it, or move data that is not published out of content/",
                    "请拆分它，或把不发布的数据移出 content/",
                ),
            ));
            return Ok(None);
        }
        let bytes = fs::read_regular(open)?;
        self.reads += 1;
        let shown = self.shown(path);
        let (text, gbk) = match decode(bytes) {
            Decoded::Utf8(text) => (text, false),
            Decoded::Gbk(text) => {
                self.problems.push(gbk_warning(&shown));
                (text, true)
            }
            Decoded::Neither { valid, offset } => {
                self.problems.push(not_text(&shown, &valid, offset));
                return Ok(None);
            }
        };
        Ok(Some(SourceFile::new(path.to_path_buf(), shown, text, stamp, gbk)))
    }

    /// The entries of a folder the walk may use: hidden files and editor
    /// backups are not content, and what [`Loader::look`] refuses is left out.
    pub(super) fn entries(&mut self, dir: &Path) -> FsResult<Vec<(PathBuf, Found)>> {
        let mut out = Vec::new();
        for (path, kind) in fs::read_dir_typed(dir)? {
            if is_hidden(&path) {
                continue;
            }
            // Plain files and folders as the listing says; links and
            // special files are looked at closely.
            let found = if kind.is_file() {
                Some(Found::File(path.clone()))
            } else if kind.is_dir() {
                Some(Found::Dir)
            } else {
                self.look(&path)
            };
            out.extend(found.map(|f| (path, f)));
        }
        Ok(out)
    }
}
