#!/usr/bin/python3
"""optimality.py HPCC — hpcc's two optimisation passes against brute force.

hpcc chooses two things it promises are optimal (docs/language.md section 7,
docs/cost.md):

1. instance selection: a node group with a profile and no instance gets the
   cheapest catalog type priced in the cluster's snapshot that meets every
   requirement, EFA when the group enables it and the head node's
   architecture when the profile names none; equal prices go to the first
   type name; none fits: `no-instance-fits`;
2. FSx for Lustre sizing: a new Lustre file system with open deployment,
   capacity or per-unit throughput and `require` conditions on it gets the
   cheapest valid configuration (ties: the smaller capacity); none fits:
   `storage-sizing`.

This test generates random cases (and some fixed regression cases), writes
them as .hpc specs (many node groups per cluster, many clusters per spec),
runs `hpcc cost --format json` and `hpcc ir`, and compares every answer with
an exhaustive search written here from the documents, in exact arithmetic
(fractions.Fraction): feasibility must agree, hpcc's choice must meet every
requirement, and its price must be the optimum (instances: also the exact
tie-break, the candidate count and the runners-up).

A third of the cases use price snapshots the test writes beside the specs
(`prices = "prices-a.json"`): random prices from a few values, so that ties
are common, with some types and FSx tiers unpriced and the types the
built-in snapshot does not offer priced.

Where the documents are silent the test reads them so: a type without GPUs
has 0 GiB of memory per GPU; data repository links restrict what the sizing
chooses, but on fully pinned values they are only a warning.

On failure each mismatching case is printed with a spec that reproduces it
alone, hpcc's answer and the brute force's, then a digest by problem.

Environment: OPTIMALITY_SEED (default 20250917) picks the cases,
OPTIMALITY_SCALE multiplies how many (default 1), OPTIMALITY_KEEP=1 keeps the
temporary directory with the specs.
"""
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from fractions import Fraction as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "stdlib", "data")
SEED = int(os.environ.get("OPTIMALITY_SEED", "20250917"))
SCALE = F(os.environ.get("OPTIMALITY_SCALE", "1"))
N_INSTANCE = int(1500 * SCALE)
N_STORAGE = int(800 * SCALE)
SUBNET = '{ subnet = "subnet-0123456789abcdef0" }'

# ---- units (exact factors to a base unit) ---------------------------------------------------------

