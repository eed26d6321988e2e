//! A content file as later stages see it: its text, read once, or a
//! *ghost* (what tells it apart, its text read only if asked).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::{decode, front_matter, sheet, slips};
use crate::fs::Stamp;

/// One text file: where it is on disk, how to name it to users, its text
/// (BOM removed) and a hash of that text, which later stages use as a key.
/// The size and mtime it had when read tell a later walk whether to read it
/// again (it does when they differ, or when the watcher reported the file).
///
/// A file known from the build cache (see `crate::cache`) is a *ghost*: its
/// stamp and hash are remembered, its text is read from disk only if some
/// stage asks for it (most never do: their results are cached too).
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub shown: PathBuf,
    pub hash: u64,
    pub stamp: Stamp,
    /// Saved as GBK and decoded (worth a warning on every build).
    pub gbk: bool,
    body: OnceLock<Body>,
}

/// What a file holds, as later stages read it.
#[derive(Debug, Clone, Default)]
struct Body {
    text: String,
    /// The TOML (or front matter) with Chinese input slips repaired for the
    /// parser; None when it had none.
    repaired: Option<Box<slips::Repaired>>,
    /// For a spreadsheet: `text` is the TOML it stands for, and this takes
    /// each place in it back to a cell.
    cells: Option<Box<sheet::CellMap>>,
}

impl SourceFile {
    /// A file read from disk, its TOML slips repaired.
    pub fn new(path: PathBuf, shown: PathBuf, text: String, stamp: Stamp, gbk: bool) -> SourceFile {
        SourceFile {
            hash: crate::hash::fingerprint(text.as_bytes()),
            body: OnceLock::from(Body::of_text(&path, text)),
            path,
            shown,
            stamp,
            gbk,
        }
    }

    /// A spreadsheet read as the TOML it stands for.
    pub fn from_sheet(path: PathBuf, shown: PathBuf, toml: String, cells: sheet::CellMap, stamp: Stamp) -> SourceFile {
        SourceFile {
            hash: crate::hash::fingerprint(toml.as_bytes()),
            path,
            shown,
            stamp,
            gbk: false,
            body: OnceLock::from(Body {
                text: toml,
                repaired: None,
                cells: Some(Box::new(cells)),
            }),
        }
    }

    /// A file in place of one that could not be read (a problem says why).
    pub fn empty(path: PathBuf, shown: PathBuf) -> SourceFile {
        SourceFile {
            path,
            shown,
            hash: 0,
            stamp: (None, 0),
            gbk: false,
            body: OnceLock::from(Body::default()),
        }
    }

    /// A text file the cache knows by its stamp and hash; read when asked.
    pub fn ghost(path: PathBuf, shown: PathBuf, hash: u64, stamp: Stamp, gbk: bool) -> SourceFile {
        SourceFile {
            path,
            shown,
            hash,
            stamp,
            gbk,
            body: OnceLock::new(),
        }
    }

    pub fn text(&self) -> &str {
        &self.body().text
    }

    pub fn repaired(&self) -> Option<&slips::Repaired> {
        self.body().repaired.as_deref()
    }

    pub fn cells(&self) -> Option<&sheet::CellMap> {
        self.body().cells.as_deref()
    }

    /// Whether it is a ghost whose text has not been read.
    pub fn is_ghost(&self) -> bool {
        self.body.get().is_none()
    }

    /// The same file as a ghost: what tells it apart, not its text.
    pub fn ghost_of(&self) -> SourceFile {
        SourceFile::ghost(self.path.clone(), self.shown.clone(), self.hash, self.stamp, self.gbk)
    }

    /// Run `f` on the text; a ghost's is read for it and not kept (a
    /// Markdown body is wanted once, when its page is rendered).
    pub fn with_text<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        match self.body.get() {
            Some(body) => f(&body.text),
            None => f(&read_text(&self.path)),
        }
    }

    /// Let go of the text of a text file (not a spreadsheet's, which is
    /// costly to make again): once validated, it is read again only if
    /// something asks for it.
    pub fn forget_text(&mut self) {
        let text_file = matches!(self.path.extension().and_then(|e| e.to_str()), Some("toml" | "md"));
        if text_file && self.body.get().is_some_and(|b| b.cells.is_none()) {
            self.body = OnceLock::new();
        }
    }

    fn body(&self) -> &Body {
        self.body
            .get_or_init(|| Body::of_text(&self.path, read_text(&self.path)))
    }
}

/// A ghost's text: it is a text file that read and decoded cleanly when it
/// was known, with the same stamp since; read it the same way.
fn read_text(path: &Path) -> String {
    match std::fs::read(path).map(decode::decode) {
        Ok(decode::Decoded::Utf8(text) | decode::Decoded::Gbk(text)) => text,
        _ => String::new(),
    }
}

/// The cache keeps a file as a ghost: what tells whether it changed, not
/// what it holds.
#[derive(serde::Serialize, serde::Deserialize)]
struct Ghost<P> {
    path: P,
    shown: P,
    hash: u64,
    stamp: Stamp,
    gbk: bool,
}

impl serde::Serialize for SourceFile {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Ghost {
            path: &self.path,
            shown: &self.shown,
            hash: self.hash,
            stamp: self.stamp,
            gbk: self.gbk,
        }
        .serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for SourceFile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<SourceFile, D::Error> {
        let g = Ghost::<PathBuf>::deserialize(d)?;
        Ok(SourceFile::ghost(g.path, g.shown, g.hash, g.stamp, g.gbk))
    }
}

impl Body {
    fn of_text(path: &Path, text: String) -> Body {
        let repaired = match path.extension().and_then(|e| e.to_str()) {
            Some("toml") => slips::repair(&text, 0),
            Some("md") => front_matter::split(&text)
                .ok()
                .and_then(|parts| slips::repair(parts.front, parts.front_offset)),
            _ => None,
        };
        Body {
            text,
            repaired: repaired.map(Box::new),
            cells: None,
        }
    }
}
