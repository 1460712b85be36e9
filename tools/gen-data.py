#!/usr/bin/python3
"""gen-data.py FACTS_DIR — writes the stdlib's data files from the project's facts.

    stdlib/data/instances.json        the EC2 instance catalog (hardware only, no prices)
    stdlib/data/prices-us-east-1.json  the built-in price snapshot (format hpcc-prices/1)
    stdlib/data/fsx-lustre.json        FSx for Lustre: valid deployments, capacities, per-TiB rates

FACTS_DIR holds ec2-instances.json and prices-storage-bb5-pricelist.md. The
output is committed; run this again only when the facts change, and review the
diff. Figures the facts mark [U] (not found in a source) carry "confidence":
"U" and a note, and hpcc reports any result that rests on one as unverified.
"""
import hashlib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "stdlib", "data")

# Where each type is offered, as far as the facts say. hpc6a, hpc6id and hpc7a
# are NOT sold in us-east-1: the facts' prices for them are us-east-2 prices.
NOT_IN_US_EAST_1 = {
    "hpc6a.48xlarge": ["us-east-2", "eu-north-1", "ap-southeast-1"],
    "hpc6id.32xlarge": ["us-east-2", "eu-north-1"],
    "hpc7a.96xlarge": ["us-east-2", "eu-north-1", "eu-west-1"],
}

# Accelerators that are not GPUs (the facts' "gpus" field counts them too).
ACCELERATORS = {"trn1.32xlarge": ("trainium", "AWS Trainium")}

# Figures the facts derive rather than measure.
UNVERIFIED = {
    "r7iz.32xlarge": {"cores": "cores and threads per core derived from AWS's two-vCPUs-per-core rule, not measured"},
}


def dec(x):
    """A JSON number from the facts as an exact decimal string."""
    s = repr(x) if isinstance(x, float) else str(x)
    if "e" in s or "E" in s:
        raise SystemExit(f"unexpected exponent in {s}")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def instances(facts):
    out = []
    for x in facts:
        t = x["type"]
        acc = ACCELERATORS.get(t)
        e = {
            "type": t,
            "vcpus": x["vcpus"],
            "cores": x["cores"],
            "threads_per_core": x["threads_per_core"],
            "memory_gib": x["memory_gib"],
            "arch": x["arch"],
            "cpu": x["cpu"],
            "avx512": x["avx512"],
            "efa": x["efa"],
            "network_gbps": dec(x["network_gbps"]),
            "nvme_gb": x["nvme_gb"],
            "nvme": x["nvme_desc"],
            "gpus": 0 if acc else x["gpus"],
            "gpu_model": None if acc else x["gpu_model"],
            "gpu_memory_gib": 0 if acc or not x["gpu_mem_gib"] else x["gpu_mem_gib"],
            "accelerators": {"kind": acc[0], "name": acc[1], "count": x["gpus"], "memory_gib": x["gpu_mem_gib"]} if acc else None,
            "regions": NOT_IN_US_EAST_1.get(t, ["us-east-1"]),
            "unverified": UNVERIFIED.get(t, {}),
            "notes": x["notes"],
            "sources": x["source"],
        }
        out.append(e)
    return out


FSX_PRICES = [
    # deployment, media, per-unit MB/s/TiB, USD per GB-month, confidence, source
    ("SCRATCH_2", "SSD", 200, "0.140", "C", "learning-aws.readthedocs.io resources/pricing.rst"),
    ("PERSISTENT_2", "SSD", 125, "0.145", "C", "c3x.dev aws_fsx_lustre_file_system"),
    ("PERSISTENT_2", "SSD", 250, "0.210", "U", "not found in a source"),
    ("PERSISTENT_2", "SSD", 500, "0.340", "U", "not found in a source"),
    ("PERSISTENT_2", "SSD", 1000, "0.600", "U", "not found in a source"),
    ("PERSISTENT_1", "SSD", 50, "0.145", "C", "awsnegotiations.com FSx comparison"),
    ("PERSISTENT_1", "SSD", 100, "0.210", "U", "not found in a source"),
    ("PERSISTENT_1", "SSD", 200, "0.290", "U", "not found in a source"),
    ("PERSISTENT_1", "HDD", 12, "0.025", "U", "not found in a source; the SSD read cache is priced separately"),
    ("PERSISTENT_1", "HDD", 40, "0.083", "U", "not found in a source; the SSD read cache is priced separately"),
]


def price(usd, per, conf, source):
    return {"usd": usd, "per": per, "confidence": conf, "source": source}


