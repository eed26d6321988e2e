//! Raw files → the validated [`Site`]: every reference checked, every problem
//! collected, so a build reports all of them at once.

mod markdown_file;
mod places;
mod roster;
mod standards;

use std::path::PathBuf;

use crate::config::SiteConfig;
use crate::date::Month;
use crate::error::{Problem, Problems, t};
use crate::model::{Intro, Site, Standards};
use crate::source::Sources;
use crate::source::raw::RawHomeFront;

pub use standards::BUILT_IN_GROUPS;

/// What every validation step can see and where it reports.
pub(crate) struct Ctx<'a> {
    pub config: &'a SiteConfig,
    pub standards: &'a Standards,
    pub problems: Problems,
}

/// Validate everything. Returns the site when there are no errors; warnings
/// come back either way.
pub fn site(sources: Sources, config: SiteConfig) -> (Option<Site>, Problems) {
    let mut problems = Problems::default();
    let standards = standards::parse(sources.standards.as_ref(), &mut problems);
    let raw_partners = standards::partners(sources.partners.as_ref(), &standards, &mut problems);

    let mut ctx = Ctx {
        config: &config,
        standards: &standards,
        problems,
    };
    let home = home_intro(&mut ctx, &sources);
    let news = markdown_file::news_list(&mut ctx, &sources.news);
    let counties = places::counties(&mut ctx, &sources.counties);
    let partners = standards::check_partner_areas(&mut ctx, raw_partners, &counties);

    let mut problems = ctx.problems;
    if sources.site.is_none() {
        problems.push(missing_site_toml());
    }
    if problems.has_errors() {
        return (None, problems.sorted());
    }
    let this_month = config.as_of.map(|d| d.month()).or_else(|| latest_month(&counties));
    let site = Site {
        config,
        standards,
        partners,
        home,
        news,
        news_assets: sources.news_assets,
        counties,
        this_month,
    };
    (Some(site), problems.sorted())
}

fn home_intro(ctx: &mut Ctx<'_>, sources: &Sources) -> Intro {
    let Some(file) = &sources.home else {
        return Intro::default();
    };
    match markdown_file::parse(ctx, file, Some(RawHomeFront::default())) {
        Some(p) => Intro {
            title: p.front.title,
            weight: 0,
            summary: p.front.summary,
            html: p.html,
        },
        None => Intro::default(),
    }
}

fn latest_month(counties: &[crate::model::County]) -> Option<Month> {
    counties
        .iter()
        .flat_map(|c| &c.children)
        .flat_map(|t| &t.children)
        .flat_map(|v| &v.ledger)
        .map(|e| e.date.month())
        .max()
}

pub(crate) fn missing_site_toml() -> Problem {
    Problem::error(
        &PathBuf::from("content/site.toml"),
        None,
        t("content/site.toml is missing", "缺少 content/site.toml"),
        t(
            "create it with at least title = \"…\" and base_url = \"https://…/\", or run `starboard init`",
            "新建这个文件，至少写上 title = \"…\" 和 base_url = \"https://…/\"，或者运行 `starboard init`",
        ),
    )
}
