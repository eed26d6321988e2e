//! What a build is asked to do and what it gives back.

use std::fmt;
use std::path::PathBuf;

use crate::error::{Lang, Problems};
use crate::{fs, output, render, theme};

/// Where to read from and write to.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site folder: it holds content/ and, optionally, themes/.
    pub root: PathBuf,
    /// Defaults to `<root>/public`.
    pub output: Option<PathBuf>,
    /// Overrides site.toml's base_url (for previews and staging hosts).
    pub base_url: Option<String>,
}

impl Options {
    pub fn output_dir(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// Why a build or check did not finish.
#[derive(Debug)]
pub enum BuildError {
    /// The content has errors; all of them, in the site's language.
    Problems(Problems, Lang),
    Io(fs::FsError, Lang),
    Theme(theme::ThemeError, Lang),
    Render(render::RenderError, Lang),
    /// Writing the output failed; said in the site's language. The last
    /// good output is as it was.
    Output(output::OutputError, Lang),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Problems(p, lang) => write!(f, "{}", p.render(*lang).trim_end()),
            BuildError::Io(e, Lang::Zh) => write!(f, "{}", e.zh()),
            BuildError::Theme(e, Lang::Zh) => write!(f, "{}", e.zh()),
            BuildError::Render(e, Lang::Zh) => write!(f, "{}", e.zh()),
            BuildError::Io(e, Lang::En) => write!(f, "{e}"),
            BuildError::Theme(e, Lang::En) => write!(f, "{e}"),
            BuildError::Render(e, Lang::En) => write!(f, "{e}"),
            BuildError::Output(e, lang) => write!(f, "{}", e.render(*lang)),
        }
    }
}

impl std::error::Error for BuildError {}

impl BuildError {
    /// The language the error is told in (the default where no site.toml said).
    pub fn lang(&self) -> Lang {
        match self {
            BuildError::Problems(_, lang)
            | BuildError::Output(_, lang)
            | BuildError::Io(_, lang)
            | BuildError::Theme(_, lang)
            | BuildError::Render(_, lang) => *lang,
        }
    }
}

/// What a successful build or check produced.
#[derive(Debug)]
pub struct Report {
    pub lang: Lang,
    pub warnings: Problems,
    /// HTML pages in the built site.
    pub pages: usize,
    /// Files in the built site.
    pub files: usize,
}
