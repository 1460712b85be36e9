#!/usr/bin/python3
"""awstoe_check.py [--self-test] FILE... — checks Image Builder component documents.

AWS publishes no schema for AWSTOE documents; these are the documented rules
(Image Builder user guide: component documents, variables, action modules),
as collected in the project's facts:
  - top level: name, description, schemaVersion (1.0), parameters, constants, phases (required);
  - parameters: a list of one-key maps {Name: {type: string, default, description}};
  - phases: build, validate, test, each once, each with steps; step names unique in a phase;
  - step keys: name, action, inputs, onFailure (Abort|Continue|Ignore),
    timeoutSeconds (-1 or >= 1), maxAttempts (>= 1), if, loop;
  - actions from AWSTOE's list; ExecuteBash takes inputs.commands, a list of strings;
  - {{ Name }} names a parameter or constant (case-sensitive);
  - a document created inline is at most 16,000 characters.
Every ExecuteBash command is also checked with `bash -n` and `shellcheck -s bash`
after each {{ Name }} is replaced by a placeholder.
"""
import os
import re
import subprocess
import sys
import tempfile

import yaml

ACTIONS = {"AppendFile", "Assert", "CopyFile", "CopyFolder", "CreateFile", "CreateFolder", "CreateSymlink",
           "DeleteFile", "DeleteFolder", "ExecuteBash", "ExecuteBinary", "ExecuteDocument", "ExecutePowerShell",
           "InstallMSI", "ListFiles", "MoveFile", "MoveFolder", "ReadFile", "Reboot", "SetFileEncoding",
           "SetFileOwner", "SetFolderOwner", "SetFilePermissions", "SetFolderPermissions", "SetRegistry",
           "S3Download", "S3Upload", "UninstallMSI", "UpdateOS", "WebDownload"}
TOP = {"name", "description", "schemaVersion", "parameters", "constants", "phases"}
STEP = {"name", "action", "inputs", "onFailure", "timeoutSeconds", "maxAttempts", "if", "loop"}
REF = re.compile(r"\{\{\s*([A-Za-z0-9_.]+)\s*\}\}")


def check(text, where, shell=True):
    errs = []
    if len(text) > 16000:
        errs.append(f"{where}: {len(text)} characters, over the 16,000 of an inline component")
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        return [f"{where}: not YAML: {e}"]
    if not isinstance(doc, dict):
        return [f"{where}: not a mapping"]
    for k in doc:
        if k not in TOP:
            errs.append(f"{where}: unknown top-level key {k!r}")
    for k in ("name", "schemaVersion", "phases"):
        if k not in doc:
            errs.append(f"{where}: missing {k}")
    if doc.get("schemaVersion") not in (1.0, "1.0"):
        errs.append(f"{where}: schemaVersion must be 1.0, found {doc.get('schemaVersion')!r}")
    names = set()
    for p in doc.get("parameters") or []:
        if not isinstance(p, dict) or len(p) != 1:
            errs.append(f"{where}: a parameter must be a one-key map, found {p!r}")
            continue
        (pname, body), = p.items()
        names.add(pname)
        if not isinstance(body, dict) or body.get("type") != "string":
            errs.append(f"{where}: parameter {pname} must have type: string")
            continue
        for k in body:
            if k not in ("type", "default", "description"):
                errs.append(f"{where}: parameter {pname}: unknown key {k!r}")
        if "default" in body and not isinstance(body["default"], str):
            errs.append(f"{where}: parameter {pname}: default must be a string, found {body['default']!r}")
    for c in doc.get("constants") or []:
        if isinstance(c, dict):
            names.update(c.keys())
    phases = doc.get("phases")
    if not isinstance(phases, list) or not phases:
        errs.append(f"{where}: phases must be a non-empty list")
        phases = []
    seen_phases = set()
    for ph in phases:
        pn = ph.get("name") if isinstance(ph, dict) else None
        if pn not in ("build", "validate", "test"):
            errs.append(f"{where}: unknown phase {pn!r}")
        if pn in seen_phases:
            errs.append(f"{where}: phase {pn} appears twice")
        seen_phases.add(pn)
        steps = ph.get("steps") if isinstance(ph, dict) else None
        if not isinstance(steps, list) or not steps:
            errs.append(f"{where}: phase {pn} has no steps")
            continue
        seen_steps = set()
        for st in steps:
            sn = st.get("name")
            w = f"{where}: {pn}/{sn}"
            if not sn or not re.fullmatch(r"[A-Za-z0-9_-]+", str(sn)):
                errs.append(f"{w}: invalid step name")
            if sn in seen_steps:
                errs.append(f"{w}: step name used twice in the phase")
            seen_steps.add(sn)
            for k in st:
                if k not in STEP:
                    errs.append(f"{w}: unknown step key {k!r}")
            if st.get("action") not in ACTIONS:
                errs.append(f"{w}: unknown action {st.get('action')!r}")
            if "onFailure" in st and st["onFailure"] not in ("Abort", "Continue", "Ignore"):
                errs.append(f"{w}: onFailure must be Abort, Continue or Ignore")
            if "timeoutSeconds" in st and not (st["timeoutSeconds"] == -1 or (isinstance(st["timeoutSeconds"], int) and st["timeoutSeconds"] >= 1)):
                errs.append(f"{w}: timeoutSeconds must be -1 or >= 1")
            if "maxAttempts" in st and not (isinstance(st["maxAttempts"], int) and st["maxAttempts"] >= 1):
                errs.append(f"{w}: maxAttempts must be >= 1")
            if st.get("action") == "ExecuteBash":
                cmds = (st.get("inputs") or {}).get("commands")
                if not isinstance(cmds, list) or not all(isinstance(c, str) for c in cmds) or not cmds:
                    errs.append(f"{w}: ExecuteBash needs inputs.commands, a list of strings")
                    continue
                for i, cmd in enumerate(cmds):
                    for ref in REF.findall(cmd):
                        if ref not in names and not ref.startswith(pn + ".") and "." not in ref:
                            errs.append(f"{w}: {{{{ {ref} }}}} names no parameter or constant")
                    if shell:
                        errs += shell_check(REF.sub(lambda m: "PLACEHOLDER_" + m.group(1).replace(".", "_"), cmd), f"{w}[{i}]")
    return errs


