//! Putting a finished site in place of the last one: an atomic exchange of
//! the two folders, the file-by-file way for an output folder that is a
//! mount point, and clearing what builds that were killed left behind.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::fs;

use super::{OutputError, remove_staged, remove_with_empty_parents, sibling, temporary_name};

/// Replace `output` with `staging` so that there is never a moment without
/// a whole site at `output`: one atomic exchange of the two folders
/// (renameat2 with RENAME_EXCHANGE, which Linux file systems in use have),
/// then the old site, now at the staging path, is deleted. An output folder
/// that is a mount point cannot be exchanged (EBUSY): it is brought up to
/// date file by file instead, each file atomically. Where the exchange is
/// not supported at all, the old folder is moved aside and the new one in.
pub(super) fn swap_in(staging: &Path, output: &Path) -> Result<(), OutputError> {
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    if !fs::exists(output) {
        fs::rename(staging, output)?;
        return Ok(());
    }
    match fs::exchange(staging, output) {
        Ok(()) => {
            // `staging` now holds the old site.
            fs::remove_dir_all(staging)?;
            Ok(())
        }
        Err(e) if matches!(e.source.raw_os_error(), Some(libc::EBUSY) | Some(libc::EXDEV)) => {
            sync_into(staging, output)?;
            fs::remove_dir_all(staging)?;
            Ok(())
        }
        Err(e) if matches!(e.source.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) => {
            swap_by_renames(staging, output)
        }
        Err(e) => Err(e.into()),
    }
}

/// The two-rename swap, for file systems without an atomic exchange.
fn swap_by_renames(staging: &Path, output: &Path) -> Result<(), OutputError> {
    let old = sibling(output, "old");
    if fs::exists(&old) {
        fs::remove_dir_all(&old)?;
    }
    fs::rename(output, &old)?;
    if let Err(e) = fs::rename(staging, output) {
        let _ = fs::rename(&old, output);
        let _ = fs::remove_dir_all(staging);
        return Err(e.into());
    }
    fs::remove_dir_all(&old)?;
    Ok(())
}

/// Make the folder `output` hold exactly what `staging` holds, without
/// replacing `output` itself (a mount point): every file is copied in under
/// a temporary name first, then all are renamed into place, then what the
/// new site no longer has (leftover temporary files included) is removed.
fn sync_into(staging: &Path, output: &Path) -> Result<(), OutputError> {
    let new_files = files_under(staging)?;
    let mut staged = Vec::with_capacity(new_files.len());
    for rel in &new_files {
        let dest = output.join(rel);
        let tmp = temporary_name(&dest);
        staged.push((tmp.clone(), dest));
        let copied = fs::read_regular(&staging.join(rel)).and_then(|bytes| fs::write(&tmp, &bytes));
        if let Err(e) = copied {
            remove_staged(output, &staged);
            return Err(e.into());
        }
    }
    for (tmp, dest) in &staged {
        if fs::is_dir(dest) {
            fs::remove_dir_all(dest)?;
        }
        fs::rename(tmp, dest)?;
    }
    let keep: HashSet<&PathBuf> = new_files.iter().collect();
    for rel in files_under(output)? {
        if !keep.contains(&rel) {
            remove_with_empty_parents(output, &output.join(&rel))?;
        }
    }
    Ok(())
}

/// Every file below `dir`, relative to it.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>, OutputError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for path in fs::read_dir_sorted(&d)? {
            if fs::is_dir(&path) && !fs::is_symlink(&path) {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                out.push(rel.to_path_buf());
            }
        }
    }
    Ok(out)
}

/// Staging and old folders left beside the output by builds that were
/// killed (`.public.staging-<pid>` of a process that no longer runs).
pub fn remove_leftovers(output: &Path) {
    let (Some(parent), Some(name)) = (output.parent(), output.file_name()) else {
        return;
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let Ok(entries) = fs::read_dir_sorted(parent) else {
        return;
    };
    for path in entries {
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let pid = ["staging-", "old-"]
            .iter()
            .find_map(|k| rest.strip_prefix(k))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid
            && pid != std::process::id()
            && !fs::exists(&Path::new("/proc").join(pid.to_string()))
        {
            let _ = fs::remove_dir_all(&path);
        }
    }
}
