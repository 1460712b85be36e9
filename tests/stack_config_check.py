#!/usr/bin/python3
"""stack_config_check.py CLUSTER_DIR... — the cluster stack creates the cluster cluster.yaml describes.

In cluster-stack.yaml, Custom::PclusterCluster's ClusterConfiguration must
equal cluster.yaml, except that values for resources the stack itself creates
are `Ref`s to them. Each Ref must stand where cluster.yaml has that resource's
name or ARN: a managed policy's ARN (…:policy/<ManagedPolicyName>), the key
pair's name, the secret's (partial) ARN (…:secret:<Name>). A security group
the stack creates because the spec pinned none is the one value cluster.yaml
cannot hold yet (hpcc warns about it): it is added at the end of its list.
So is a file system the stack creates (owner = stack) before the spec pins
its id: its SharedStorage entry is in the stack only; once pinned, cluster.yaml
names an fs- id where the stack has the Ref.
ClusterName must be the cluster's name, and the stack must not be named like it.
"""
import os
import sys

import yaml


def is_stack_fs(v, res):
    return isinstance(v, dict) and set(v) == {"Ref"} and res.get(v["Ref"], {}).get("Type") == "AWS::EFS::FileSystem"


def compare(cfg, ref, res, path, errs):
    if isinstance(cfg, dict) and set(cfg) == {"Ref"}:
        target = res.get(cfg["Ref"])
        if target is None:
            errs.append(f"{path}: Ref to {cfg['Ref']!r}, which is not a resource of the stack")
            return
        t, props = target["Type"], target.get("Properties", {})
        ok = {
            "AWS::IAM::ManagedPolicy": lambda v: isinstance(v, str) and v.startswith("arn:") and v.endswith(":policy/" + props["ManagedPolicyName"]),
            "AWS::EC2::KeyPair": lambda v: v == props["KeyName"],
            "AWS::SecretsManager::Secret": lambda v: isinstance(v, str) and v.endswith(":secret:" + props["Name"]),
            "AWS::EFS::FileSystem": lambda v: isinstance(v, str) and v.startswith("fs-"),
        }.get(t)
        if not ok or not ok(ref):
            errs.append(f"{path}: Ref to {cfg['Ref']} ({t}) stands where cluster.yaml has {ref!r}")
        return
    if isinstance(cfg, dict) and any(k.startswith("Fn::") for k in cfg):
        errs.append(f"{path}: unexpected intrinsic {cfg!r}")
        return
    if type(cfg) is not type(ref):
        errs.append(f"{path}: stack has {cfg!r}, cluster.yaml has {ref!r}")
    elif isinstance(cfg, dict):
        for k in sorted(set(cfg) | set(ref)):
            if k == "SharedStorage" and k not in ref:
                compare(cfg[k], [], res, f"{path}/{k}", errs)  # only unpinned stack file systems may be left
            elif k not in cfg or k not in ref:
                errs.append(f"{path}/{k}: only in {'the stack' if k in cfg else 'cluster.yaml'}")
            else:
                compare(cfg[k], ref[k], res, f"{path}/{k}", errs)
    elif isinstance(cfg, list):
        # Security groups the stack creates, not yet pinned in the spec: appended at the end.
        created = [x for x in cfg if isinstance(x, dict) and set(x) == {"Ref"}
                   and res.get(x["Ref"], {}).get("Type") == "AWS::EC2::SecurityGroup"]
        if created and cfg[len(cfg) - len(created):] == created:
            cfg = cfg[:len(cfg) - len(created)]
        # File systems the stack creates, not yet pinned: in the stack's SharedStorage only.
        names = {y.get("Name") for y in ref if isinstance(y, dict)}
        cfg = [x for x in cfg if not (isinstance(x, dict) and x.get("Name") not in names
                                      and is_stack_fs(x.get("EfsSettings", {}).get("FileSystemId"), res))]
        if len(cfg) != len(ref):
            errs.append(f"{path}: {len(cfg)} items in the stack, {len(ref)} in cluster.yaml")
        for i, (x, y) in enumerate(zip(cfg, ref)):
            compare(x, y, res, f"{path}[{i}]", errs)
    elif cfg != ref:
        errs.append(f"{path}: stack has {cfg!r}, cluster.yaml has {ref!r}")


def main(dirs):
    fails, checked = 0, 0
    for d in dirs:
        name = os.path.basename(d.rstrip("/"))
        with open(os.path.join(d, "cluster-stack.yaml"), encoding="utf-8") as f:
            tpl = yaml.safe_load(f)
        with open(os.path.join(d, "cluster.yaml"), encoding="utf-8") as f:
            ref = yaml.safe_load(f)
        res = tpl["Resources"]
        cr = [r for r in res.values() if r["Type"] == "Custom::PclusterCluster"]
        errs = []
        if len(cr) != 1:
            errs.append(f"{len(cr)} Custom::PclusterCluster resources, expected 1")
        else:
            props = cr[0]["Properties"]
            if props.get("ClusterName") != name:
                errs.append(f"ClusterName {props.get('ClusterName')!r}, expected {name!r}")
            compare(props["ClusterConfiguration"], ref, res, "ClusterConfiguration", errs)
        for e in errs:
            print(f"FAIL {d}: {e}")
        fails += len(errs)
        checked += 1
    if fails:
        return 1
    print(f"stack config: in {checked} cluster stacks, ClusterConfiguration is cluster.yaml with the stack's own resources as Refs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
