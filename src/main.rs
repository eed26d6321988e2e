//! The `starboard` binary: parse arguments, run, print, exit. Nothing else.

use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    fewer_malloc_arenas();
    cli::main()
}

/// glibc gives each thread that allocates its own heap ("arena"), up to
/// eight per core; memory freed in one is not reused by another, so a build
/// whose threads take turns at the same work held a tenth more than it
/// used. One arena per core (set before any thread starts) kept the same
/// speed: 113 -> 101 MiB at 1,000 villages.
fn fewer_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let cores = i32::try_from(cores).unwrap_or(i32::MAX);
        // SAFETY: mallopt only sets a parameter of glibc's allocator; it is
        // called before any other thread exists.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, cores);
        }
    }
}
