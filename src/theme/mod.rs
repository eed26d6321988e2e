//! The theme: the default theme embedded in the binary, overridden file by file
//! by a site's own `themes/<name>/`, turned into a Tera instance and a set of
//! static files with content-hashed names.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::error::Lang;
use crate::fs::{self, FsError};

mod tera_fast;
mod wording;

pub use wording::{Key, Wording};

include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));

#[derive(Debug)]
pub enum ThemeError {
    Io(FsError),
    /// site.toml names a theme that has no folder.
    Missing(PathBuf),
    /// A template does not parse; the message carries Tera's whole cause chain.
    Template(String),
    /// A link out of the site, or a special file, in the theme folder.
    Refused(Box<crate::error::Problem>),
}

impl fmt::Display for ThemeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ThemeError::Io(e) => write!(f, "{e}"),
            ThemeError::Missing(p) => write!(f, "theme folder {} does not exist (site.toml's theme)", p.display()),
            ThemeError::Template(m) => write!(f, "theme template error: {m}"),
            ThemeError::Refused(p) => write!(f, "{}", p.render(crate::error::Lang::En).trim_end()),
        }
    }
}

impl std::error::Error for ThemeError {}

impl ThemeError {
    /// The failure in Chinese.
    pub fn zh(&self) -> String {
        match self {
            ThemeError::Io(e) => e.zh(),
            ThemeError::Missing(p) => format!(
                "主题文件夹 {} 不存在（site.toml 里的 theme 写的就是它）；请改正主题名，或删掉 theme 这一行用默认主题",
                p.display()
            ),
            ThemeError::Template(m) => format!("主题的模板有错：{m}"),
            ThemeError::Refused(p) => p.render(crate::error::Lang::Zh).trim_end().to_string(),
        }
    }
}

impl From<FsError> for ThemeError {
    fn from(e: FsError) -> Self {
        ThemeError::Io(e)
    }
}

/// A loaded theme: compiled templates plus static files keyed by their
/// published path (hashed names for CSS and JS).
pub struct Theme {
    pub tera: Tera,
    /// Published path → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Logical static name (`style.css`) → published path (`assets/style.1a2b3c4d.css`).
    pub asset_paths: BTreeMap<String, String>,
    /// A hash of every theme file: pages must be rendered again when it changes.
    pub key: u64,
    /// Kinds of files beside the content (extensions) the theme's pages
    /// show, besides pictures and PDF; from theme.toml's `publish`.
    pub publish: Vec<String>,
    /// The words of the pages, in the site's language.
    pub wording: Wording,
    /// What the theme was loaded for: another name or language loads it again.
    pub loaded_for: (String, Lang),
}

/// theme.toml: what a theme declares about itself.
#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ThemeToml {
    #[serde(default)]
    publish: Vec<String>,
}

/// The theme files, embedded ones replaced by any file of the same name in
/// `<root>/themes/<name>/`.
pub fn files(root: &Path, name: &str) -> Result<BTreeMap<String, Vec<u8>>, ThemeError> {
    let mut out: BTreeMap<String, Vec<u8>> = EMBEDDED_THEME
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    let dir = root.join("themes").join(name);
    if !fs::is_dir(&dir) {
        if name == "default" {
            return Ok(out);
        }
        return Err(ThemeError::Missing(dir));
    }
    let walk = Overlay {
        root,
        canonical: fs::canonical_root(root),
        base: &dir,
    };
    walk.folder(&dir, &mut out)?;
    Ok(out)
}

/// A walk of a site's theme folder: nothing outside the site is read.
struct Overlay<'a> {
    root: &'a Path,
    canonical: PathBuf,
    base: &'a Path,
}

impl Overlay<'_> {
    fn folder(&self, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) -> Result<(), ThemeError> {
        for path in fs::read_dir_sorted(dir)? {
            match fs::entry(&self.canonical, &path) {
                fs::Entry::Missing => {}
                fs::Entry::Dir { .. } => self.folder(&path, out)?,
                fs::Entry::File { open, .. } => {
                    if let Ok(rel) = path.strip_prefix(self.base) {
                        let name = rel.to_string_lossy().replace('\\', "/");
                        out.insert(name, fs::read_regular(&open)?);
                    }
                }
                fs::Entry::Refused(why) => {
                    let shown = path.strip_prefix(self.root).unwrap_or(&path);
                    return Err(ThemeError::Refused(Box::new(crate::source::refused(shown, &why))));
                }
            }
        }
        Ok(())
    }
}