SIZE = {"B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12, "PB": 10**15,
        "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40, "PiB": 2**50}
RATE = {"B/s": 1, "KB/s": 10**3, "MB/s": 10**6, "GB/s": 10**9, "KiB/s": 2**10, "MiB/s": 2**20,
        "GiB/s": 2**30, "Mbit/s": 125000, "Gbit/s": 125 * 10**6}


def decimal(x, max_digits=15, max_places=9):
    """The exact decimal text of a non-negative Fraction, or None (no finite
    expansion, or too long for hpcc's 64-bit rationals)."""
    if x < 0:
        return None
    d, k2, k5 = x.denominator, 0, 0
    while d % 2 == 0:
        d //= 2
        k2 += 1
    while d % 5 == 0:
        d //= 5
        k5 += 1
    places = max(k2, k5)
    if d != 1 or places > max_places:
        return None
    n = x.numerator * 10**places // x.denominator
    s = str(n)
    if len(s) > max_digits:
        return None
    if not places:
        return s
    s = s.rjust(places + 1, "0")
    return s[:-places] + "." + s[-places:]


def quantity(value, canon, table, units, rng):
    """Spec text for `value` (a Fraction in unit `canon`), in a random unit of `units`."""
    first = rng.choice(units)
    for u in [first, canon] + sorted(set(units) - {first, canon}):
        s = decimal(value * table[canon] / table[u])
        if s is not None:
            return "%s %s" % (s, u)
    # no finite decimal: an expression, e.g. 64 GiB / 3
    return "%d %s / %d" % (value.numerator, canon, value.denominator)


def holds(have, op, want):
    if op == ">=":
        return have >= want
    if op == ">":
        return have > want
    if op == "<=":
        return have <= want
    if op == "<":
        return have < want
    assert op == "=="
    return have == want


# ---- data ---------------------------------------------------------------------------------------

def load(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return json.load(f)


CATALOG = load("instances.json")["instances"]
SNAPSHOT = load("prices-us-east-1.json")

# Price snapshots: None is the built-in one; the others are written by the test
# (random prices with many ties, types offered or not), name -> prices.
PRICES = {}


def add_snapshot(name, snap):
    PRICES[name] = {"ec2": {t: F(p) for t, p in snap["ec2"].items()},
                    "fsx": {(p["deployment"], p["media"], p["per_unit"]): F(p["usd"]) for p in snap["storage"]["fsx_lustre"]},
                    "json": snap}


add_snapshot(None, SNAPSHOT)
EC2_STEPS = [F(k, 8) for k in range(1, 41)] + [F("0.0104"), F("4.608"), F("6.144"), F("0.096")]
FSX_STEPS = [F("0.025"), F("0.05"), F("0.083"), F("0.1"), F("0.14"), F("0.145"), F("0.2"), F("0.21"), F("0.29"), F("0.6")]


def random_snapshot(rng, name):
    """A snapshot for us-east-1 with random prices from a few values (ties
    everywhere); some types and FSx tiers have no price, some types the
    built-in snapshot does not offer do."""
    snap = json.loads(json.dumps(SNAPSHOT))
    snap["source"]["description"] = "optimality.py: random prices, seed %d" % SEED
    snap["ec2"] = {i["type"]: decimal(rng.choice(EC2_STEPS)) for i in sorted(CATALOG, key=lambda i: i["type"])
                   if rng.random() < 0.85}
    fsx = []
    for p in snap["storage"]["fsx_lustre"]:
        if rng.random() < 0.9:
            p["usd"] = decimal(rng.choice(FSX_STEPS))
            fsx.append(p)
    snap["storage"]["fsx_lustre"] = fsx
    add_snapshot(name, snap)
    return snap


class Tier:
    def __init__(self, d):
        self.dep, self.media, self.per_unit = d["deployment"], d["media"], d["per_unit"]
        self.min, self.step = d["min_gib"], d["step_gib"]
        self.base = d["disk_baseline"]
        self.burst = d["disk_burst"] if d["disk_burst"] is not None else d["disk_baseline"]
        self.scratch = self.dep.startswith("SCRATCH")

    def price(self, snap):
        return PRICES[snap]["fsx"].get((self.dep, self.media, self.per_unit))

    def __repr__(self):
        return "%s %d MB/s/TiB %s" % (self.dep, self.per_unit, self.media)

    def capacities(self):
        """Every valid capacity, ascending: min_gib, then the multiples of step_gib above it."""
        yield self.min
        c = (self.min // self.step + 1) * self.step
        while True:
            yield c
            c += self.step

    def valid(self, gib):
        return gib == self.min or (gib > self.min and gib % self.step == 0)

    def figures(self, gib, nodes):
        tib = F(gib, 1000)  # AWS's arithmetic: 1200 GiB is "1.2 TiB"
        base = tib * self.base
        return {"capacity": F(gib), "throughput": base, "burst_throughput": tib * self.burst,
                "per_node_throughput": base / nodes}


TIERS = [Tier(d) for d in load("fsx-lustre.json")["deployments"]]

# ---- instance selection: the oracle ------------------------------------------------------------------

NUMERIC = {  # attribute: (canonical unit, unit table, units to write it in, whole number)
    "cores": (None, None, None, True),
    "vcpus": (None, None, None, True),
    "gpus": (None, None, None, True),
    "memory": ("GiB", SIZE, ["GiB", "GiB", "MiB", "GB", "TiB", "TB"], False),
    "memory_per_core": ("GiB", SIZE, ["GiB", "GiB", "MiB", "GB"], False),
    "nvme": ("GB", SIZE, ["GB", "GB", "TB", "GiB", "TiB", "MB"], False),
    "gpu_memory": ("GiB", SIZE, ["GiB", "GiB", "MiB", "GB"], False),
    "network": ("Gbit/s", RATE, ["Gbit/s", "Gbit/s", "Mbit/s", "GB/s", "MB/s"], False),
}


def inst_value(i, attr):
    """The instance's figure for a numeric requirement, in the canonical unit.
    gpu_memory is per GPU; a type without GPUs has 0 GiB per GPU."""
    if attr == "memory":
        return F(i["memory_gib"])
    if attr == "memory_per_core":
        return F(i["memory_gib"], i["cores"])
    if attr == "nvme":
        return F(i["nvme_gb"] or 0)
    if attr == "gpus":
        return F(i["gpus"] or 0)
    if attr == "gpu_memory":
        return F(i["gpu_memory_gib"], i["gpus"]) if i["gpus"] else F(0)
    if attr == "network":
        return F(i["network_gbps"])
    return F(i[attr])


def meets(i, r):
    attr, op, v = r["attr"], r["op"], r["value"]
    if attr in ("avx512", "efa"):
        return (not v) or bool(i[attr])  # false: not required
    if attr == "arch":
        return i["arch"] == v
    return holds(inst_value(i, attr), op, v)


def arch_of(t):
    for i in CATALOG:
        if i["type"] == t:
            return i["arch"]
    return None


def brute_instances(case):
    """Every offered type that fits, cheapest first, ties by name: [(price, type)]."""
    if "_brute" not in case:
        case["_brute"] = search_instances(case)
    return case["_brute"]


def search_instances(case):
    has_arch = any(r["attr"] == "arch" for r in case["reqs"])
    head_arch = arch_of(case["head"])
    ec2 = PRICES[case["snap"]]["ec2"]
    fits = []
    for i in CATALOG:
        if i["type"] not in ec2:
            continue
        if not all(meets(i, r) for r in case["reqs"]):
            continue
        if case["efa"] and not i["efa"]:
            continue
        if not has_arch and head_arch and i["arch"] != head_arch:
            continue
        fits.append((ec2[i["type"]], i["type"]))
    fits.sort()
    return fits


# ---- instance selection: random cases -------------------------------------------------------------

POOL = {a: sorted({inst_value(i, a) for i in CATALOG}) for a in NUMERIC}
ATTRS = [("cores", 3), ("vcpus", 2), ("memory", 4), ("memory_per_core", 2), ("nvme", 2), ("gpus", 1.5),
         ("gpu_memory", 1.5), ("network", 2.5), ("avx512", 2), ("efa", 2), ("arch", 1.5)]
OPS = [(">=", 45), (">", 15), ("<=", 15), ("<", 10), ("==", 15)]
OPS_RANDOM = [(">=", 50), (">", 20), ("<=", 15), ("<", 12), ("==", 3)]  # == rarely holds for a random figure
HEADS = ["t3.micro"] * 5 + ["m5.large", "c5n.18xlarge"] + ["hpc7g.16xlarge"] * 2


def pick(rng, weighted):
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


SNAPSHOT_NAMES = ["prices-%s.json" % x for x in "abcd"]


def pick_snapshot(rng):
    """The built-in snapshot for most cases, a random one for the others."""
    return rng.choice(SNAPSHOT_NAMES) if rng.random() < 0.3 else None


def gen_amount(rng, attr):
    canon, table, units, whole = NUMERIC[attr]
    pool = POOL[attr]
    m = rng.random()
    if m < 0.6:  # exactly a catalog value
        v = rng.choice(pool)
    elif m < 0.8:  # just beside one
        step = F(1) if whole else rng.choice({"memory": [F(1), F(1, 2), F(1, 1024)], "memory_per_core": [F(1, 4), F(1, 3)],
                                              "nvme": [F(1), F(100)], "gpu_memory": [F(1), F(1, 8)],
                                              "network": [F(1, 2), F(1)]}[attr])
        v = max(F(0), rng.choice(pool) + rng.choice([-1, 1]) * step)
    else:  # anywhere in the range
        top = int(pool[-1] * F(6, 5)) + 1
        v = F(rng.randint(0, top)) if whole else F(rng.randint(0, top * 8), 8)
    if canon is None:
        text = str(v)
    else:
        text = quantity(v, canon, table, units, rng)
    if rng.random() < 0.08:
        text = 'unverified(%s, "random case")' % text
        return v, text, True
    return v, text, False


def gen_req(rng, attr):
    if attr in ("avx512", "efa"):
        v = rng.random() < 0.6
        return {"attr": attr, "op": "=", "value": v, "text": "%s = %s" % (attr, "true" if v else "false"), "unverified": False}
    if attr == "arch":
        v = "x86_64" if rng.random() < 0.75 else "arm64"
        return {"attr": attr, "op": "=", "value": v, "text": "arch = %s" % v, "unverified": False}
    op = pick(rng, OPS)
    v, text, unv = gen_amount(rng, attr)
    return {"attr": attr, "op": op, "value": v, "text": "%s %s %s" % (attr, op, text), "unverified": unv}


def gen_reqs(rng, n):
    attrs = []
    while len(attrs) < n:
        a = pick(rng, ATTRS)
        if a not in attrs:
            attrs.append(a)
    return [gen_req(rng, a) for a in attrs]


def gen_instance_case(rng, k):
    cid = "i%04d" % k
    case = {"id": cid, "kind": "instance", "profile": "q%04d" % k, "head": rng.choice(HEADS), "snap": pick_snapshot(rng),
            "efa": rng.random() < 0.25, "expect": None}
    if rng.random() < 0.12:  # a profile that extends another: the child's requirements replace the parent's
        base = gen_reqs(rng, rng.randint(1, 3))
        child = gen_reqs(rng, rng.randint(1, 3))
        merged = {r["attr"]: r for r in base}
        merged.update({r["attr"]: r for r in child})
        case["reqs"] = list(merged.values())
        case["decls"] = ["profile b%04d { %s }" % (k, "; ".join(r["text"] for r in base)),
                         "profile q%04d extends b%04d { %s }" % (k, k, "; ".join(r["text"] for r in child))]
    else:
        case["reqs"] = gen_reqs(rng, rng.choice([1, 1, 2, 2, 2, 3, 3, 4, 5]))
        case["decls"] = ["profile q%04d { %s }" % (k, "; ".join(r["text"] for r in case["reqs"]))]
    return case


def fixed_instance_cases():
    """Regression cases with their expected answers written out."""
    def req(attr, op, value, text):
        return {"attr": attr, "op": op, "value": value, "text": text, "unverified": False}

    cpu = [req("arch", "=", "x86_64", "arch = x86_64"), req("avx512", "=", True, "avx512 = true"),
           req("efa", "=", True, "efa = true"), req("cores", ">=", F(36), "cores >= 36"),
           req("memory", ">=", F(384), "memory >= 384 GiB")]
    never = ["hpc7a.96xlarge", "hpc6a.48xlarge", "hpc6id.32xlarge"]  # no us-east-1 price
    out = []

    def add(name, reqs, decls, efa, expect, profile=None, head="t3.micro"):
        out.append({"id": "fixed-" + name, "kind": "instance", "profile": profile or "f" + name.replace("-", ""), "snap": None,
                    "head": head, "efa": efa, "reqs": reqs, "decls": decls, "expect": expect})

    add("bb5-cpu-like", cpu, ["profile fbb5cpulike { %s }" % "; ".join(r["text"] for r in cpu)], True,
        {"instance": "m6i.32xlarge", "usd": F("6.144"), "never": never})
    cpu_unv = [dict(r, unverified=r["attr"] in ("cores", "memory")) for r in cpu]
    add("std-bb5-cpu", cpu_unv, [], True, {"instance": "m6i.32xlarge", "usd": F("6.144"), "never": never}, "bb5.cpu")
    nvme = cpu_unv + [req("nvme", ">=", F(1000), "nvme >= 1 TB")]
    nvme[-1]["unverified"] = True
    add("std-bb5-nvme", nvme, [], True, {"instance": "x2idn.32xlarge", "usd": F("13.338"), "never": never}, "bb5.nvme")
    gpu = [req("arch", "=", "x86_64", "arch = x86_64"), dict(req("gpus", ">=", F(4), ""), unverified=True),
           dict(req("gpu_memory", ">=", F(16), ""), unverified=True), dict(req("memory", ">=", F(384), ""), unverified=True)]
    add("std-bb5-gpu", gpu, [], False, {"instance": "g5.48xlarge", "usd": F("16.288"), "never": never}, "bb5.gpu")
    # equal prices (m5.24xlarge and c5d.24xlarge, 4.608 USD/h) go to the first name
    tie = [req("vcpus", "==", F(96), "vcpus == 96"), req("memory", "<=", F(200), "memory <= 200 GiB")]
    add("tie", tie, ["profile ftie { vcpus == 96; memory <= 200 GiB }"], False,
        {"instance": "c5d.24xlarge", "usd": F("4.608"), "never": never})
    tie2 = [req("vcpus", "==", F(96), "vcpus == 96"), req("avx512", "=", True, "avx512 = true")]
    add("tie-2", tie2, ["profile ftie2 { vcpus == 96; avx512 = true }"], False,
        {"instance": "c5d.24xlarge", "usd": F("4.608"), "never": never})
    # the head node's architecture, when the profile names none
    arm = [req("cores", ">=", F(36), "cores >= 36")]
    add("arm-head", arm, ["profile farmhead { cores >= 36 }"], True,
        {"instance": "hpc7g.16xlarge", "usd": F("1.6832"), "never": never}, head="hpc7g.16xlarge")
    add("x86-head", arm, ["profile fx86head { cores >= 36 }"], False,
        {"instance": "c5.18xlarge", "usd": F("3.06"), "never": never})
    # memory per core and network bounds exactly at catalog values, in other units
    mpc = [req("memory_per_core", ">=", F(64, 3), "memory_per_core >= 64 GiB / 3"),
           req("network", ">=", F(3200), "network >= 400 GB/s")]
    add("exact-units", mpc, ["profile fexactunits { memory_per_core >= 64 GiB / 3; network >= 400 GB/s }"], False,
        {"instance": "p5.48xlarge", "usd": F("55.04"), "never": never})
    # only types without a us-east-1 price meet it (hpc7a.96xlarge)
    hpc7a = [req("cores", ">=", F(192), "cores >= 192"), req("network", ">=", F(300), "network >= 300 Gbit/s")]
    add("only-unpriced", hpc7a, ["profile fonlyunpriced { cores >= 192; network >= 300 Gbit/s }"], False,
        {"instance": None, "never": never})
    # nothing fits
    huge = [req("memory", ">", F(2048), "memory > 2 TiB")]
    add("none", huge, ["profile fnone { memory > 2 TiB }"], False, {"instance": None, "never": never})
    return out


# ---- FSx sizing: the oracle -----------------------------------------------------------------------------

CAP_LIMIT = 50_000_000  # GiB; the generator stays far below it


class OracleLimit(Exception):
    pass


def tier_allowed(t, case):
    """None if the pinned values and the other settings allow tier t, else why not."""
    p = case["pins"]
    if t.price(case["snap"]) is None:
        return "no price in the snapshot"
    if "deployment" in p and p["deployment"] != t.dep:
        return "deployment pinned"
    if "media" in p and p["media"] != t.media:
        return "media pinned"
    if "per_unit" in p and (t.scratch or p["per_unit"] != t.per_unit):
        return "per_unit pinned (scratch file systems take none)"
    if "capacity" in p and not t.valid(p["capacity"]):
        return "pinned capacity is not valid for it"
    if case["link"] and t.dep != "PERSISTENT_2" and sizing_case(case):
        # links restrict what the pass chooses; on pinned values they are only a warning (fsx-dra-deployment)
        return "data repository links need PERSISTENT_2"
    if case["kms"] and t.scratch:
        return "a KMS key needs a persistent type"
    return None


def config_ok(t, gib, case):
    """Every requirement holds for tier t at gib GiB."""
    figs = t.figures(gib, case["nodes"])
    return all(holds(figs[r["fact"]], r["op"], r["value"]) for r in case["reqs"])


def brute_storage(case):
    if "_brute" not in case:
        case["_brute"] = search_storage(case)
    return case["_brute"]


def search_storage(case):
    """Every allowed tier's cheapest configuration meeting all requirements:
    [(usd per month, GiB, tier)], cheapest first, then smaller capacity.

    Each tier's valid capacities are tried in ascending order. Two facts
    bound the walk: the price per GiB is positive, so in a tier nothing after
    the first fitting capacity is cheaper; and every figure grows with the
    capacity, so once an upper bound (<=, <, or == already exceeded) fails,
    every larger capacity fails it too."""
    options = []
    for t in TIERS:
        if tier_allowed(t, case):
            continue
        caps = [case["pins"]["capacity"]] if "capacity" in case["pins"] else t.capacities()
        for gib in caps:
            if gib > CAP_LIMIT:
                raise OracleLimit("case %s needs more than %d GiB in %r" % (case["id"], CAP_LIMIT, t))
            figs = t.figures(gib, case["nodes"])
            bad = [r for r in case["reqs"] if not holds(figs[r["fact"]], r["op"], r["value"])]
            if not bad:
                options.append((t.price(case["snap"]) * gib, gib, t))
                break
            if any(r["op"] in ("<=", "<") or (r["op"] == "==" and figs[r["fact"]] > r["value"]) for r in bad):
                break
    options.sort(key=lambda o: (o[0], o[1]))
    return options


def sizing_case(case):
    """Does the pass choose anything (some value open), or only check the pinned values?"""
    p = case["pins"]
    scratch = p.get("deployment", "").startswith("SCRATCH")
    return "capacity" not in p or "deployment" not in p or (not scratch and "per_unit" not in p)


# ---- FSx sizing: random cases ----------------------------------------------------------------------------

DEP_WORD = {"SCRATCH_1": "scratch1", "SCRATCH_2": "scratch2", "PERSISTENT_1": "persistent1", "PERSISTENT_2": "persistent2"}
FACTS = ["throughput", "burst_throughput", "capacity", "per_node_throughput"]
RATE_UNITS = ["MB/s", "MB/s", "MB/s", "GB/s", "MiB/s", "Gbit/s", "Mbit/s", "KB/s"]
CAP_UNITS = ["GiB", "GiB", "GiB", "TiB", "TB", "GB"]
FACTS_ORDER = ["capacity", "throughput", "burst_throughput", "per_node_throughput"]
MAXES = [1, 2, 3, 4, 5, 7, 8, 10, 16, 20, 25, 32, 50, 64, 100, 128, 200]


def gen_storage_req(rng, fact, nodes):
    boundary = rng.random() < 0.55
    op = pick(rng, OPS if boundary else OPS_RANDOM)
    if boundary:  # a figure some tier has at some valid capacity: boundaries, ties
        t = rng.choice(TIERS)
        caps = t.capacities()
        gib = next(caps)
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 5, 8, 13, 21])):
            gib = next(caps)
        v = t.figures(gib, nodes)[fact]
        if rng.random() < 0.2:
            v = max(F(0), v + rng.choice([-1, 1]) * (F(1) if fact == "capacity" else F(1, 1000)))
    elif fact == "capacity":
        v = F(rng.randint(1, 60000)) if rng.random() < 0.7 else F(rng.randint(1, 100), 2)  # ... or TB-ish
        if rng.random() < 0.3:
            v = v * SIZE["TB"] / SIZE["GiB"] / 1000  # a round number of GB
    elif fact == "per_node_throughput":
        v = F(rng.randint(1, 4000), 4) / max(1, nodes // 8)
    else:
        v = F(rng.randint(1, 4000)) if rng.random() < 0.8 else F(rng.randint(1, 40000), 10)
    if fact == "capacity":
        text = quantity(v, "GiB", SIZE, CAP_UNITS, rng)
    else:
        text = quantity(v, "MB/s", RATE, RATE_UNITS, rng)
    return {"fact": fact, "op": op, "value": v, "text": "storage.data.%s %s %s" % (fact, op, text)}


def gen_storage_case(rng, k):
    parts = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        groups = []
        for _ in range(rng.choice([1, 1, 2, 3])):
            mx = rng.choice(MAXES)
            mn = mx if rng.random() < 0.1 else rng.choice([0, 0, 0, rng.randint(0, mx)])
            groups.append((mn, mx))
        parts.append(groups)
    nodes = sum(mx for g in parts for _, mx in g)
    pins = {}
    if rng.random() < 0.25:
        pins["deployment"] = rng.choice(["SCRATCH_2", "PERSISTENT_1", "PERSISTENT_2", "PERSISTENT_1", "PERSISTENT_2"]
                                        + ["SCRATCH_1"] * (rng.random() < 0.1))
    if rng.random() < 0.15:
        pins["media"] = rng.choice(["SSD", "HDD"])
    if rng.random() < 0.15:
        pins["per_unit"] = rng.choice([12, 40, 50, 100, 125, 200, 250, 500, 1000] + [300] * (rng.random() < 0.1))
    if rng.random() < 0.15:
        if rng.random() < 0.8:
            t = rng.choice(TIERS)
            caps = t.capacities()
            gib = next(caps)
            for _ in range(rng.randint(0, 12)):
                gib = next(caps)
        else:
            gib = rng.choice([1800, 3600, 6000, 2400, 1300, 12000])
        pins["capacity"] = gib
    facts = rng.sample(FACTS, rng.choice([1, 1, 2, 2, 3, 4]))
    case = {"id": "s%04d" % k, "kind": "storage", "parts": parts, "nodes": nodes, "pins": pins, "snap": pick_snapshot(rng),
            "link": rng.random() < 0.08, "kms": rng.random() < 0.08, "expect": None,
            "reqs": [gen_storage_req(rng, f, nodes) for f in facts]}
    return case


def fixed_storage_cases():
    def case(name, nodes, pins, reqs, expect, link=False):
        return {"id": "fixed-fsx-" + name, "kind": "storage", "parts": [[(0, nodes)]], "nodes": nodes, "pins": pins, "snap": None,
                "link": link, "kms": False, "expect": expect,
                "reqs": [{"fact": f, "op": op, "value": v, "text": "storage.data.%s %s %s" % (f, op, text)}
                         for f, op, v, text in reqs]}

    return [
        # tests/cost/sizing.hpc
        case("throughput", 20, {}, [("throughput", ">=", F(1000), "1000 MB/s")],
             {"deployment": "PERSISTENT_2", "per_unit": 1000, "media": "SSD", "capacity": 1200, "usd": F(720)}),
        case("p2-capacity", 20, {"deployment": "PERSISTENT_2"}, [("capacity", ">=", F(10240), "10 TiB")],
             {"deployment": "PERSISTENT_2", "per_unit": 125, "media": "SSD", "capacity": 12000, "usd": F(1740)}),
        case("link-per-node", 20, {}, [("per_node_throughput", ">=", F(50), "50 MB/s")],
             {"deployment": "PERSISTENT_2", "per_unit": 1000, "media": "SSD", "capacity": 1200, "usd": F(720)}, link=True),
        # a capacity bound that is not a whole number of GiB (5 TB = 4656.6... GiB)
        case("capacity-tb", 20, {}, [("capacity", ">=", F(5 * 10**12, 2**30), "5 TB")],
             {"deployment": "PERSISTENT_1", "per_unit": 12, "media": "HDD", "capacity": 6000, "usd": F(150)}),
        # ... which must not drop a tier and leave a dearer answer: HDD at 12 MB/s/TiB needs 22912.5 GiB
        case("burst-hdd", 20, {}, [("burst_throughput", ">=", F(1833), "1833 MB/s")],
             {"deployment": "PERSISTENT_1", "per_unit": 12, "media": "HDD", "capacity": 24000, "usd": F(600)}),
        # a pinned per-unit throughput rules out the scratch types, which take none
        case("pinned-per-unit", 20, {"per_unit": 200}, [("throughput", ">=", F(240), "240 MB/s")],
             {"deployment": "PERSISTENT_1", "per_unit": 200, "media": "SSD", "capacity": 1200, "usd": F(348)}),
        # a pinned capacity rules out the types it is not valid for
        case("pinned-capacity", 20, {"capacity": 1800}, [("throughput", ">=", F(10), "10 MB/s")],
             {"deployment": "PERSISTENT_1", "per_unit": 40, "media": "HDD", "capacity": 1800, "usd": F("149.4")}),
        # a bound that is large, and a whole number of GiB (1 PiB)
        case("petabyte", 20, {}, [("capacity", ">=", F(2**20), "1 PiB")],
             {"deployment": "PERSISTENT_1", "per_unit": 12, "media": "HDD", "capacity": 1050000, "usd": F(26250)}),
        # nothing fits
        case("none", 20, {"deployment": "SCRATCH_2"},
             [("throughput", ">=", F(1000), "1000 MB/s"), ("capacity", "<=", F(2048), "2 TiB")], {"deployment": None}),
    ]


# ---- specs ------------------------------------------------------------------------------------------------

def cluster_head(name, head, snap):
    return ["cluster %s {" % name, "  region = us-east-1", "  os = alinux2023"] + \
        (['  prices = "%s"' % snap] if snap else []) + \
        ['  head { instance = %s; network = %s; ssh_from = "10.0.0.0/8" }' % (head, SUBNET)]


def render(cases, rng=None):
    """Spec text for a batch of cases of one kind, and each case's lines and
    place in the spec: {id: (set of line numbers, cluster, partition, group)}."""
    lines, where = [], {}
    if any(c["kind"] == "instance" and c["profile"].startswith("bb5.") for c in cases):
        lines.append("use std.profiles.bb5")
    if cases[0]["kind"] == "instance":
        own = {}
        for c in cases:
            own[c["id"]] = set(range(len(lines) + 1, len(lines) + 1 + len(c["decls"])))
            lines.extend(c["decls"])
        by_head = {}
        for c in cases:
            by_head.setdefault((c["head"], c["snap"] or ""), []).append(c)
        n = 0
        for head, snap in sorted(by_head):
            group = by_head[(head, snap)]
            for start in range(0, len(group), 50):  # ParallelCluster: 50 compute resources per cluster
                chunk = group[start:start + 50]
                cname = "c%03d" % n
                n += 1
                lines.extend(cluster_head(cname, head, snap))
                for p in range(0, len(chunk), 20):
                    pname = "p%d" % (p // 20)
                    lines.append("  partition %s {" % pname)
                    lines.append("    network = %s" % SUBNET)
                    for g, c in enumerate(chunk[p:p + 20]):
                        gname = "g%d" % g
                        extra = "; efa = true; placement_group = true" if c["efa"] else ""
                        lines.append("    nodes %s { profile = %s; count = 0..2%s }" % (gname, c["profile"], extra))
                        where[c["id"]] = (own[c["id"]] | {len(lines)}, cname, pname, gname)
                    lines.append("  }")
                lines.append("}")
    else:
        for c in cases:
            first = len(lines) + 1
            lines.extend(cluster_head(c["id"].replace("fixed-fsx-", "x"), "t3.micro", c["snap"]))
            for p, groups in enumerate(c["parts"]):
                nodes = "; ".join("nodes n%d { instance = t3.micro; count = %d..%d }" % (g, mn, mx)
                                  for g, (mn, mx) in enumerate(groups))
                lines.append("  partition p%d { network = %s; %s }" % (p, SUBNET, nodes))
            fields = ['mount = "/data"']
            pins = c["pins"]
            if "deployment" in pins:
                fields.append("deployment = %s" % DEP_WORD[pins["deployment"]])
            if "media" in pins:
                fields.append("media = %s" % pins["media"].lower())
            if "per_unit" in pins:
                fields.append("per_unit = %d MB/s/TiB" % pins["per_unit"])
            if "capacity" in pins:
                fields.append("capacity = %d GiB" % pins["capacity"])
            if c["kms"]:
                fields.append('kms_key = "alias/hpcc-test"')
            if c["link"]:
                fields.append('link l { s3 = "s3://bucket-x/y"; path = "/l" }')
            lines.append("  storage data lustre { %s }" % "; ".join(fields))
            lines.append("  require { %s }" % "; ".join(r["text"] for r in c["reqs"]))
            lines.append("}")
            where[c["id"]] = (set(range(first, len(lines) + 1)), c["id"].replace("fixed-fsx-", "x"), None, None)
    return "\n".join(lines) + "\n", where


# ---- running hpcc ------------------------------------------------------------------------------------------

class Runner:
    def __init__(self, hpcc, tmp):
        self.hpcc, self.tmp, self.n, self.runs = hpcc, tmp, 0, 0

    def run(self, args, spec):
        self.runs += 1
        return subprocess.run([self.hpcc] + args + [spec], cwd=self.tmp, capture_output=True, text=True)

    def solve(self, cases):
        """hpcc's answer for every case: {id: result}. A spec with errors produces
        nothing: the cases its errors belong to get them, the others run again."""
        results = {}
        todo = [cases]
        while todo:
            batch = todo.pop()
            if not batch:
                continue
            self.n += 1
            spec = "spec%03d.hpc" % self.n
            text, where = render(batch)
            with open(os.path.join(self.tmp, spec), "w", encoding="utf-8") as f:
                f.write(text)
            r = self.run(["cost", "--format", "json", "--diagnostics=json"], spec)
            if r.returncode == 0:
                ir = self.run(["ir"], spec)
                if ir.returncode != 0:
                    raise SystemExit("optimality: hpcc ir failed where hpcc cost did not, on %s:\n%s" % (spec, ir.stderr))
                cost, model = json.loads(r.stdout), json.loads(ir.stdout)
                for c in batch:
                    results[c["id"]] = extract(c, where[c["id"]], cost, model)
                continue
            if r.returncode != 1:  # a crash or internal error: find the case that causes it
                if len(batch) > 1:
                    todo += [batch[:len(batch) // 2], batch[len(batch) // 2:]]
                else:
                    results[batch[0]["id"]] = {"ok": False, "crash": "exit %d: %s" % (r.returncode, r.stderr[-2000:])}
                continue
            errors = [d for d in json.loads(r.stderr)["diagnostics"] if d["severity"] == "error"]
            mine, stray = {}, []
            for d in errors:
                loc = d.get("location") or {}
                owner = None
                if loc.get("file") == spec:
                    for c in batch:
                        if loc["line"] in where[c["id"]][0]:
                            owner = c["id"]
                if owner:
                    mine.setdefault(owner, []).append(d)
                else:
                    stray.append(d)
            if stray:
                if len(batch) > 1:
                    todo += [batch[:len(batch) // 2], batch[len(batch) // 2:]]
                else:
                    results[batch[0]["id"]] = {"ok": False, "errors": stray}
                continue
            for cid, ds in mine.items():
                results[cid] = {"ok": False, "errors": ds}
            todo.append([c for c in batch if c["id"] not in mine])
        return results


def extract(case, place, cost, model):
    _, cname, pname, gname = place
    if case["kind"] == "instance":
        ch = [x for x in cost[cname]["instance_choices"] if x["partition"] == pname and x["node_group"] == gname]
        part = [p for p in model[cname]["partitions"] if p["name"]["value"] == pname][0]
        group = [g for g in part["nodes"] if g["name"]["value"] == gname][0]
        res = {"ok": True, "ir": [(x["value"], x["from"]) for x in group.get("instances", [])]}
        if ch:
            x = ch[0]
            res.update(instance=x["instance"], usd=F(x["usd_per_hour"]), candidates=x["candidates"],
                       runners=[(F(y["usd_per_hour"]), y["instance"]) for y in x["runners_up"]], unverified=x["unverified"])
        return res
    st = model[cname]["storage"][0]
    res = {"ok": True}
    for k in ("deployment", "capacity", "per_unit", "media"):
        if k in st:
            res[k] = (st[k]["value"], st[k]["from"])
    items = cost[cname]["storage"]
    figs = cost[cname]["storage_figures"]
    res["usd"] = F(items[0]["usd_per_month"]) if items and items[0].get("usd_per_month") is not None else None
    res["figures"] = figs[0] if figs else None
    return res


# ---- judging -------------------------------------------------------------------------------------------------

def json_number(x):
    """x as hpcc's JSON writes it: exact, or rounded half-even to 10 decimals
    when it has no finite decimal expansion (docs/cost.md)."""
    if decimal(x, 40, 40) is not None:
        return x
    return F(round(x * 10**10), 10**10)  # round() of a Fraction is half-even


def money(x):
    s = decimal(x, 30, 12)
    return s if s is not None else str(x)


def judge_instance(case, res):
    fits = brute_instances(case)
    arch_conflict = any(r["attr"] == "arch" and r["value"] != arch_of(case["head"]) for r in case["reqs"])
    bad = []
    exp = case["expect"]
    if exp:
        want = exp["instance"]
        got = res.get("instance") if res["ok"] else None
        if want and got != want:
            bad.append("regression: expected %s at %s USD/h" % (want, money(exp["usd"])))
        if want and res["ok"] and res.get("usd") != exp["usd"]:
            bad.append("regression: expected the price %s USD/h" % money(exp["usd"]))
        if not want and res["ok"]:
            bad.append("regression: expected no-instance-fits")
        if got in exp["never"]:
            bad.append("regression: %s has no us-east-1 price and must never be chosen" % got)
        if want and (not fits or fits[0] != (exp["usd"], want)):
            bad.append("regression: the brute force itself disagrees with the expected answer")
    if res["ok"]:
        if "instance" not in res:
            return bad + ["hpcc reports no instance choice for the node group"]
        t = res["instance"]
        inst = [i for i in CATALOG if i["type"] == t]
        if not fits:
            bad.append("hpcc chose %s, but no offered type fits" % t)
        if arch_conflict:
            bad.append("expected a pcluster-architecture error (the profile's arch differs from the head node's)")
        ec2 = PRICES[case["snap"]]["ec2"]
        if t not in ec2:
            bad.append("%s has no price in us-east-1" % t)
        if not inst:
            bad.append("%s is not in the catalog" % t)
        else:
            miss = [r["text"] for r in case["reqs"] if not meets(inst[0], r)]
            if miss:
                bad.append("%s does not meet: %s" % (t, "; ".join(miss)))
            if case["efa"] and not inst[0]["efa"]:
                bad.append("%s has no EFA, which the node group enables" % t)
            if not any(r["attr"] == "arch" for r in case["reqs"]) and inst[0]["arch"] != arch_of(case["head"]):
                bad.append("%s is not %s like the head node" % (t, arch_of(case["head"])))
        if fits:
            if res["usd"] != ec2.get(t):
                bad.append("hpcc prices %s at %s USD/h, the snapshot at %s" % (t, money(res["usd"]), ec2.get(t)))
            if ec2.get(t) != fits[0][0]:
                bad.append("not the cheapest: %s USD/h, the optimum is %s USD/h" % (ec2.get(t), money(fits[0][0])))
            elif t != fits[0][1]:
                bad.append("equal prices go to the first type name: %s, not %s" % (fits[0][1], t))
            if res["candidates"] != len(fits):
                bad.append("%d candidates reported, %d fit" % (res["candidates"], len(fits)))
            if res["runners"] != fits[1:3]:
                bad.append("runners-up %s, expected %s" % (res["runners"], fits[1:3]))
            if res["unverified"] != any(r["unverified"] for r in case["reqs"]):
                bad.append("unverified is %s" % res["unverified"])
        if res["ir"] != [(t, "pass")]:
            bad.append("the IR's instances are %s, expected [(%r, 'pass')]" % (res["ir"], t))
        return bad
    if "crash" in res:
        return bad + ["hpcc crashed: " + res["crash"]]
    codes = sorted({d["code"] for d in res["errors"]})
    if not fits:
        if codes != ["no-instance-fits"]:
            bad.append("no type fits: expected exactly no-instance-fits, got %s" % codes)
    elif arch_conflict:
        chosen = [re.match(r"(\S+) is \S+, but the head node", d["message"]) for d in res["errors"]
                  if d["code"] == "pcluster-architecture"]
        if codes != ["pcluster-architecture"] or not chosen or not chosen[0]:
            bad.append("expected only pcluster-architecture for the choice %s, got %s" % (fits[0][1], codes))
        elif chosen[0].group(1) != fits[0][1]:
            bad.append("the architecture error names %s; the optimum is %s" % (chosen[0].group(1), fits[0][1]))
    else:
        bad.append("hpcc reports errors %s, but %s fits (%s USD/h)" % (codes, fits[0][1], money(fits[0][0])))
    return bad


def tier_of(dep, media, per_unit):
    for t in TIERS:
        if t.dep == dep and t.media == media and (t.scratch or t.per_unit == per_unit):
            return t
    return None


def judge_storage(case, res):
    opts = brute_storage(case)
    bad = []
    exp = case["expect"]
    if exp:
        if exp["deployment"] is None:
            if res["ok"]:
                bad.append("regression: expected no configuration to fit")
        else:
            want = (exp["deployment"], exp["per_unit"], exp["media"], exp["capacity"], exp["usd"])
            got = None
            if res["ok"] and "deployment" in res:
                got = (res["deployment"][0], int(res["per_unit"][0]) if "per_unit" in res else None,
                       res["media"][0] if "media" in res else "SSD", int(res["capacity"][0]), res["usd"])
                if got[0].startswith("SCRATCH"):
                    got = got[:1] + (tier_of(got[0], got[2], 0).per_unit,) + got[2:]
            if got != want:
                bad.append("regression: expected %s %d MB/s/TiB %s, %d GiB, %s USD/month" % (want[:4] + (money(want[4]),)))
            if not opts or (opts[0][0], opts[0][1], opts[0][2].dep, opts[0][2].per_unit) != (want[4], want[3], want[0], want[1]):
                bad.append("regression: the brute force itself disagrees with the expected answer")
    if not res["ok"]:
        if "crash" in res:
            return bad + ["hpcc crashed: " + res["crash"]]
        codes = sorted({d["code"] for d in res["errors"]})
        if opts:
            bad.append("hpcc reports errors %s, but %r, %d GiB fits at %s USD/month" % (
                codes, opts[0][2], opts[0][1], money(opts[0][0])))
        elif sizing_case(case) and any(not tier_allowed(t, case) for t in TIERS):
            # the pinned values allow some configuration; only the requirements rule them all out
            if "storage-sizing" not in codes:
                bad.append("nothing fits: expected storage-sizing, got %s" % codes)
        elif not set(codes) & {"storage-sizing", "require-unmet", "pcluster-fsx"}:
            # pinned values that no configuration has (or all pinned): a sizing or a ParallelCluster error
            bad.append("nothing fits: expected storage-sizing, require-unmet or pcluster-fsx, got %s" % codes)
        return bad
    if "deployment" not in res or "capacity" not in res:
        return bad + ["hpcc gives no deployment or capacity: %s" % res]
    dep = res["deployment"][0]
    media = res["media"][0] if "media" in res else "SSD"
    per_unit = int(res["per_unit"][0]) if "per_unit" in res else None
    gib = F(res["capacity"][0])
    t = tier_of(dep, media, per_unit)
    if t is None:
        return bad + ["hpcc chose %s %s %s MB/s/TiB, which the FSx table does not have" % (dep, media, per_unit)]
    if t.scratch and per_unit is not None:
        bad.append("a scratch file system with a per-unit throughput")
    if not t.scratch and per_unit is None:
        bad.append("a persistent file system without a per-unit throughput")
    why = tier_allowed(t, case)
    if why:
        bad.append("hpcc chose %r: %s" % (t, why))
    if gib.denominator != 1 or not t.valid(int(gib)):
        bad.append("%s GiB is not a valid capacity for %r" % (gib, t))
    gib = int(gib)
    pins = case["pins"]
    for k, v in (("deployment", dep), ("media", media), ("per_unit", per_unit), ("capacity", gib)):
        if k in pins:
            if v != pins[k]:
                bad.append("pinned %s %s became %s" % (k, pins[k], v))
        elif k in res and res[k][1] != "pass":
            bad.append("open %s comes from %r, not the pass" % (k, res[k][1]))
    if not config_ok(t, gib, case):
        figs = t.figures(gib, case["nodes"])
        bad.append("%r at %d GiB does not meet: %s" % (t, gib, "; ".join(
            "%s (it is %s)" % (r["text"], money(figs[r["fact"]])) for r in case["reqs"]
            if not holds(figs[r["fact"]], r["op"], r["value"]))))
    usd = t.price(case["snap"]) * gib if t.price(case["snap"]) is not None else None
    if res["usd"] != usd:
        bad.append("hpcc prices it at %s USD/month, capacity x price is %s" % (res["usd"], usd))
    f = res["figures"]
    figs = t.figures(gib, case["nodes"])
    if not f or (F(f["capacity_gib"]), F(f["baseline_mb_per_s"]), F(f["burst_mb_per_s"]), F(f["per_node_mb_per_s"]),
                 f["nodes_at_peak"]) != tuple(json_number(figs[k]) for k in FACTS_ORDER) + (case["nodes"],):
        bad.append("storage_figures %s differ from %s at %d nodes" % (f, figs, case["nodes"]))
    if not opts:
        bad.append("hpcc chose %r, %d GiB, but no configuration fits" % (t, gib))
    elif usd is not None:
        if usd != opts[0][0]:
            bad.append("not the cheapest: %s USD/month; the optimum is %r, %d GiB at %s USD/month" % (
                money(usd), opts[0][2], opts[0][1], money(opts[0][0])))
        elif gib != min(o[1] for o in opts if o[0] == opts[0][0]):
            bad.append("equal prices go to the smaller capacity: %d GiB" % min(o[1] for o in opts if o[0] == opts[0][0]))
    return bad


# ---- reporting --------------------------------------------------------------------------------------------------

def describe_answer(case, res):
    if "crash" in res:
        return "crash: " + res["crash"]
    if not res["ok"]:
        return "errors: " + "; ".join("%s at line %s: %s" % (d["code"], d["location"]["line"], d["message"])
                                      for d in res["errors"])
    if case["kind"] == "instance":
        if "instance" not in res:
            return "no choice reported"
        return "%s at %s USD/h (%d candidates; runners-up %s)" % (
            res["instance"], money(res["usd"]), res["candidates"],
            ", ".join("%s %s" % (t, money(p)) for p, t in res["runners"]) or "none")
    return "%s %s MB/s/TiB %s, %s GiB, %s USD/month" % (
        res.get("deployment", ("?",))[0], res.get("per_unit", ("-",))[0], res.get("media", ("SSD",))[0],
        res.get("capacity", ("?",))[0], money(res["usd"]) if res.get("usd") is not None else "?")


def describe_brute(case):
    if case["kind"] == "instance":
        fits = brute_instances(case)
        if not fits:
            return "no offered type fits"
        return "%s at %s USD/h (%d fit; then %s)" % (fits[0][1], money(fits[0][0]), len(fits),
                                                      ", ".join("%s %s" % (t, money(p)) for p, t in fits[1:3]) or "none")
    opts = brute_storage(case)
    if not opts:
        return "no configuration fits"
    return "; ".join("%r, %d GiB, %s USD/month" % (o[2], o[1], money(o[0])) for o in opts[:3])


def standalone(runner, case):
    """The case alone in a spec, and what hpcc says about it."""
    text, _ = render([case])
    runner.n += 1
    spec = "alone%03d.hpc" % runner.n
    with open(os.path.join(runner.tmp, spec), "w", encoding="utf-8") as f:
        f.write(text)
    r = runner.run(["cost", "--format", "json"], spec)
    if r.returncode == 0:
        return text, "exit 0"
    return text, "exit %d\n%s" % (r.returncode, r.stderr.rstrip())


# ---- main ----------------------------------------------------------------------------------------------------------

def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: optimality.py HPCC")
    hpcc = os.path.abspath(sys.argv[1])
    started = time.time()
    rng = random.Random(SEED)
    snapshots = {name: random_snapshot(rng, name) for name in SNAPSHOT_NAMES}
    inst = fixed_instance_cases() + [gen_instance_case(rng, k) for k in range(N_INSTANCE)]
    stor = fixed_storage_cases() + [gen_storage_case(rng, k) for k in range(N_STORAGE)]
    tmp = tempfile.mkdtemp(prefix="hpcc-optimality.")
    runner = Runner(hpcc, tmp)
    for name, snap in snapshots.items():
        with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
            json.dump(snap, f, indent=1)
            f.write("\n")
    try:
        # Cases the brute force expects to fail go in their own specs: a spec with errors gives no answers.
        def expect_error(c):
            if c["kind"] == "instance":
                fits = brute_instances(c)
                return not fits or any(r["attr"] == "arch" and r["value"] != arch_of(c["head"]) for r in c["reqs"])
            return not brute_storage(c)

        results = {}
        for cases, ok_size, err_size in ((inst, 1000, 80), (stor, 150, 20)):  # hpcc stops after 100 errors
            good = [c for c in cases if not expect_error(c)]
            bad = [c for c in cases if expect_error(c)]
            for group, size in ((good, ok_size), (bad, err_size)):
                for i in range(0, len(group), size):
                    results.update(runner.solve(group[i:i + size]))
        failures = []
        for c in inst + stor:
            res = results[c["id"]]
            problems = judge_instance(c, res) if c["kind"] == "instance" else judge_storage(c, res)
            if problems:
                failures.append((c, res, problems))
        n_inst, n_stor = len(inst), len(stor)
        feas_i = sum(1 for c in inst if brute_instances(c))
        feas_s = sum(1 for c in stor if brute_storage(c))
        for c, res, problems in failures:
            text, alone = standalone(runner, c)
            print("MISMATCH %s case %s (OPTIMALITY_SEED=%d): %s" % (c["kind"], c["id"], SEED, "; ".join(problems)))
            print("  hpcc:        " + describe_answer(c, res))
            print("  brute force: " + describe_brute(c))
            print("  spec:")
            print("".join("    " + line + "\n" for line in text.splitlines()), end="")
            if c["snap"]:
                p = PRICES[c["snap"]]["json"]
                if c["kind"] == "instance":
                    what = "ec2 " + json.dumps(p["ec2"])
                else:
                    what = "fsx_lustre " + json.dumps([(x["deployment"], x["media"], x["per_unit"], x["usd"])
                                                       for x in p["storage"]["fsx_lustre"]])
                print("  %s, beside the spec: the built-in snapshot with these prices: %s" % (c["snap"], what))
            print("  hpcc cost on this spec alone: " + alone.replace("\n", "\n    "))
        took = time.time() - started
        detail = "%d feasible, %d not; %d hpcc runs, %.1f s" % (feas_i + feas_s, n_inst + n_stor - feas_i - feas_s,
                                                                 runner.runs, took)
        if failures:
            digest = {}
            for c, _, problems in failures:
                key = "%s: %s" % (c["kind"], re.sub(r"\d+(\.\d+)?", "N", problems[0])[:110])
                digest[key] = digest.get(key, 0) + 1
            print("optimality: the mismatches by their first problem (numbers as N):")
            for key, n in sorted(digest.items(), key=lambda kv: -kv[1]):
                print("  %5d  %s" % (n, key))
            kinds = {}
            for c, _, _ in failures:
                kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
            print("optimality: %d instance cases, %d storage cases: %d NOT optimal or wrong (%s); seed %d; %s" % (
                n_inst, n_stor, len(failures), ", ".join("%d %s" % (v, k) for k, v in sorted(kinds.items())), SEED, detail))
            return 1
        print("optimality: %d instance cases, %d storage cases, all optimal (seed %d; %s)" % (n_inst, n_stor, SEED, detail))
        return 0
    finally:
        if os.environ.get("OPTIMALITY_KEEP"):
            print("optimality: specs kept in " + tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
