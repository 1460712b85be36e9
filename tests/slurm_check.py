#!/usr/bin/python3
"""slurm_check.py OUT_CLUSTER_DIR... — the generated Slurm settings, read by a real slurmctld.

For each compiled cluster, writes a slurm.conf the way ParallelCluster does on
the head node: each queue a partition with its CustomSlurmSettings (MaxTime,
MaxNodes, ...), each compute resource cloud nodes `<queue>-dy-<cr>-[1-N]`
(and `-st-` for static ones) with `State=CLOUD` and the instance's vCPUs, and
the generated slurm_extras.conf included. A throwaway slurmctld (Debian's
Slurm 22.05) reads it in a private network namespace, on loopback, with no
authentication daemon; the test asks `scontrol show partition` for what the
spec said, then stops it by its PID.

Debian ships Slurm 22.05 while ParallelCluster 3.11 runs 23.11: a setting
newer than 22.05 would be unknown to this slurmctld, so the extras file's
settings are also checked against the project's own list of valid keys and
values (SLURM_KEYS below), which holds 23.11's.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fidelity import slurm_settings  # noqa: E402

# vCPUs of the instance types the examples use (shared facts: ec2-instances.json).
VCPUS = {"t3.micro": 2, "t3.small": 2, "t3.medium": 2, "m5.large": 2, "m5.8xlarge": 32, "c5d.24xlarge": 96,
         "c7a.48xlarge": 192, "hpc7a.96xlarge": 192, "p4d.24xlarge": 96, "p5.48xlarge": 192, "g5.48xlarge": 192,
         "g5.12xlarge": 48, "r6i.32xlarge": 128}

# Keys an include file may set, with the values the project accepts where Slurm
# only checks them loosely (22.05 silently takes MpiDefault=pmi9, for one).
SLURM_KEYS = {
    "MpiDefault": {"none", "pmi2", "pmix", "pmix_v3", "pmix_v4", "pmix_v5", "cray_shasta"},
    "PrologFlags": {"Alloc", "Contain", "DeferBatch", "NoHold", "ForceRequeueOnFail", "RunInJob", "Serial", "X11"},
    "LaunchParameters": None, "InteractiveStepOptions": None, "TaskProlog": None, "TaskEpilog": None,
    "PriorityType": {"priority/basic", "priority/multifactor"}, "PriorityWeightAge": None, "PriorityWeightFairshare": None,
    "PriorityWeightJobSize": None, "PriorityWeightPartition": None, "PriorityWeightQOS": None, "PriorityDecayHalfLife": None,
    "PriorityMaxAge": None, "DefMemPerCPU": None, "MaxMemPerCPU": None, "KillWait": None, "MinJobAge": None,
    "MessageTimeout": None, "SchedulerParameters": None, "JobRequeue": {"0", "1"}, "MaxJobCount": None,
    "MaxArraySize": None, "OverTimeLimit": None, "UnkillableStepTimeout": None, "GpuFreqDef": None,
    "JobCompType": {"jobcomp/none", "jobcomp/filetxt", "jobcomp/elasticsearch", "jobcomp/kafka", "jobcomp/lua", "jobcomp/script"},
    "EnforcePartLimits": {"ALL", "ANY", "NO", "YES"}, "PropagateResourceLimits": None,
    "PropagateResourceLimitsExcept": None, "TaskPluginParam": None, "AuthAltTypes": None, "AuthAltParameters": None,
}


def nodes_line(queue, cr):
    lines, names = [], []
    name, inst = cr["Name"], cr["Instances"][0]["InstanceType"]
    cpus = VCPUS[inst]
    lo, hi = cr.get("MinCount", 0), cr.get("MaxCount", 10)
    if lo:
        n = f"{queue}-st-{name}-[1-{lo}]"
        lines.append(f"NodeName={n} CPUs={cpus} State=CLOUD Feature=static,{inst}")
        names.append(n)
    if hi > lo:
        n = f"{queue}-dy-{name}-[1-{hi - lo}]"
        lines.append(f"NodeName={n} CPUs={cpus} State=CLOUD Feature=dynamic,{inst}")
        names.append(n)
    return lines, names


def slurm_value(v):
    return str(v) if not isinstance(v, bool) else ("YES" if v else "NO")


def write_conf(d, cluster_dir, port):
    with open(os.path.join(cluster_dir, "cluster.yaml"), encoding="utf-8") as f:
        cfg = yaml.safe_load(f)
    name = re.sub(r"[^A-Za-z0-9_]", "_", os.path.basename(cluster_dir.rstrip("/")))[:40]
    conf = [
        f"ClusterName={name.lower()}", "SlurmctldHost=localhost(127.0.0.1)", f"SlurmctldPort={port}", "SlurmUser=root",
        "AuthType=auth/none", "CredType=cred/none", f"StateSaveLocation={d}/state", f"SlurmdSpoolDir={d}/spool",
        f"SlurmctldPidFile={d}/slurmctld.pid", f"SlurmctldLogFile={d}/slurmctld.log", "SlurmctldDebug=info",
        "AccountingStorageType=accounting_storage/none", "JobAcctGatherType=jobacct_gather/none",
        "ProctrackType=proctrack/linuxproc", "SchedulerType=sched/backfill", "SelectType=select/cons_tres",
        "SelectTypeParameters=CR_CPU", "ReturnToService=2", "ResumeProgram=/bin/true", "SuspendProgram=/bin/true",
        "SuspendTime=600", "ResumeTimeout=1800", "TreeWidth=60000", "MailProg=/bin/true",
    ]
    for item in (cfg["Scheduling"].get("SlurmSettings") or {}).get("CustomSlurmSettings") or []:
        conf += [f"{k}={slurm_value(v)}" for k, v in item.items()]
    extras = os.path.join(cluster_dir, "slurm_extras.conf")
    if os.path.exists(extras):
        conf.append(f"include {extras}")
    expected = {}
    for q in cfg["Scheduling"]["SlurmQueues"]:
        names = []
        for cr in q["ComputeResources"]:
            lines, ns = nodes_line(q["Name"], cr)
            conf += lines
            names += ns
        settings = " ".join(f"{k}={slurm_value(v)}" for k, v in (q.get("CustomSlurmSettings") or {}).items())
        conf.append(f"PartitionName={q['Name']} Nodes={','.join(names)} State=UP {settings}".rstrip())
        expected[q["Name"]] = q.get("CustomSlurmSettings") or {}
    with open(os.path.join(d, "slurm.conf"), "w", encoding="utf-8") as f:
        f.write("\n".join(conf) + "\n")
    return expected


def minutes_to_slurm(v):
    """MaxTime as scontrol prints it: D-HH:MM:SS or HH:MM:SS."""
    if isinstance(v, str) and re.fullmatch(r"\d+-\d\d:\d\d:\d\d", v):
        return v if not v.startswith("0-") else v[2:]
    m = int(v)
    d, rest = divmod(m, 1440)
    h, mi = divmod(rest, 60)
    return f"{d}-{h:02}:{mi:02}:00" if d else f"{h:02}:{mi:02}:00"


def run_ctld(d):
    """slurmctld in a private network namespace; returns (ok, partitions text, config text)."""
    script = f"""
