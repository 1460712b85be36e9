#!/usr/bin/env bash
# run.sh HPCC BENCH — hpcc's benchmarks (make bench); see bench/README.md.
#
# Generates, in a temporary directory, a spec at ParallelCluster's limits (50
# partitions, 50 compute resources) and synthetic specs of 1,000 to 10,000
# partitions, then times `hpcc ir` (and `hpcc ir --summary`) on them and on
# examples/bb5-poc.hpc with BENCH (tools/bench.c): median wall time and peak
# RSS over repeated runs. Every spec must compile with exit status 0.
#
# Environment: BENCH_RUNS (runs per small spec, default 51), BENCH_BIG_RUNS
# (runs per synthetic spec, default 7), BENCH_SIZES (default "1000 2500 5000 10000"),
# BENCH_KEEP=1 keeps the generated specs (their directory is printed).
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: bench/run.sh HPCC BENCH" >&2
    exit 2
fi
hpcc=$(realpath "$1")
bench=$(realpath "$2")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${BENCH_RUNS:-51}
big_runs=${BENCH_BIG_RUNS:-7}
sizes=${BENCH_SIZES:-"1000 2500 5000 10000"}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hpcc-bench.XXXXXX")
if [ -n "${BENCH_KEEP:-}" ]; then
    echo "bench: specs kept in $tmp"
else
    trap 'rm -rf "$tmp"' EXIT
fi

die() { echo "bench: FAIL: $*" >&2; exit 1; }

# Time a private copy, so that a rebuild during the run cannot change (or
# briefly remove) the binary being measured.
cp "$hpcc" "$tmp/hpcc"
hpcc=$tmp/hpcc

