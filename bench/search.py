"""Search index figures (issue 14): total size, largest shard, and the bytes
five typical queries download, at 1,000 and 5,000 villages; and the build
time the index adds, against a binary built without it.

    python3 bench/search.py [--villages 1000 5000] [--runs 3] [--without BINARY]

The queries follow the page's own rules (themes/default/static/search.js):
the search page and its script, the manifest, then the shard of the query's
first Chinese character (or `p` and the first letter for pinyin), plus the
bucket of its last character when the shard is split (or up to three
buckets). Sizes are as served (no compression).
"""
import argparse
import glob
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def build(binary, corpus, out):
    subprocess.run(["rm", "-rf", out], check=True)
    run = subprocess.run(["/usr/bin/time", "-f", "%e %M", binary, "build", "--root", corpus, "--output", out],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(run.stderr)
    secs, kb = run.stderr.strip().splitlines()[-1].split()
    return float(secs)


def fnv(key):
    h = 0x811C9DC5
    for c in key:
        h = ((h ^ ord(c)) * 16777619) & 0xFFFFFFFF
    return h


def fetched(out, query):
    """Bytes a query downloads, by the page's rules: the page, its script,
    the manifest, and the bucket of each key the query looks under."""
    search = os.path.join(out, "search")
    page = os.path.join(search, "index.html")
    html = open(page, encoding="utf-8").read()
    manifest_name = re.search(r'data-manifest="([^"]+)"', html).group(1)
    script = re.search(r'src="\.\./(assets/search\.[^"]+)"', html).group(1)
    total = os.path.getsize(page) + os.path.getsize(os.path.join(out, script))
    total += os.path.getsize(os.path.join(search, manifest_name))
    manifest = {}
    for line in open(os.path.join(search, manifest_name), encoding="utf-8"):
        family, _, names = line.rstrip("\n").partition("\t")
        manifest[family] = names.split(" ")
    han = [c for c in query if "\u3400" <= c <= "\u9fff"]
    keys = []
    if han:
        keys.append(("c", han[0]))
        if len(han) > 1:
            keys.append(("h", han[0] + han[-1]))
            if len(han) == 2:
                keys.append(("h", han[0] + "*"))
        else:
            # The pointers (with the character's villages), then the
            # commonest pair each way.
            import json
            bucket = os.path.join(search, "c" + manifest["c"][fnv(han[0]) % len(manifest["c"])] + ".json")
            pairs = [e for e in json.load(open(bucket, encoding="utf-8")).get(han[0], []) if e[0] == "@"]
            if pairs:
                if pairs[0][1]:
                    keys.append(("h", han[0] + pairs[0][1][0]))
                if pairs[0][2]:
                    keys.append(("h", pairs[0][2][0] + han[0]))
    else:
        keys.append(("p", query[:2]))
    names = {f + manifest[f][fnv(k) % len(manifest[f])] + ".json" for f, k in keys}
    return total + sum(os.path.getsize(os.path.join(search, n)) for n in names)


def typical_queries(out):
    """A village's name, part of it, its initials, a household's full name
    (a masked name with its hidden character filled in), a surname."""
    search = os.path.join(out, "search")
    hfile = next(f for f in sorted(glob.glob(os.path.join(search, "h*.json"))))
    pfile = next(f for f in sorted(glob.glob(os.path.join(search, "p*.json"))))
    htext = open(hfile, encoding="utf-8").read()
    ptext = open(pfile, encoding="utf-8").read()
    masked = re.search(r'\["([^"*])\*([^"*])",\d+,\d+,"([^"]+)"', htext)
    village = masked.group(3)
    initials = re.findall(r'"([a-z]{3})"', ptext)[0]
    return [village, village[:2], initials, masked.group(1) + "明" + masked.group(2), masked.group(1)]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--villages", type=int, nargs="+", default=[1000, 5000])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--without", help="a starboard binary built without the search index, for the time it adds")
    args = p.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, "target", "release", "starboard")
    for n in args.villages:
        corpus = f"/dev/shm/starboard-search-{n}"
        if not os.path.isdir(corpus):
            subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--villages", str(n),
                            "--format", "native", "--out", corpus], check=True, stdout=subprocess.DEVNULL)
        out = f"/dev/shm/starboard-search-out-{n}"
        with_index, without = [], []
        for _ in range(args.runs):
            with_index.append(build(binary, corpus, out))
            if args.without:
                without.append(build(args.without, corpus, out + "-without"))
        files = glob.glob(os.path.join(out, "search", "*"))
        shards = [f for f in files if f.endswith(".json")]
        page = os.path.getsize(os.path.join(out, "search", "index.html"))
        total = sum(os.path.getsize(f) for f in files)
        largest = max(shards, key=os.path.getsize)
        print(f"{n} villages: index {total / 1024:.0f} KB in {len(files)} files, "
              f"largest shard {os.path.getsize(largest) / 1024:.1f} KB, "
              f"manifest {os.path.getsize(next(f for f in files if f.endswith('.txt'))) / 1024:.1f} KB, "
              f"search page {page / 1024:.1f} KB")
        for q in typical_queries(out):
            print(f"  query {q!r}: {fetched(out, q) / 1024:.1f} KB fetched")
        t = statistics.median(with_index)
        if without:
            w = statistics.median(without)
            print(f"  build {t:.2f} s with the index, {w:.2f} s without: +{(t / w - 1) * 100:.1f}%")
        else:
            print(f"  build {t:.2f} s")


if __name__ == "__main__":
    main()
