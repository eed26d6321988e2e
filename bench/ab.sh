#!/bin/bash
# Two starboard binaries on one corpus, alternating, full builds with the
# output on tmpfs: each run's wall time, peak memory and CPU, then both
# binaries' figures side by side. For measuring one change against the
# binary before it; a benchmark, not a test.
#
#   bench/ab.sh OLD_BINARY NEW_BINARY [CORPUS] [RUNS]
#   bench/ab.sh /tmp/sb-before target/release/starboard /tmp/starboard-bench/corpus-1000 5
set -euo pipefail
a=$1
b=$2
corpus=${3:-/tmp/starboard-bench/corpus-1000}
runs=${4:-5}
out=/dev/shm/starboard-ab
for _ in $(seq "$runs"); do
  for bin in "$a" "$b"; do
    rm -rf "$out"
    /usr/bin/time -f "$bin %e s %M KB %U u %S s" "$bin" build --root "$corpus" --output "$out" 2>&1 >/dev/null | tail -1
  done
done | sort | awk '{ print; wall[$1] = wall[$1] " " $2; user[$1] = user[$1] " " $6 }
  END { for (k in wall) print k, "wall:" wall[k], " user:" user[k] }'
rm -rf "$out"
