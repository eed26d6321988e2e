//! `starboard bundle`: the last good output as one zip, for hosts reached
//! by FTP, a government CMS's upload form or a USB stick, with a manifest
//! of every file's SHA-256 (`MANIFEST.sha256`, as `sha256sum -c` reads it).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

use crate::fs::{self, FsError};

/// The manifest's name inside the zip.
pub const MANIFEST: &str = "MANIFEST.sha256";

#[derive(Debug)]
pub enum BundleError {
    /// There is no output to bundle: build first.
    NoSite(PathBuf),
    /// The zip would be written inside the output it holds.
    InsideOutput(PathBuf),
    Io(FsError),
    Zip(String),
}

impl From<FsError> for BundleError {
    fn from(e: FsError) -> Self {
        BundleError::Io(e)
    }
}

impl From<zip::result::ZipError> for BundleError {
    fn from(e: zip::result::ZipError) -> Self {
        BundleError::Zip(e.to_string())
    }
}

/// Zip every file of `output` (paths relative to it, `/`-separated, in
/// order) and the manifest into `zip_path`, written aside and moved into
/// place once whole. Returns how many site files it holds.
pub fn bundle(output: &Path, zip_path: &Path) -> Result<usize, BundleError> {
    if !fs::is_dir(output) {
        return Err(BundleError::NoSite(output.to_path_buf()));
    }
    if absolute(zip_path).starts_with(absolute(output)) {
        return Err(BundleError::InsideOutput(zip_path.to_path_buf()));
    }
    let mut files = Vec::new();
    collect(output, output, &mut files)?;
    let partial = zip_path.with_extension("zip.partial");
    let file = std::fs::File::create(&partial).map_err(|e| FsError {
        action: "write",
        path: partial.clone(),
        source: e,
    })?;
    let mut zip = zip::ZipWriter::new(file);
    // The same site gives the same zip: no clock in it.
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut manifest = String::new();
    for (name, path) in &files {
        let bytes = fs::read(path)?;
        manifest.push_str(&format!("{:x}  {name}\n", Sha256::digest(&bytes)));
        zip.start_file(name.as_str(), options)?;
        zip.write_all(&bytes).map_err(|e| BundleError::Zip(e.to_string()))?;
    }
    zip.start_file(MANIFEST, options)?;
    zip.write_all(manifest.as_bytes())
        .map_err(|e| BundleError::Zip(e.to_string()))?;
    zip.finish()?;
    fs::rename(&partial, zip_path)?;
    Ok(files.len())
}

/// `path` from the filesystem root, through its real folder (the file itself
/// may not exist yet).
fn absolute(path: &Path) -> PathBuf {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    match (path.parent().and_then(|p| p.canonicalize().ok()), path.file_name()) {
        (Some(parent), Some(name)) => parent.join(name),
        _ => path,
    }
}

/// Every file under `dir`, by its path from `root`, in order.
fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> Result<(), FsError> {
    for path in fs::read_dir_sorted(dir)? {
        if fs::is_dir(&path) {
            collect(root, &path, out)?;
        } else {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let name: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push((name.join("/"), path));
        }
    }
    Ok(())
}