def shell_check(body, where):
    errs = []
    with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as f:
        f.write(body)
        path = f.name
    try:
        r = subprocess.run(["bash", "-n", path], capture_output=True, text=True)
        if r.returncode:
            errs.append(f"{where}: bash -n: {r.stderr.strip()}")
        r = subprocess.run(["shellcheck", "-s", "bash", "-f", "gcc", path], capture_output=True, text=True)
        if r.returncode:
            errs.append(f"{where}: shellcheck:\n" + r.stdout.replace(path, "body"))
    finally:
        os.unlink(path)
    return errs


BAD = {
    "no phases": "name: x\nschemaVersion: 1.0\n",
    "wrong schema version": "name: x\nschemaVersion: 2.0\nphases:\n- name: build\n  steps:\n  - name: A\n    action: ExecuteBash\n    inputs: {commands: ['true']}\n",
    "unknown phase": "name: x\nschemaVersion: 1.0\nphases:\n- name: deploy\n  steps:\n  - name: A\n    action: ExecuteBash\n    inputs: {commands: ['true']}\n",
    "duplicate step": "name: x\nschemaVersion: 1.0\nphases:\n- name: build\n  steps:\n  - name: A\n    action: ExecuteBash\n    inputs: {commands: ['true']}\n  - name: A\n    action: ExecuteBash\n    inputs: {commands: ['true']}\n",
    "unknown action": "name: x\nschemaVersion: 1.0\nphases:\n- name: build\n  steps:\n  - name: A\n    action: RunBash\n    inputs: {commands: ['true']}\n",
    "undeclared parameter": "name: x\nschemaVersion: 1.0\nphases:\n- name: build\n  steps:\n  - name: A\n    action: ExecuteBash\n    inputs: {commands: ['echo {{ Version }}']}\n",
    "numeric default": "name: x\nschemaVersion: 1.0\nparameters:\n- V: {type: string, default: 4.2}\nphases:\n- name: build\n  steps:\n  - name: A\n    action: ExecuteBash\n    inputs: {commands: ['echo {{ V }}']}\n",
    "bad onFailure": "name: x\nschemaVersion: 1.0\nphases:\n- name: build\n  steps:\n  - name: A\n    action: ExecuteBash\n    onFailure: Retry\n    inputs: {commands: ['true']}\n",
    "shell syntax error": "name: x\nschemaVersion: 1.0\nphases:\n- name: build\n  steps:\n  - name: A\n    action: ExecuteBash\n    inputs: {commands: ['if true; then echo']}\n",
    "shellcheck finding": "name: x\nschemaVersion: 1.0\nphases:\n- name: build\n  steps:\n  - name: A\n    action: ExecuteBash\n    inputs: {commands: ['rm -rf $DIR/*']}\n",
}


def self_test():
    fails = 0
    for what, text in BAD.items():
        if not check(text, what):
            print(f"FAIL self-test: accepted a document with {what}")
            fails += 1
    return fails


def main(argv):
    fails = 0
    if argv and argv[0] == "--self-test":
        fails += self_test()
        argv = argv[1:]
    n = 0
    for path in argv:
        with open(path, encoding="utf-8") as f:
            errs = check(f.read(), path)
        n += 1
        for e in errs:
            print("FAIL " + e)
        fails += len(errs)
    if fails:
        return 1
    print(f"awstoe: {n} component documents pass AWSTOE's rules, bash -n and shellcheck"
          + (f"; the checker rejects all {len(BAD)} bad documents" if BAD else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
