//! Walking content/ into raw files: which file is which, read as UTF-8 text,
//! nothing interpreted yet. Folder structure problems (a stray file where a
//! village should be) are reported here; meaning is checked in `validate`.

pub mod front_matter;
pub mod raw;
pub mod toml_doc;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::error::{Problem, Problems, t};
use crate::fs::{self, FsResult};

/// Content files larger than this are refused (a village's households or
/// ledger is kilobytes; this catches a database export dropped in by mistake).
pub const MAX_TEXT_BYTES: u64 = 16 * 1024 * 1024;

/// One text file: where it is on disk, how to name it to users, its text
/// (BOM removed) and a hash of that text, which later stages use as a key.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub shown: PathBuf,
    pub text: String,
    pub hash: u64,
}

/// Files read before, by path, with the size and mtime they had; a file whose
/// stamp is unchanged (and that the watcher did not report) is not read again.
#[derive(Debug, Default)]
pub struct FileCache {
    files: HashMap<PathBuf, (Stamp, Arc<SourceFile>)>,
    /// How many files were actually read from disk, for tests and timings.
    pub reads: usize,
}

type Stamp = (Option<SystemTime>, u64);

impl Sources {
    /// Every text file, top-level first, then county by county.
    pub fn files(&self) -> Vec<&SourceFile> {
        let mut out: Vec<&SourceFile> = [&self.site, &self.standards, &self.partners, &self.home]
            .into_iter()
            .flatten()
            .map(|f| &**f)
            .collect();
        out.extend(self.news.iter().map(|f| &**f));
        fn place<'a>(p: &'a PlaceDir, out: &mut Vec<&'a SourceFile>) {
            out.extend(p.index.as_deref());
            for v in &p.villages {
                out.push(&v.village);
                out.extend(v.households.as_deref());
                out.extend(v.points.as_deref());
                out.extend(v.news.iter().map(|f| &**f));
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

impl FileCache {
    /// Forget files that no longer exist in `sources`' tree (after deletions).
    pub fn retain(&mut self, keep: impl Fn(&Path) -> bool) {
        self.files.retain(|p, _| keep(p));
    }
}

/// A file copied as it is next to a page's output (images, PDFs).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Asset {
    pub path: PathBuf,
    /// File name relative to the folder it sits in (e.g. `photo.jpg`, `news/a.jpg`).
    pub name: String,
}

#[derive(Debug, Default)]
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
}

/// A county or town folder.
#[derive(Debug)]
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
}

#[derive(Debug)]
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
    pub points: Option<Arc<SourceFile>>,
    pub news: Vec<Arc<SourceFile>>,
    pub assets: Vec<Asset>,
}

/// Reads content/ under `root`. I/O failures abort; content problems are collected.
pub struct Loader<'a> {
    root: &'a Path,
    cache: &'a mut FileCache,
    /// Paths the watcher reported: read again even if their stamp looks the same.
    changed: &'a HashSet<PathBuf>,
    pub problems: Problems,
}

impl<'a> Loader<'a> {
    pub fn new(root: &'a Path, cache: &'a mut FileCache, changed: &'a HashSet<PathBuf>) -> Loader<'a> {
        Loader {
            root,
            cache,
            changed,
            problems: Problems::default(),
        }
    }

    fn shown(&self, path: &Path) -> PathBuf {
        path.strip_prefix(self.root).unwrap_or(path).to_path_buf()
    }

    /// Read a text file, or take it from the cache when its stamp is the same
    /// and the watcher did not report it.
    pub fn read_text(&mut self, path: &Path) -> FsResult<Option<Arc<SourceFile>>> {
        let stamp = fs::stamp(path)?;
        self.read_stamped(path, stamp)
    }

    /// [`Loader::read_text`] for a file whose stamp was just taken.
    fn read_stamped(&mut self, path: &Path, stamp: Stamp) -> FsResult<Option<Arc<SourceFile>>> {
        if let Some((old, file)) = self.cache.files.get(path)
            && *old == stamp
            && !self.changed.contains(path)
        {
            return Ok(Some(Arc::clone(file)));
        }
        let file = self.read_fresh(path, stamp.1)?.map(Arc::new);
        match &file {
            Some(f) => self.cache.files.insert(path.to_path_buf(), (stamp, Arc::clone(f))),
            None => self.cache.files.remove(path),
        };
        Ok(file)
    }

    /// Read from disk; invalid UTF-8 or a file too big to be content becomes
    /// a problem, a BOM is dropped.
    fn read_fresh(&mut self, path: &Path, size: u64) -> FsResult<Option<SourceFile>> {
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
        let bytes = fs::read(path)?;
        self.cache.reads += 1;
        let shown = self.shown(path);
        match String::from_utf8(bytes) {
            Ok(mut text) => {
                if text.starts_with('\u{feff}') {
                    text.drain(..3);
                }
                Ok(Some(SourceFile {
                    path: path.to_path_buf(),
                    shown,
                    hash: crate::hash::content_key(text.as_bytes()),
                    text,
                }))
            }
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
                self.problems.push(Problem::at(
                    &shown,
                    &valid,
                    offset,
                    t("this file is not UTF-8 text", "这个文件不是 UTF-8 编码"),
                    t(
                        "save it as UTF-8 (in Notepad: Save As → Encoding: UTF-8)",
                        "请另存为 UTF-8 编码（记事本：另存为 → 编码选 UTF-8）",
                    ),
                ));
                Ok(None)
            }
        }
    }

