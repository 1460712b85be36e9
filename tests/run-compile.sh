#!/usr/bin/env bash
# run-compile.sh HPCC — `hpcc compile`: fidelity to the Blue Brain reference,
# and the guarantees of the output directory:
#   - a spec with errors writes nothing and leaves the directory as it was;
#   - a write failure (here: a file-size limit, as a full disk would) leaves it as it was;
#   - files an earlier compile wrote and this one does not are removed;
#   - files hpcc did not write are never touched;
#   - the manifest lists every written file with its sha256 (sha256sum -c).
set -euo pipefail
hpcc=$(realpath "$1")
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "  ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
snapshot() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum; find . | LC_ALL=C sort); }

# 1. Fidelity to the reference.
"$hpcc" compile examples/bb5-poc.hpc -o "$tmp/out" >/dev/null
/usr/bin/python3 tests/fidelity.py "$tmp/out" || fail=1
(cd "$tmp/out/sbo-poc" && sha256sum --quiet -c manifest.sha256) && ok "manifest checks with sha256sum -c" || bad "manifest"
[ "$(cut -c67- "$tmp/out/sbo-poc/manifest.sha256" | tr '\n' ' ')" = "cluster-stack.yaml cluster.yaml components/configure-ami.yaml components/packages.yaml components/singularity-ce.yaml deploy.sh image-stack.yaml image.yaml policies/ParallelCluster_CloudWatch_TagLogGroup_SLURM.json policies/ParallelCluster_S3_GetObject_RPMs.json report.json report.md slurm_extras.conf " ] \
    && ok "manifest lists exactly the written files" || bad "manifest contents: $(cat "$tmp/out/sbo-poc/manifest.sha256")"

# 2. Errors write nothing: the directory stays byte for byte as it was.
echo "not hpcc's" > "$tmp/out/sbo-poc/notes.txt"
before=$(snapshot "$tmp/out")
sed 's/region   = us-east-1/region   = us-east-99x/' examples/bb5-poc.hpc > "$tmp/bad.hpc"
cp -r examples/components "$tmp/"
set +e; "$hpcc" compile "$tmp/bad.hpc" -o "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr"; rc=$?; set -e
[ $rc -eq 1 ] && ok "a spec error exits 1" || bad "spec error exit $rc"
grep -q "nothing written" "$tmp/stderr" && ok "says nothing was written" || bad "no 'nothing written' in: $(cat "$tmp/stderr")"
[ "$(snapshot "$tmp/out")" = "$before" ] && ok "output unchanged after a spec error" || bad "output changed after a spec error"

# 3. A write failure (file size limit: EFBIG, as ENOSPC would) changes nothing.
sed 's/instance = t3.micro$/instance = t3.small/' examples/bb5-poc.hpc > "$tmp/changed.hpc"
set +e; (trap '' XFSZ; ulimit -f 4; "$hpcc" compile "$tmp/changed.hpc" -o "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr"); rc=$?; set -e
[ $rc -eq 2 ] && ok "a write failure exits 2" || bad "write failure exit $rc: $(cat "$tmp/stderr")"
grep -q "File too large" "$tmp/stderr" && ok "names the failure: $(head -1 "$tmp/stderr")" || bad "write failure message: $(cat "$tmp/stderr")"
[ "$(snapshot "$tmp/out")" = "$before" ] && ok "output unchanged after a write failure" || bad "output changed after a write failure"
[ -z "$(find "$tmp/out" -name '*.hpcc-tmp')" ] && ok "no temporary files left" || bad "temporary files left"

# 4. A fresh directory that cannot be completed is removed again.
set +e; (trap '' XFSZ; ulimit -f 4; "$hpcc" compile examples/bb5-poc.hpc -o "$tmp/fresh/deep" >/dev/null 2>&1); set -e
[ ! -e "$tmp/fresh" ] && ok "directories created by a failed run are removed" || bad "failed run left $(find "$tmp/fresh")"

# 5. Stale files go, foreign files stay.
cat > "$tmp/one.hpc" <<'HPC'
component a { version = "1.0.0"; build Run = "true" }
component b { version = "1.0.0"; build Run = "true" }
cluster cl {
  account = "123456789012"
  region = us-east-1
  os = alinux2023
  image i { parent = "ami-0123456789abcdef0"; instance = m5.large; components = [a, b] }
  head { instance = t3.micro; network = { subnet = "subnet-0123456789abcdef0" } }
  partition p { network = { subnet = "subnet-0123456789abcdef0" }; nodes n { instance = t3.micro; count = 0..2 } }
}
HPC
"$hpcc" compile "$tmp/one.hpc" -o "$tmp/o2" >/dev/null
touch "$tmp/o2/cl/components/mine.yaml"
sed -i 's/components = \[a, b\]/components = [a]/' "$tmp/one.hpc"
"$hpcc" compile "$tmp/one.hpc" -o "$tmp/o2" >/dev/null
[ ! -e "$tmp/o2/cl/components/b.yaml" ] && ok "a file the new compile does not produce is removed" || bad "stale b.yaml kept"
[ -e "$tmp/o2/cl/components/a.yaml" ] && ok "files still produced stay" || bad "a.yaml missing"
[ -e "$tmp/o2/cl/components/mine.yaml" ] && ok "a file hpcc did not write is not touched" || bad "mine.yaml removed"
sed -i 's/^  image i .*$//' "$tmp/one.hpc"
"$hpcc" compile "$tmp/one.hpc" -o "$tmp/o2" >/dev/null
[ ! -e "$tmp/o2/cl/image.yaml" ] && [ ! -e "$tmp/o2/cl/image-stack.yaml" ] && [ ! -e "$tmp/o2/cl/components/a.yaml" ] \
    && ok "image.yaml, image-stack.yaml and components go when the image does" || bad "image leftovers"
[ -e "$tmp/o2/cl/components/mine.yaml" ] && ok "and the foreign file still stays" || bad "mine.yaml removed"

# 6. Usage errors exit 2.
set +e; "$hpcc" compile >/dev/null 2>&1; rc1=$?; "$hpcc" compile examples/bb5-poc.hpc --cluster nope -o "$tmp/o3" >/dev/null 2>&1; rc2=$?; set -e
[ $rc1 -eq 2 ] && [ $rc2 -eq 2 ] && [ ! -e "$tmp/o3" ] && ok "usage errors exit 2 and write nothing" || bad "usage exits $rc1 $rc2"
"$hpcc" compile examples/bb5-poc.hpc --cluster sbo-poc-seed -o "$tmp/o4" >/dev/null
[ -d "$tmp/o4/sbo-poc-seed" ] && [ ! -e "$tmp/o4/sbo-poc" ] && ok "--cluster writes only that cluster" || bad "--cluster"

[ $fail -eq 0 ] && echo "compile: ok"
exit $fail
