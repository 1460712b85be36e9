#!/usr/bin/env bash
# run-golden.sh HPCC [--update] — golden IR tests.
#
# Each examples/NAME.hpc and tests/golden/NAME.hpc is compiled with `hpcc ir`;
# its output must equal tests/golden/NAME.ir.json byte for byte, with nothing
# on standard error. Every spec is compiled a second time from another
# directory, in another locale and time zone: the output must not change.
# --update rewrites the golden files instead (make golden-update).
set -euo pipefail
hpcc=$(realpath "$1")
update=${2:-}
root=$(pwd)
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for spec in examples/*.hpc tests/golden/*.hpc; do
    [ -e "$spec" ] || continue
    name=$(basename "$spec" .hpc)
    golden=tests/golden/$name.ir.json
    dir=$(dirname "$spec")
    if ! (cd "$dir" && "$hpcc" ir "$name.hpc" >"$tmp/out" 2>"$tmp/err"); then
        echo "FAIL $spec: hpcc exited non-zero"; cat "$tmp/err"; fail=1; continue
    fi
    if [ -s "$tmp/err" ]; then
        echo "FAIL $spec: unexpected diagnostics"; cat "$tmp/err"; fail=1; continue
    fi
    # The same spec from elsewhere, in another locale and time zone.
    (cd / && LC_ALL=C.UTF-8 TZ=Pacific/Kiritimati "$hpcc" ir "$root/$spec" >"$tmp/out2" 2>/dev/null) || true
    if ! cmp -s "$tmp/out" "$tmp/out2"; then
        echo "FAIL $spec: output depends on the directory, locale or time zone"; fail=1
    fi
    if [ "$update" = --update ]; then
        cp "$tmp/out" "$golden"
        echo "updated $golden"
    elif [ ! -f "$golden" ]; then
        echo "FAIL $spec: no golden file $golden (run make golden-update)"; fail=1
    elif ! cmp -s "$tmp/out" "$golden"; then
        echo "FAIL $spec: output differs from $golden (make golden-update if intended):"
        diff -u "$golden" "$tmp/out" | head -40; fail=1
    fi
done
# `hpcc compile` of each example: the whole output tree, byte for byte.
for spec in examples/*.hpc; do
    name=$(basename "$spec" .hpc)
    golden=tests/golden/$name.out
    rm -rf "$tmp/tree" "$tmp/tree2"
    if ! (cd examples && "$hpcc" compile "$name.hpc" -o "$tmp/tree" >/dev/null 2>"$tmp/err"); then
        echo "FAIL compile $spec"; cat "$tmp/err"; fail=1; continue
    fi
    (cd / && LC_ALL=C.UTF-8 TZ=Asia/Kathmandu "$hpcc" compile "$root/$spec" -o "$tmp/tree2" >/dev/null 2>&1) || true
    if ! diff -r "$tmp/tree" "$tmp/tree2" >/dev/null; then
        echo "FAIL compile $spec: output depends on the directory, locale or time zone"; fail=1
    fi
    if [ "$update" = --update ]; then
        rm -rf "$golden"; cp -r "$tmp/tree" "$golden"; echo "updated $golden"
    elif ! diff -r "$golden" "$tmp/tree" >"$tmp/diff" 2>&1; then
        echo "FAIL compile $spec: output differs from $golden (make golden-update if intended):"
        head -40 "$tmp/diff"; fail=1
    fi
done
# A golden file whose spec is gone is stale.
for golden in tests/golden/*.ir.json; do
    name=$(basename "$golden" .ir.json)
    [ -e "examples/$name.hpc" ] || [ -e "tests/golden/$name.hpc" ] || { echo "FAIL $golden: no spec"; fail=1; }
done
[ $fail -eq 0 ] && echo "golden: ok"
exit $fail
