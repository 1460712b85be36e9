#!/usr/bin/env bash
# run-tools.sh HPCC — the generated artifacts, checked by real tools:
#   - every component document: AWSTOE's rules, bash -n and shellcheck (tests/awstoe_check.py);
#   - every cluster's Slurm settings: read by a real slurmctld (tests/slurm_check.py);
#   - tricky values read back exactly by YAML and Slurm parsers (tests/roundtrip.py).
set -euo pipefail
hpcc=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for spec in examples/*.hpc; do
    "$hpcc" compile "$spec" -o "$tmp/out" >/dev/null
done
mapfile -t components < <(find "$tmp/out" -path '*/components/*.yaml' | LC_ALL=C sort)
/usr/bin/python3 tests/awstoe_check.py --self-test "${components[@]}"
mapfile -t clusters < <(find "$tmp/out" -mindepth 1 -maxdepth 1 -type d | LC_ALL=C sort)
/usr/bin/python3 tests/slurm_check.py "${clusters[@]}"
/usr/bin/python3 tests/roundtrip.py "$hpcc"
