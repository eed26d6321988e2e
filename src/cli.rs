//! Commands, printing and exit codes: 0 ok, 1 site errors, 2 usage.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use starboard::error::Lang;
use starboard::{BuildError, Options, Report};

#[derive(Parser)]
#[command(
    name = "starboard",
    version,
    about = "Build village honour-roll (光荣榜) websites from Markdown and TOML"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build content/ into a static site (public/ by default)
    Build(SiteArgs),
    /// Validate everything and report every problem; write nothing
    Check(CheckArgs),
    /// Start a new site with one example village
    Init {
        /// Folder for the new site (created if missing)
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}

#[derive(Args)]
struct SiteArgs {
    /// The site folder, holding content/ (and optionally themes/)
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Where to write the site [default: <root>/public]
    #[arg(long)]
    output: Option<PathBuf>,
    /// Use this address instead of site.toml's base_url
    #[arg(long)]
    base_url: Option<String>,
}

#[derive(Args)]
struct CheckArgs {
    /// The site folder, holding content/ (and optionally themes/)
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Build(args) => {
            let options = Options {
                root: args.root,
                output: args.output,
                base_url: args.base_url,
            };
            let started = Instant::now();
            finish(starboard::build(&options), |r| {
                let secs = started.elapsed().as_secs_f64();
                let out = options.output_dir();
                match r.lang {
                    Lang::Zh => format!(
                        "已生成 {} 个页面（共 {} 个文件）到 {}，用时 {secs:.2} 秒",
                        r.pages,
                        r.files,
                        out.display()
                    ),
                    Lang::En => format!(
                        "built {} pages ({} files) into {} in {secs:.2}s",
                        r.pages,
                        r.files,
                        out.display()
                    ),
                }
            })
        }
        Command::Check(args) => {
            let options = Options {
                root: args.root,
                output: None,
                base_url: None,
            };
            finish(starboard::check(&options), |r| match r.lang {
                Lang::Zh => format!("检查通过：{} 个页面，没有错误", r.pages),
                Lang::En => format!("check passed: {} pages, no errors", r.pages),
            })
        }
        Command::Init { dir } => match starboard::init::init(&dir) {
            Ok(files) => {
                for f in files {
                    println!("  {}", dir.join(f).display());
                }
                println!(
                    "new site in {}; build it with: starboard build --root {}",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        },
    }
}

/// Print warnings and the outcome; map it to an exit code.
fn finish(result: Result<Report, BuildError>, done: impl FnOnce(&Report) -> String) -> ExitCode {
    match result {
        Ok(report) => {
            for w in report.warnings.warnings() {
                eprintln!("{}", w.render(report.lang));
            }
            println!("{}", done(&report));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
