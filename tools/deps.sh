#!/usr/bin/env bash
# deps.sh — installs the Debian packages hpcc needs to build and test, only
# those that are missing (make deps; run first by make demo and make check).
#
#   build:  gcc make pkg-config libjansson-dev libpcre2-dev libyaml-dev libcurl4-openssl-dev libssl-dev
#   tests:  libcriterion-dev python3 python3-yaml shellcheck slurmctld slurm-client iproute2
#           nodejs npm (only to fetch the CloudFormation resource database, npm ci --prefix tests/cfn)
#   fuzz:   clang (only needed by make fuzz, installed here all the same)
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(gcc make pkg-config libjansson-dev libpcre2-dev libyaml-dev libcurl4-openssl-dev libssl-dev
      libcriterion-dev python3 python3-yaml shellcheck slurmctld slurm-client iproute2 clang)

missing=()
for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
# npm may come with a nodejs from elsewhere (NodeSource bundles it): ask for the
# command, not the Debian package.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

# The CloudFormation resource database the stack checker reads (tests/cfn_check.py):
# one pinned npm package, fetched once from npm's registry.
cfn_db() {
    if [ ! -f tests/cfn/node_modules/@aws-cdk/aws-service-spec/db.json.gz ]; then
        echo "hpcc: fetching the CloudFormation resource database (npm ci --prefix tests/cfn)"
        npm ci --prefix tests/cfn --no-audit --no-fund --loglevel=error
    fi
}
if [ ${#missing[@]} -eq 0 ]; then cfn_db; exit 0; fi

echo "hpcc: installing missing packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=sudo
    else
        echo "hpcc: run as root, or install them: apt-get install ${missing[*]}" >&2
        exit 1
    fi
else
    SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when they have never been fetched.
if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial)" ]; then
    $SUDO apt-get update -qq
fi
if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
cfn_db
