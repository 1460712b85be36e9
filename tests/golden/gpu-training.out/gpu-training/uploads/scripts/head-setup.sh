#!/bin/bash
# Head node setup for the GPU training cluster: a shared conda under /home.
set -euo pipefail

if [ "${1:-}" = "--conda" ] && [ ! -d /home/conda ]; then
    curl -fsSL https://repo.anaconda.com/miniconda/Miniconda3-latest-Linux-x86_64.sh -o /tmp/miniconda.sh
    bash /tmp/miniconda.sh -b -p /home/conda
    rm -f /tmp/miniconda.sh
fi
