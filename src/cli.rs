//! Commands, printing and exit codes: 0 ok, 1 site errors, 2 usage.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use starboard::engine::{ChangeSet, Engine};
use starboard::error::{Lang, Problem};
use starboard::serve::{BasePath, Live, Preview, ServeOptions};
use starboard::watch::Rebuilt;
use starboard::wording::{Say, say};
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
    Build(BuildArgs),
    /// Validate everything and report every problem; write nothing
    Check(CheckArgs),
    /// Build, then rebuild on every change under content/ and themes/
    Watch(WatchArgs),
    /// Build, serve on 127.0.0.1 with live reload, rebuild on every change
    Serve(ServeArgs),
    /// Start a new site with one example village
    Init {
        /// Folder for the new site (created if missing)
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Write households.xlsx and points.xlsx to fill in, with drop-down lists from standards.toml
    Template(sheets::TemplateArgs),
    /// Turn a spreadsheet into households.toml / points.toml
    Import(sheets::ImportArgs),
    /// Write door plaques, ranking posters and six-no notices to print (print/ by default)
    Print(print::PrintArgs),
    /// Zip the built site, with a manifest of every file's SHA-256, for FTP or upload forms
    Bundle(bundle::BundleArgs),
    /// Upload the last good build to an S3-compatible bucket (deploy.toml), changed files only
    Deploy(deploy::DeployArgs),
}

/// Where the site is, where it goes, and at which address: shared by
/// every command that builds.
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
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Print how long each stage took
    #[arg(long)]
    timings: bool,
    /// Build everything afresh: neither use nor keep the build cache
    /// (.starboard/cache/), and remove it
    #[arg(long)]
    no_cache: bool,
}

#[derive(Args)]
struct WatchArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Poll for changes instead of using file-system events (network drives, some VMs)
    #[arg(long)]
    poll: bool,
    /// Print how long each stage of every rebuild took
    #[arg(long)]
    timings: bool,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    watch: WatchArgs,
    /// Port to listen on
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Listen on the local network too and print the address with a QR code for phones
    #[arg(long)]
    lan: bool,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Fail on warnings too (pasted-in pinyin, Traditional characters, links to nowhere, …)
    #[arg(long)]
    strict: bool,
}

mod bundle;
mod deploy;
mod print;
mod sheets;

/// Why a command could not run at all (the site's own problems are
/// reported by the command and give exit code 1 without one of these),
/// already said in `Lang`.
pub(crate) struct Failure(pub String, pub Lang);

/// A failure before the site's language is known: in the default one.
impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure(e.to_string(), Lang::default())
    }
}

/// Parse, run, and turn the outcome into the exit code: the one place that
/// prints a failure and exits with 1.
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
    match run(cli.command) {
        Ok(code) => code,
        Err(Failure(message, lang)) => {
            eprintln!("{}", say(lang, Say::Failed(&message)));
            ExitCode::from(1)
        }
    }
}

