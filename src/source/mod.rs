//! Walking content/ into raw files: which file is which, read as UTF-8 text,
//! nothing interpreted yet. Folder structure problems (a stray file where a
//! village should be) are reported here; meaning is checked in `validate`.

pub mod front_matter;
mod file;
mod decode;
mod kinds;
pub mod sheet;
pub mod slips;
mod read;
mod roster_files;
pub mod raw;
pub mod toml_doc;
mod walk;

pub use file::SourceFile;
pub use kinds::{AssetKind, asset_kind, refused};
pub use walk::Loader;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::Problem;

/// Content files larger than this are refused (a village's households or
/// ledger is kilobytes; this catches a database export dropped in by mistake).
pub const MAX_TEXT_BYTES: u64 = 16 * 1024 * 1024;

/// Files of the last walk, by path, for a walk to take unchanged ones from.
pub(crate) type Prior = HashMap<PathBuf, Arc<SourceFile>>;

impl Sources {
    /// The text files outside content/villages/.
    pub fn top_files(&self) -> Vec<&Arc<SourceFile>> {
        let mut out: Vec<&Arc<SourceFile>> = [&self.site, &self.standards, &self.partners, &self.home]
            .into_iter()
            .flatten()
            .collect();
        out.extend(&self.news);
        out
    }

    /// Every text file, top-level first, then county by county.
    pub fn files(&self) -> Vec<&SourceFile> {
        let mut out = self.top_files();
        for c in &self.counties {
            c.files(&mut out);
        }
        out.into_iter().map(|f| &**f).collect()
    }

    /// Every file beside the content, site news first.
    pub fn assets(&self) -> Vec<&Asset> {
        let mut out: Vec<&Asset> = self.news_assets.iter().collect();
        fn place<'a>(p: &'a PlaceDir, out: &mut Vec<&'a Asset>) {
            out.extend(&p.assets);
            for v in &p.villages {
                out.extend(&v.assets);
            }
            for c in &p.children {
                place(c, out);
            }
        }
        for c in &self.counties {
            place(c, &mut out);
        }
        out
    }

    /// Let go of every text file's text (see [`SourceFile::forget_text`]);
    /// a file shared elsewhere keeps it.
    pub fn forget_texts(&mut self) {
        self.news.iter_mut().for_each(forget);
        self.home.iter_mut().for_each(forget);
        self.counties.iter_mut().for_each(PlaceDir::forget_texts);
    }

    /// Recompute the keys of counties and towns after some of their folders
    /// were walked again (a key covers everything below it).
    pub fn rekey(&mut self) {
        for county in &mut self.counties {
            for town in &mut county.children {
                town.key = place_key(town);
            }
            county.key = place_key(county);
        }
    }
}

/// A file copied as it is next to a page's output (images, PDFs).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Asset {
    pub path: PathBuf,
    /// File name relative to the folder it sits in (e.g. `photo.jpg`, `news/a.jpg`).
    pub name: String,
    /// The path as users know it, for warnings.
    pub shown: PathBuf,
}

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Sources {
    pub site: Option<Arc<SourceFile>>,
    pub standards: Option<Arc<SourceFile>>,
    pub partners: Option<Arc<SourceFile>>,
    pub home: Option<Arc<SourceFile>>,
    pub news: Vec<Arc<SourceFile>>,
    pub news_assets: Vec<Asset>,
    pub counties: Vec<PlaceDir>,
    /// Problems found reading the top-level files and site news.
    pub problems: Vec<Problem>,
    /// Whether the walk followed a link (inside the site).
    pub links: bool,
    /// Files the walk read from disk (the rest were the last walk's).
    #[serde(skip)]
    pub reads: usize,
}

/// Let go of a file's text, unless it is shared.
fn forget(file: &mut Arc<SourceFile>) {
    if let Some(file) = Arc::get_mut(file) {
        file.forget_text();
    }
}

