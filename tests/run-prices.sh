#!/usr/bin/env bash
# run-prices.sh BUILD_DIR [--update] — `hpcc prices update` (BUILD_DIR/hpcc-prices).
#
# Downloads offer files from a local server (tests/prices/server.py, on
# 127.0.0.1, ephemeral ports) and from file:// URLs: the fixtures of
# tests/prices/ and the variants tests/prices/variants.py makes of them.
# Every case runs twice, as `hpcc prices update ARGS` and as `hpcc-prices
# update ARGS`, which must behave the same (standard output, standard
# error, exit status, the snapshot). Each case's record (the two streams
# and the exit status, with ports and paths replaced by names) must equal
# tests/prices/expected/NAME.txt, and the snapshot it writes must equal
# tests/prices/expected/NAME.json; a failing case must leave the snapshot
# that was there before untouched, and no temporary file behind. --update
# rewrites the expected files from what the programs do now.
set -euo pipefail
build=$(realpath "$1")
update=${2:-}
root=$(pwd)
fix=$root/tests/prices
expected=$fix/expected
hpcc=$build/hpcc
prices=$build/hpcc-prices
tmp=$(mktemp -d)
server=
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
n=0
umask 022

# ---- fixtures and the server -------------------------------------------------
srv=$tmp/srv
mkdir -p "$srv" "$expected"
cp "$fix"/*.csv "$srv"/
python3 "$fix/variants.py" "$fix/offer-us-east-1.csv" "$srv"
tls=()
if command -v openssl > /dev/null; then
    # A self-signed certificate for 127.0.0.1: hpcc-prices must refuse it.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=127.0.0.1 \
        -addext subjectAltName=IP:127.0.0.1 -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2> /dev/null
    tls=("$tmp/cert.pem" "$tmp/key.pem")
fi
python3 "$fix/server.py" "$srv" "${tls[@]}" > "$tmp/ports" 2> "$tmp/server.log" &
server=$!
for _ in $(seq 100); do [ -s "$tmp/ports" ] && break; sleep 0.05; done
read -r port tls_port stuck_port < "$tmp/ports" || { echo "FAIL the test server did not start"; exit 1; }
http=http://127.0.0.1:$port

# The record of a run, with what changes from run to run replaced by names.
normalise() {
    sed -e "s|127\.0\.0\.1:$port/|127.0.0.1:PORT/|g" -e "s|127\.0\.0\.1:$tls_port/|127.0.0.1:TLS_PORT/|g" \
        -e "s|127\.0\.0\.1:$stuck_port/|127.0.0.1:STUCK_PORT/|g" -e "s|port $stuck_port |port STUCK_PORT |g" \
        -e "s|$srv/|SRV/|g" -e "s|$tmp/|TMP/|g" -e "s|OpenSSL/[0-9.a-z]*:|OpenSSL/VERSION:|g"
}

# run_one PROGRAM DIR ARGS... — one run in DIR; leaves DIR/record.
run_one() {
    local prog=$1 dir=$2
    shift 2
    local rc=0
    if [ "$prog" = hpcc ]; then
        (cd "$dir" && "$hpcc" prices "$@" > "$dir/.stdout" 2> "$dir/.stderr") || rc=$?
    else
        (cd "$dir" && "$prices" "$@" > "$dir/.stdout" 2> "$dir/.stderr") || rc=$?
    fi
    { echo "--- stdout"; cat "$dir/.stdout"; echo "--- stderr"; cat "$dir/.stderr"; echo "--- exit $rc"; } \
        | normalise > "$dir/.record"
    rm -f "$dir/.stdout" "$dir/.stderr"
}

# check NAME EXIT [--out FILE] [--writes-nothing] -- ARGS... — runs `prices
# ARGS` both ways in fresh directories holding a previous snapshot (FILE,
# default snapshot.json). A case that exits 0 must have replaced it, unless
# it --writes-nothing (help); any other must have left it as it was.
check() {
    local name=$1 want=$2 out=snapshot.json writes=1
    shift 2
    if [ "$1" = --out ]; then out=$2; shift 2; fi
    if [ "$1" = --writes-nothing ]; then writes=; shift; fi
    [ "$1" = -- ] && shift
    n=$((n + 1))
    local a=$tmp/case/$name/hpcc b=$tmp/case/$name/hpcc-prices
    mkdir -p "$a" "$b"
    printf 'the previous snapshot\n' > "$a/$out"
    printf 'the previous snapshot\n' > "$b/$out"
    run_one hpcc "$a" "$@"
    run_one hpcc-prices "$b" "$@"
    local rc
    rc=$(sed -n 's/^--- exit //p' "$b/.record")
    if [ "$update" = --update ]; then
        cp "$b/.record" "$expected/$name.txt"
        if [ "$rc" = 0 ] && [ -n "$writes" ]; then normalise < "$b/$out" > "$expected/$name.json"; else rm -f "$expected/$name.json"; fi
    fi
    if [ "$rc" != "$want" ]; then
        echo "FAIL $name: exit $rc, expected $want"; cat "$b/.record"; fail=1; return
    fi
    if ! diff -u "$expected/$name.txt" "$b/.record" > "$tmp/diff"; then
        echo "FAIL $name: not what $expected/$name.txt says:"; head -30 "$tmp/diff"; fail=1; return
    fi
    if ! diff -u "$b/.record" "$a/.record" > "$tmp/diff"; then
        echo "FAIL $name: 'hpcc prices' and 'hpcc-prices' differ:"; head -30 "$tmp/diff"; fail=1; return
    fi
    if ! cmp -s "$a/$out" "$b/$out"; then
        echo "FAIL $name: 'hpcc prices' and 'hpcc-prices' wrote different snapshots"; fail=1; return
    fi
    local left
    left=$(cd "$b" && find . -mindepth 1 ! -name .record ! -name "$out" | sort | tr '\n' ' ')
    if [ -n "$left" ]; then
        echo "FAIL $name: files left behind: $left"; fail=1; return
    fi
    if [ "$rc" = 0 ] && [ -n "$writes" ]; then
        if ! normalise < "$b/$out" | diff -u "$expected/$name.json" - > "$tmp/diff"; then
            echo "FAIL $name: the snapshot is not $expected/$name.json:"; head -30 "$tmp/diff"; fail=1; return
        fi
        local mode
        mode=$(stat -c %a "$b/$out")
        if [ "$mode" != 644 ]; then echo "FAIL $name: the snapshot has mode $mode, not 644 (umask 022)"; fail=1; fi
    elif [ "$(cat "$b/$out")" != "the previous snapshot" ]; then
        echo "FAIL $name: exit $rc and nothing to write, but the previous snapshot changed"; fail=1
    fi
}

# same_prices A B — two successful cases wrote the same snapshot, but for
# where it came from (url, sha256, bytes).
same_prices() {
    n=$((n + 1))
    if ! diff -u <(grep -vE '^  "(url|sha256|bytes)":' "$tmp/case/$1/hpcc-prices/snapshot.json") \
                 <(grep -vE '^  "(url|sha256|bytes)":' "$tmp/case/$2/hpcc-prices/snapshot.json") > "$tmp/diff"; then
        echo "FAIL $2: its prices differ from $1's:"; head -30 "$tmp/diff"; fail=1
    fi
}

# ---- downloads that work --------------------------------------------------------
e1=offer-us-east-1.csv
check ok-http 0 -- update --region us-east-1 --url "$http/ok/$e1" -o snapshot.json
check ok-chunked 0 -- update --region us-east-1 --url "$http/chunked/$e1" -o snapshot.json
check ok-redirects 0 -- update --region us-east-1 --url "$http/redirect/4/ok/$e1" -o snapshot.json
check ok-file 0 -- update --region us-east-1 --url "file://$srv/$e1" -o snapshot.json
check ok-file-localhost 0 -- update --region us-east-1 --url "file://localhost$srv/$e1" -o snapshot.json
check ok-default-name 0 --out prices-us-east-1.json -- update --region=us-east-1 --url="file://$srv/$e1"
check ok-reordered 0 -- update --region us-east-1 --url "$http/ok/offer-us-east-1-reordered.csv" -o snapshot.json
same_prices ok-http ok-reordered
check ok-crlf 0 -- update --region us-east-1 --url "$http/ok/offer-crlf.csv" -o snapshot.json
same_prices ok-http ok-crlf
check ok-bom 0 -- update --region us-east-1 --url "file://$srv/offer-bom.csv" -o snapshot.json
same_prices ok-http ok-bom
check ok-no-final-newline 0 -- update --region us-east-1 --url "file://$srv/offer-no-final-newline.csv" -o snapshot.json
same_prices ok-http ok-no-final-newline
check ok-minimal 0 -- update --region us-east-1 --url "file://$srv/offer-minimal.csv" -o snapshot.json
check ok-eu-west-1 0 -- update --region eu-west-1 --url "$http/ok/offer-eu-west-1.csv" -o snapshot.json \
    --max-bytes 4817 --connect-timeout 0.5 --idle-timeout 2
# The same bytes give the same snapshot: ok-http again, in another directory.
n=$((n + 1))
mkdir -p "$tmp/again"
(cd "$tmp/again" && "$prices" update --region us-east-1 --url "$http/ok/$e1" -o snapshot.json > /dev/null)
cmp -s "$tmp/again/snapshot.json" "$tmp/case/ok-http/hpcc-prices/snapshot.json" \
    || { echo "FAIL deterministic: the same download gave another snapshot"; fail=1; }

# ---- downloads that fail ----------------------------------------------------------
check http-404 1 -- update --region us-east-1 --url "$http/status/404" -o snapshot.json
check http-500 1 -- update --region us-east-1 --url "$http/status/500" -o snapshot.json
check body-cut 1 -- update --region us-east-1 --url "$http/cut/$e1" -o snapshot.json
check body-cut-chunked 1 -- update --region us-east-1 --url "$http/cut-chunked/$e1" -o snapshot.json
check no-answer 1 -- update --region us-east-1 --url "$http/nothing" -o snapshot.json
check not-http 1 -- update --region us-east-1 --url "$http/garbage" -o snapshot.json
check idle-timeout 1 -- update --region us-east-1 --url "$http/stall/$e1" -o snapshot.json --idle-timeout 1
check connect-timeout 1 -- update --region us-east-1 --url "http://127.0.0.1:$stuck_port/ok/$e1" -o snapshot.json \
    --connect-timeout 1
check connection-refused 1 -- update --region us-east-1 --url "http://127.0.0.1:1/$e1" -o snapshot.json
check connection-refused-ipv6 1 -- update --region us-east-1 --url "http://[::1]:1/$e1" -o snapshot.json
check dns 1 -- update --region us-east-1 --url "https://no-such-host.invalid/$e1" -o snapshot.json --connect-timeout 5
if [ -n "$tls_port" ] && [ "$tls_port" != 0 ]; then
    check tls-unverified 1 -- update --region us-east-1 --url "https://127.0.0.1:$tls_port/ok/$e1" -o snapshot.json
    check tls-not-tls 1 -- update --region us-east-1 --url "https://127.0.0.1:$port/ok/$e1" -o snapshot.json
else
    echo "note: openssl not found, the TLS verification case was skipped"
fi
check max-bytes-length 1 -- update --region us-east-1 --url "$http/ok/$e1" -o snapshot.json --max-bytes 1000
check max-bytes-stream 1 -- update --region us-east-1 --url "$http/chunked/$e1" -o snapshot.json --max-bytes 10000
check max-bytes-file 1 -- update --region us-east-1 --url "file://$srv/$e1" -o snapshot.json --max-bytes 22748
check redirects-too-many 1 -- update --region us-east-1 --url "$http/redirect/5/ok/$e1" -o snapshot.json
check redirect-to-http 1 -- update --region us-east-1 --url "$http/location?http://example.com/$e1" -o snapshot.json
check redirect-to-file 1 -- update --region us-east-1 --url "$http/location?file://$srv/$e1" -o snapshot.json
check redirect-no-location 1 -- update --region us-east-1 --url "$http/status/302" -o snapshot.json
check redirect-long 1 -- update --region us-east-1 --url "$http/long-location" -o snapshot.json
check redirect-then-404 1 -- update --region us-east-1 --url "$http/redirect/0/status/404" -o snapshot.json
check file-missing 1 -- update --region us-east-1 --url "file://$srv/missing.csv" -o snapshot.json
check file-directory 1 -- update --region us-east-1 --url "file://$srv/" -o snapshot.json
check file-device 1 -- update --region us-east-1 --url "file:///dev/zero" -o snapshot.json
check html 1 -- update --region us-east-1 --url "$http/html" -o snapshot.json
check empty 1 -- update --region us-east-1 --url "$http/empty" -o snapshot.json
check no-rows 1 -- update --region us-west-2 --url "$http/ok/$e1" -o snapshot.json
for f in "$srv"/bad-*.csv; do
    b=$(basename "$f" .csv)
    check "$b" 1 -- update --region us-east-1 --url "file://$f" -o snapshot.json
done

# ---- writing the snapshot --------------------------------------------------------
check out-is-directory 1 --out keep -- update --region us-east-1 --url "file://$srv/$e1" -o .
check out-no-directory 1 -- update --region us-east-1 --url "file://$srv/$e1" -o no/such/dir/snapshot.json
# A write error after the download: a file size limit makes write() fail (EFBIG).
n=$((n + 1))
mkdir -p "$tmp/fsize"
printf 'the previous snapshot\n' > "$tmp/fsize/snapshot.json"
rc=0
(cd "$tmp/fsize" && trap '' XFSZ && ulimit -f 1 && "$hpcc" prices update --region us-east-1 --url "file://$srv/$e1" \
    -o snapshot.json > out 2> err) || rc=$?
if [ "$rc" != 1 ] || [ "$(cat "$tmp/fsize/err")" != "hpcc: cannot write snapshot.json: File too large" ] \
    || [ "$(cat "$tmp/fsize/snapshot.json")" != "the previous snapshot" ] || [ -s "$tmp/fsize/out" ] \
    || [ "$(find "$tmp/fsize" -name '.snapshot*' | wc -l)" != 0 ]; then
    echo "FAIL write-error: exit $rc:"; cat "$tmp/fsize/err"; fail=1
fi
# A full disk: a two-page tmpfs, mounted in a private mount namespace (where
# that is allowed), holding the previous snapshot and a page of filler.
small=$tmp/small
mkdir -p "$small"
if unshare -m true 2> /dev/null; then
    n=$((n + 1))
    rc=0
    unshare -m bash -c 'mount -t tmpfs -o size=8k tmpfs "$1" && cd "$1" && printf "the previous snapshot\n" > snapshot.json &&
        head -c 4096 /dev/zero > filler && { "$2" prices update --region us-east-1 --url "$3" -o snapshot.json;
        echo "exit $?"; cat snapshot.json; ls -A | tr "\n" " "; echo; }' \
        full "$small" "$hpcc" "file://$srv/$e1" > "$tmp/full.out" 2>&1 || rc=$?
    want="hpcc: cannot write snapshot.json: No space left on device
exit 1
the previous snapshot
filler snapshot.json "
    if [ "$rc" != 0 ] || [ "$(cat "$tmp/full.out")" != "$want" ]; then
        echo "FAIL disk-full:"; cat "$tmp/full.out"; fail=1
    fi
else
    echo "note: no private mount namespace here, the full-disk case was skipped (write-error covers the path)"
fi

# ---- usage errors -------------------------------------------------------------------
check usage-none 2 --
check usage-help 0 --writes-nothing -- help
check usage-update-help 0 --writes-nothing -- update --help
check usage-command 2 -- upgrade --region us-east-1
check usage-no-region 2 -- update --url "file://$srv/$e1"
check usage-region 2 -- update --region US-EAST-1
check usage-region-path 2 -- update --region ../us-east-1
check usage-option 2 -- update --region us-east-1 --force
check usage-argument 2 -- update --region us-east-1 extra
check usage-value 2 -- update --region us-east-1 --url
check usage-max-bytes 2 -- update --region us-east-1 --max-bytes 8GiB
check usage-max-bytes-zero 2 -- update --region us-east-1 --max-bytes 0
check usage-connect-timeout 2 -- update --region us-east-1 --connect-timeout -1
check usage-idle-timeout 2 -- update --region us-east-1 --idle-timeout 0
check usage-out-empty 2 -- update --region us-east-1 -o ''
check usage-http-remote 2 -- update --region us-east-1 --url "http://example.com/$e1"
check usage-http-lookalike 2 -- update --region us-east-1 --url "http://127.0.0.1.example.com/$e1"
check usage-ftp 2 -- update --region us-east-1 --url "ftp://127.0.0.1/$e1"
check usage-file-remote 2 -- update --region us-east-1 --url "file://fileserver/share/$e1"
check usage-not-url 2 -- update --region us-east-1 --url "not a url"
check usage-url-long 2 -- update --region us-east-1 --url "https://example.com/$(head -c 2100 /dev/zero | tr '\0' x)"

# ---- hpcc itself ----------------------------------------------------------------------
n=$((n + 1))
if ldd "$hpcc" | grep -q libcurl; then echo "FAIL hpcc links libcurl:"; ldd "$hpcc"; fail=1; fi
n=$((n + 1))
"$hpcc" help | grep -q '^  prices update --region REGION' || { echo "FAIL 'hpcc help' does not list prices update"; fail=1; }
# hpcc-prices is found beside hpcc first, then on PATH; without it, a clear error.
n=$((n + 1))
mkdir -p "$tmp/alone"
cp "$hpcc" "$tmp/alone/hpcc"
rc=0
(cd "$tmp" && PATH=/usr/bin:/bin "$tmp/alone/hpcc" prices update --region us-east-1 > out 2> err) || rc=$?
if [ "$rc" != 1 ] || [ "$(cat "$tmp/err")" != "hpcc: cannot run hpcc-prices (looked beside hpcc and on PATH): No such file or directory" ]; then
    echo "FAIL no hpcc-prices: exit $rc:"; cat "$tmp/err"; fail=1
fi
n=$((n + 1))
rc=0
(cd "$tmp" && PATH="$build:/usr/bin:/bin" "$tmp/alone/hpcc" prices update --region us-east-1 --url "file://$srv/$e1" \
    -o path.json > out 2> err) || rc=$?
if [ "$rc" != 0 ] || ! cmp -s "$tmp/path.json" "$tmp/case/ok-file/hpcc-prices/snapshot.json"; then
    echo "FAIL hpcc-prices on PATH: exit $rc:"; cat "$tmp/err"; fail=1
fi

# A downloaded snapshot is one hpcc reads: a spec in eu-west-1 prices its nodes with it.
n=$((n + 1))
mkdir -p "$tmp/use"
cp "$tmp/case/ok-eu-west-1/hpcc-prices/snapshot.json" "$tmp/use/prices.json"
cat > "$tmp/use/eu.hpc" << 'SPEC'
cluster eu {
  region = eu-west-1
  os     = alinux2023
  prices = "prices.json"
  head { instance = m5.large; network = { subnet = "subnet-0123456789abcdef0" }; ssh_from = "10.0.0.0/8" }
  partition compute {
    network = { subnet = "subnet-0123456789abcdef0" }
    nodes big { instance = c5n.18xlarge; count = 0..4 }
  }
}
SPEC
rc=0
"$hpcc" cost "$tmp/use/eu.hpc" > "$tmp/use/out" 2>&1 || rc=$?
if [ "$rc" != 0 ] || ! grep -q 'm5.large at 0.107 USD/h' "$tmp/use/out" || ! grep -q 'c5n.18xlarge at 4.32 USD/h' "$tmp/use/out"; then
    echo "FAIL use: hpcc cost with the downloaded snapshot: exit $rc:"; cat "$tmp/use/out"; fail=1
fi

# ---- the progress line: on a terminal only ----------------------------------------------
if command -v script > /dev/null; then
    n=$((n + 1))
    (cd "$tmp" && script -qec "$prices update --region us-east-1 --url $http/slow/$e1 -o tty.json" /dev/null > tty.out) || true
    if ! grep -q 'KiB of 22 KiB' "$tmp/tty.out" \
        || ! diff <(grep -v '"url"' "$tmp/tty.json") <(grep -v '"url"' "$tmp/case/ok-http/hpcc-prices/snapshot.json") > /dev/null; then
        echo "FAIL progress: no progress line on a terminal:"; cat -v "$tmp/tty.out"; fail=1
    fi
else
    echo "note: script(1) not found, the terminal progress case was skipped"
fi

if [ "$fail" -ne 0 ]; then
    echo "prices: FAILED"
    exit 1
fi
echo "prices: $n cases passed"
