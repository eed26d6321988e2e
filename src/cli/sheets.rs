//! `starboard template` and `starboard import`: the command-line side of
//! `workbook`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use starboard::error::Lang;
use starboard::wording::{Say, say};
use starboard::workbook::{self, WorkbookError};

use super::{Failure, site_lang};

#[derive(Args)]
pub(crate) struct TemplateArgs {
    /// The site folder, whose standards.toml gives the drop-down lists
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Where to write the two workbooks [default: the current folder]
    #[arg(long)]
    village: Option<PathBuf>,
    /// Replace workbooks that are already there
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
pub(crate) struct ImportArgs {
    /// The spreadsheet (XLSX, XLS, ODS, .et or CSV)
    file: PathBuf,
    /// The village folder to write households.toml / points.toml into
    #[arg(long, required_unless_present = "town", conflicts_with = "town")]
    village: Option<PathBuf>,
    /// A town folder: each sheet, named after a village folder, goes into it
    #[arg(long)]
    town: Option<PathBuf>,
    /// The site folder (for the language messages are in)
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Replace TOML files that are already there
    #[arg(long)]
    force: bool,
}

pub(crate) fn template(args: TemplateArgs) -> Result<ExitCode, Failure> {
    let lang = site_lang(&args.root);
    let dir = args.village.unwrap_or_else(|| PathBuf::from("."));
    let written = workbook::site_standards(&args.root)
        .and_then(|standards| workbook::template(&standards, &dir, args.force))
        .map_err(|e| failure(e, lang))?;
    for path in &written {
        println!("  {}", path.display());
    }
    println!("{}", say(lang, Say::TemplateWritten));
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn import(args: ImportArgs) -> Result<ExitCode, Failure> {
    let lang = site_lang(&args.root);
    let shown = args.file.clone();
    let written = match (&args.village, &args.town) {
        (Some(village), _) => workbook::import(&args.file, &shown, village, args.force),
        (None, Some(town)) => workbook::import_town(&args.file, &shown, town, args.force),
        (None, None) => unreachable!("clap requires --village or --town"),
    }
    .map_err(|e| failure(e, lang))?;
    for path in &written {
        println!("  {}", path.display());
    }
    // The workbook left beside the new TOML would be a second roster.
    let beside = written
        .iter()
        .any(|w| w.parent() == args.file.parent() && same_stem(w, &args.file));
    println!(
        "{}",
        say(
            lang,
            Say::Imported {
                move_out: beside.then_some(&args.file)
            }
        )
    );
    Ok(ExitCode::SUCCESS)
}

fn same_stem(a: &Path, b: &Path) -> bool {
    a.file_stem() == b.file_stem()
}

fn failure(e: WorkbookError, lang: Lang) -> Failure {
    let message = match e {
        WorkbookError::Exists(path) => say(lang, Say::WouldOverwrite(&path)),
        WorkbookError::BesideToml(path) => say(lang, Say::TemplateBesideToml(&path)),
        WorkbookError::Problems(p) => {
            eprint!("{}", p.render(lang));
            say(lang, Say::SheetHasProblems)
        }
        WorkbookError::Io(e) if lang == Lang::Zh => e.zh(),
        WorkbookError::Io(e) => e.to_string(),
        WorkbookError::Xlsx(e) => e,
    };
    Failure(message, lang)
}
