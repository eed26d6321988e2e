//! Bringing the loaded sources up to date with a change set: each changed
//! path is mapped to the smallest folder to walk again (a village, a town, a
//! county, the site news, one top-level file), and only that is re-walked.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use crate::source::{Loader, PlaceDir, Sources};

use super::ChangeSet;

/// Which part of content/ a changed path belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    /// site.toml, standards.toml, partners.toml or _index.md at the top.
    TopFile(PathBuf),
    SiteNews,
    /// A whole county (folder name), or the list of counties when None.
    County(Option<String>),
    Town(String, String),
    Village(String, String, String),
}

/// Map a changed path to what must be walked again; None for paths outside
/// content/ (themes are handled by the caller).
fn target(content: &Path, path: &Path) -> Option<Target> {
    let rel = path.strip_prefix(content).ok()?;
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let part = |i: usize| parts[i].clone();
    Some(match parts.len() {
        0 => Target::County(None),
        1 if parts[0] == "news" => Target::SiteNews,
        1 if parts[0] == "villages" => Target::County(None),
        1 => Target::TopFile(path.to_path_buf()),
        _ if parts[0] == "news" => Target::SiteNews,
        _ if parts[0] != "villages" => return None,
        2 => Target::County(Some(part(1))),
        3 => Target::County(Some(part(1))),
        4 => Target::Town(part(1), part(2)),
        _ => Target::Village(part(1), part(2), part(3)),
    })
}

/// Bring `sources` up to date with `changes`, walking only the folders they touch.
pub(super) fn patch(
    loader: &mut Loader<'_>,
    sources: &mut Sources,
    root: &Path,
    changes: &ChangeSet,
) -> crate::fs::FsResult<()> {
    patch_targets(loader, sources, root, changes)?;
    sources.rekey();
    // What the loader found outside any county (top files, site news).
    sources.problems.extend(std::mem::take(&mut loader.problems).0);
    Ok(())
}

fn patch_targets(
    loader: &mut Loader<'_>,
    sources: &mut Sources,
    root: &Path,
    changes: &ChangeSet,
) -> crate::fs::FsResult<()> {
    let content = root.join("content");
    let targets: BTreeSet<Target> = changes.paths.iter().filter_map(|p| target(&content, p)).collect();
    let villages_dir = content.join("villages");
    for t in &targets {
        // A wider target already covers a narrower one.
        let covered = match t {
            Target::Town(c, _) | Target::Village(c, _, _) => {
                targets.contains(&Target::County(None)) || targets.contains(&Target::County(Some(c.clone())))
            }
            _ => false,
        } || matches!(t, Target::Village(c, tw, _) if targets.contains(&Target::Town(c.clone(), tw.clone())));
        if covered {
            continue;
        }
        match t {
            Target::TopFile(path) => {
                let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
                sources.problems.retain(|p| p.file != shown);
                let file = loader.read_optional(path)?;
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                match name {
                    "site.toml" => sources.site = file,
                    "standards.toml" => sources.standards = file,
                    "partners.toml" => sources.partners = file,
                    "_index.md" => sources.home = file,
                    _ => {}
                }
            }
            Target::SiteNews => {
                sources.problems.retain(|p| !p.file.starts_with("content/news"));
                loader.reload_site_news(sources)?;
            }
            Target::County(None) => {
                let mut fresh = Vec::new();
                if crate::fs::is_dir(&villages_dir) {
                    for path in crate::fs::read_dir_sorted(&villages_dir)? {
                        fresh.extend(loader.reload_place(&path, 0)?);
                    }
                }
                sources.counties = fresh;
            }
            Target::County(Some(c)) => {
                let fresh = loader.reload_place(&villages_dir.join(c), 0)?;
                replace_sorted(&mut sources.counties, c, fresh, |p| &p.folder);
            }
            Target::Town(c, tw) => {
                let Some(county) = sources.counties.iter_mut().find(|p| &p.folder == c) else {
                    continue;
                };
                let fresh = loader.reload_place(&county.dir.join(tw), 1)?;
                replace_sorted(&mut county.children, tw, fresh, |p| &p.folder);
            }
            Target::Village(c, tw, v) => {
                let Some(town) = find_town(&mut sources.counties, c, tw) else {
                    continue;
                };
                let fresh = loader.reload_village(&town.dir.join(v))?;
                replace_sorted(&mut town.villages, v, fresh, |p| &p.folder);
            }
        }
    }
    Ok(())
}

fn find_town<'s>(counties: &'s mut [PlaceDir], county: &str, town: &str) -> Option<&'s mut PlaceDir> {
    counties
        .iter_mut()
        .find(|p| p.folder == county)?
        .children
        .iter_mut()
        .find(|p| p.folder == town)
}

/// Replace, insert (keeping folder order) or remove the entry named `name`.
fn replace_sorted<T>(list: &mut Vec<T>, name: &str, fresh: Option<T>, folder: impl Fn(&T) -> &String) {
    let at = list.binary_search_by(|x| folder(x).as_str().cmp(name));
    match (at, fresh) {
        (Ok(i), Some(f)) => list[i] = f,
        (Ok(i), None) => {
            list.remove(i);
        }
        (Err(i), Some(f)) => list.insert(i, f),
        (Err(_), None) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_pick_the_smallest_folder_to_walk() {
        let c = Path::new("/s/content");
        assert_eq!(
            target(c, Path::new("/s/content/site.toml")),
            Some(Target::TopFile("/s/content/site.toml".into()))
        );
        assert_eq!(target(c, Path::new("/s/content/news/a.md")), Some(Target::SiteNews));
        assert_eq!(target(c, Path::new("/s/content/villages")), Some(Target::County(None)));
        assert_eq!(
            target(c, Path::new("/s/content/villages/藤县")),
            Some(Target::County(Some("藤县".into())))
        );
        assert_eq!(
            target(c, Path::new("/s/content/villages/藤县/_index.md")),
            Some(Target::County(Some("藤县".into())))
        );
        assert_eq!(
            target(c, Path::new("/s/content/villages/藤县/金鸡镇/同荣村")),
            Some(Target::Town("藤县".into(), "金鸡镇".into()))
        );
        assert_eq!(
            target(c, Path::new("/s/content/villages/藤县/金鸡镇/同荣村/news/a.md")),
            Some(Target::Village("藤县".into(), "金鸡镇".into(), "同荣村".into()))
        );
        assert_eq!(target(c, Path::new("/s/themes/default/x.html")), None);
    }

    #[test]
    fn replace_sorted_keeps_order() {
        let mut v = vec!["a".to_string(), "c".to_string()];
        replace_sorted(&mut v, "b", Some("b".to_string()), |s| s);
        assert_eq!(v, ["a", "b", "c"]);
        replace_sorted(&mut v, "a", None, |s| s);
        assert_eq!(v, ["b", "c"]);
    }
}
