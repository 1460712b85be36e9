#!/usr/bin/python3
"""roundtrip.py HPCC — nothing can be smuggled through, and nothing is lost.

Strings that YAML or Slurm would read as something else, or that would break
out of their place, are written into a spec, compiled, and read back the way
their consumers read them: cluster.yaml and component documents with PyYAML
(YAML 1.1, as ParallelCluster), slurm_extras.conf as Slurm's parser does. Each
must come back as exactly the string the spec meant; a string stays a string.
A value that cannot be written safely (a newline in a Slurm setting, a
double quote inside a Slurm value with blanks) must be a spec error instead.
"""
import os
import subprocess
import sys
import tempfile

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fidelity import slurm_settings  # noqa: E402  (the same Slurm-style reader)

TRICKY = [
    "a: b", "key:value", "# not a comment", "a #b", "- item", "-", "'single'", '"double"', "it's", 'say "hi"',
    "*star", "&anchor", "!tag", "%percent", "@at", "`tick`", "|pipe", ">fold", "{brace}", "[bracket]", ",comma",
    "?question", "yes", "no", "on", "off", "y", "n", "Yes", "NO", "true", "False", "null", "Null", "~", "",
    "123", "0123", "0x1F", "0o17", "0b101", "1e5", "1.0", ".5", "-.5", "+1", ".inf", ".NaN", "1_000",
    "1-00:00:00", "12:30", "2024-01-01", "2024-01-01 10:00:00", "<<", "=", " leading", "trailing ",
    "tab\there", "back\\slash", "dollar $SHELL", "${not_interpolated}", "caf\u00e9 \u2014 \u65e5\u672c",
    "a\nb", "line one\nline two\n",
]


def hpc_string(s):
    """An hpcc "..." literal for s."""
    out = []
    for c in s:
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "$":
            out.append("\\$")
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif c == "\r":
            out.append("\\r")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


NET = 'network = { subnet = "subnet-0123456789abcdef0"; security_groups = ["sg-0123456789abcdef0"] }'


def spec(tags, slurm, extras, description, default="x"):
    tag_lines = "\n".join(f"    {hpc_string(f'k{i}')} = {hpc_string(v)}" for i, v in enumerate(tags))
    slurm_lines = "\n".join(f"      S{i} = {hpc_string(v)}" for i, v in enumerate(slurm))
    extra_lines = "\n".join(f"      X{i} = {hpc_string(v)}" for i, v in enumerate(extras))
    return f"""
component tricky {{
  version = "1.0.0"
  description = {hpc_string(description)}
  param P {{ default = {hpc_string(default)}; description = {hpc_string(description)} }}
  build Run = "true"
}}
cluster rt {{
  account = "123456789012"
  region = us-east-1
  os = alinux2023
  image img {{
    parent = "ami-0123456789abcdef0"; instance = m5.large; components = [tricky]; {NET}
    tags = {{
{tag_lines}
    }}
  }}
  head {{ instance = t3.micro; {NET} }}
  slurm {{
    extras at "s3://bucket-a/extras.conf" {{
{extra_lines}
    }}
  }}
  partition pq {{
    {NET}
    slurm {{
{slurm_lines}
    }}
    nodes n {{ instance = t3.micro; count = 0..2 }}
  }}
}}
"""


def compile_spec(hpcc, text, d):
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "rt.hpc")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    out = os.path.join(d, "out")
    r = subprocess.run([hpcc, "compile", path, "-o", out], capture_output=True, text=True)
    return r, os.path.join(out, "rt")


def main(hpcc):
    fails = 0
    # Strings that fit a YAML tag value (no line breaks: tags are one line).
    one_line = [s for s in TRICKY if "\n" not in s and "\t" not in s and s != ""]
    # Slurm values: anything but control characters, and no '"' together with blanks.
    slurm_ok = [s for s in TRICKY if "\n" not in s and "\t" not in s and not ('"' in s and " " in s) and not s.startswith('"')]
    with tempfile.TemporaryDirectory() as d:
        default = " ".join(one_line)  # a parameter's default is one line: it is substituted into scripts
        r, out = compile_spec(hpcc, spec(one_line, one_line, slurm_ok, "\n".join(TRICKY), default), d)
        if r.returncode != 0:
            print("FAIL: the round-trip spec does not compile:\n" + r.stderr)
            return 1
        with open(os.path.join(out, "cluster.yaml"), encoding="utf-8") as f:
            cfg = yaml.safe_load(f)
        with open(os.path.join(out, "image.yaml"), encoding="utf-8") as f:
            img = yaml.safe_load(f)
        for section in ("Build", "Image"):
            tags = {t["Key"]: t["Value"] for t in img[section]["Tags"]}
            for i, want in enumerate(one_line):
                got = tags.get(f"k{i}")
                if got != want or type(got) is not str:
                    fails += 1
                    print(f"FAIL {section}/Tags k{i}: wrote {want!r}, read back {got!r} ({type(got).__name__})")
        q = cfg["Scheduling"]["SlurmQueues"][0]["CustomSlurmSettings"]
        for i, want in enumerate(one_line):
            got = q.get(f"S{i}")
            if got != want or type(got) is not str:
                fails += 1
                print(f"FAIL CustomSlurmSettings S{i}: wrote {want!r}, read back {got!r} ({type(got).__name__})")
        with open(os.path.join(out, "components", "tricky.yaml"), encoding="utf-8") as f:
            comp = yaml.safe_load(f)
        want = "\n".join(TRICKY)
        for where, got, w in [("description", comp["description"], want),
                              ("parameter default", comp["parameters"][0]["P"]["default"], default),
                              ("parameter description", comp["parameters"][0]["P"]["description"], want)]:
            if got != w:
                fails += 1
                print(f"FAIL component {where}: wrote {w!r}, read back {got!r}")
        got = slurm_settings(os.path.join(out, "slurm_extras.conf"))
        for i, want in enumerate(slurm_ok):
            if got.get(f"X{i}") != want:
                fails += 1
                print(f"FAIL slurm_extras.conf X{i}: wrote {want!r}, Slurm reads {got.get(f'X{i}')!r}")
        checked = 3 * len(one_line) + 3 + len(slurm_ok)

        # What cannot be written safely is refused, with nothing written.
        refused = [
            ("a newline in a Slurm setting", spec([], [], ["MpiDefault=pmi2\nSlurmctldHost=evil"], "x"),
             "contains a control character (U+000A)"),
            ("a carriage return in a tag", spec(["x\ry"], [], [], "x"), "contains a control character (U+000D)"),
            ("a quote inside a Slurm value with blanks", spec([], [], ['say "hi" there'], "x"),
             "holds both a blank and a '\"'"),
            ("a Slurm value starting with a quote", spec([], [], ['"quoted"'], "x"), "starts with a '\"'"),
            ("a newline in a partition's Slurm setting", spec([], ["a\nb"], [], "x"), "contains a control character (U+000A)"),
        ]
        for what, text, message in refused:
            r, out2 = compile_spec(hpcc, text, os.path.join(d, "bad"))
            if r.returncode != 1 or message not in r.stderr or os.path.exists(out2):
                fails += 1
                print(f"FAIL {what}: expected exit 1 with '{message}' and nothing written; got {r.returncode}:\n{r.stderr}")
    if fails:
        return 1
    print(f"roundtrip: {checked} tricky values read back exactly; {len(refused)} unsafe values refused")
    return 0


if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1])))
