"""One command's wall time and peak memory, as /usr/bin/time -v tells them:
shared by the benchmark scripts beside this file."""

import re
import subprocess


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
