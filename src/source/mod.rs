//! Walking content/ into raw files: which file is which, read as UTF-8 text,
//! nothing interpreted yet. Folder structure problems (a stray file where a
//! village should be) are reported here; meaning is checked in `validate`.

pub mod front_matter;
pub mod raw;
pub mod toml_doc;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Problem, Problems, t};
use crate::fs::{self, FsResult};

/// Content files larger than this are refused (a village's households or
/// ledger is kilobytes; this catches a database export dropped in by mistake).
pub const MAX_TEXT_BYTES: u64 = 16 * 1024 * 1024;

/// One text file: where it is on disk, how to name it to users, its text
/// (BOM removed) and a hash of that text, which later stages use as a key.
/// The size and mtime it had when read tell a later walk whether to read it
/// again (it does when they differ, or when the watcher reported the file).
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub shown: PathBuf,
    pub text: String,
    pub hash: u64,
    pub stamp: Stamp,
}

/// Files of the last walk, by path, for a walk to take unchanged ones from.
type Prior = HashMap<PathBuf, Arc<SourceFile>>;

use crate::fs::Stamp;

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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Asset {
    pub path: PathBuf,
    /// File name relative to the folder it sits in (e.g. `photo.jpg`, `news/a.jpg`).
    pub name: String,
    /// The path as users know it, for warnings.
    pub shown: PathBuf,
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
    /// Whether the walk followed a link (inside the site).
    pub links: bool,
    /// Files the walk read from disk (the rest were the last walk's).
    pub reads: usize,
}

impl PlaceDir {
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
    /// Whether a link was followed in this folder (counties only).
    pub links: bool,
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
    /// `root` made canonical: links are followed only when they stay under it.
    canonical: PathBuf,
    /// Files of the last walk of the folders being walked.
    prior: Prior,
    /// Paths the watcher reported: read again even if their stamp looks the same.
    changed: &'a HashSet<PathBuf>,
    pub problems: Problems,
    /// Whether a link (inside the site) was followed.
    links: bool,
    /// Town folders of the last walk that may be taken as they were, if no
    /// changed path is in or above them.
    towns: HashMap<PathBuf, PlaceDir>,
    /// Files read from disk (not taken from the last walk).
    reads: usize,
}

/// What the walk found at a path it may use.
enum Found {
    File(PathBuf),
    Dir,
}

