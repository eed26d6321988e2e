"""What the benchmark scripts beside this file share: their options, the
binary, and one command's wall time and peak memory as /usr/bin/time -v
tells them."""

import argparse
import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def timed(command: list) -> tuple:
    """(wall seconds, peak RSS MiB, what the command printed on stderr)."""
    run = subprocess.run(["/usr/bin/time", "-v", *command], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"{command[0]} failed:\n{run.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", run.stderr)
    h, m, s = wall.groups()
    seconds = int(h or 0) * 3600 + int(m) * 60 + float(s)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1)) / 1024
    return seconds, rss, run.stderr


def arguments(doc: str) -> argparse.ArgumentParser:
    """The options every size-by-size benchmark takes."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--villages", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/starboard-bench"))
    parser.add_argument("--no-build", action="store_true", help="use the existing target/release/starboard")
    return parser


def release_binary(no_build: bool) -> str:
    """target/release/starboard, built first unless `no_build`."""
    if not no_build:
        subprocess.run(["cargo", "build", "--release", "-q"], cwd=REPO, check=True)
    return str(REPO / "target/release/starboard")
