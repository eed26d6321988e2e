//! `starboard bundle`: the last good output as one zip.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use starboard::bundle::{self, BundleError};
use starboard::error::Lang;
use starboard::wording::{Say, say};

use super::{Failure, site_lang};

#[derive(Args)]
pub(crate) struct BundleArgs {
    /// The site folder
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The site's output folder to bundle [default: <root>/public]
    #[arg(long)]
    site: Option<PathBuf>,
    /// The zip to write [default: <root>/site.zip]
    #[arg(long)]
    output: Option<PathBuf>,
}

pub(crate) fn bundle(args: BundleArgs) -> Result<ExitCode, Failure> {
    let lang = site_lang(&args.root);
    let site = args.site.unwrap_or_else(|| args.root.join("public"));
    let zip = args.output.unwrap_or_else(|| args.root.join("site.zip"));
    let files = bundle::bundle(&site, &zip).map_err(|e| failure(e, lang))?;
    println!("{}", say(lang, Say::Bundled { files, zip: &zip }));
    Ok(ExitCode::SUCCESS)
}

fn failure(e: BundleError, lang: Lang) -> Failure {
    let message = match e {
        BundleError::NoSite(dir) => say(lang, Say::NothingToBundle(&dir)),
        BundleError::InsideOutput(zip) => say(lang, Say::ZipInsideSite(&zip)),
        BundleError::Io(e) if lang == Lang::Zh => e.zh(),
        BundleError::Io(e) => e.to_string(),
        BundleError::Zip(e) => e,
    };
    Failure(message, lang)
}
