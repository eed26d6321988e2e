//! The one integration test binary: small fixture sites copied to temp dirs,
//! driven through the real `starboard` binary and the library. See tests/README.md.

mod build;
mod incremental;
mod support;
