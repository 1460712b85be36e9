#!/usr/bin/env bash
# run-deploy.sh HPCC [--update] — deploy.sh, run against fake aws and pcluster
# executables (tests/deploy/aws, tests/deploy/pcluster) that record their
# arguments and answer like the real ones: each stage and path must make
# exactly the calls in tests/deploy/expected/<scenario>.log (the output
# directory written as OUT), print what it should, and fail with a message
# naming the step when AWS says no. Every deploy.sh must pass shellcheck.
set -euo pipefail
hpcc=$(realpath "$1")
update=${2:-}
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0

"$hpcc" compile examples/bb5-poc.hpc -o "$tmp/out" >/dev/null
"$hpcc" compile examples/gpu-training.hpc -o "$tmp/out" >/dev/null
(cd tests/deploy && "$hpcc" compile edge.hpc -o "$tmp/out" >/dev/null 2>&1)
# The edge cluster with its EFA security group and EFS home pinned: the CLI path creates the key pair and the secret.
sed -e 's/^cluster edge {/cluster edge-pinned {/' -e 's/    placement_group = true/    placement_group = true\n    efa_security_group = "sg-0123456789abcdef9"/' \
    -e 's/provider = parameter/provider = nested/' -e 's/owner = stack }/owner = stack; existing = "fs-0123456789abcdef5" }/' tests/deploy/edge.hpc > tests/deploy/edge-pinned.tmp.hpc
(cd tests/deploy && "$hpcc" compile edge-pinned.tmp.hpc -o "$tmp/out" >/dev/null 2>&1)
# Only the EFA security group pinned: the CLI path must refuse for the EFS home.
sed -e 's/^cluster edge {/cluster edge-efs {/' -e 's/    placement_group = true/    placement_group = true\n    efa_security_group = "sg-0123456789abcdef9"/' \
    tests/deploy/edge.hpc > tests/deploy/edge-efs.tmp.hpc
