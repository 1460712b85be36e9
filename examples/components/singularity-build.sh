#!/bin/bash

set -euo pipefail

# Copy the RPMs to the temporary directory
aws s3 cp s3://sboinfrastructureassets/rpms/singularity-ce-{{ SingularityVersion }}-1.amzn2023.x86_64.rpm /tmp
aws s3 cp s3://sboinfrastructureassets/rpms/singularity-ce-debuginfo-{{ SingularityVersion }}-1.amzn2023.x86_64.rpm /tmp

# Install Singularity CE and its dependencies
dnf install -y /tmp/singularity-ce-*.rpm
rm -rf /tmp/singularity-ce-*.rpm
