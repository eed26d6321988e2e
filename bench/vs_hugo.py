#!/usr/bin/env python3
"""Full-build wall time and peak memory of starboard and Hugo on the same work.

Generates the synthetic corpus (bench/gen_corpus.py) in starboard's format and
in Hugo's, installs Hugo from Debian's packages if it is missing, then builds
each size several times, alternating the two tools, with output on tmpfs and
each run under /usr/bin/time -v. Prints the medians and the ratio
starboard/Hugo. A benchmark, not a test: it prints figures and asserts nothing.

    python3 bench/vs_hugo.py                      # 1,000 and 5,000 villages, 5 runs each
    python3 bench/vs_hugo.py --villages 1000 --runs 3
"""

import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from timed import arguments, release_binary, timed

REPO = Path(__file__).resolve().parent.parent


def corpus(work: Path, villages: int, fmt: str) -> Path:
    root = work / (f"corpus-{villages}" if fmt == "native" else f"{fmt}-{villages}")
    marker = root / ("content/site.toml" if fmt == "native" else "hugo.toml")
    if not marker.exists() and not (root / "config.toml").exists():
        print(f"generating {villages} villages ({fmt}) into {root} ...", flush=True)
        subprocess.run([sys.executable, str(REPO / "bench/gen_corpus.py"), "--villages", str(villages),
                        "--format", fmt, "--out", str(root)], check=True)
    return root


def ensure_hugo() -> str:
    found = shutil.which("hugo")
    if found:
        return found
    print("installing hugo from Debian's packages ...", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "hugo"], check=True, env=env)
    return shutil.which("hugo")


def main():
    args = arguments(__doc__).parse_args()
    starboard = release_binary(args.no_build)
    hugo = ensure_hugo()
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()
    out = Path("/dev/shm") if Path("/dev/shm").is_dir() else args.work
    args.work.mkdir(parents=True, exist_ok=True)

    rows = []
    for n in args.villages:
        native, site = corpus(args.work, n, "native"), corpus(args.work, n, "hugo")
        results = {"starboard": [], "hugo": []}
        for i in range(args.runs):
            for tool in ("starboard", "hugo") if i % 2 == 0 else ("hugo", "starboard"):
                dest = out / f"bench-{tool}-{n}"
                shutil.rmtree(dest, ignore_errors=True)
                if tool == "starboard":
                    command = [starboard, "build", "--root", str(native), "--output", str(dest)]
                else:
                    command = [hugo, "--quiet", "-s", str(site), "-d", str(dest)]
                seconds, rss, _ = timed(command)
                results[tool].append((seconds, rss))
                pages = sum(1 for _ in dest.rglob("*.html"))
                print(f"{n:>5} villages  run {i + 1}  {tool:9}  {seconds:6.2f} s  {rss:7.0f} MiB  {pages} pages", flush=True)
                shutil.rmtree(dest, ignore_errors=True)
        med = {t: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v)) for t, v in results.items()}
        rows.append((n, med))

    print()
    print(f"machine: {os.cpu_count()} cores; output on {out}; {version}; median of {args.runs} runs, tools alternating")
    print("| villages | starboard time | Hugo time | ratio | starboard peak memory | Hugo peak memory | ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for n, med in rows:
        (st, sm), (ht, hm) = med["starboard"], med["hugo"]
        print(f"| {n:,} | {st:.2f} s | {ht:.2f} s | {st / ht:.2f} | {sm:,.0f} MiB | {hm:,.0f} MiB | {sm / hm:.2f} |")


if __name__ == "__main__":
    main()
