#!/usr/bin/env bash
# demo.sh — what `make demo` shows: hpcc on the Blue Brain example.
set -euo pipefail
hpcc=${1:-./hpcc}
spec=examples/bb5-poc.hpc
mkdir -p out
"$hpcc" ir "$spec" > out/bb5-poc.ir.json
"$hpcc" ir --summary "$spec"
echo "the resolved model (IR) of every cluster is in out/bb5-poc.ir.json"
