//! The `starboard` binary: parse arguments, run, print, exit. Nothing else.

use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    cli::main()
}
