//! starboard: village honour rolls from Markdown and TOML to a static site.
//!
//! The pipeline, top to bottom, one module per stage; no stage imports one
//! below it:
//!
//! 1. `source`: walk content/ into raw files (nothing outside the site).
//! 2. `config`: site.toml, and with it the site's language.
//! 3. `validate`: every file checked, all problems at once → `model`.
//! 4. `theme`, `render`: the model's privacy-safe views into pages.
//! 5. `scan`, `lint`: personal numbers and pasted-in text in the pages.
//! 6. `output`: the pages into the output folder, swapped in whole.
//!
//! `engine` runs the stages, again for only what changed when watching,
//! through a `Sink` (staging folder, live folder, check, memory).
//! [`build`] runs all of it; [`check`] stops before writing. Around it:
//! `watch` (file events → rebuilds), `serve` (the preview server), `init`.

// Foundations every stage uses.
pub mod date;
pub mod error;
pub mod fs;
pub mod hash;
pub mod markdown;
pub mod mime;
pub mod privacy;
pub mod progress;
pub mod slug;
pub mod strip;

// The pipeline, in order.
/// 1. content/ walked into raw files.
pub mod source;
/// 2. site.toml.
pub mod config;
/// 3. raw files checked into the model.
pub mod validate;
/// The model: places, households, ledgers, figures.
pub mod model;
/// 4. templates and static files.
pub mod theme;
/// 4. the model's views into pages.
pub mod render;
/// 5. personal numbers in pages.
pub mod scan;
/// 5. pasted-in text and links to nowhere (`check`).
pub mod lint;
/// 6. pages into the output folder.
pub mod output;
/// The stages run, again for what changed.
pub mod engine;

// Around the pipeline.
pub mod init;
pub mod workbook;
pub mod bundle;
pub mod deploy;
pub mod serve;
pub mod watch;
/// What the command line says, in the site's language.
pub mod wording;

pub use engine::{BuildError, Options, Report};

/// Build the site into the output folder, swapping it in whole.
pub fn build(options: &Options) -> Result<Report, BuildError> {
    engine::Engine::new(options.clone()).rebuild(&engine::ChangeSet::rescan())
}

/// Validate and render everything; write nothing.
pub fn check(options: &Options) -> Result<Report, BuildError> {
    engine::Engine::new(options.clone()).check()
}