impl PlaceDir {
    /// Let go of the text of this folder's files and below, if it was
    /// walked since the last time (see [`Sources::forget_texts`]).
    pub fn forget_texts(&mut self) {
        if !std::mem::take(&mut self.fresh) {
            return;
        }
        self.index.iter_mut().for_each(forget);
        for v in &mut self.villages {
            forget(&mut v.village);
            v.households.iter_mut().for_each(forget);
            v.points.iter_mut().for_each(forget);
            v.news.iter_mut().for_each(forget);
        }
        self.children.iter_mut().for_each(PlaceDir::forget_texts);
    }

    /// Every text file in this folder and below.
    pub fn files<'a>(&'a self, out: &mut Vec<&'a Arc<SourceFile>>) {
        out.extend(self.index.as_ref());
        for v in &self.villages {
            out.push(&v.village);
            out.extend(v.households.as_ref());
            out.extend(v.points.as_ref());
            out.extend(&v.news);
        }
        for c in &self.children {
            c.files(out);
        }
    }
}

/// A county or town folder.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct PlaceDir {
    pub folder: String,
    pub shown: PathBuf,
    pub dir: PathBuf,
    /// A hash of everything below: equal keys mean nothing in it changed.
    pub key: u64,
    /// Problems found reading this folder itself (not its children).
    pub problems: Vec<Problem>,
    pub index: Option<Arc<SourceFile>>,
    pub assets: Vec<Asset>,
    pub children: Vec<PlaceDir>,
    pub villages: Vec<VillageDir>,
    /// Whether a link was followed in this folder (counties only).
    pub links: bool,
    /// Walked (not taken from the last walk) and not yet through
    /// [`Sources::forget_texts`]: only such a folder holds text to let go.
    #[serde(skip)]
    pub fresh: bool,
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct VillageDir {
    pub folder: String,
    pub shown: PathBuf,
    /// A hash of every file's name and content and of the assets' names:
    /// equal keys mean the village's sources are unchanged.
    pub key: u64,
    /// Problems found reading its files (not UTF-8).
    pub problems: Vec<Problem>,
    pub village: Arc<SourceFile>,
    pub households: Option<Arc<SourceFile>>,
    /// households.toml is there but could not be read (a problem says why).
    pub households_unread: bool,
    pub points: Option<Arc<SourceFile>>,
    pub news: Vec<Arc<SourceFile>>,
    pub assets: Vec<Asset>,
}

pub(crate) fn place_key(p: &PlaceDir) -> u64 {
    use std::hash::{Hash, Hasher as _};
    let mut h = crate::hash::Hasher::default();
    (&p.folder, p.index.as_ref().map(|f| f.hash)).hash(&mut h);
    for a in &p.assets {
        a.name.hash(&mut h);
    }
    for problem in &p.problems {
        (&problem.file, &problem.message.en).hash(&mut h);
    }
    for c in &p.children {
        c.key.hash(&mut h);
    }
    for v in &p.villages {
        (&v.folder, v.key).hash(&mut h);
    }
    h.finish()
}

pub(crate) fn village_key(v: &VillageDir) -> u64 {
    use std::hash::{Hash, Hasher as _};
    let mut h = crate::hash::Hasher::default();
    for file in [Some(&v.village), v.households.as_ref(), v.points.as_ref()]
        .into_iter()
        .chain(v.news.iter().map(Some))
    {
        file.map(|f| (f.path.file_name(), f.hash)).hash(&mut h);
    }
    for a in &v.assets {
        a.name.hash(&mut h);
    }
    for problem in &v.problems {
        (&problem.file, &problem.message.en).hash(&mut h);
    }
    h.finish()
}

pub(crate) fn asset(path: &Path, prefix: &str) -> Asset {
    let file = folder_name(path);
    let name = if prefix.is_empty() {
        file
    } else {
        format!("{prefix}/{file}")
    };
    Asset {
        path: path.to_path_buf(),
        name,
        shown: PathBuf::new(),
    }
}

pub(crate) fn folder_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Dot-files and editor backups (`~` suffix) are never content.
pub(crate) fn is_hidden(path: &Path) -> bool {
    let name = folder_name(path);
    name.starts_with('.') || name.ends_with('~')
}