impl Theme {
    /// Whether a file beside the content named `name` is published: pictures
    /// and PDF always, other kinds when the theme's theme.toml lists them
    /// (`publish = ["mp3"]`), never spreadsheets or documents.
    pub fn publishes(&self, name: &str) -> bool {
        match crate::source::asset_kind(name) {
            crate::source::AssetKind::Published => true,
            crate::source::AssetKind::Private => false,
            crate::source::AssetKind::Unknown => {
                let ext = name
                    .rsplit_once('.')
                    .map(|(_, e)| e.to_ascii_lowercase())
                    .unwrap_or_default();
                self.publish.iter().any(|p| p.eq_ignore_ascii_case(&ext))
            }
        }
    }
}

pub fn load(root: &Path, name: &str, lang: Lang) -> Result<Theme, ThemeError> {
    let files = files(root, name)?;
    let mut key = crate::hash::Hasher::default();
    std::hash::Hash::hash(&(&files, lang), &mut key);
    let wording = load_wording(&files, lang)?;
    let mut templates = Vec::new();
    let mut statics = BTreeMap::new();
    let mut asset_paths = BTreeMap::new();
    let mut declared = ThemeToml::default();
    for (name, bytes) in files {
        if name == "theme.toml" {
            let text = String::from_utf8_lossy(&bytes);
            declared = toml::from_str(&text).map_err(|e| ThemeError::Template(format!("theme.toml: {e}")))?;
            continue;
        }
        if let Some(tpl) = name.strip_prefix("templates/") {
            let text = String::from_utf8(bytes).map_err(|_| ThemeError::Template(format!("{name} is not UTF-8")))?;
            let escape = tpl.ends_with(".html") || tpl.ends_with(".xml");
            templates.push((tpl.to_string(), wording.put_into(&name, &text, escape)?));
        } else if let Some(file) = name.strip_prefix("static/") {
            let published = hashed_name(file, &bytes);
            asset_paths.insert(file.to_string(), published.clone());
            statics.insert(published, bytes);
        }
    }
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera_fast::install(&mut tera);
    tera.add_raw_templates(templates)
        .map_err(|e| ThemeError::Template(error_chain(&e)))?;
    Ok(Theme {
        tera,
        statics,
        asset_paths,
        key: std::hash::Hasher::finish(&key),
        publish: declared.publish,
        wording,
        loaded_for: (name.to_string(), lang),
    })
}

/// The default theme's words in `lang`, with the site theme's file of the
/// same name laid over them key by key.
fn load_wording(files: &BTreeMap<String, Vec<u8>>, lang: Lang) -> Result<Wording, ThemeError> {
    let name = wording::file_name(lang);
    let embedded = EMBEDDED_THEME
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(&[][..], |(_, b)| *b);
    let overlay = files.get(name).map(Vec::as_slice).filter(|b| *b != embedded);
    Wording::load(name, embedded, overlay)
}

/// `style.css` → `assets/style.<8 hex of content hash>.css`; WeChat's browser
/// caches hard, so a changed file must get a new name.
fn hashed_name(file: &str, bytes: &[u8]) -> String {
    let hash = crate::hash::of_bytes(bytes) as u32;
    match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("assets/{stem}.{hash:08x}.{ext}"),
        _ => format!("assets/{file}.{hash:08x}"),
    }
}

/// Tera hides the real reason of an error in `source()`: walk the whole chain.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cause = c.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_matches_themes_default() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk = BTreeMap::new();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let walk = Overlay {
            root,
            canonical: fs::canonical_root(root),
            base: &dir,
        };
        walk.folder(&dir, &mut on_disk).unwrap();
        let embedded: BTreeMap<String, Vec<u8>> = EMBEDDED_THEME
            .iter()
            .map(|(n, b)| (n.to_string(), b.to_vec()))
            .collect();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn site_file_overrides_embedded_one() {
        let root = tempfile::tempdir().unwrap();
        let tpl = root.path().join("themes/default/templates/404.html");
        fs::write(&tpl, b"mine").unwrap();
        let files = files(root.path(), "default").unwrap();
        assert_eq!(files["templates/404.html"], b"mine");
        assert!(files.contains_key("templates/base.html"));
    }

    #[test]
    fn missing_named_theme_is_an_error() {
        let root = tempfile::tempdir().unwrap();
        assert!(matches!(files(root.path(), "fancy"), Err(ThemeError::Missing(_))));
    }

    #[test]
    fn css_names_carry_a_content_hash() {
        let a = hashed_name("style.css", b"a");
        let b = hashed_name("style.css", b"b");
        assert!(a.starts_with("assets/style.") && a.ends_with(".css"));
        assert_ne!(a, b);
        let png = hashed_name("share.png", b"x");
        assert!(
            png.starts_with("assets/share.") && png.ends_with(".png") && png.len() == "assets/share..png".len() + 8
        );
    }
}
