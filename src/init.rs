//! `starboard init`: a new site with one example village that builds as it is.

use std::path::Path;

use crate::fs::{self, FsError};

/// The starter site, embedded so `init` works from any installed binary.
const STARTER: &[(&str, &str)] = &[
    ("content/site.toml", include_str!("starter/site.toml")),
    ("content/standards.toml", include_str!("starter/standards.toml")),
    ("content/partners.toml", include_str!("starter/partners.toml")),
    ("content/_index.md", include_str!("starter/_index.md")),
    ("content/news/kaibang.md", include_str!("starter/news.md")),
    (
        "content/villages/示范县/示范镇/示范村/village.toml",
        include_str!("starter/village.toml"),
    ),
    (
        "content/villages/示范县/示范镇/示范村/households.toml",
        include_str!("starter/households.toml"),
    ),
    (
        "content/villages/示范县/示范镇/示范村/points.toml",
        include_str!("starter/points.toml"),
    ),
    (".gitignore", "/public\n/print\n/.starboard\n"),
];

#[derive(Debug)]
pub enum InitError {
    /// The folder already has a content/ folder: refuse to overwrite anyone's work.
    NotEmpty(std::path::PathBuf),
    Io(FsError),
}

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InitError::NotEmpty(p) => write!(f, "{} already exists; choose an empty folder", p.display()),
            InitError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for InitError {}

/// Write the starter site into `dir` (created if needed). Returns the files written.
pub fn init(dir: &Path) -> Result<Vec<String>, InitError> {
    let content = dir.join("content");
    if fs::exists(&content) {
        return Err(InitError::NotEmpty(content));
    }
    let mut written = Vec::new();
    for (path, text) in STARTER {
        fs::write(&dir.join(path), text.as_bytes()).map_err(InitError::Io)?;
        written.push(path.to_string());
    }
    Ok(written)
}
