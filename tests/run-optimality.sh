#!/usr/bin/env bash
# run-optimality.sh HPCC — instance selection and FSx for Lustre sizing against
# an exhaustive search (tests/optimality.py): random cases from a fixed seed
# (OPTIMALITY_SEED to explore others, OPTIMALITY_SCALE for more cases) and
# fixed regression cases. Every answer must be the optimum, exactly.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: tests/run-optimality.sh HPCC" >&2; exit 2; }
hpcc=$(realpath "$1")
exec /usr/bin/python3 "$(dirname "$0")/optimality.py" "$hpcc"
