#!/usr/bin/env bash
# run-cost.sh HPCC [--update] — `hpcc cost`: each tests/cost/NAME.hpc must give
# exactly NAME.json (--format json) on standard output and NAME.stderr on
# standard error (instance choices, storage sizing, every kind of cost line,
# budget figures); the usage errors of the command exit 2.
set -euo pipefail
hpcc=$(realpath "$1")
update=${2:-}
fail=0
n=0
cd tests/cost
for spec in *.hpc; do
    n=$((n + 1))
    name=${spec%.hpc}
    set +e
    "$hpcc" cost --format json "$spec" > "/tmp/hpcc-cost.$$.out" 2> "/tmp/hpcc-cost.$$.err"
    rc=$?
    set -e
    if [ "$update" = --update ]; then
        cp "/tmp/hpcc-cost.$$.out" "$name.json"; cp "/tmp/hpcc-cost.$$.err" "$name.stderr"
    elif [ $rc -ne 0 ]; then
        echo "FAIL $spec: exit $rc"; cat "/tmp/hpcc-cost.$$.err"; fail=1
    elif ! diff -u "$name.json" "/tmp/hpcc-cost.$$.out" || ! diff -u "$name.stderr" "/tmp/hpcc-cost.$$.err"; then
        echo "FAIL $spec: hpcc cost differs from $name.json / $name.stderr"; fail=1
    fi
done
rm -f "/tmp/hpcc-cost.$$.out" "/tmp/hpcc-cost.$$.err"
cd ../..

# expect NAME WANT_EXIT WANT_STDERR -- ARGS...
expect() {
    local name=$1 want=$2 msg=$3
    shift 4
    n=$((n + 1))
    set +e
    out=$("$hpcc" "$@" 2>&1 >/dev/null)
    rc=$?
    set -e
    if [ $rc -ne "$want" ] || [ "$out" != "$msg" ]; then echo "FAIL $name: exit $rc, said: $out"; fail=1; fi
}
expect bad-format 2 "hpcc: unknown report format (text, markdown or json): 'csv'
(run 'hpcc help' for usage)" -- cost --format csv examples/minimal.hpc
expect no-cluster 2 "hpcc: no cluster 'nope' in examples/minimal.hpc" -- cost --cluster nope examples/minimal.hpc
expect no-spec 2 "hpcc: missing the spec file after 'cost'
(run 'hpcc help' for usage)" -- cost
expect spec-errors 1 "$("$hpcc" ir tests/errors/budget.hpc 2>&1 >/dev/null)" -- cost tests/errors/budget.hpc
# The three formats agree on the totals.
n=$((n + 1))
peak=$("$hpcc" cost --format json examples/bb5-poc.hpc | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["sbo-poc"]["totals"]["peak_usd_per_hour"])')
"$hpcc" cost examples/bb5-poc.hpc | grep -q "peak 329.49 USD/h" && [ "$peak" = 329.4888 ] \
    && "$hpcc" cost --format markdown --cluster sbo-poc examples/bb5-poc.hpc | grep -q "^- hourly: baseline 0.01 USD/h, peak 329.49 USD/h" \
    || { echo "FAIL the formats disagree on sbo-poc's peak ($peak)"; fail=1; }
[ "$update" = --update ] && echo "updated tests/cost/" && exit 0
[ $fail -eq 0 ] && echo "cost: $n checks ok"
exit $fail
