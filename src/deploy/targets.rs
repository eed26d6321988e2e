//! deploy.toml (beside content/): where the site goes. Credentials are
//! never in it: they come from the environment.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Problems;
use crate::source::toml_doc::Doc;

use serde::Deserialize;

/// One `[target.NAME]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    #[serde(skip)]
    pub name: String,
    /// `https://oss-cn-hangzhou.aliyuncs.com`, `http://127.0.0.1:9000`.
    pub endpoint: String,
    pub bucket: String,
    #[serde(default = "default_region")]
    pub region: String,
    /// A folder in the bucket (`site/`); empty for the bucket's root.
    #[serde(default)]
    pub prefix: String,
    /// `endpoint/bucket/key` instead of `bucket.endpoint/key` (MinIO and
    /// test servers; Aliyun, Tencent and Huawei want the latter).
    #[serde(default)]
    pub path_style: bool,
}

fn default_region() -> String {
    "us-east-1".to_string()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeploy {
    target: BTreeMap<String, Target>,
}

/// Why no target could be taken from deploy.toml.
#[derive(Debug)]
pub enum TargetError {
    /// There is no deploy.toml.
    Missing(PathBuf),
    /// It does not parse, or a target is not right: located problems.
    Problems(Problems),
    /// No `[target.NAME]` of that name (or none at all); the names there are.
    NoSuch(String, Vec<String>),
}

/// The keys of a deploy, from the environment.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub access_key: String,
    pub secret_key: String,
    pub session_token: Option<String>,
}

impl Credentials {
    /// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (Aliyun's, Tencent's
    /// and Huawei's keys go in them too), or else the user's own
    /// ~/.aws/credentials (the AWS_PROFILE section, or `default`).
    pub fn from_env() -> Option<Credentials> {
        let get = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        if let (Some(access_key), Some(secret_key)) = (get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY")) {
            return Some(Credentials {
                access_key,
                secret_key,
                session_token: get("AWS_SESSION_TOKEN"),
            });
        }
        let home = std::path::PathBuf::from(get("HOME")?);
        let text = std::fs::read_to_string(home.join(".aws").join("credentials")).ok()?;
        from_credentials_file(&text, &get("AWS_PROFILE").unwrap_or_else(|| "default".into()))
    }
}

/// A section of an AWS credentials file (`[default]`,
/// `aws_access_key_id = …`).
fn from_credentials_file(text: &str, profile: &str) -> Option<Credentials> {
    let mut in_section = false;
    let (mut access, mut secret, mut token) = (None, None, None);
    for line in text.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            in_section = name.trim() == profile;
            continue;
        }
        let Some((key, value)) = line.split_once('=').filter(|_| in_section) else {
            continue;
        };
        let value = Some(value.trim().to_string());
        match key.trim() {
            "aws_access_key_id" => access = value,
            "aws_secret_access_key" => secret = value,
            "aws_session_token" => token = value,
            _ => {}
        }
    }
    Some(Credentials {
        access_key: access?,
        secret_key: secret?,
        session_token: token,
    })
}

/// The target named `name`, or the file's first. deploy.toml is read
/// like any content file: its problems are located and said in both
/// languages.
pub fn load(root: &Path, name: Option<&str>) -> Result<Target, TargetError> {
    let path = root.join("deploy.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Err(TargetError::Missing(path));
    };
    let shown = PathBuf::from("deploy.toml");
    let doc = Doc::new(&shown, &text);
    let table = doc.parse().map_err(|p| TargetError::Problems(Problems(p)))?;
    let mut problems = Problems::default();
    let raw: Option<RawDeploy> = doc.deserialize(table, &mut problems);
    let raw = raw.ok_or(TargetError::Problems(problems))?;
    // The file's first target is the default: order them by where they are.
    let mut named: Vec<(usize, Target)> = raw
        .target
        .into_iter()
        .map(|(key, mut target)| {
            target.name = key.clone();
            if !target.prefix.is_empty() && !target.prefix.ends_with('/') {
                target.prefix.push('/');
            }
            (text.find(&format!("[target.{key}]")).unwrap_or(usize::MAX), target)
        })
        .collect();
    named.sort_by_key(|(at, _)| *at);
    let names: Vec<String> = named.iter().map(|(_, t)| t.name.clone()).collect();
    let wanted = match name {
        Some(n) => named.into_iter().find(|(_, t)| t.name == n),
        None => named.into_iter().next(),
    };
    wanted
        .map(|(_, t)| t)
        .ok_or_else(|| TargetError::NoSuch(name.unwrap_or("").to_string(), names))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_from_the_users_credentials_file() {
        let file = "[default]\naws_access_key_id = A1\naws_secret_access_key = S1\n\n[oss]\naws_access_key_id=A2\naws_secret_access_key=S2\n";
        let c = from_credentials_file(file, "oss").unwrap();
        assert_eq!((c.access_key.as_str(), c.secret_key.as_str()), ("A2", "S2"));
        assert_eq!(from_credentials_file(file, "default").unwrap().access_key, "A1");
        assert!(from_credentials_file(file, "none").is_none());
    }
}
