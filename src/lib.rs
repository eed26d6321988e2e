//! starboard: village honour rolls from Markdown and TOML to a static site.

pub mod config;
pub mod date;
pub mod error;
pub mod fs;
pub mod markdown;
pub mod model;
pub mod privacy;
pub mod slug;
pub mod source;
pub mod validate;
