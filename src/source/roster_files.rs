//! A village's households and points: households.toml or a spreadsheet
//! (households.xlsx, .xls, .ods, .et, .csv) in its place, never both.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::error::{Problem, t};
use crate::fs::{self, FsResult, Stamp};

use super::sheet::{self, Roster};
use super::walk::{Found, Loader};
use super::{SourceFile, folder_name};

/// What a village folder has for one roster.
pub(super) struct RosterFile {
    pub file: Option<Arc<SourceFile>>,
    /// There is one, but it could not be read (a problem says why): what
    /// refers into it is not checked.
    pub unread: bool,
    /// The names that are this roster, so they are not taken for assets.
    pub names: Vec<String>,
}

impl Loader<'_> {
    /// `<stem>.toml` or one spreadsheet of that name among `entries`.
    pub(super) fn roster_file(
        &mut self,
        dir: &Path,
        entries: &[(PathBuf, Found)],
        stem: &str,
        roster: Roster,
    ) -> FsResult<RosterFile> {
        let candidates: Vec<(PathBuf, String)> = entries
            .iter()
            .filter(|(_, found)| matches!(found, Found::File(_)))
            .map(|(path, _)| (path.clone(), folder_name(path)))
            .filter(|(_, name)| roster_extension(name, stem).is_some())
            .collect();
        let names = candidates.iter().map(|(_, n)| n.clone()).collect();
        let before = self.problems.0.len();
        let file = match candidates.as_slice() {
            [] => None,
            [(path, name)] if roster_extension(name, stem) == Some("toml") => self.read_optional(path)?,
            [(path, name)] => {
                let csv = roster_extension(name, stem) == Some("csv");
                match self.allowed(path) {
                    fs::Entry::File { open, stamp } => self.read_sheet(path, &open, stamp, roster, csv)?,
                    _ => None,
                }
            }
            [(first, _), (second, _), ..] => {
                let (a, b) = (self.shown(first), self.shown(second));
                self.problems.push(two_rosters(&a, &b));
                None
            }
        };
        // A roster refused by the listing (a link out of the site) was
        // reported there: it is there, but unread.
        let shown_dir = self.shown(dir);
        let refused = self.problems.0.iter().any(|p| {
            p.file.parent() == Some(shown_dir.as_path()) && roster_extension(&folder_name(&p.file), stem).is_some()
        });
        let unread = file.is_none() && (self.problems.0.len() > before || refused);
        Ok(RosterFile { file, unread, names })
    }

    /// A spreadsheet as the TOML it stands for, or from the last walk when
    /// unchanged. A file that cannot be read may be being saved right now:
    /// it is read again a few times before it is called unreadable.
    fn read_sheet(
        &mut self,
        path: &Path,
        open: &Path,
        stamp: Stamp,
        roster: Roster,
        csv: bool,
    ) -> FsResult<Option<Arc<SourceFile>>> {
        if let Some(file) = self.prior.get(path)
            && file.stamp == stamp
            && !self.changed.contains(path)
        {
            let file = Arc::clone(file);
            self.problems.extend(file.cells.iter().flat_map(|c| c.problems.clone()));
            return Ok(Some(file));
        }
        let shown = self.shown(path);
        let mut tries = 0;
        let (toml, map) = loop {
            let bytes = fs::read_regular(open)?;
            self.reads += 1;
            let (toml, map) = sheet::convert(roster, &shown, &bytes, csv);
            tries += 1;
            if !map.unreadable() || tries == 3 {
                break (toml, map);
            }
            std::thread::sleep(Duration::from_millis(200));
        };
        self.problems.extend(map.problems.iter().cloned());
        if map.unreadable() {
            return Ok(None);
        }
        Ok(Some(Arc::new(SourceFile::from_sheet(
            path.to_path_buf(),
            shown,
            toml,
            map,
            stamp,
        ))))
    }
}

/// The extension of `name` when it is `<stem>.toml` or `<stem>.<a
/// spreadsheet kind>` (in any case, as Windows saves it).
fn roster_extension(name: &str, stem: &str) -> Option<&'static str> {
    let (base, ext) = name.rsplit_once('.')?;
    if base != stem {
        return None;
    }
    let ext = ext.to_ascii_lowercase();
    std::iter::once("toml")
        .chain(sheet::EXTENSIONS.iter().copied())
        .find(|e| *e == ext)
}

fn two_rosters(a: &Path, b: &Path) -> Problem {
    let (a, b) = (a.display(), b.display());
    Problem::error(
        a.to_string().as_ref(),
        None,
        t(
            format!("both {a} and {b} are here: it is not clear which one to read"),
            format!("{a} 和 {b} 都在：不知道该读哪一个"),
        ),
        t(
            "keep one of them; move the other out of content/",
            "只留一个，把另一个移出 content/",
        ),
    )
}