set -e
ip link set lo up 2>/dev/null || true
# glibc resolves wildcard addresses only when a non-loopback address exists (AI_ADDRCONFIG)
if [ "${{HPCC_NETNS:-}}" = 1 ]; then ip addr add 10.254.0.1/32 dev lo 2>/dev/null || true; fi
export SLURM_CONF={d}/slurm.conf
slurmctld -D -c -f {d}/slurm.conf > {d}/ctld.out 2>&1 &
pid=$!
for i in $(seq 1 100); do
  if scontrol ping 2>/dev/null | grep -q UP; then break; fi
  if ! kill -0 $pid 2>/dev/null; then echo "slurmctld exited"; cat {d}/ctld.out {d}/slurmctld.log 2>/dev/null; exit 3; fi
  sleep 0.1
done
scontrol ping | grep -q UP || {{ echo "slurmctld did not answer"; cat {d}/slurmctld.log; kill $pid; exit 4; }}
scontrol show partition > {d}/partitions.txt
scontrol show config > {d}/config.txt
kill $pid
wait $pid 2>/dev/null || true
"""
    cmd = ["unshare", "-n", "env", "HPCC_NETNS=1", "bash", "-c", script]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if r.returncode != 0 and "unshare failed" in r.stderr:  # no user namespace rights: run on loopback as is
        r = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        return False, r.stdout + r.stderr, ""
    with open(os.path.join(d, "partitions.txt")) as f:
        parts = f.read()
    with open(os.path.join(d, "config.txt")) as f:
        config = f.read()
    return True, parts, config


def main(dirs):
    if not shutil.which("slurmctld"):
        print("FAIL: slurmctld is not installed (make deps installs slurmctld and slurm-client)")
        return 1
    fails = 0
    for n, cluster_dir in enumerate(dirs):
        extras = os.path.join(cluster_dir, "slurm_extras.conf")
        if os.path.exists(extras):
            for k, v in slurm_settings(extras).items():
                allowed = SLURM_KEYS.get(k, "missing")
                if allowed == "missing":
                    fails += 1
                    print(f"FAIL {extras}: {k} is not a setting the project knows an include file may set")
                elif allowed is not None and not set(v.split(",")) <= allowed:
                    fails += 1
                    print(f"FAIL {extras}: {k}={v} is not a valid value ({', '.join(sorted(allowed))})")
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "state"))
            os.makedirs(os.path.join(d, "spool"))
            expected = write_conf(d, cluster_dir, 17817 + n)
            ok, parts, config = run_ctld(d)
            if not ok:
                fails += 1
                print(f"FAIL {cluster_dir}: slurmctld refused the configuration:\n{parts}")
                continue
            blocks = {m.group(1): m.group(0) for m in re.finditer(r"PartitionName=(\S+).*?(?=\nPartitionName=|\Z)", parts, re.S)}
            for q, settings in expected.items():
                b = blocks.get(q)
                if not b:
                    fails += 1
                    print(f"FAIL {cluster_dir}: partition {q} missing from scontrol show partition")
                    continue
                if "MaxTime" in settings and f"MaxTime={minutes_to_slurm(settings['MaxTime'])}" not in b:
                    fails += 1
                    print(f"FAIL {q}: MaxTime {settings['MaxTime']} not shown as {minutes_to_slurm(settings['MaxTime'])}:\n{b}")
                if "MaxNodes" in settings and f"MaxNodes={settings['MaxNodes']}" not in b:
                    fails += 1
                    print(f"FAIL {q}: MaxNodes={settings['MaxNodes']} not shown:\n{b}")
            if os.path.exists(extras):
                for k, v in slurm_settings(extras).items():
                    if k in ("TaskProlog", "TaskEpilog", "MpiDefault", "InteractiveStepOptions", "LaunchParameters"):
                        m = re.search(rf"^{k}\s*=\s*(.*)$", config, re.M)
                        if not m or m.group(1).strip().strip('"') != v:
                            fails += 1
                            print(f"FAIL {cluster_dir}: slurmctld reads {k} as {m.group(1) if m else None!r}, the spec says {v!r}")
            print(f"  ok: slurmctld accepted {cluster_dir} ({len(expected)} partitions, MaxTime and MaxNodes as the spec says)")
    if fails:
        return 1
    print(f"slurm: {len(dirs)} generated configurations accepted by slurmctld 22.05")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(main(sys.argv[1:]))