impl<'a> Loader<'a> {
    /// A walk of `root`; `changed` are the paths the watcher reported.
    pub fn new(root: &'a Path, changed: &'a HashSet<PathBuf>) -> Loader<'a> {
        Loader {
            root,
            canonical: fs::canonical_root(root),
            prior: Prior::new(),
            reads: 0,
            changed,
            problems: Problems::default(),
            links: false,
            towns: HashMap::new(),
        }
    }

    fn shown(&self, path: &Path) -> PathBuf {
        path.strip_prefix(self.root).unwrap_or(path).to_path_buf()
    }

    /// What is at `path`, with a located problem for what is never read
    /// (links out of the site, pipes, sockets, devices).
    fn look(&mut self, path: &Path) -> Option<Found> {
        match fs::entry(&self.canonical, path) {
            fs::Entry::Missing => None,
            fs::Entry::File { open, .. } => {
                self.links |= open != path;
                Some(Found::File(open))
            }
            fs::Entry::Dir { open } => {
                self.links |= open != path;
                Some(Found::Dir)
            }
            fs::Entry::Refused(why) => {
                let shown = self.shown(path);
                self.problems.push(refused(&shown, &why));
                None
            }
        }
    }

    /// Read a text file, or take it from the cache when its stamp is the same
    /// and the watcher did not report it. None when there is no such file or
    /// it was refused (a problem says why).
    pub fn read_optional(&mut self, path: &Path) -> FsResult<Option<Arc<SourceFile>>> {
        match fs::entry(&self.canonical, path) {
            fs::Entry::File { open, stamp } => {
                self.links |= open != path;
                self.read_stamped(path, &open, stamp)
            }
            fs::Entry::Missing | fs::Entry::Dir { .. } => Ok(None),
            fs::Entry::Refused(why) => {
                let shown = self.shown(path);
                self.problems.push(refused(&shown, &why));
                Ok(None)
            }
        }
    }

    fn read_stamped(&mut self, path: &Path, open: &Path, stamp: Stamp) -> FsResult<Option<Arc<SourceFile>>> {
        if let Some(file) = self.prior.get(path)
            && file.stamp == stamp
            && !self.changed.contains(path)
        {
            return Ok(Some(Arc::clone(file)));
        }
        Ok(self.read_fresh(path, open, stamp)?.map(Arc::new))
    }

    /// Read from disk; invalid UTF-8 or a file too big to be content becomes
    /// a problem, a BOM is dropped.
    fn read_fresh(&mut self, path: &Path, open: &Path, stamp: Stamp) -> FsResult<Option<SourceFile>> {
        let size = stamp.1;
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
        let bytes = fs::read_regular(open)?;
        self.reads += 1;
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
                    stamp,
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

    /// The entries of a folder the walk may use: hidden files and editor
    /// backups are not content, and what [`Loader::look`] refuses is left out.
    fn entries(&mut self, dir: &Path) -> FsResult<Vec<(PathBuf, Found)>> {
        let mut out = Vec::new();
        for (path, kind) in fs::read_dir_typed(dir)? {
            if is_hidden(&path) {
                continue;
            }
            // Plain files and folders as the listing says; links and
            // special files are looked at closely.
            let found = if kind.is_file() {
                Some(Found::File(path.clone()))
            } else if kind.is_dir() {
                Some(Found::Dir)
            } else {
                self.look(&path)
            };
            out.extend(found.map(|f| (path, f)));
        }
        Ok(out)
    }

    /// Walk content/, taking from `previous` (the last walk, if any) each
    /// county and town folder that no changed path is in or above: the
    /// watcher reports every change, so what it did not report is as it
    /// was. (When the last walk followed a link, a change may show through
    /// it from elsewhere: then everything is walked.)
    pub fn load(mut self, previous: Option<Sources>) -> FsResult<Sources> {
        let content = self.root.join("content");
        let mut sources = Sources::default();
        let previous = previous.filter(|p| !p.links);
        if let Some(p) = &previous {
            self.prior = prior_of(p.top_files());
        }
        if matches!(self.look(&content), Some(Found::Dir)) {
            sources.site = self.read_optional(&content.join("site.toml"))?;
            sources.standards = self.read_optional(&content.join("standards.toml"))?;
            sources.partners = self.read_optional(&content.join("partners.toml"))?;
            sources.home = self.read_optional(&content.join("_index.md"))?;
            let news_dir = content.join("news");
            if matches!(self.look(&news_dir), Some(Found::Dir)) {
                (sources.news, sources.news_assets) = self.news_folder(&news_dir)?;
            }
            let villages = content.join("villages");
            if matches!(self.look(&villages), Some(Found::Dir)) {
                let counties: Vec<PathBuf> = self
                    .entries(&villages)?
                    .into_iter()
                    .filter_map(|(p, found)| matches!(found, Found::Dir).then_some(p))
                    .collect();
                let mut kept: HashMap<PathBuf, PlaceDir> = match previous {
                    Some(p) => p.counties.into_iter().map(|c| (c.dir.clone(), c)).collect(),
                    None => HashMap::new(),
                };
                kept.retain(|dir, _| counties.contains(dir));
                // A county with a change in it is walked, but its towns
                // without one are taken as they were.
                let mut towns = Vec::new();
                let walk: Vec<PathBuf> = counties
                    .iter()
                    .filter(|c| !kept.contains_key(*c) || self.touched(c))
                    .cloned()
                    .collect();
                for c in &walk {
                    towns.push(kept.remove(c));
                }
                let mut walked: HashMap<PathBuf, PlaceDir> =
                    walk.iter().cloned().zip(self.walk_in_parallel(&walk, towns)?).collect();
                sources.counties = counties
                    .iter()
                    .filter_map(|c| kept.remove(c).or_else(|| walked.remove(c)))
                    .collect();
            }
        }
        sources.problems = self.problems.0;
        sources.links = self.links;
        sources.reads = self.reads;
        Ok(sources)
    }

    /// Whether a changed path is in `dir` or above it.
    fn touched(&self, dir: &Path) -> bool {
        self.changed.iter().any(|p| p.starts_with(dir) || dir.starts_with(p))
    }

    /// A town folder: the last walk's when nothing in it changed.
    fn town(&mut self, dir: &Path) -> FsResult<PlaceDir> {
        if let Some(town) = self.towns.remove(dir)
            && !self.touched(dir)
        {
            return Ok(town);
        }
        self.place(dir, 1)
    }

    /// Walk county folders on all cores, each with the last walk of the same
    /// county (if any) to take unchanged towns and files from.
    fn walk_in_parallel(&mut self, counties: &[PathBuf], previous: Vec<Option<PlaceDir>>) -> FsResult<Vec<PlaceDir>> {
        use rayon::prelude::*;
        let (root, changed) = (self.root, self.changed);
        let walked: Vec<FsResult<(PlaceDir, usize)>> = counties
            .par_iter()
            .zip(previous)
            .map(|(path, previous)| {
                let mut loader = Loader::new(root, changed);
                if let Some(county) = previous {
                    let mut files = Vec::new();
                    county.files(&mut files);
                    loader.prior = prior_of(files);
                    loader.towns = county.children.into_iter().map(|t| (t.dir.clone(), t)).collect();
                }
                let mut place = loader.place(path, 0)?;
                place.links = loader.links;
                Ok((place, loader.reads))
            })
            .collect();
        let mut out = Vec::with_capacity(walked.len());
        for result in walked {
            let (place, reads) = result?;
            self.links |= place.links;
            self.reads += reads;
            out.push(place);
        }
        Ok(out)
    }

    /// Whether `dir` is a village folder: it has a village.toml (even one
    /// that is refused, so the refusal is reported where it belongs).
    fn is_village(&self, dir: &Path) -> bool {
        !matches!(
            fs::entry(&self.canonical, &dir.join("village.toml")),
            fs::Entry::Missing
        )
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
            links: false,
        };
        for (path, found) in self.entries(dir)? {
            match found {
                _ if path.file_name().is_some_and(|n| n == "_index.md") => {}
                Found::Dir if self.is_village(&path) => place.villages.push(self.village(&path)?),
                Found::Dir if depth == 0 => place.children.push(self.town(&path)?),
                Found::Dir => {
                    let shown = self.shown(&path);
                    self.problems.push(Problem::error(
                        &shown,
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
                Found::File(open) => self.push_asset(&path, open, "", &mut place.assets),
            }
        }
        // Children took their own problems; what is left is this folder's.
        place.problems = self.problems.0.split_off(before);
        place.key = place_key(&place);
        Ok(place)
    }

    fn village(&mut self, dir: &Path) -> FsResult<VillageDir> {
        let before = self.problems.0.len();
        let village = self.read_optional(&dir.join("village.toml"))?.unwrap_or_else(|| {
            // Refused or not UTF-8: the problem is recorded; validate an
            // empty file in its place.
            Arc::new(SourceFile {
                path: dir.join("village.toml"),
                shown: self.shown(&dir.join("village.toml")),
                text: String::new(),
                hash: 0,
                stamp: (None, 0),
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
        for (path, found) in self.entries(dir)? {
            let name = folder_name(&path);
            if ["village.toml", "households.toml", "points.toml"].contains(&name.as_str()) {
                continue;
            }
            match found {
                Found::Dir if name == "news" => {
                    let (news, assets) = self.news_folder(&path)?;
                    out.news = news;
                    out.assets.extend(assets.into_iter().map(|a| Asset {
                        name: format!("news/{}", a.name),
                        ..a
                    }));
                }
                Found::Dir => self.collect_assets(&path, &name, &mut out.assets)?,
                Found::File(open) => self.push_asset(&path, open, "", &mut out.assets),
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
        for (path, found) in self.entries(dir)? {
            match found {
                Found::Dir => self.collect_assets(&path, &folder_name(&path), &mut assets)?,
                Found::File(_) if path.extension().is_some_and(|e| e == "md") => {
                    news.extend(self.read_optional(&path)?);
                }
                Found::File(open) => self.push_asset(&path, open, "", &mut assets),
            }
        }
        Ok((news, assets))
    }

    fn collect_assets(&mut self, dir: &Path, prefix: &str, out: &mut Vec<Asset>) -> FsResult<()> {
        for (path, found) in self.entries(dir)? {
            match found {
                Found::Dir => {
                    let sub = format!("{prefix}/{}", folder_name(&path));
                    self.collect_assets(&path, &sub, out)?;
                }
                Found::File(open) => self.push_asset(&path, open, prefix, out),
            }
        }
        Ok(())
    }

    /// A file beside the content, unless it is of a kind never published
    /// (spreadsheets, documents, archives, lock files).
    fn push_asset(&mut self, path: &Path, open: PathBuf, prefix: &str, out: &mut Vec<Asset>) {
        if asset_kind(&folder_name(path)) == AssetKind::Private {
            return;
        }
        let mut a = asset(path, prefix);
        a.path = open;
        a.shown = self.shown(path);
        out.push(a);
    }
}

/// Files by path, to take unchanged ones from.
fn prior_of(files: Vec<&Arc<SourceFile>>) -> Prior {
    files.into_iter().map(|f| (f.path.clone(), Arc::clone(f))).collect()
}

/// A problem for a path the walk refused to read.
pub fn refused(shown: &Path, why: &fs::Refusal) -> Problem {
    let (message, hint) = match why {
        fs::Refusal::LinkOutside(target) => {
            let target = crate::error::printable(&target.display().to_string());
            (
                t(
                    format!("this is a link to {target}, outside the site folder; it is not read"),
                    format!("这是指向网站文件夹以外（{target}）的链接，不会读取"),
                ),
                t(
                    "copy the file into content/ instead of linking to it",
                    "请把文件复制到 content/ 里，不要用链接",
                ),
            )
        }
        fs::Refusal::BrokenLink => (
            t(
                "this link leads nowhere (or round in a circle); it is not read",
                "这个链接指向的文件不存在（或绕回自己），不会读取",
            ),
            t(
                "delete the link, or copy the real file here",
                "请删除这个链接，或把真正的文件复制到这里",
            ),
        ),
        fs::Refusal::Special(kind) => {
            let (en, zh) = match *kind {
                "fifo" => ("a named pipe", "命名管道"),
                "socket" => ("a socket", "套接字"),
                _ => ("a device", "设备文件"),
            };
            (
                t(
                    format!("this is {en}, not a file; it is not read"),
                    format!("这是{zh}，不是普通文件，不会读取"),
                ),
                t(
                    "remove it: content/ holds only text, pictures and PDF files",
                    "请删除它：content/ 里只放文字、图片和 PDF 文件",
                ),
            )
        }
    };
    Problem::error(shown, None, message, hint)
}

/// What may happen to a file beside the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetKind {
    /// Pictures and PDF: pages show or link them.
    Published,
    /// Never published: spreadsheets, documents, archives, databases, lock
    /// and temporary files (a roster in Excel names every household in full).
    Private,
    /// Anything else: published only if the theme declares the kind.
    Unknown,
}

const PUBLISHED: &[&str] = &["jpg", "jpeg", "png", "gif", "webp", "svg", "avif", "pdf"];
const PRIVATE: &[&str] = &[
    "xlsx", "xlsm", "xlsb", "xls", "xlt", "xltx", "et", "ett", "ods", "csv", "tsv", "numbers", "doc", "docx", "docm",
    "dot", "dotx", "wps", "wpt", "rtf", "odt", "pages", "ppt", "pptx", "dps", "odp", "key", "zip", "rar", "7z", "tar",
    "gz", "tgz", "bz2", "xz", "zst", "db", "sqlite", "mdb", "accdb", "dbf", "bak", "tmp", "temp", "lock", "log",
    "toml", "md", "txt", "json", "yaml", "yml", "ini", "exe", "bat", "sh", "ps1", "vbs", "lnk", "url",
];

/// The kind of a file beside the content, by its name.
pub fn asset_kind(name: &str) -> AssetKind {
    // Office's owner files (`~$households.xlsx`) and LibreOffice's locks.
    if name.starts_with("~$") || name.starts_with(".~lock") || name == "Thumbs.db" || name == "desktop.ini" {
        return AssetKind::Private;
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if PUBLISHED.contains(&ext.as_str()) {
        AssetKind::Published
    } else if PRIVATE.contains(&ext.as_str()) || ext.is_empty() {
        AssetKind::Private
    } else {
        AssetKind::Unknown
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
        shown: PathBuf::new(),
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