fn run(command: Command) -> Result<ExitCode, Failure> {
    match command {
        Command::Build(args) => Ok(build(args)),
        Command::Check(args) => Ok(check(args)),
        Command::Watch(args) => watch(args),
        Command::Serve(args) => serve(args),
        Command::Template(args) => sheets::template(args),
        Command::Import(args) => sheets::import(args),
        Command::Print(args) => print::print(args),
        Command::Bundle(args) => bundle::bundle(args),
        Command::Deploy(args) => deploy::deploy(args),
        Command::Init { dir } => {
            // No site is read yet: failures are said in the default language.
            let written = starboard::init::init(&dir).map_err(|e| match e {
                starboard::init::InitError::NotEmpty(p) => Failure::from(say(Lang::default(), Say::SiteExists(&p))),
                starboard::init::InitError::Io(e) => Failure::from(e.zh()),
            })?;
            for f in written {
                println!("  {}", dir.join(f).display());
            }
            // The new site's site.toml is in zh-Hans, the default.
            println!("{}", say(Lang::default(), Say::NewSite(&dir)));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn build(args: BuildArgs) -> ExitCode {
    let SiteArgs { root, output, base_url } = args.site;
    let options = Options { root, output, base_url };
    let started = Instant::now();
    let mut engine = Engine::new(options.clone());
    let bar = starboard::progress::Bar::start(engine.progress(), site_lang(&engine.options().root));
    let result = engine.build_remembering(!args.no_cache);
    drop(bar);
    if args.timings {
        print_timings(&engine.last);
    }
    // The process ends here: freeing a big site's model piece by piece
    // took a tenth of a build (perf: `_int_free`); the system takes it back
    // whole.
    std::mem::forget(engine);
    finish(result, WARNINGS_PER_KIND, |r| {
        let (pages, files, out) = (r.pages, r.files, &options.output_dir());
        let secs = started.elapsed().as_secs_f64();
        say(
            r.lang,
            Say::Built {
                pages,
                files,
                out,
                secs,
            },
        )
    })
}

fn check(args: CheckArgs) -> ExitCode {
    let SiteArgs { root, output, base_url } = args.site;
    let mut engine = Engine::new(Options { root, output, base_url });
    let bar = starboard::progress::Bar::start(engine.progress(), site_lang(&engine.options().root));
    let result = engine.check();
    drop(bar);
    let strict_failure = args.strict && result.as_ref().is_ok_and(|r| r.warnings.warnings().next().is_some());
    // `check` is where every warning is listed.
    let code = finish(result, usize::MAX, |r| match strict_failure {
        false => say(r.lang, Say::CheckPassed { pages: r.pages }),
        true => say(r.lang, Say::StrictFailed),
    });
    if strict_failure { ExitCode::from(1) } else { code }
}

/// Print warnings and the outcome; map it to an exit code.
/// After a build, this many warnings of one kind are shown in full; the
/// rest are counted (`check` lists every one).
const WARNINGS_PER_KIND: usize = 10;

fn finish(result: Result<Report, BuildError>, per_kind: usize, done: impl FnOnce(&Report) -> String) -> ExitCode {
    match result {
        Ok(report) => {
            eprint!("{}", report.warnings.render_warnings(report.lang, per_kind));
            println!("{}", done(&report));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}

/// The site's language before the site is read, from site.toml's
/// `language` line (the default when there is none, or no site.toml).
pub(crate) fn site_lang(root: &Path) -> Lang {
    let bytes = std::fs::read(root.join("content").join("site.toml")).unwrap_or_default();
    starboard::config::sniff_lang(&String::from_utf8_lossy(&bytes))
}

/// Options with the root made absolute, so watcher paths and ours agree.
fn absolute(site: SiteArgs) -> Result<Options, String> {
    let SiteArgs { root, output, base_url } = site;
    let root = root
        .canonicalize()
        .map_err(|e| say(Lang::default(), Say::CannotOpenSite(&root, &e)))?;
    let output = output.map(|o| {
        if o.is_absolute() {
            o
        } else {
            std::env::current_dir().unwrap_or_default().join(o)
        }
    });
    Ok(Options { root, output, base_url })
}

/// The first build of watch and serve: report it like `build` does.
/// Returns the result and the warnings text printed (see `print_rebuild`).
fn first_build(engine: &mut Engine) -> (Result<Report, BuildError>, Vec<Problem>) {
    let started = Instant::now();
    let bar = starboard::progress::Bar::start(engine.progress(), site_lang(&engine.options().root));
    let result = engine.rebuild(&ChangeSet::rescan());
    drop(bar);
    let mut warnings = Vec::new();
    match &result {
        Ok(r) => {
            warnings = r.warnings.warnings().cloned().collect();
            eprint!("{}", r.warnings.render_warnings(r.lang, WARNINGS_PER_KIND));
            let (pages, out) = (r.pages, &engine.options().output_dir());
            let secs = started.elapsed().as_secs_f64();
            println!("{}", say(r.lang, Say::FirstBuilt { pages, out, secs }));
        }
        Err(e) => eprintln!("{e}"),
    }
    (result, warnings)
}

/// Each stage's time on one line, for `--timings`.
fn print_timings(stats: &starboard::engine::Stats) {
    let parts: Vec<String> = stats
        .timings
        .iter()
        .map(|(name, d, peak)| {
            let ms = d.as_secs_f64() * 1000.0;
            match peak {
                Some(bytes) => format!("{name} {ms:.1} ms (peak {} MiB)", bytes / (1024 * 1024)),
                None => format!("{name} {ms:.1} ms"),
            }
        })
        .collect();
    eprintln!("timings: {}", parts.join(", "));
    if let Some(cache) = stats.cache {
        eprintln!("build cache: {cache}");
    }
}

/// One line per rebuild, or the whole error report.
/// Warnings are printed when they differ from the last rebuild's, so a
/// site with many standing warnings does not scroll them past on every save.
fn print_rebuild(r: &Rebuilt<'_>, timings: bool, last_warnings: &mut Vec<Problem>) {
    if timings {
        print_timings(&r.engine.last);
    }
    let ms = r.took.as_millis();
    let s = &r.engine.last;
    match r.result {
        Ok(report) => {
            let warnings: Vec<&Problem> = report.warnings.warnings().collect();
            if !warnings.iter().copied().eq(last_warnings.iter()) {
                for w in &warnings {
                    eprintln!("{}", w.render(report.lang));
                }
                *last_warnings = warnings.into_iter().cloned().collect();
            }
            let rebuilt = Say::Rebuilt {
                ms,
                read: s.files_read,
                villages: s.villages_rendered,
                written: s.files_written,
                removed: s.files_removed,
            };
            println!("{}", say(report.lang, rebuilt));
        }
        Err(e) => {
            eprintln!("{e}");
            eprintln!("{}", say(e.lang(), Say::KeptLastGood));
        }
    }
}

fn watch(args: WatchArgs) -> Result<ExitCode, Failure> {
    let mut engine = Engine::new(absolute(args.site)?);
    let timings = args.timings;
    let first = |engine: &mut Engine| {
        let warnings = first_build(engine).1;
        if timings {
            print_timings(&engine.last);
        }
        println!("{}", say(engine.lang(), Say::Watching));
        warnings
    };
    let watched = starboard::watch::run(&mut engine, args.poll, first, |warnings, r| {
        print_rebuild(&r, timings, warnings)
    });
    watched.map_err(|e| Failure(say(engine.lang(), Say::CannotWatch(&e)), engine.lang()))?;
    Ok(ExitCode::SUCCESS)
}

fn serve(args: ServeArgs) -> Result<ExitCode, Failure> {
    let ServeArgs { watch, port, lan } = args;
    let ip = if lan { [0, 0, 0, 0] } else { [127, 0, 0, 1] };
    let addr = std::net::SocketAddr::from((ip, port));
    let options = absolute(watch.site)?;
    let lang = site_lang(&options.root);
    let preview = Preview::bind(addr).map_err(|e| Failure(say(lang, Say::CannotListen(&addr, &e)), lang))?;
    let live = Live::default();
    let mut engine = Engine::new(options);
    // base_url's path as the engine last read it from site.toml: pages are
    // served under it, and it follows edits to site.toml.
    let base_path = BasePath::default();
    let first = |engine: &mut Engine| {
        let (first, warnings) = first_build(engine);
        if let Err(e) = first {
            live.failed(e.to_string());
        }
        base_path.set(engine.base_path());
        preview.start(
            ServeOptions {
                output: engine.options().output_dir(),
                base_path: base_path.clone(),
                lan,
                lang: engine.lang(),
            },
            live.clone(),
        );
        let (port, path, lang) = (preview.addr.port(), base_path.get(), engine.lang());
        println!(
            "{}",
            say(lang, Say::ServingAt(&format!("http://127.0.0.1:{port}{path}")))
        );
        if lan {
            match starboard::serve::lan_address() {
                Some(ip) => {
                    let url = format!("http://{ip}:{port}{path}");
                    println!("{}", say(lang, Say::OnYourPhone(&url)));
                    if let Some(qr) = starboard::serve::terminal_qr(&url) {
                        println!("{qr}");
                    }
                }
                None => println!("{}", say(lang, Say::NoLanAddress)),
            }
        }
        println!("{}", say(lang, Say::Watching));
        warnings
    };
    let watched = starboard::watch::run(&mut engine, watch.poll, first, |warnings, r| {
        print_rebuild(&r, watch.timings, warnings);
        match r.result {
            Ok(_) => {
                base_path.set(r.engine.base_path());
                live.built();
            }
            Err(e) => live.failed(e.to_string()),
        }
    });
    watched.map_err(|e| Failure(say(engine.lang(), Say::CannotWatch(&e)), engine.lang()))?;
    Ok(ExitCode::SUCCESS)
}