# ---- the spec at ParallelCluster's limits ------------------------------------
# 50 Slurm queues and 50 compute resources per cluster (ParallelCluster 3.x):
# one node group per partition, every partition field the POC uses and more.
gen_limits() {
    awk -v assets="s3://sboinfrastructureassets" 'BEGIN {
        n = 50
        print "# A cluster at ParallelCluster'"'"'s limits: 50 queues, 50 compute resources."
        print "use std.aws"
        print "use std.profiles.bb5"
        print ""
        print "let assets  = \"" assets "\""
        print "let account = \"671250183987\""
        print "let billing = { SBO_Billing = \"hpc:parallelcluster\"; Project = \"limits\" }"
        print "let hpc_net = network {"
        print "  subnet          = \"subnet-076ece71c00742d3c\""
        print "  security_groups = [\"sg-0b5941ba4f4d1a9ff\"]"
        print "}"
        print ""
        print "component packages {"
        print "  version     = \"1.0.0\""
        print "  description = \"Install tools.\""
        print "  build InstallPackages = '"'''"'"
        print "    #!/bin/bash"
        print "    set -euo pipefail"
        print "    dnf install -y htop"
        print "    '"'''"'"
        print "  test TestPackages = '"'''"'"
        print "    #!/bin/bash"
        print "    which htop"
        print "    '"'''"'"
        print "}"
        print ""
        print "cluster limits {"
        print "  pcluster = \"3.11.1\""
        print "  account  = account"
        print "  region   = us-east-1"
        print "  os       = alinux2023"
        print "  tags     = billing"
        print "  imds     = v2.0"
        print "  logs { retention = 14 d; on_delete = delete }"
        print "  image limits-al2023 {"
        print "    parent     = \"arn:aws:imagebuilder:us-east-1:aws:image/amazon-linux-2023-x86/x.x.x\""
        print "    update_os  = true"
        print "    components = [packages]"
        print "    instance   = m5.large"
        print "    network    = hpc_net"
        print "  }"
        print "  head {"
        print "    instance = m5.xlarge"
        print "    network  = hpc_net"
        print "    ssh_key  = \"aws_coreservices\""
        print "    s3_read  = [assets]"
        print "    policies = [\"arn:aws:iam::${account}:policy/ParallelCluster_CloudWatch_TagLogGroup_SLURM\"]"
        print "    on_configured = ["
        print "      script(\"${assets}/scripts/setup_users.py\", \"/sbo/home/resources/users.json\", \"/sbo/data\"),"
        print "      script(\"${assets}/scripts/setup_slurm.sh\", \"SBO_Billing=hpc:parallelcluster\"),"
        print "    ]"
        print "  }"
        print "  slurm {"
        print "    scaling        = all-or-nothing"
        print "    memory_based   = true"
        print "    scaledown_idle = 15 min"
        print "    queue_update   = drain"
        print "    accounting {"
        print "      uri      = \"hpc-slurm-db.ctydazornca3.us-east-1.rds.amazonaws.com:3306\""
        print "      user     = \"slurm_admin\""
        print "      password = secret(\"arn:aws:secretsmanager:us-east-1:${account}:secret:hpc_slurm_db_password-6LNuBy\")"
        print "    }"
        print "    extras at \"${assets}/config/slurm_extras.conf\" {"
        print "      allow slurm-setting-managed \"interactive steps, as in the BB5 PoC\""
        print "      MpiDefault       = pmi2"
        print "      LaunchParameters = use_interactive_step"
        print "      PrologFlags      = [Alloc]"
        print "    }"
        print "  }"
        print "  defaults {"
        print "    allocation    = lowest-price"
        print "    network       = hpc_net"
        print "    s3_read       = [assets]"
        print "    on_configured = script(\"${assets}/scripts/setup_users.py\", \"/sbo/home/resources/users.json\")"
        print "  }"
        # Instance types from the built-in catalog, offered in us-east-1; the
        # tightly coupled partitions (1, 4, 8) use EFA types meeting BB5 profiles.
        split("c7a.48xlarge c5d.24xlarge m5.8xlarge c7i.48xlarge r5.24xlarge m5.24xlarge t3.large x2idn.32xlarge", it, " ")
        split("bb5.cpu none none bb5.cpu none none none bb5.nvme", pr, " ")
        split("1 h;12 h;1 d;2 h;30 min;7 d", mt, ";")
        for (i = 1; i <= n; i++) {
            k = (i - 1) % 8 + 1
            tight = (k == 1 || k == 4 || k == 8)
            printf "  partition q%02d {                # %s\n", i, tight ? "tightly coupled" : "batch"
            if (tight) {
                print "    efa_security_group = \"sg-0184e34d690eddb22\"   # hpc_efa"
                print "    placement_group    = true"
            } else {
                print "    placement_group = false"
            }
            if (i % 5 == 0) print "    capacity        = spot"
            if (i % 7 == 0) print "    exclusive       = true"
            printf "    nodes n%02d {\n", i
            printf "      instance = %s\n", it[k]
            if (pr[k] != "none") printf "      profile  = %s\n", pr[k]
            printf "      count    = %d..%d\n", (i % 3 == 0) ? 1 : 0, 4 + (i % 13) * 4
            printf "      efa      = %s\n", tight ? "true" : "false"
            if (i % 4 == 0) printf "      static_priority = %d\n", i
            if (i % 6 == 0) print "      disable_smt = true"
            print "    }"
            printf "    max_nodes = %d\n", 4 + (i % 13) * 4
            printf "    max_time  = %s\n", mt[(i - 1) % 6 + 1]
            printf "    slurm { Default = %s; PriorityTier = %d }\n", i == 1 ? "YES" : "NO", i
            printf "    tags  = { Queue = \"q%02d\" }\n", i
            print "  }"
        }
        print "  storage home efs {"
        print "    name     = \"Efs-Home\""
        print "    mount    = \"/sbo/home\""
        print "    existing = \"fs-0c2a2f3ad1b1beeca\""
        print "  }"
        print "  storage data lustre {"
        print "    name        = \"FsxLustre-Persistent\""
        print "    mount       = \"/sbo/data\""
        print "    deployment  = persistent2"
        print "    capacity    = 1200 GiB"
        print "    per_unit    = 250 MB/s/TiB"
        print "    compression = lz4"
        print "    link containers {"
        print "      s3           = \"${assets}/containers\""
        print "      path         = \"/containers\""
        print "      import       = [new, changed, deleted]"
        print "      batch_import = true"
        print "    }"
        print "  }"
        print "  budget  { monthly <= 2500000 USD/month; hourly_peak <= 10000 USD/h }"
        print "  require { storage.data.throughput >= 300 MB/s }"
        print "}"
    }'
}

