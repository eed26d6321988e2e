#!/usr/bin/env python3
"""`starboard build` with the build cache: a one-village edit, and nothing
changed, against a full build, on the synthetic corpus.

For each size (default 1,000 and 5,000 villages) this generates the corpus
(bench/gen_corpus.py, kept under --work), builds it once in full (the cache
is written), then alternates: edit one household name in one village and
build; build again with nothing changed. Each build is a new process under
/usr/bin/time -v (wall time, peak memory); it also counts the files the
output folder got (by mtime) so "nothing changed" is seen to write nothing.
A benchmark, not a test: it prints figures and asserts nothing.

    python3 bench/cached.py
    python3 bench/cached.py --villages 1000 --runs 3
"""

import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from timed import arguments, release_binary, timed

REPO = Path(__file__).resolve().parent.parent


def corpus(work: Path, villages: int) -> Path:
    root = work / f"corpus-{villages}"
    if not (root / "content" / "site.toml").exists():
        print(f"generating {villages} villages into {root} ...", flush=True)
        subprocess.run([sys.executable, str(REPO / "bench" / "gen_corpus.py"), "--villages", str(villages),
                        "--format", "native", "--out", str(root)], check=True)
    return root


def timed_build(command: list) -> tuple:
    """(seconds, peak MiB, whether the build cache was used)."""
    seconds, rss, stderr = timed(command)
    return seconds, rss, "build cache: used" in stderr


def written_since(out: Path, since: float) -> int:
    return sum(1 for p in out.rglob("*") if p.is_file() and p.stat().st_mtime >= since)


def main():
    args = arguments(__doc__).parse_args()
    starboard = release_binary(args.no_build)
    out_root = Path("/dev/shm") if Path("/dev/shm").is_dir() else args.work
    rows = []
    for n in args.villages:
        root = corpus(args.work, n)
        out = out_root / f"bench-cached-{n}"
        shutil.rmtree(out, ignore_errors=True)
        build = [starboard, "build", "--root", str(root), "--output", str(out), "--timings"]
        full = timed_build(build)
        print(f"{n:>5} villages  full build (cache written)  {full[0]:6.2f} s  {full[1]:6.0f} MiB", flush=True)
        target = sorted((root / "content" / "villages").rglob("households.toml"))[n // 2]
        original = target.read_text(encoding="utf-8")
        edits, idle = [], []
        try:
            for i in range(args.runs):
                text = re.sub(r'head = "(.)', lambda m: f'head = "{"甲乙丙丁戊己庚"[i % 7]}', original, count=1)
                target.write_text(text, encoding="utf-8")
                time.sleep(2.1)  # older than the cache's clock-tick margin, as a real edit would be
                edits.append(timed_build(build))
                since = time.time()
                time.sleep(0.05)
                seconds, rss, used = timed_build(build)
                idle.append((seconds, rss, used, written_since(out, since)))
                print(f"{n:>5} villages  run {i + 1}  one-village edit {edits[-1][0]:5.2f} s {edits[-1][1]:5.0f} MiB"
                      f"  nothing changed {seconds:5.2f} s {rss:5.0f} MiB, {idle[-1][3]} files written", flush=True)
        finally:
            target.write_text(original, encoding="utf-8")
        rows.append((n, full, edits, idle))
        shutil.rmtree(out, ignore_errors=True)
    print()
    print(f"median of {args.runs}; each build a new process; output on {out_root}")
    print("| villages | full build | one-village edit | nothing changed | files written (nothing changed) | peak memory (edit) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for n, full, edits, idle in rows:
        med = lambda xs: statistics.median(xs)
        used = sum(1 for e in edits if e[2]) + sum(1 for i in idle if i[2])
        print(f"| {n:,} | {full[0]:.2f} s | {med([e[0] for e in edits]):.2f} s | {med([i[0] for i in idle]):.2f} s "
              f"| {max(i[3] for i in idle)} | {med([e[1] for e in edits]):.0f} MiB |"
              f"{'' if used == 2 * len(edits) else f' (cache used in {used} of {2 * len(edits)})'}")


if __name__ == "__main__":
    main()
