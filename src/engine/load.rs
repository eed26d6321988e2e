//! The front of a rebuild: content read and validated into the model, the
//! theme loaded, and the problems that stop a build (personal numbers in
//! pages) or are worth a warning (files that will not be published).

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use super::BuildError;
use crate::error::{Lang, Problem, Problems, t};
use crate::model::Site;
use crate::source::Loader;
use crate::source::toml_doc::Doc;
use crate::theme::{self, Theme};
use crate::{config, scan, validate};

use super::{ChangeSet, Engine};

impl Engine {
    /// Warnings for files beside the content of a kind neither a page shows
    /// nor the theme declares: they are not published, and staff should know.
    pub(super) fn unpublished_files(&self, theme: &Theme) -> Vec<Problem> {
        let Some(sources) = &self.sources else {
            return Vec::new();
        };
        sources
            .assets()
            .into_iter()
            .filter(|a| crate::source::asset_kind(&a.name) == crate::source::AssetKind::Unknown)
            .filter(|a| !theme.publishes(&a.name))
            .map(|a| {
                Problem::error(
                    &a.shown,
                    None,
                    t(
                        "a file of a kind pages do not show; it is not published",
                        "页面不会显示这种文件，它不会被发布",
                    ),
                    t(
                        "pictures (JPG, PNG, WebP, SVG) and PDF are published; move other files out of content/",
                        "只发布图片（JPG、PNG、WebP、SVG）和 PDF；其他文件请移出 content/",
                    ),
                )
                .warning()
            })
            .collect()
    }

    /// Leaks as problems at the content file that holds the number.
    pub(super) fn leak_problems(&self, leaks: Vec<scan::Leak>) -> Vec<Problem> {
        let files = self.sources.as_ref().map(|s| s.files()).unwrap_or_default();
        scan::problems(leaks, |digits| {
            files.iter().find_map(|f| {
                let at = f.text().find(digits)?;
                Some((f.shown.clone(), crate::error::Location::at(f.text(), at)))
            })
        })
    }

    /// config → load → validate, reading only what `changes` touched.
    /// `keep_text`: the sources keep their text for a lint after (`check`).
    pub(super) fn load(
        &mut self,
        changes: &ChangeSet,
        clock: &mut Instant,
        keep_text: bool,
    ) -> Result<(Site, Problems), BuildError> {
        self.progress.stage("read", 0);
        let changed: HashSet<PathBuf> = changes.paths.iter().cloned().collect();
        // Folders and files are taken from the last walk where unchanged.
        // A walk from the cache's files looks at every folder; any other
        // full walk starts afresh.
        let restat = self.cached.restat.take();
        let previous = if restat.is_none() && changes.rescan {
            None
        } else {
            self.sources.take()
        };
        let mut loader = Loader::new(&self.options.root, &changed);
        if let Some(before) = restat {
            loader = loader.restat(before);
        }
        let loaded = loader.load(previous);
        let sources = &*self.sources.insert(loaded.map_err(|e| BuildError::Io(e, self.lang))?);
        self.last.files_read = sources.reads;
        self.last.lap("read", clock);
        // Reading problems are kept with the folders they were found in, so
        // they are reported on every rebuild until fixed, not only on the one
        // that read the file.
        let mut problems = Problems(sources.problems.clone());
        let Some(site_file) = &sources.site else {
            problems.push(validate::missing_site_toml());
            return Err(BuildError::Problems(problems.sorted(), Lang::default()));
        };
        let lang = config::sniff_lang(site_file.text());
        let config = match config::parse(Doc::of(site_file), self.options.base_url.as_deref()) {
            Ok(c) => c,
            Err(p) => {
                problems.extend(p.0);
                return Err(BuildError::Problems(problems.sorted(), lang));
            }
        };
        let lang = config.lang;
        self.base_path = Some(config.base_path().to_string());
        self.lang = lang;
        self.progress.stage("validate", 0);
        // What the build cache holds is needed from here on.
        if let Some(pending) = self.cached.pending.take() {
            let sources = self.sources.take();
            pending.finish(self);
            self.sources = sources;
        }
        let sources = self.sources.as_mut().expect("loaded above");
        // Validation lets go of each file's text once it is validated: it
        // is read again if ever wanted.
        let (site, more) = validate::site(sources, config, &mut self.memo, keep_text);
        if !keep_text {
            sources.forget_texts();
        }
        self.last.lap("validate", clock);
        problems.extend(more.0);
        let problems = problems.sorted();
        match site {
            Some(site) if !problems.has_errors() => Ok((site, problems)),
            _ => Err(BuildError::Problems(problems, lang)),
        }
    }

    /// The theme, loaded again only when its files may have changed.
    pub(super) fn theme(&mut self, site: &Site, reload: bool) -> Result<Arc<Theme>, BuildError> {
        let wanted = (site.config.theme.clone(), site.config.lang);
        if let Some(theme) = self.theme.as_ref().filter(|t| !reload && t.loaded_for == wanted) {
            return Ok(Arc::clone(theme));
        }
        let theme = theme::load(&self.options.root, &site.config.theme, site.config.lang).map_err(|e| match e {
            theme::ThemeError::Refused(p) => BuildError::Problems(Problems(vec![*p]), site.config.lang),
            e => BuildError::Theme(e, site.config.lang),
        })?;
        Ok(Arc::clone(self.theme.insert(Arc::new(theme))))
    }

    /// `check`'s lint of every source file: pasted-in text, Traditional
    /// characters on a Simplified site.
    pub(super) fn lint(&self, site: &Site) -> Vec<Problem> {
        let simplified = site.config.is_simplified();
        let files = self.sources.as_ref().map(|s| s.files()).unwrap_or_default();
        files.iter().flat_map(|f| crate::lint::file(f, simplified)).collect()
    }
}
