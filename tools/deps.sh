#!/usr/bin/env bash
# deps.sh — installs the Debian packages hpcc needs to build and test, only
# those that are missing (make deps; run first by make demo and make check).
#
#   build:  gcc make pkg-config libjansson-dev libpcre2-dev libyaml-dev libcurl4-openssl-dev
#   tests:  libcriterion-dev python3 python3-yaml shellcheck slurmctld slurm-client iproute2
#   fuzz:   clang (only needed by make fuzz, installed here all the same)
set -euo pipefail

pkgs=(gcc make pkg-config libjansson-dev libpcre2-dev libyaml-dev libcurl4-openssl-dev
      libcriterion-dev python3 python3-yaml shellcheck slurmctld slurm-client iproute2 clang)

missing=()
for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

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
