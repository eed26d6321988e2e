//! The one integration test binary: small fixture sites copied to temp dirs,
//! driven through the real `starboard` binary, the library, and a real
//! browser. See tests/README.md.

mod browser;
mod bundle;
mod cache;
mod build;
mod check;
mod deploy;
mod hostile;
mod incremental;
mod ledger;
mod oracle;
mod output;
mod print;
mod problems;
mod reach;
mod search;
mod serve;
mod sheets;
mod slips;
mod support;
mod theme;
mod wording;
