//! The walk of content/: which file is which, read only when it changed,
//! nothing outside the site followed, folders without a change taken from
//! the last walk.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Problem, Problems, t};
use crate::fs::{self, FsResult};

use super::sheet::Roster;
use super::{
    Asset, AssetKind, PlaceDir, Prior, SourceFile, Sources, VillageDir, asset, asset_kind, folder_name, place_key,
    village_key,
};

/// Reads content/ under `root`. I/O failures abort; content problems are collected.
pub struct Loader<'a> {
    pub(super) root: &'a Path,
    /// `root` made canonical: links are followed only when they stay under it.
    pub(super) canonical: PathBuf,
    /// Files of the last walk of the folders being walked.
    pub(super) prior: Prior,
    /// Paths the watcher reported: read again even if their stamp looks the same.
    pub(super) changed: &'a HashSet<PathBuf>,
    pub problems: Problems,
    /// Whether a link (inside the site) was followed.
    pub(super) links: bool,
    /// Town folders of the last walk that may be taken as they were, if no
    /// changed path is in or above them.
    pub(super) towns: HashMap<PathBuf, PlaceDir>,
    /// Files read from disk (not taken from the last walk).
    pub(super) reads: usize,
    /// The last walk came from the build cache, not from this process:
    /// nothing is known to be unchanged, so every folder is walked, and a
    /// file is taken from the last walk only if its stamp is the same and
    /// older than this (a file changed in the same clock tick as it was
    /// read could look unchanged).
    pub(super) trust_before: Option<std::time::SystemTime>,
}

/// What the walk found at a path it may use.
pub(super) enum Found {
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
            trust_before: None,
        }
    }

    /// Walk every folder, taking a file from the last walk (the build
    /// cache's) only when its stamp is the same and older than `before`.
    pub fn restat(mut self, before: std::time::SystemTime) -> Loader<'a> {
        self.trust_before = Some(before);
        self
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
        self.trust_before.is_some() || self.changed.iter().any(|p| p.starts_with(dir) || dir.starts_with(p))
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
        let (root, changed, trust_before) = (self.root, self.changed, self.trust_before);
        let walked: Vec<FsResult<(PlaceDir, usize)>> = counties
            .par_iter()
            .zip(previous)
            .map(|(path, previous)| {
                let mut loader = Loader::new(root, changed);
                loader.trust_before = trust_before;
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
            fresh: true,
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
            Arc::new(SourceFile::empty(
                dir.join("village.toml"),
                self.shown(&dir.join("village.toml")),
            ))
        });
        let entries = self.entries(dir)?;
        let households = self.roster_file(dir, &entries, "households", Roster::Households)?;
        let points = self.roster_file(dir, &entries, "points", Roster::Points)?;
        let mut out = VillageDir {
            folder: folder_name(dir),
            shown: self.shown(dir),
            key: 0,
            problems: Vec::new(),
            village,
            households: households.file,
            households_unread: households.unread,
            points: points.file,
            news: Vec::new(),
            assets: Vec::new(),
        };
        let roster_names: Vec<String> = households.names.into_iter().chain(points.names).collect();
        for (path, found) in entries {
            let name = folder_name(&path);
            if name == "village.toml" || roster_names.contains(&name) {
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
