//! `starboard deploy`: the command-line side of `deploy`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use starboard::deploy::targets::TargetError;
use starboard::deploy::{self, Credentials, DeployError, S3Error, Target};
use starboard::error::Lang;
use starboard::wording::{Say, say};

use super::{Failure, site_lang};

#[derive(Args)]
pub(crate) struct DeployArgs {
    /// The site folder (deploy.toml is beside its content/)
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The site's output folder [default: <root>/public]
    #[arg(long)]
    output: Option<PathBuf>,
    /// A [target.NAME] of deploy.toml [default: the first]
    #[arg(long)]
    target: Option<String>,
    /// List every upload and deletion, and do none of them
    #[arg(long)]
    dry_run: bool,
    /// Refuse to delete more than this many files from the bucket
    #[arg(long, default_value_t = 256)]
    max_deletes: usize,
}

pub(crate) fn deploy(args: DeployArgs) -> Result<ExitCode, Failure> {
    let lang = site_lang(&args.root);
    let fail = |e: DeployError, target: Option<&Target>| Failure(message(e, target, lang), lang);
    let target =
        deploy::targets::load(&args.root, args.target.as_deref()).map_err(|e| fail(DeployError::Target(e), None))?;
    let credentials = Credentials::from_env().ok_or_else(|| fail(DeployError::NoCredentials, Some(&target)))?;
    let output = args.output.unwrap_or_else(|| args.root.join("public"));
    let plan = deploy::deploy(
        &args.root,
        &output,
        &target,
        &credentials,
        args.max_deletes,
        args.dry_run,
        |what, key| println!("  {what} {key}"),
    )
    .map_err(|e| fail(e, Some(&target)))?;
    let (uploads, deletes) = (plan.uploads.len(), plan.deletes.len());
    let done = if args.dry_run {
        Say::DeployPlanned { uploads, deletes }
    } else {
        Say::Deployed {
            uploads,
            deletes,
            bucket: &target.bucket,
        }
    };
    println!("{}", say(lang, done));
    Ok(ExitCode::SUCCESS)
}

/// The failure as a publicity worker can act on it. Keys are never shown.
fn message(e: DeployError, target: Option<&Target>, lang: Lang) -> String {
    let (endpoint, bucket) = target.map_or((String::new(), String::new()), |t| {
        (t.endpoint.clone(), t.bucket.clone())
    });
    let what = match e {
        DeployError::NoGoodBuild => Say::DeployNoGoodBuild,
        DeployError::NoCredentials => Say::DeployNoKeys,
        DeployError::Target(TargetError::Missing(path)) => return say(lang, Say::DeployNoTargets(&path)),
        DeployError::Target(TargetError::Problems(problems)) => {
            eprint!("{}", problems.render(lang));
            Say::DeployBadTargets
        }
        DeployError::Target(TargetError::NoSuch(name, names)) => {
            return say(
                lang,
                Say::DeployNoSuchTarget {
                    name: &name,
                    names: &names.join(", "),
                },
            );
        }
        DeployError::TooManyDeletes { count, max } => Say::DeployTooManyDeletes { count, max },
        DeployError::Io(e) => return if lang == Lang::Zh { e.zh() } else { e.to_string() },
        DeployError::S3(S3Error::Network(why)) => {
            return say(
                lang,
                Say::DeployNoNetwork {
                    endpoint: &endpoint,
                    why: &why,
                },
            );
        }
        DeployError::S3(S3Error::Service { status, code, message }) => {
            return match code.as_str() {
                "InvalidAccessKeyId" | "SignatureDoesNotMatch" | "AccessDenied" | "InvalidSecurity" => {
                    say(lang, Say::DeployWrongKeys(&code))
                }
                "NoSuchBucket" => say(lang, Say::DeployNoBucket(&bucket)),
                "AuthorizationHeaderMalformed" | "PermanentRedirect" | "IllegalLocationConstraintException" => say(
                    lang,
                    Say::DeployWrongRegion {
                        endpoint: &endpoint,
                        code: &code,
                    },
                ),
                _ => say(
                    lang,
                    Say::DeployRefused {
                        status,
                        code: &code,
                        message: &message,
                    },
                ),
            };
        }
    };
    say(lang, what)
}
