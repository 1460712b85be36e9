#!/usr/bin/env bash
# demo.sh — what `make demo` shows: the Blue Brain example compiled into out/.
set -euo pipefail
hpcc=${1:-./hpcc}
"$hpcc" compile examples/bb5-poc.hpc -o out
echo
echo "the artifacts are in out/sbo-poc/ and out/sbo-poc-seed/; the resolved model: ./hpcc ir examples/bb5-poc.hpc"
