#!/usr/bin/env bash
# run-errors.sh HPCC — the error corpus: each tests/errors/NAME.hpc is compiled
# with `hpcc ir` and its standard error must equal NAME.err exactly.
#
# A spec may start with directive comments:
#   # args: --werror          extra arguments
#   # exit: 0                 expected exit status (default 1)
# With exit status 1, nothing may be written on standard output.
set -euo pipefail
hpcc=$(realpath "$1")
cd tests/errors
fail=0
n=0
for spec in *.hpc; do
    n=$((n + 1))
    args=$(sed -n 's/^# args: //p' "$spec" | head -1)
    want=$(sed -n 's/^# exit: //p' "$spec" | head -1)
    want=${want:-1}
    set +e
    # shellcheck disable=SC2086
    timeout 20 "$hpcc" ir $args "$spec" >/tmp/hpcc-err-out.$$ 2>/tmp/hpcc-err-err.$$
    rc=$?
    set -e
    exp=${spec%.hpc}.err
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL $spec: exit $rc, expected $want"; cat /tmp/hpcc-err-err.$$; fail=1
    elif [ "$rc" -eq 1 ] && [ -s /tmp/hpcc-err-out.$$ ]; then
        echo "FAIL $spec: wrote to standard output despite errors"; fail=1
    elif [ ! -f "$exp" ]; then
        echo "FAIL $spec: no $exp"; cat /tmp/hpcc-err-err.$$; fail=1
    elif ! cmp -s "$exp" /tmp/hpcc-err-err.$$; then
        echo "FAIL $spec: diagnostics differ from $exp:"; diff -u "$exp" /tmp/hpcc-err-err.$$ | head -40; fail=1
    fi
done
rm -f /tmp/hpcc-err-out.$$ /tmp/hpcc-err-err.$$
[ $fail -eq 0 ] && echo "errors: $n specs ok"
exit $fail
