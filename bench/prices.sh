#!/usr/bin/env bash
# prices.sh HPCC_PRICES — the throughput of `hpcc prices update` (make bench).
#
# Generates a synthetic EC2 offer file of PRICES_BENCH_MB megabytes (default
# 500; bench/prices-gen.py, deterministic) in a temporary directory, then, in
# rounds, times on the same file:
#   wc -l                           the floor: reading the file and counting lines
#   openssl dgst -sha256            the SHA-256 hpcc-prices computes (same library)
#   hpcc-prices update --url file://...
# PRICES_BENCH_RUNS rounds (default 5), the three interleaved so that a busy
# machine slows all of them alike. Prints the median wall time of each, the
# throughput, hpcc-prices' peak RSS, and the targets: throughput at least 50%
# of wc -l's, peak RSS at most 32 MiB (a missed target prints MISSED; the
# run fails only when hpcc-prices fails or writes the wrong snapshot). The
# generated file is removed at the end.
#
# Peak RSS is GNU time's (/usr/bin/time, Debian package "time"): a process
# forked from the Python runner would report Python's pages as its own.
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: bench/prices.sh HPCC_PRICES" >&2
    exit 2
fi
prices=$(realpath "$1")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mb=${PRICES_BENCH_MB:-500}
runs=${PRICES_BENCH_RUNS:-5}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hpcc-prices-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "== prices update: generating a $mb MB offer file"
types=$(python3 "$root/bench/prices-gen.py" "$tmp/offer.csv" "$mb")
cat "$tmp/offer.csv" > /dev/null # into the page cache, for every contender alike

python3 - "$tmp" "$prices" "$runs" "$types" <<'EOF'
import json
import os
import subprocess
import sys
import time

tmp, prices, runs, types = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
offer = os.path.join(tmp, "offer.csv")
size = os.path.getsize(offer)
out = os.path.join(tmp, "snapshot.json")
rss_file = os.path.join(tmp, "rss")
gnu_time = ["/usr/bin/time", "-f", "%M", "-o", rss_file] if os.access("/usr/bin/time", os.X_OK) else []
contenders = [
    ("wc -l", ["wc", "-l", offer]),
    ("openssl sha256", ["openssl", "dgst", "-sha256", offer]),
    ("hpcc-prices update", gnu_time + [prices, "update", "--region", "us-east-1", "--url", "file://" + offer, "-o", out]),
]


def run(argv):
    """Wall time (ns) of one run; stops the benchmark if it fails."""
    t0 = time.perf_counter_ns()
    p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter_ns() - t0
    if p.returncode != 0:
        sys.exit("bench: FAIL: %s exited with %d: %s" % (argv[0], p.returncode, p.stderr.decode()))
    return wall


times = {name: [] for name, _ in contenders}
rss = []
for _ in range(runs):
    for name, argv in contenders:
        times[name].append(run(argv))
        if name.startswith("hpcc"):
            if gnu_time:
                with open(rss_file) as f:
                    rss.append(int(f.read().split()[-1]))
            with open(out) as f:
                snap = json.load(f)
            if len(snap["ec2"]) != types or snap["source"]["bytes"] != size:
                sys.exit("bench: FAIL: the snapshot has %d prices and %d bytes, not %d and %d"
                         % (len(snap["ec2"]), snap["source"]["bytes"], types, size))


def median(v):
    v = sorted(v)
    return v[len(v) // 2]


print("   %d bytes, %d instance types; %d runs each, medians" % (size, types, runs))
med = {name: median(v) for name, v in times.items()}
for name, _ in contenders:
    ns = med[name]
    print("   %-20s %8.3f s  %7.0f MB/s   (min %.3f s, max %.3f s)"
          % (name, ns / 1e9, size / 1e6 / (ns / 1e9), min(times[name]) / 1e9, max(times[name]) / 1e9))
ratio = med["wc -l"] / med["hpcc-prices update"]
floor = med["wc -l"] / med["openssl sha256"]
print("   throughput: %.0f%% of wc -l's (target >= 50%%: %s); SHA-256 alone is %.0f%% of wc -l's"
      % (100 * ratio, "ok" if ratio >= 0.5 else "MISSED", 100 * floor))
if rss:
    peak = max(rss) / 1024
    print("   peak RSS: %.1f MiB, median %.1f MiB (target <= 32 MiB: %s)"
          % (peak, median(rss) / 1024, "ok" if peak <= 32 else "MISSED"))
else:
    print("   peak RSS: not measured (needs GNU time: apt-get install time)")
EOF
