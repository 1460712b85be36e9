#!/usr/bin/env bash
# run-stdlib.sh HPCC — every example and every stdlib module compiles cleanly.
set -euo pipefail
hpcc=$(realpath "$1")
fail=0
for f in examples/*.hpc $(find stdlib -name '*.hpc' | LC_ALL=C sort); do
    if ! "$hpcc" ir --werror "$f" >/dev/null 2>/tmp/hpcc-std.$$; then
        echo "FAIL $f"; cat /tmp/hpcc-std.$$; fail=1
    fi
done
rm -f /tmp/hpcc-std.$$
[ $fail -eq 0 ] && echo "examples and stdlib: ok"
exit $fail
