//! starboard: village honour rolls from Markdown and TOML to a static site.
//!
//! The pipeline, top to bottom: config → load → validate → theme → render →
//! write. [`build`] runs all of it; [`check`] stops before writing.

pub mod config;
pub mod date;
pub mod error;
pub mod fs;
pub mod init;
pub mod markdown;
pub mod model;
pub mod output;
pub mod privacy;
pub mod render;
pub mod slug;
pub mod source;
pub mod theme;
pub mod validate;

use std::fmt;
use std::path::PathBuf;

use error::{Lang, Problems};
use model::Site;
use render::Output;

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
    Io(fs::FsError),
    Theme(theme::ThemeError),
    Render(render::RenderError),
    Output(output::OutputError),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Problems(p, lang) => write!(f, "{}", p.render(*lang).trim_end()),
            BuildError::Io(e) => write!(f, "{e}"),
            BuildError::Theme(e) => write!(f, "{e}"),
            BuildError::Render(e) => write!(f, "{e}"),
            BuildError::Output(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for BuildError {}

/// What a successful build or check produced.
#[derive(Debug)]
pub struct Report {
    pub lang: Lang,
    pub warnings: Problems,
    pub pages: usize,
    pub files: usize,
}

/// Build the site into the output folder, swapping it in whole.
pub fn build(options: &Options) -> Result<Report, BuildError> {
    let (site, warnings) = load_site(options)?;
    let files = render_site(options, &site)?;
    output::write_site(&options.output_dir(), &files).map_err(BuildError::Output)?;
    Ok(report(&site, warnings, &files))
}

/// Validate and render everything; write nothing.
pub fn check(options: &Options) -> Result<Report, BuildError> {
    let (site, warnings) = load_site(options)?;
    let files = render_site(options, &site)?;
    output::check_paths(&files).map_err(BuildError::Output)?;
    Ok(report(&site, warnings, &files))
}

/// config → load → validate: the site model, or every problem at once.
pub fn load_site(options: &Options) -> Result<(Site, Problems), BuildError> {
    let (sources, mut problems) = source::Loader::new(&options.root).load().map_err(BuildError::Io)?;
    let Some(site_file) = &sources.site else {
        problems.push(validate::missing_site_toml());
        return Err(BuildError::Problems(problems.sorted(), Lang::En));
    };
    let lang = config::sniff_lang(&site_file.text);
    let config = match config::parse(&site_file.shown, &site_file.text, options.base_url.as_deref()) {
        Ok(c) => c,
        Err(p) => {
            problems.extend(p.0);
            return Err(BuildError::Problems(problems.sorted(), lang));
        }
    };
    let lang = config.lang;
    let (site, more) = validate::site(sources, config);
    problems.extend(more.0);
    let problems = problems.sorted();
    match site {
        Some(site) if !problems.has_errors() => Ok((site, problems)),
        _ => Err(BuildError::Problems(problems, lang)),
    }
}

fn render_site(options: &Options, site: &Site) -> Result<Vec<Output>, BuildError> {
    let theme = theme::load(&options.root, &site.config.theme).map_err(BuildError::Theme)?;
    render::site(site, &theme).map_err(BuildError::Render)
}

fn report(site: &Site, warnings: Problems, files: &[Output]) -> Report {
    Report {
        lang: site.config.lang,
        warnings,
        pages: files.iter().filter(|f| f.path.ends_with(".html")).count(),
        files: files.len(),
    }
}