# ---- synthetic specs: N partitions, one or two node groups each --------------
# ParallelCluster allows 50 queues and 50 compute resources per cluster, and
# hpcc enforces it (pcluster-count), so N partitions come as N/40 clusters at
# the limits: 40 partitions each, every fourth with a second node group
# (40 + 10 = 50 compute resources).
gen_synthetic() {
    awk -v n="$1" 'BEGIN {
        per = 40
        print "# Synthetic: " n " partitions, in clusters of " per " (every fourth partition has two node groups)."
        print "let net = network { subnet = \"subnet-076ece71c00742d3c\"; security_groups = [\"sg-0b5941ba4f4d1a9ff\"] }"
        split("c7a.48xlarge c5d.24xlarge m5.8xlarge c7i.48xlarge r5.24xlarge", it, " ")
        for (i = 1; i <= n; i++) {
            j = (i - 1) % per + 1
            if (j == 1) {
                if (i > 1) print "}"
                printf "cluster synthetic-%04d {\n", (i - 1) / per + 1
                print "  region = us-east-1"
                print "  os     = alinux2023"
                print "  head { instance = t3.medium; network = net }"
                print "  defaults { network = net; allocation = lowest-price }"
            }
            k = (i - 1) % 5 + 1
            efa = (k == 1 || k == 4)
            printf "  partition p%d {\n", j
            printf "    nodes a { instance = %s; count = 0..%d; efa = %s }\n", it[k], 1 + i % 32, efa ? "true" : "false"
            if (j % 4 == 0) printf "    nodes b { instance = %s; count = 0..%d }\n", it[k % 5 + 1], 1 + i % 8
            printf "    placement_group = %s\n", efa ? "true" : "false"
            if (efa) print "    efa_security_group = \"sg-0184e34d690eddb22\""
            printf "    max_time = %d h\n", 1 + i % 24
            print "  }"
        }
        print "}"
    }'
}

# partitions COMMAND-OUTPUT: the sum of "N partitions" over the summary's lines
partitions() { grep -o '[0-9]* partitions\?' | awk '{ s += $1 } END { print s + 0 }'; }

gen_limits >"$tmp/limits.hpc"
for n in $sizes; do gen_synthetic "$n" >"$tmp/synthetic-$n.hpc"; done

# Every spec must compile cleanly: exit status 0 and no diagnostics at all.
check() {
    local spec=$1 rc=0
    "$hpcc" ir "$spec" >"$tmp/out.json" 2>"$tmp/err" || rc=$?
    if [ "$rc" -ne 0 ]; then
        head -c 4000 "$tmp/err" >&2
        die "hpcc ir $(basename "$spec") exited with status $rc"
    fi
    [ -s "$tmp/err" ] && { head -c 4000 "$tmp/err" >&2; die "hpcc ir $(basename "$spec") printed diagnostics"; }
    [ -s "$tmp/out.json" ] || die "hpcc ir $(basename "$spec") printed no IR"
    return 0
}
check "$root/examples/bb5-poc.hpc"
check "$tmp/limits.hpc"
got=$("$hpcc" ir --summary "$tmp/limits.hpc" | partitions)
[ "$got" = 50 ] || die "limits.hpc: expected 50 partitions, the summary says $got"
for n in $sizes; do
    check "$tmp/synthetic-$n.hpc"
    got=$("$hpcc" ir --summary "$tmp/synthetic-$n.hpc" | partitions)
    [ "$got" = "$n" ] || die "synthetic-$n.hpc: expected $n partitions, the summary says $got"
done

# ---- measure -------------------------------------------------------------------
# measure LABEL RUNS COMMAND... -> sets MS (median ms) and KIB (max peak RSS, KiB)
measure() {
    local label=$1 n=$2
    shift 2
    local line
    line=$("$bench" -n "$n" -w 2 -l "$label" -- "$@") || die "$label: the command failed (see above)"
    echo "$line" >>"$tmp/raw"
    MS=$(sed -n 's/.* median_ms=\([0-9.]*\).*/\1/p' <<<"$line")
    KIB=$(sed -n 's/.* rss_max_kib=\([0-9]*\).*/\1/p' <<<"$line")
}