    /// [`Loader::read_text`], or None when there is no such file.
    pub fn read_optional(&mut self, path: &Path) -> FsResult<Option<Arc<SourceFile>>> {
        match fs::file_stamp(path) {
            Some(stamp) => self.read_stamped(path, stamp),
            None => Ok(None),
        }
    }

    /// Hidden files and editor backups are not content; symbolic links are
    /// not followed (they could point outside the site or loop), with a warning.
    fn skip(&mut self, path: &Path) -> bool {
        if is_hidden(path) {
            return true;
        }
        if fs::is_symlink(path) {
            let shown = self.shown(path);
            self.problems.push(
                Problem::error(
                    &shown,
                    None,
                    t("symbolic link skipped", "已跳过符号链接"),
                    t(
                        "copy the file or folder into content/ instead of linking to it",
                        "请把文件或文件夹复制到 content/ 里，不要用链接",
                    ),
                )
                .warning(),
            );
            return true;
        }
        false
    }

    /// Walk the whole of content/.
    pub fn load(mut self) -> FsResult<Sources> {
        let content = self.root.join("content");
        let mut sources = Sources {
            site: self.read_optional(&content.join("site.toml"))?,
            standards: self.read_optional(&content.join("standards.toml"))?,
            partners: self.read_optional(&content.join("partners.toml"))?,
            home: self.read_optional(&content.join("_index.md"))?,
            ..Sources::default()
        };
        self.reload_site_news(&mut sources)?;
        let villages = content.join("villages");
        if fs::is_dir(&villages) {
            let counties: Vec<PathBuf> = fs::read_dir_sorted(&villages)?
                .into_iter()
                .filter(|p| fs::is_dir(p) && !self.skip(p))
                .collect();
            sources.counties = self.walk_in_parallel(&counties)?;
        }
        sources.problems = self.problems.0;
        Ok(sources)
    }

    /// Walk county folders on all cores, each with a cache of its own, then
    /// take their caches into ours.
    fn walk_in_parallel(&mut self, counties: &[PathBuf]) -> FsResult<Vec<PlaceDir>> {
        use rayon::prelude::*;
        let (root, changed) = (self.root, self.changed);
        let walked: Vec<FsResult<(PlaceDir, FileCache)>> = counties
            .par_iter()
            .map(|path| {
                let mut cache = FileCache::default();
                let place = Loader::new(root, &mut cache, changed).place(path, 0)?;
                Ok((place, cache))
            })
            .collect();
        let mut out = Vec::with_capacity(walked.len());
        for result in walked {
            let (place, cache) = result?;
            self.cache.files.extend(cache.files);
            self.cache.reads += cache.reads;
            out.push(place);
        }
        Ok(out)
    }