def prices(facts, facts_dir):
    ec2 = {}
    for x in facts:
        if x["type"] in NOT_IN_US_EAST_1:
            continue  # its price in the facts is another region's
        ec2[x["type"]] = dec(x["price_usd_hour"])
    return {
        "format": "hpcc-prices/1",
        "region": "us-east-1",
        "currency": "USD",
        "source": {
            "description": "hpcc's built-in snapshot, from the project's facts: EC2 on-demand Linux (shared tenancy) "
                           "prices as generated for us-east-1 on 2026-07-20 (aws/karpenter-provider-aws), storage prices "
                           "from the pages named beside each",
            "url": None,
            "version": "2026-07-20",
            "published": "2026-07-20",
            "files": {
                "ec2-instances.json": sha256(os.path.join(facts_dir, "ec2-instances.json")),
                "prices-storage-bb5-pricelist.md": sha256(os.path.join(facts_dir, "prices-storage-bb5-pricelist.md")),
            },
        },
        "ec2": dict(sorted(ec2.items())),
        "storage": {
            "fsx_lustre": [
                dict(price(usd, "GB-month", c, src), deployment=d, media=m, per_unit=pu) for d, m, pu, usd, c, src in FSX_PRICES
            ],
            "efs_standard": price("0.30", "GB-month", "V", "aws.amazon.com/efs/pricing"),
            "efs_provisioned_throughput": price("6.00", "MiB/s-month", "C", "Manning, AWS in Action 3e, 9.5.2"),
            "ebs_gp3": price("0.08", "GB-month", "C", "saisci.com; terrapod issue 956 (2026-07)"),
            "ebs_gp3_iops": price("0.005", "IOPS-month", "U", "above 3000 IOPS; not found in a source"),
            "ebs_gp3_throughput": price("0.040", "MiB/s-month", "C", "above 125 MiB/s; saisci.com"),
            "ebs_gp2": price("0.10", "GB-month", "U", "not found in a source"),
            "s3_standard": price("0.023", "GB-month", "C", "first 50 TB; learning-aws.readthedocs.io pricing.rst"),
        },
    }


def fsx():
    # capacity: smallest size and the step above it (GiB); rates in MB/s per TiB of capacity.
    def d(deployment, media, per_unit, first, step, disk, disk_burst, net, net_burst):
        return {"deployment": deployment, "media": media, "per_unit": per_unit, "min_gib": first, "step_gib": step,
                "disk_baseline": disk, "disk_burst": disk_burst, "network_baseline": net, "network_burst": net_burst}
    return {
        "source": "awsdocs/amazon-fsx-lustre-user-guide c55836f doc_source/performance.md and managing-storage-capacity.md",
        "throughput": "aggregate = capacity in TiB as AWS counts it (GiB / 1000) x the per-TiB rate; "
                      "null: the table gives no burst (the baseline is the most); SCRATCH_2 disks give 200 MB/s/TiB "
                      "read, 100 written",
        "deployments": [
            d("SCRATCH_2", "SSD", 200, 1200, 2400, 200, None, 200, 1300),
            d("PERSISTENT_2", "SSD", 125, 1200, 2400, 125, 500, 320, 1300),
            d("PERSISTENT_2", "SSD", 250, 1200, 2400, 250, 500, 640, 1300),
            d("PERSISTENT_2", "SSD", 500, 1200, 2400, 500, None, 1300, None),
            d("PERSISTENT_2", "SSD", 1000, 1200, 2400, 1000, None, 2600, None),
            d("PERSISTENT_1", "SSD", 50, 1200, 2400, 50, 240, 250, 1300),
            d("PERSISTENT_1", "SSD", 100, 1200, 2400, 100, 240, 500, 1300),
            d("PERSISTENT_1", "SSD", 200, 1200, 2400, 200, 240, 750, 1300),
            d("PERSISTENT_1", "HDD", 12, 6000, 6000, 12, 80, 40, 375),
            d("PERSISTENT_1", "HDD", 40, 1800, 1800, 40, 250, 150, 1300),
        ],
    }


def write(name, obj):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("wrote", os.path.relpath(path, ROOT))


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    facts_dir = sys.argv[1]
    with open(os.path.join(facts_dir, "ec2-instances.json"), encoding="utf-8") as f:
        facts = json.load(f)
    os.makedirs(OUT, exist_ok=True)
    write("instances.json", {"source": "the project's facts, ec2-instances.json (sha256 " + sha256(os.path.join(facts_dir, "ec2-instances.json")) + ")",
                             "instances": instances(facts)})
    write("prices-us-east-1.json", prices(facts, facts_dir))
    write("fsx-lustre.json", fsx())


if __name__ == "__main__":
    main()
