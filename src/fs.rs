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
        let path = crate::error::printable(&self.path.display().to_string());
        write!(f, "could not {} {path}: {}", self.action, self.source)
    }
}

impl std::error::Error for FsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

impl FsError {
    /// The failure in Chinese, with what to do about the usual causes.
    pub fn zh(&self) -> String {
        let action = match self.action {
            "read" => "读取",
            "write" => "写入",
            "create folder" => "创建文件夹",
            "remove folder" | "remove" => "删除",
            "move" => "移动",
            "copy" => "复制",
            "list folder" => "列出文件夹",
            "swap in" => "替换",
            _ => "处理",
        };
        use io::ErrorKind as K;
        let why = match self.source.kind() {
            K::StorageFull | K::QuotaExceeded => "磁盘已满；请腾出空间后再保存一次",
            K::PermissionDenied => "没有权限；请检查这个文件夹的权限",
            K::NotFound => "找不到这个文件或文件夹",
            K::ReadOnlyFilesystem => "磁盘是只读的",
            K::ResourceBusy => "它正被别的程序使用",
            _ => "系统错误",
        };
        let path = crate::error::printable(&self.path.display().to_string());
        format!("无法{action} {path}：{why}（{}）", self.source)
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

/// Entries of a folder, sorted by name so walks are deterministic.
pub fn read_dir_sorted(path: &Path) -> FsResult<Vec<PathBuf>> {
    Ok(read_dir_typed(path)?.into_iter().map(|(p, _)| p).collect())
}

/// [`read_dir_sorted`] with each entry's type as the listing gives it
/// (no extra look at each file where the file system tells the type).
pub fn read_dir_typed(path: &Path) -> FsResult<Vec<(PathBuf, std::fs::FileType)>> {
    let entries = wrap("list folder", path, std::fs::read_dir(path))?;
    let mut out = Vec::new();
    for entry in entries {
        let entry = wrap("list folder", path, entry)?;
        let kind = wrap("list folder", path, entry.file_type())?;
        out.push((entry.path(), kind));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Modification time and size: enough to tell whether a file needs reading again.
pub fn stamp(path: &Path) -> FsResult<Stamp> {
    let meta = wrap("read", path, std::fs::metadata(path))?;
    Ok((meta.modified().ok(), meta.len()))
}

pub fn is_dir(path: &Path) -> bool {
    path.is_dir()
}

pub fn is_symlink(path: &Path) -> bool {
    path.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink())
}

pub fn exists(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

/// What is at a path inside the site, decided without opening it: content
/// from someone else must not be able to make a build read outside the site
/// (a symbolic link to /proc/self/environ) or hang on a named pipe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Missing,
    /// A regular file (or a link to one inside the site), with what to open.
    File {
        open: PathBuf,
        stamp: Stamp,
    },
    /// A folder (or a link to one inside the site), with what to list.
    Dir {
        open: PathBuf,
    },
    /// Something that is never read; the reason says why.
    Refused(Refusal),
}

pub type Stamp = (Option<std::time::SystemTime>, u64);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A symbolic link whose target is outside the site folder.
    LinkOutside(PathBuf),
    /// A symbolic link to nothing, or one that loops.
    BrokenLink,
    /// A named pipe, socket or device: reading it could hang or never end.
    Special(&'static str),
}

/// Look at `path` (under `root`, which must be canonical) without following
/// links that leave `root` and without opening special files.
pub fn entry(root: &Path, path: &Path) -> Entry {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Entry::Missing;
    };
    let (open, meta) = if meta.file_type().is_symlink() {
        let Ok(target) = std::fs::canonicalize(path) else {
            return Entry::Refused(Refusal::BrokenLink);
        };
        if !target.starts_with(root) {
            // Named as the link says it, which is what its author wrote.
            let said = std::fs::read_link(path).unwrap_or(target);
            return Entry::Refused(Refusal::LinkOutside(said));
        }
        // A link to a folder that holds the link would be walked for ever.
        let parent = path.parent().and_then(|p| std::fs::canonicalize(p).ok());
        if parent.is_some_and(|p| p.starts_with(&target)) {
            return Entry::Refused(Refusal::BrokenLink);
        }
        match std::fs::metadata(&target) {
            Ok(m) => (target, m),
            Err(_) => return Entry::Refused(Refusal::BrokenLink),
        }
    } else {
        (path.to_path_buf(), meta)
    };
    let kind = meta.file_type();
    if kind.is_file() {
        Entry::File {
            open,
            stamp: (meta.modified().ok(), meta.len()),
        }
    } else if kind.is_dir() {
        Entry::Dir { open }
    } else {
        Entry::Refused(Refusal::Special(special_kind(&kind)))
    }
}

fn special_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "fifo"
    } else if kind.is_socket() {
        "socket"
    } else {
        "device"
    }
}

/// Read a regular file without following a last-component link and without
/// blocking on a pipe that took its place since [`entry`] looked: what was
/// opened is checked to be a regular file before a byte is read.
pub fn read_regular(path: &Path) -> FsResult<Vec<u8>> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = wrap(
        "read",
        path,
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(path),
    )?;
    let meta = wrap("read", path, file.metadata())?;
    if !meta.is_file() {
        return Err(FsError {
            action: "read",
            path: path.to_path_buf(),
            source: io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"),
        });
    }
    wrap("read", path, read_known(&mut file, meta.len()))
}

/// The `len` bytes an open file held when its size was looked at: the
/// standard `read_to_end` would ask its size and position again and read
/// once more to find the end, three calls to the system for each of a
/// site's tens of thousands of files. (Bytes added since are left for the
/// next build, which sees the new size.)
fn read_known(file: &mut std::fs::File, len: u64) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = vec![0; len as usize];
    let mut filled = 0;
    while filled < bytes.len() {
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

/// A site folder as the walk compares paths against it: canonical, so a
/// link's resolved target can be tested with `starts_with`.
pub fn canonical_root(root: &Path) -> PathBuf {
    std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf())
}

/// Exchange two paths atomically (Linux renameat2 with RENAME_EXCHANGE):
/// both exist before and after, each under the other's name.
pub fn exchange(a: &Path, b: &Path) -> FsResult<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
    let result = (|| {
        let (ca, cb) = (c(a)?, c(b)?);
        // SAFETY: both are valid NUL-terminated paths that outlive the call.
        let rc = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                ca.as_ptr(),
                libc::AT_FDCWD,
                cb.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if rc == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    })();
    wrap("swap in", b, result)
}
