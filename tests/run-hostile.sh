#!/usr/bin/env bash
# run-hostile.sh HPCC — inputs meant to break a front end. None may crash, hang
# or print output: each must finish within the time limit with exit status 0
# or 1 (never a signal, never 2), and with status 1 nothing on standard output.
set -euo pipefail
hpcc=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

/usr/bin/python3 - "$tmp" <<'PY'
import os, random, sys
d = sys.argv[1]
rnd = random.Random(20261126)          # fixed seed: the same junk on every run
def w(name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
w("empty.hpc", b"")
w("only-comment.hpc", "# nothing but a comment, and no newline at the end")
w("binary-junk.hpc", bytes(rnd.getrandbits(8) for _ in range(200_000)))
w("printable-junk-10mb.hpc", "".join(chr(rnd.randrange(32, 127)) for _ in range(10 * 1024 * 1024)))
w("long-line-10mb.hpc", "let x = \"" + "a" * (10 * 1024 * 1024) + "\"\n")
w("long-word-10mb.hpc", "let " + "a" * (10 * 1024 * 1024) + " = 1\n")
w("many-lets.hpc", "".join("let v%d = %d\n" % (i, i) for i in range(200_000)))
w("nested-brackets.hpc", "let x = " + "[" * 100_000 + "]" * 100_000 + "\n")
w("nested-braces.hpc", "let x = " + "{ a = " * 100_000 + "1" + " }" * 100_000 + "\n")
w("nested-parens.hpc", "let x = " + "(" * 100_000 + "1" + ")" * 100_000 + "\n")
w("nested-negation.hpc", "let x = " + "-" * 100_000 + "1\n")
w("unclosed-brackets.hpc", "let x = " + "[" * 100_000)
w("long-sum.hpc", "let x = " + " + ".join(["1"] * 100_000) + "\n")
w("unterminated-string.hpc", "let x = \"abc\nlet y = 2\n")
w("unterminated-raw.hpc", "let x = '''\n  abc\n")
w("unterminated-interp.hpc", "let x = \"${abc\"\n")
w("invalid-utf8.hpc", b"let x = \"\xff\xfe\"\n# \xc3\x28 in a comment\nlet \xe2\x82 = 1\n")
w("nul-bytes.hpc", b"let x = 1\x00\x00\nlet y = \"a\x00b\"\n" + b"\x00" * 5000)
w("cr-only.hpc", "let x = 1\rlet y = 2\r")
w("deep-let-chain.hpc", "".join("let v%d = v%d\n" % (i, i + 1) for i in range(20_000)) + "let v20000 = 1\n")
w("let-cycle.hpc", "let a = b\nlet b = c\nlet c = a\n")
w("huge-number.hpc", "let x = " + "9" * 10_000 + "\n")
w("huge-quantity.hpc", "let x = 99999999999999999999999999999 PiB * 99999999999999999999999 PiB\n")
w("many-errors.hpc", "cluster x {\n" + "  ? = 1\n" * 50_000 + "}\n")
PY

fail=0
n=0
for f in "$tmp"/*.hpc; do
    n=$((n + 1))
    set +e
    s=$(date +%s%N); timeout 30 "$hpcc" ir "$f" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    set -e
    name=$(basename "$f"); [ -n "${HOSTILE_VERBOSE:-}" ] && echo "$name rc=$rc $(( ($(date +%s%N) - s) / 1000000 )) ms $(wc -c <"$tmp/err") bytes of diagnostics"
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
        echo "FAIL $name: exit status $rc"; head -c 2000 "$tmp/err"; fail=1
    elif [ "$rc" -eq 1 ] && [ -s "$tmp/out" ]; then
        echo "FAIL $name: output despite errors"; fail=1
    fi
done
# The spec itself may be a pipe (/dev/stdin), but never an endless one: /dev/zero
# is cut off at 64 MiB with a clear message (exit 2, as for any file hpcc cannot read).
n=$((n + 2))
if ! "$hpcc" ir --summary /dev/stdin < examples/minimal.hpc > "$tmp/out" 2>&1 || ! grep -q '^tiny: ' "$tmp/out"; then
    echo "FAIL the spec from /dev/stdin"; cat "$tmp/out"; fail=1
fi
set +e
timeout 30 "$hpcc" ir /dev/zero > "$tmp/out" 2> "$tmp/err"
rc=$?
set -e
if [ "$rc" -ne 2 ] || [ "$(cat "$tmp/err")" != "hpcc: cannot read '/dev/zero': larger than 64 MiB" ] || [ -s "$tmp/out" ]; then
    echo "FAIL /dev/zero as the spec: exit $rc"; cat "$tmp/err"; fail=1
fi
[ $fail -eq 0 ] && echo "hostile: $n inputs ok"
exit $fail
