//! `starboard print`: the villages' printables (render's `PRINT` table)
//! written into their own folder, never into the site.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{BuildError, ChangeSet, Engine};
use crate::model::Site;
use crate::render::{self, Body};
use crate::theme::Theme;
use crate::{fs, scan};

/// What `print` wrote.
#[derive(Debug)]
pub struct Printed {
    pub files: Vec<PathBuf>,
    pub warnings: crate::error::Problems,
}

impl Engine {
    /// Write the printables of the villages whose folders are in `only`
    /// (every village when it is empty) into `dir`, mirroring the site's
    /// village paths. Like a build, nothing is written when a page would
    /// publish a personal number.
    pub fn print(&mut self, dir: &Path, only: &[PathBuf]) -> Result<Printed, BuildError> {
        let mut clock = Instant::now();
        let (site, warnings) = self.load(&ChangeSet::rescan(), &mut clock, false)?;
        let theme = self.theme(&site, true)?;
        let files = self.write_printables(&site, &theme, dir, only)?;
        Ok(Printed {
            files,
            warnings: warnings.sorted(),
        })
    }

    /// The printables of `site` into `dir` (see [`Engine::print`]); a
    /// build does this too when site.toml says `[print] on_build = true`.
    pub(super) fn write_printables(
        &self,
        site: &Site,
        theme: &Theme,
        dir: &Path,
        only: &[PathBuf],
    ) -> Result<Vec<PathBuf>, BuildError> {
        let lang = site.config.lang;
        let mut outputs = Vec::new();
        for at in render::villages(site) {
            let dir = &at.village.source_dir;
            if !only.is_empty() && !only.iter().any(|o| dir.starts_with(o)) {
                continue;
            }
            outputs.extend(render::printables(site, theme, &at).map_err(|e| BuildError::Render(e, lang))?);
        }
        let leaks = scan::outputs(&outputs, &site.config.privacy);
        if !leaks.is_empty() {
            let problems = crate::error::Problems(self.leak_problems(leaks));
            return Err(BuildError::Problems(problems.sorted(), lang));
        }
        let mut files = Vec::new();
        for output in outputs {
            let Body::Bytes(bytes) = output.body else { continue };
            let path = dir.join(&output.path);
            fs::write(&path, &bytes).map_err(|e| BuildError::Io(e, lang))?;
            files.push(path);
        }
        Ok(files)
    }
}
