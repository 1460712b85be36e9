#!/usr/bin/python3
"""fidelity.py OUT — the compiled BB5 example against Blue Brain's hand-written files.

1. OUT/sbo-poc/ must equal tests/reference/bluebrain-poc file by file, with no
   difference at all: YAML compared as trees with YAML 1.1 typing (PyYAML, as
   ParallelCluster reads it), comments and key order ignored; slurm_extras.conf
   compared setting by setting, the way Slurm reads it.
2. OUT/sbo-poc-seed/ must differ from OUT/sbo-poc in exactly the seed
   document's changes: the head node's instance type and two more head-node
   scripts. The test lists the differences it expects and finds.
"""
import os
import sys

import yaml

REF = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference", "bluebrain-poc", "config")


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def diff(a, b, path="", out=None):
    """Every difference between two YAML trees, as (path, a, b)."""
    out = [] if out is None else out
    if type(a) is not type(b):
        out.append((path or "/", a, b))
    elif isinstance(a, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in a:
                out.append((f"{path}/{k}", "<absent>", b[k]))
            elif k not in b:
                out.append((f"{path}/{k}", a[k], "<absent>"))
            else:
                diff(a[k], b[k], f"{path}/{k}", out)
    elif isinstance(a, list):
        if len(a) != len(b):
            out.append((f"{path}[len]", len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, f"{path}[{i}]", out)
    elif a != b:
        out.append((path or "/", a, b))
    return out


def slurm_settings(path):
    """key -> value as Slurm reads a slurm.conf line: '#' starts a comment
    unless escaped, one level of '\\' escapes is removed, a value is a run of
    non-blanks or a double-quoted string."""
    settings = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            out, bs = [], 0
            for c in line:
                if c == "#" and bs % 2 == 0:
                    break
                bs = bs + 1 if c == "\\" else 0
                out.append(c)
            line = "".join(out)
            s, i = [], 0
            while i < len(line):
                if line[i] == "\\" and i + 1 < len(line):
                    i += 1
                s.append(line[i])
                i += 1
            line = "".join(s).strip()
            if not line:
                continue
            key, _, value = line.partition("=")
            value = value.strip()
            if value.startswith('"'):
                value = value[1:value.index('"', 1)]
            else:
                value = value.split()[0] if value else ""
            assert key not in settings, f"{path}: {key} set twice"
            settings[key.strip()] = value
    return settings


def report(name, diffs):
    for p, a, b in diffs:
        print(f"  {name}{p}: reference {a!r}, hpcc {b!r}")


def main(out):
    failures = 0
    poc = os.path.join(out, "sbo-poc")
    pairs = [
        ("cluster.yaml", os.path.join(REF, "compute-cluster.yaml")),
        ("image.yaml", os.path.join(REF, "ami", "ami-config.yaml")),
    ]
    for comp in sorted(os.listdir(os.path.join(REF, "ami", "components"))):
        pairs.append((f"components/{comp}", os.path.join(REF, "ami", "components", comp)))
    for ours, ref in pairs:
        d = diff(load(ref), load(os.path.join(poc, ours)))
        if d:
            failures += 1
            print(f"FAIL sbo-poc/{ours} differs from the reference:")
            report(ours, d)
    produced = sorted(os.listdir(os.path.join(poc, "components")))
    expected = sorted(os.listdir(os.path.join(REF, "ami", "components")))
    if produced != expected:
        failures += 1
        print(f"FAIL components: hpcc wrote {produced}, the reference has {expected}")
    a, b = slurm_settings(os.path.join(REF, "s3", "slurm_extras.conf")), slurm_settings(os.path.join(poc, "slurm_extras.conf"))
    if a != b:
        failures += 1
        print("FAIL slurm_extras.conf differs from the reference:")
        report("slurm_extras.conf/", diff(a, b))

    # The seed variant: exactly these differences from sbo-poc, nothing else.
    seed = os.path.join(out, "sbo-poc-seed")
    assets = "s3://sboinfrastructureassets/scripts"
    expect = [
        ("/HeadNode/CustomActions/OnNodeConfigured/Sequence[len]", 3, 5),
        ("/HeadNode/CustomActions/OnNodeConfigured/Sequence[3]", "<absent>",
         {"Script": f"{assets}/setup_slurmrestd_service.sh"}),
        ("/HeadNode/CustomActions/OnNodeConfigured/Sequence[4]", "<absent>",
         {"Script": f"{assets}/setup_nexus_storage_service.sh"}),
        ("/HeadNode/InstanceType", "t3.micro", "t3.medium"),
    ]
    pa, pb = load(os.path.join(poc, "cluster.yaml")), load(os.path.join(seed, "cluster.yaml"))
    found = diff(pa, pb)
    # zip() stops at the shorter list: add the appended items explicitly.
    seq_a = pa["HeadNode"]["CustomActions"]["OnNodeConfigured"]["Sequence"]
    seq_b = pb["HeadNode"]["CustomActions"]["OnNodeConfigured"]["Sequence"]
    for i in range(len(seq_a), len(seq_b)):
        found.append((f"/HeadNode/CustomActions/OnNodeConfigured/Sequence[{i}]", "<absent>", seq_b[i]))
    if sorted(found, key=str) != sorted(expect, key=str):
        failures += 1
        print("FAIL sbo-poc-seed/cluster.yaml: expected exactly")
        report("cluster.yaml", expect)
        print("  found")
        report("cluster.yaml", found)
    for name in ["image.yaml", "slurm_extras.conf"] + [f"components/{c}" for c in expected]:
        with open(os.path.join(poc, name), "rb") as f1, open(os.path.join(seed, name), "rb") as f2:
            if f1.read() != f2.read():
                failures += 1
                print(f"FAIL sbo-poc-seed/{name} differs from sbo-poc/{name}")
    if failures:
        return 1
    print(f"fidelity: sbo-poc equals the reference ({len(pairs)} YAML files, {len(a)} Slurm settings); "
          f"sbo-poc-seed differs in exactly {len(expect)} places")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
