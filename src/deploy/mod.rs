//! `starboard deploy`: the last good output to an S3-compatible bucket,
//! changed files only. What was uploaded (hash and headers per file) is
//! kept in `.starboard/deploy-<target>.tsv`, written after every upload, so
//! a deploy cut off half-way is finished by the next; the bucket's listing
//! shows what changed there meanwhile. Assets go up before the pages that
//! use them, deletions come last.

pub mod s3;
pub mod targets;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use md5::Md5;
use sha2::{Digest, Sha256};

pub use s3::S3Error;
use s3::{Client, hex};
pub use targets::{Credentials, Target};

/// A file of the site as it is to be uploaded.
#[derive(Debug, Clone)]
pub struct Local {
    pub key: String,
    pub path: PathBuf,
    pub sha256: String,
    pub md5: String,
    pub content_type: &'static str,
    pub cache_control: &'static str,
}

/// What a deploy will do.
#[derive(Debug, Default)]
pub struct Plan {
    /// Assets first, pages last.
    pub uploads: Vec<Local>,
    pub deletes: Vec<String>,
}

#[derive(Debug)]
pub enum DeployError {
    /// The last build failed (or there is none): nothing is deployed.
    NoGoodBuild,
    NoCredentials,
    Target(targets::TargetError),
    TooManyDeletes {
        count: usize,
        max: usize,
    },
    S3(S3Error),
    Io(crate::fs::FsError),
}

impl From<S3Error> for DeployError {
    fn from(e: S3Error) -> Self {
        DeployError::S3(e)
    }
}

impl From<crate::fs::FsError> for DeployError {
    fn from(e: crate::fs::FsError) -> Self {
        DeployError::Io(e)
    }
}

/// Where a build records whether it succeeded (a deploy needs `ok`).
pub fn status_file(root: &Path) -> PathBuf {
    root.join(".starboard").join("last-build")
}

fn manifest_file(root: &Path, target: &Target) -> PathBuf {
    root.join(".starboard").join(format!("deploy-{}.tsv", target.name))
}

/// Content type and cache lifetime by name: text in UTF-8; files whose name
/// carries a hash of their content (assets, search buckets) kept a year.
pub fn headers(key: &str) -> (&'static str, &'static str) {
    let ext = key.rsplit_once('.').map_or("", |(_, e)| e);
    let content_type = crate::mime::content_type(key);
    let hashed = key.starts_with("assets/") || (key.starts_with("search/") && ext == "json");
    let cache = if hashed {
        "public, max-age=31536000, immutable"
    } else if ext == "html" {
        "public, max-age=300"
    } else {
        "public, max-age=3600"
    };
    (content_type, cache)
}

/// Every file of the output, with its hashes and headers.
pub fn local_files(output: &Path) -> Result<Vec<Local>, DeployError> {
    let mut out = Vec::new();
    walk(output, output, &mut out)?;
    Ok(out)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<Local>) -> Result<(), DeployError> {
    for path in crate::fs::read_dir_sorted(dir)? {
        if crate::fs::is_dir(&path) {
            walk(root, &path, out)?;
            continue;
        }
        let key: Vec<String> = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let key = key.join("/");
        let bytes = crate::fs::read(&path)?;
        let (content_type, cache_control) = headers(&key);
        out.push(Local {
            sha256: hex(&Sha256::digest(&bytes)),
            md5: hex(&Md5::digest(&bytes)),
            key,
            path,
            content_type,
            cache_control,
        });
    }
    Ok(())
}

/// What was uploaded last: key → (sha256, content type, cache control).
fn read_manifest(path: &Path) -> BTreeMap<String, (String, String, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let parts: Vec<&str> = line.split('\t').collect();
        if let [key, sha, ct, cc] = parts.as_slice() {
            out.insert(key.to_string(), (sha.to_string(), ct.to_string(), cc.to_string()));
        }
    }
    out
}

/// What to upload and delete: a file whose bytes or headers differ from
/// the last upload, or that the bucket lacks or holds otherwise; a key
/// the bucket has and the site does not.
pub fn plan(locals: Vec<Local>, remote: &[s3::Listed], uploaded: &BTreeMap<String, (String, String, String)>) -> Plan {
    let remote: BTreeMap<&str, &str> = remote.iter().map(|r| (r.key.as_str(), r.etag.as_str())).collect();
    let mut uploads: Vec<Local> = locals
        .iter()
        .filter(|l| {
            let same_remote = remote.get(l.key.as_str()) == Some(&l.md5.as_str());
            let same_headers = uploaded
                .get(&l.key)
                .is_some_and(|(sha, ct, cc)| *sha == l.sha256 && ct == l.content_type && cc == l.cache_control);
            !(same_remote && same_headers)
        })
        .cloned()
        .collect();
    // Pages last: a reader never gets a page whose assets are missing.
    uploads.sort_by_key(|l| l.key.ends_with(".html"));
    let keep: std::collections::HashSet<&str> = locals.iter().map(|l| l.key.as_str()).collect();
    let deletes = remote
        .keys()
        .filter(|k| !keep.contains(*k))
        .map(|k| k.to_string())
        .collect();
    Plan { uploads, deletes }
}

/// Deploy `output` (the site of `root`) to `target`; with `dry_run`, only
/// say what would be done. `report` is told of each upload and deletion.
pub fn deploy(
    root: &Path,
    output: &Path,
    target: &Target,
    credentials: &Credentials,
    max_deletes: usize,
    dry_run: bool,
    mut report: impl FnMut(&str, &str),
) -> Result<Plan, DeployError> {
    let status = std::fs::read_to_string(status_file(root)).unwrap_or_default();
    if status.trim() != "ok" || !crate::fs::is_dir(output) {
        return Err(DeployError::NoGoodBuild);
    }
    let client = Client::new(target, credentials);
    let remote = client.list()?;
    let manifest = manifest_file(root, target);
    let uploaded = read_manifest(&manifest);
    let plan = plan(local_files(output)?, &remote, &uploaded);
    if plan.deletes.len() > max_deletes {
        return Err(DeployError::TooManyDeletes {
            count: plan.deletes.len(),
            max: max_deletes,
        });
    }
    if dry_run {
        for l in &plan.uploads {
            report("upload", &l.key);
        }
        for d in &plan.deletes {
            report("delete", d);
        }
        return Ok(plan);
    }
    crate::fs::create_dir_all(manifest.parent().expect("in .starboard/"))?;
    let mut log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&manifest)
        .map_err(|e| crate::fs::FsError {
            action: "write",
            path: manifest.clone(),
            source: e,
        })?;
    for l in &plan.uploads {
        client.put(&l.key, crate::fs::read(&l.path)?, l.content_type, l.cache_control)?;
        use std::io::Write as _;
        // Recorded as soon as it is up: a deploy cut off here resumes here.
        let _ = writeln!(log, "{}\t{}\t{}\t{}", l.key, l.sha256, l.content_type, l.cache_control);
        report("upload", &l.key);
    }
    for d in &plan.deletes {
        client.delete(d)?;
        report("delete", d);
    }
    Ok(plan)
}
