//! `starboard print`: the printables, and their PDFs when a headless
//! Chromium is on the machine.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use clap::Args;
use starboard::Options;
use starboard::engine::Engine;
use starboard::error::Lang;
use starboard::wording::{Say, say};

use super::{Failure, site_lang};

#[derive(Args)]
pub(crate) struct PrintArgs {
    /// The site folder
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Only these village folders (or towns, counties: every village in them)
    #[arg(long)]
    village: Vec<PathBuf>,
    /// Where to write [default: <root>/print]; never inside the site's output
    #[arg(long)]
    output: Option<PathBuf>,
    /// Also write PDFs beside the pages, with a headless Chromium
    #[arg(long)]
    pdf: bool,
}

pub(crate) fn print(args: PrintArgs) -> Result<ExitCode, Failure> {
    let lang = site_lang(&args.root);
    let root = args
        .root
        .canonicalize()
        .map_err(|e| Failure(say(lang, Say::CannotOpenSite(&args.root, &e)), lang))?;
    let dir = args.output.unwrap_or_else(|| root.join("print"));
    let dir = absolute(&dir);
    let public = root.join("public");
    if dir.starts_with(&public) {
        return Err(Failure(say(lang, Say::PrintInsideSite(&dir)), lang));
    }
    let only: Vec<PathBuf> = args.village.iter().map(|p| absolute(p)).collect();
    let mut engine = Engine::new(Options {
        root: root.clone(),
        output: None,
        base_url: None,
    });
    let printed = match engine.print(&dir, &only) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::from(1));
        }
    };
    eprint!("{}", printed.warnings.render_warnings(lang, 10));
    for file in &printed.files {
        println!("  {}", file.display());
    }
    if args.pdf {
        pdfs(&printed.files, lang);
    }
    println!(
        "{}",
        say(
            lang,
            Say::Printed {
                files: printed.files.len(),
                dir: &dir
            }
        )
    );
    Ok(ExitCode::SUCCESS)
}

fn absolute(p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    p.canonicalize().unwrap_or(p)
}

/// A PDF beside each page, printed by the first headless Chromium found;
/// without one, say so and leave the pages to print from a browser.
fn pdfs(pages: &[PathBuf], lang: Lang) {
    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        println!("{}", say(lang, Say::NoChromium));
        return;
    };
    for page in pages {
        let pdf = page.with_extension("pdf");
        let made = Command::new(chromium)
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"])
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", page.display()))
            .output()
            .is_ok_and(|o| o.status.success());
        if made {
            println!("  {}", pdf.display());
        } else {
            println!("{}", say(lang, Say::PdfFailed(page)));
        }
    }
}