    pub fn reload_site_news(&mut self, sources: &mut Sources) -> FsResult<()> {
        let news_dir = self.root.join("content/news");
        (sources.news, sources.news_assets) = if fs::is_dir(&news_dir) {
            self.news_folder(&news_dir)?
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(())
    }

    /// Walk one county (depth 0) or town (depth 1) folder, or None if it is gone.
    pub fn reload_place(&mut self, dir: &Path, depth: usize) -> FsResult<Option<PlaceDir>> {
        if !fs::is_dir(dir) || is_hidden(dir) {
            return Ok(None);
        }
        self.place(dir, depth).map(Some)
    }

    /// Walk one village folder, or None if it is gone or has no village.toml.
    pub fn reload_village(&mut self, dir: &Path) -> FsResult<Option<VillageDir>> {
        if !fs::is_file(&dir.join("village.toml")) || is_hidden(dir) {
            return Ok(None);
        }
        self.village(dir).map(Some)
    }

    /// A county (depth 0) or town (depth 1) folder.
    fn place(&mut self, dir: &Path, depth: usize) -> FsResult<PlaceDir> {
        let before = self.problems.0.len();
        let mut place = PlaceDir {
            folder: folder_name(dir),
            shown: self.shown(dir),
            dir: dir.to_path_buf(),
            key: 0,
            problems: Vec::new(),
            index: self.read_optional(&dir.join("_index.md"))?,
            assets: Vec::new(),
            children: Vec::new(),
            villages: Vec::new(),
        };
        for path in fs::read_dir_sorted(dir)? {
            if self.skip(&path) || path.file_name().is_some_and(|n| n == "_index.md") {
                continue;
            }
            if fs::is_dir(&path) {
                if fs::is_file(&path.join("village.toml")) {
                    place.villages.push(self.village(&path)?);
                } else if depth == 0 {
                    place.children.push(self.place(&path, 1)?);
                } else {
                    self.problems.push(Problem::error(
                        &self.shown(&path),
                        None,
                        t(
                            "this village folder has no village.toml",
                            "这个村的文件夹里没有 village.toml",
                        ),
                        t(
                            "every village folder needs a village.toml with at least name = \"…\"",
                            "每个村的文件夹都需要一个 village.toml，至少写上 name = \"…\"",
                        ),
                    ));
                }
            } else {
                place.assets.push(asset(&path, ""));
            }
        }
        // Children took their own problems; what is left is this folder's.
        place.problems = self.problems.0.split_off(before);
        place.key = place_key(&place);
        Ok(place)
    }

    fn village(&mut self, dir: &Path) -> FsResult<VillageDir> {
        let before = self.problems.0.len();
        let village = self.read_text(&dir.join("village.toml"))?.unwrap_or_else(|| {
            // Not UTF-8: the problem is recorded; validate an empty file in its place.
            Arc::new(SourceFile {
                path: dir.join("village.toml"),
                shown: self.shown(&dir.join("village.toml")),
                text: String::new(),
                hash: 0,
            })
        });
        let mut out = VillageDir {
            folder: folder_name(dir),
            shown: self.shown(dir),
            key: 0,
            problems: Vec::new(),
            village,
            households: self.read_optional(&dir.join("households.toml"))?,
            points: self.read_optional(&dir.join("points.toml"))?,
            news: Vec::new(),
            assets: Vec::new(),
        };
        for path in fs::read_dir_sorted(dir)? {
            let name = folder_name(&path);
            if self.skip(&path) || ["village.toml", "households.toml", "points.toml"].contains(&name.as_str()) {
                continue;
            }
            if fs::is_dir(&path) && name == "news" {
                let (news, assets) = self.news_folder(&path)?;
                out.news = news;
                out.assets.extend(assets.into_iter().map(|a| Asset {
                    name: format!("news/{}", a.name),
                    ..a
                }));
            } else if fs::is_dir(&path) {
                self.collect_assets(&path, &name, &mut out.assets)?;
            } else {
                out.assets.push(asset(&path, ""));
            }
        }
        out.problems = self.problems.0.split_off(before);
        out.key = village_key(&out);
        Ok(out)
    }

    /// Markdown files of a news folder, and every other file in it as an asset.
    fn news_folder(&mut self, dir: &Path) -> FsResult<(Vec<Arc<SourceFile>>, Vec<Asset>)> {
        let mut news = Vec::new();
        let mut assets = Vec::new();
        for path in fs::read_dir_sorted(dir)? {
            if self.skip(&path) {
                continue;
            }
            if fs::is_dir(&path) {
                self.collect_assets(&path, &folder_name(&path), &mut assets)?;
            } else if path.extension().is_some_and(|e| e == "md") {
                news.extend(self.read_text(&path)?);
            } else {
                assets.push(asset(&path, ""));
            }
        }
        Ok((news, assets))
    }

    fn collect_assets(&mut self, dir: &Path, prefix: &str, out: &mut Vec<Asset>) -> FsResult<()> {
        for path in fs::read_dir_sorted(dir)? {
            if self.skip(&path) {
                continue;
            }
            if fs::is_dir(&path) {
                let sub = format!("{prefix}/{}", folder_name(&path));
                self.collect_assets(&path, &sub, out)?;
            } else {
                out.push(asset(&path, prefix));
            }
        }
        Ok(())
    }
}

fn place_key(p: &PlaceDir) -> u64 {
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

fn village_key(v: &VillageDir) -> u64 {
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

fn asset(path: &Path, prefix: &str) -> Asset {
    let file = folder_name(path);
    let name = if prefix.is_empty() {
        file
    } else {
        format!("{prefix}/{file}")
    };
    Asset {
        path: path.to_path_buf(),
        name,
    }
}

fn folder_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Dot-files and editor backups (`~` suffix) are never content.
fn is_hidden(path: &Path) -> bool {
    let name = folder_name(path);
    name.starts_with('.') || name.ends_with('~')
}