: >"$tmp/raw"
printf '%-24s %10s %9s %8s %11s %14s\n' "spec" "partitions" "bytes" "runs" "median ms" "peak RSS MiB"
row() { # label partitions file runs ms kib
    printf '%-24s %10s %9s %8s %11.2f %14.1f\n' "$1" "$2" "$(wc -c <"$3")" "$4" "$5" "$(awk -v k="$6" 'BEGIN { print k / 1024 }')"
}

# Floors: fork+exec of a static-ish process, and hpcc starting (dynamic
# libraries, no spec); every number below includes the second.
measure "/bin/true" "$runs" /bin/true
printf '%-24s %10s %9s %8s %11.2f %14.1f\n' "(floor) /bin/true" - - "$runs" "$MS" "$(awk -v k="$KIB" 'BEGIN { print k / 1024 }')"
measure "hpcc version" "$runs" "$hpcc" version
printf '%-24s %10s %9s %8s %11.2f %14.1f\n' "(floor) hpcc version" - - "$runs" "$MS" "$(awk -v k="$KIB" 'BEGIN { print k / 1024 }')"
bb5_parts=$("$hpcc" ir --summary "$root/examples/bb5-poc.hpc" | partitions)
measure "bb5-poc ir" "$runs" "$hpcc" ir "$root/examples/bb5-poc.hpc"
bb5_ms=$MS
row "bb5-poc ir" "$bb5_parts" "$root/examples/bb5-poc.hpc" "$runs" "$MS" "$KIB"
measure "bb5-poc ir --summary" "$runs" "$hpcc" ir --summary "$root/examples/bb5-poc.hpc"
row "bb5-poc ir --summary" "$bb5_parts" "$root/examples/bb5-poc.hpc" "$runs" "$MS" "$KIB"
measure "limits ir" "$runs" "$hpcc" ir "$tmp/limits.hpc"
row "limits (50x50) ir" 50 "$tmp/limits.hpc" "$runs" "$MS" "$KIB"
measure "limits ir --summary" "$runs" "$hpcc" ir --summary "$tmp/limits.hpc"
row "limits ir --summary" 50 "$tmp/limits.hpc" "$runs" "$MS" "$KIB"

declare -A syn_ms syn_kib sum_ms
for n in $sizes; do
    measure "synthetic-$n ir" "$big_runs" "$hpcc" ir "$tmp/synthetic-$n.hpc"
    syn_ms[$n]=$MS syn_kib[$n]=$KIB
    row "synthetic-$n ir" "$n" "$tmp/synthetic-$n.hpc" "$big_runs" "$MS" "$KIB"
done
for n in $sizes; do
    measure "synthetic-$n ir --summary" "$big_runs" "$hpcc" ir --summary "$tmp/synthetic-$n.hpc"
    sum_ms[$n]=$MS
    row "synthetic-$n ir --summary" "$n" "$tmp/synthetic-$n.hpc" "$big_runs" "$MS" "$KIB"
done

echo
echo "growth (synthetic specs; linear growth keeps the per-partition columns flat)"
printf '%-12s %10s %16s %13s %21s %18s\n' "partitions" "ir ms" "ir us/partition" "x first size" "summary us/partition" "ir KiB/partition"
first=
for n in $sizes; do
    [ -z "$first" ] && first=$n
    awk -v n="$n" -v ms="${syn_ms[$n]}" -v fms="${syn_ms[$first]}" -v sms="${sum_ms[$n]}" -v kib="${syn_kib[$n]}" 'BEGIN {
        printf "%-12d %10.2f %16.1f %12.2fx %21.1f %18.1f\n", n, ms, ms * 1000 / n, ms / fms, sms * 1000 / n, kib / n }'
done

echo
last=${sizes##* }
awk -v b="$bb5_ms" -v f="$first" -v l="$last" -v fms="${syn_ms[$first]}" -v lms="${syn_ms[$last]}" 'BEGIN {
    printf "target bb5-poc median <= 2.5 ms: %.2f ms  %s\n", b, b <= 2.5 ? "ok" : "MISSED"
    r = lms / fms; size = l / f
    printf "target linear growth: time(%d) / time(%d) = %.2f for %gx the partitions  %s\n", l, f, r, size,
           r <= size * 1.3 ? "ok" : "MISSED (super-linear)"
}'
echo
echo "raw (tools/bench.c):"
cat "$tmp/raw"
