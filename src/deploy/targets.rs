//! deploy.toml (beside content/): where the site goes. Credentials are
//! never in it: they come from the environment.

use std::collections::BTreeMap;
use std::path::Path;

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
    /// Kept in the file's order: the first is the default.
    target: toml::Table,
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
    /// and Huawei's keys go in them too); None when either is missing.
    pub fn from_env() -> Option<Credentials> {
        let get = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        Some(Credentials {
            access_key: get("AWS_ACCESS_KEY_ID")?,
            secret_key: get("AWS_SECRET_ACCESS_KEY")?,
            session_token: get("AWS_SESSION_TOKEN"),
        })
    }
}

/// The target named `name`, or the file's first; Err says what is wrong
/// with the file.
pub fn load(root: &Path, name: Option<&str>) -> Result<Target, String> {
    let path = root.join("deploy.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let raw: RawDeploy = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    // toml::Table keeps keys sorted; the file's first target is found by
    // position in the text.
    let mut named: BTreeMap<usize, (String, Target)> = BTreeMap::new();
    for (key, value) in raw.target {
        let mut target: Target = value
            .try_into()
            .map_err(|e| format!("{}: [target.{key}]: {e}", path.display()))?;
        target.name = key.clone();
        if !target.prefix.is_empty() && !target.prefix.ends_with('/') {
            target.prefix.push('/');
        }
        let at = text.find(&format!("[target.{key}]")).unwrap_or(usize::MAX);
        named.insert(at, (key, target));
    }
    let wanted = match name {
        Some(n) => named.into_values().find(|(k, _)| k == n),
        None => named.into_values().next(),
    };
    wanted
        .map(|(_, t)| t)
        .ok_or_else(|| format!("{}: no [target.{}]", path.display(), name.unwrap_or("…")))
}
