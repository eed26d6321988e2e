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
        // A ghost (from the cache) holds no cell map: read the workbook.
        if let Some(file) = self.prior.get(path)
            && self.unchanged(file, stamp)
            && !file.is_ghost()
        {
            let file = Arc::clone(file);
            self.problems
                .extend(file.cells().into_iter().flat_map(|c| c.problems.clone()));
            return Ok(Some(file));
        }
        let shown = self.shown(path);
        let mut reads = 0;
        let (toml, map) = settled(
            || {
                reads += 1;
                fs::read_regular(open)
            },
            |bytes| sheet::convert(roster, &shown, bytes, csv),
            Duration::from_millis(200),
        )?;
        self.reads += reads;
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

/// What `read` gives, converted; read again after `pause`, up to three
/// times in all, while it is no spreadsheet that can be read: Excel and
/// WPS write a workbook in several steps, and a build may catch it between
/// two of them.
fn settled(
    mut read: impl FnMut() -> FsResult<Vec<u8>>,
    convert: impl Fn(&[u8]) -> (String, sheet::CellMap),
    pause: Duration,
) -> FsResult<(String, sheet::CellMap)> {
    let mut tries = 0;
    loop {
        let converted = convert(&read()?);
        tries += 1;
        if !converted.1.unreadable() || tries == 3 {
            return Ok(converted);
        }
        std::thread::sleep(pause);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A workbook caught half-written is read again, and the whole one is
    /// taken; one that stays broken is reported after three reads.
    #[test]
    fn a_workbook_caught_while_saving_is_read_again() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "编号").unwrap();
        sheet.write_string(0, 1, "户主").unwrap();
        sheet.write_string(1, 0, "t-001").unwrap();
        sheet.write_string(1, 1, "陈明华").unwrap();
        let whole = book.save_to_buffer().unwrap();
        let half = whole[..whole.len() / 2].to_vec();
        let convert = |bytes: &[u8]| sheet::convert(Roster::Households, Path::new("households.xlsx"), bytes, false);

        let mut versions = vec![whole.clone(), half.clone()];
        let mut reads = 0;
        let (toml, map) = settled(
            || {
                reads += 1;
                Ok(versions.pop().unwrap())
            },
            convert,
            Duration::ZERO,
        )
        .unwrap();
        assert_eq!(reads, 2);
        assert!(map.problems.is_empty() && toml.contains("陈明华"), "{toml}");

        let mut reads = 0;
        let (_, map) = settled(
            || {
                reads += 1;
                Ok(half.clone())
            },
            convert,
            Duration::ZERO,
        )
        .unwrap();
        assert_eq!(reads, 3);
        assert!(map.unreadable() && map.problems.len() == 1);
    }
}