(cd tests/deploy && "$hpcc" compile edge-efs.tmp.hpc -o "$tmp/out" >/dev/null 2>&1)
rm -f tests/deploy/edge-pinned.tmp.hpc tests/deploy/edge-efs.tmp.hpc
for d in "$tmp"/out/*/; do
    shellcheck -s bash "$d/deploy.sh" || { echo "FAIL shellcheck $d/deploy.sh"; fail=1; }
done

# scenario NAME CLUSTER EXPECT_EXIT [ENV=VALUE...] -- DEPLOY_ARGS...
scenario() {
    local name=$1 cluster=$2 want=$3
    shift 3
    local envs=()
    while [ "$1" != -- ]; do envs+=("$1"); shift; done
    shift
    n=$((n + 1))
    local state="$tmp/state-$name" log="$tmp/$name.log" out="$tmp/out/$cluster"
    rm -rf "$state"; mkdir -p "$state"; : > "$log"
    set +e
    env PATH="$root/tests/deploy:$PATH" HOME="$tmp/home" FAKE_LOG="$log" FAKE_STATE="$state" HPCC_POLL_SECONDS=0 "${envs[@]}" \
        bash "$out/deploy.sh" "$@" > "$tmp/$name.stdout" 2> "$tmp/$name.stderr"
    local rc=$?
    set -e
    # What deploy.sh printed is part of the record too.
    { cat "$log"; echo "--- stdout"; cat "$tmp/$name.stdout"; echo "--- stderr"; cat "$tmp/$name.stderr"; echo "--- exit $rc"; } \
        | sed "s|$out|OUT|g" > "$tmp/$name.record"
    local expected="tests/deploy/expected/$name.log"
    if [ "$update" = --update ]; then
        cp "$tmp/$name.record" "$expected"
    elif [ "$rc" -ne "$want" ]; then
        echo "FAIL $name: exit $rc, expected $want"; cat "$tmp/$name.stderr"; fail=1
    elif ! diff -u "$expected" "$tmp/$name.record" > "$tmp/$name.diff"; then
        echo "FAIL $name: deploy.sh did not do what $expected says:"; head -40 "$tmp/$name.diff"; fail=1
    fi
}

scenario image-cli sbo-poc 0 -- image
scenario image-stack sbo-poc 0 -- image --via stack
scenario image-build-fails sbo-poc 1 FAKE_BUILD=fail -- image
scenario cluster-cli sbo-poc 0 -- cluster
scenario cluster-stack sbo-poc 0 -- cluster --via stack
scenario cluster-stack-fails sbo-poc 1 FAKE_STACK=fail -- cluster --via=stack
scenario dry-run-image sbo-poc 0 -- image --dry-run
scenario dry-run-cluster sbo-poc-seed 0 -- cluster --dry-run --via cli
scenario gpu-image-cli gpu-training 0 -- image
scenario gpu-cluster-cli gpu-training 0 -- cluster
scenario edge-image-stack edge 0 -- image --via stack
scenario edge-image-cli edge 0 -- image
scenario edge-cluster-cli edge 1 -- cluster
scenario edge-cluster-stack edge 0 PCLUSTER_SERVICE_TOKEN=arn:aws:lambda:us-west-2:123456789012:function:pcluster -- cluster --via stack
scenario edge-cluster-stack-no-token edge 1 -- cluster --via stack
scenario edge-pinned-cluster-cli edge-pinned 0 -- cluster
[ "$update" = --update ] || { [ "$(cat "$tmp/home/.ssh/edge-admin.pem")" = "-----FAKE KEY-----" ] && [ "$(stat -c %a "$tmp/home/.ssh/edge-admin.pem")" = 600 ] \
    && [ ! -e "$tmp/out/edge-pinned/edge-admin.pem" ] || { echo "FAIL the private key is not (only) in ~/.ssh with mode 600"; fail=1; }; }
scenario edge-pinned-dry-run edge-pinned 0 -- cluster --dry-run
scenario edge-efs-cluster-cli edge-efs 1 -- cluster
scenario usage sbo-poc 2 -- deploy

# Run again, a stage does not create what exists: no create call the second time.
state="$tmp/state-again"; rm -rf "$state"; mkdir -p "$state"
for i in 1 2; do
    : > "$tmp/again.log"
    env PATH="$root/tests/deploy:$PATH" FAKE_LOG="$tmp/again.log" FAKE_STATE="$state" HPCC_POLL_SECONDS=0 \
        bash "$tmp/out/sbo-poc/deploy.sh" image >/dev/null 2>&1
done
if grep -E 'create-|build-image' "$tmp/again.log"; then echo "FAIL a second run created again what existed"; fail=1; fi

/usr/bin/python3 tests/stack_config_check.py "$tmp"/out/*/ || fail=1

# An EFS home the stack creates: absent from cluster.yaml until pinned, then only mounted by id.
/usr/bin/python3 - "$tmp/out" <<'PY' || fail=1
import sys, yaml
out = sys.argv[1]
def cfg(name):
    with open(f"{out}/{name}/cluster.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)
assert "SharedStorage" not in cfg("edge"), "unpinned stack EFS must not be in cluster.yaml"
home = cfg("edge-pinned")["SharedStorage"][0]
assert home == {"Name": "home", "StorageType": "Efs", "MountDir": "/home",
                "EfsSettings": {"FileSystemId": "fs-0123456789abcdef5"}}, home
with open(f"{out}/edge/cluster-stack.yaml", encoding="utf-8") as f:
    res = yaml.safe_load(f)["Resources"]
fs = res["EfsHome"]
assert fs["DeletionPolicy"] == fs["UpdateReplacePolicy"] == "Retain" and fs["Properties"]["Encrypted"] is True, fs
assert res["EfsHomeMountTarget"]["Properties"]["SubnetId"] == "subnet-0123456789abcdef0"
assert "EfsHomeMountTarget" in res["PclusterCluster"]["DependsOn"]
PY

# Every generated stack, checked against CloudFormation's resource database
# (tests/cfn_check.py); the checker itself must reject each of tests/cfn/bad/.
/usr/bin/python3 tests/cfn_check.py --self-test tests/cfn/good/*.yaml || fail=1
/usr/bin/python3 tests/cfn_check.py "$tmp"/out/*/image-stack.yaml "$tmp"/out/*/cluster-stack.yaml || fail=1

[ "$update" = --update ] && echo "updated tests/deploy/expected/" && exit 0
[ $fail -eq 0 ] && echo "deploy: $n scenarios make exactly the expected aws and pcluster calls; shellcheck clean; a second run creates nothing"
exit $fail
