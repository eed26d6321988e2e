//! Where rendered files go. Rendering hands each part of the site (the
//! shared pages, then one village's files at a time, from any thread) to a
//! [`Sink`], and once everything is rendered the sink finishes: the staging
//! folder of a first build is swapped in, the live folder of a rebuild is
//! brought up to date, `check`'s inspection settles its links, memory keeps
//! the files for a test. The next output (uploads to object storage) is one
//! more implementation.
//!
//! The engine scans every part for personal numbers before a sink takes it;
//! when it found any, it never calls `finish`, so nothing is published.

mod folder;
mod inspection;
mod memory;

use std::collections::HashMap;
use std::path::Path;

use super::BuildError;
use crate::error::{Lang, Problem, Problems, t};
use crate::output::{self, Written};
use crate::render::Output;

pub(super) use folder::{LiveSink, StagingSink};
pub(super) use inspection::Inspection;
pub use memory::MemorySink;

/// Takes rendered files as they are made, then publishes them.
pub trait Sink: Sync {
    /// The stage's name in `--timings`.
    fn name(&self) -> &'static str;

    /// Take one part of the site: the shared pages, or one village's files.
    fn take(&self, outputs: Vec<Output>) -> Result<(), BuildError>;

    /// Everything was taken and nothing would publish a personal number:
    /// publish. `stale` are files the site no longer makes; `on_disk` is what
    /// the output folder holds, by path (the folder sinks keep it up to date).
    fn finish(self: Box<Self>, stale: &[String], on_disk: &mut OnDisk) -> Result<Finished, BuildError>;
}

/// The output folder's files, by path, with a fingerprint of each.
pub type OnDisk = HashMap<String, Written>;

/// What a sink found and did.
#[derive(Default)]
pub struct Finished {
    /// Links that lead to no file of the site (`check`'s inspection only).
    pub broken_links: Vec<Problem>,
    pub written: usize,
    pub removed: usize,
    /// HTML pages and files of the finished site.
    pub pages: usize,
    pub files: usize,
}

/// HTML pages and files among `paths`.
fn count<'a>(paths: impl Iterator<Item = &'a String>) -> (usize, usize) {
    paths.fold((0, 0), |(pages, files), p| {
        (pages + usize::from(p.ends_with(".html")), files + 1)
    })
}

/// Output failures as users see them: two files at one path is a problem in
/// the content (a file beside a village named like a page), said in the
/// site's language; the rest are I/O errors.
pub(super) fn output_error(e: output::OutputError, lang: Lang) -> BuildError {
    match e {
        output::OutputError::Collision(path) => BuildError::Problems(Problems(vec![collision(&path)]), lang),
        other => BuildError::Output(other, lang),
    }
}

fn collision(path: &str) -> Problem {
    Problem::error(
        Path::new(path),
        None,
        t(
            format!("two files would be published at {path}"),
            format!("有两个文件会发布到同一个地址 {path}"),
        ),
        t(
            "rename the file beside the content that has this name (e.g. an index.html in a village folder)",
            "请给内容文件夹里同名的文件改名（例如村文件夹里的 index.html）",
        ),
    )
}
