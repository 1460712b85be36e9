#!/usr/bin/python3
"""cfn_check.py [--self-test] [--db DB] TEMPLATE... — CloudFormation templates, checked against AWS's database.

The reference is the npm package @aws-cdk/aws-service-spec (pinned in
tests/cfn/package.json; install with `npm ci --prefix tests/cfn`). It is built
from the CloudFormation registry schemas and ships one file, db.json.gz:

    {"idCtr": N, "schema": {
        "resource":       {"entities": [RESOURCE...]},
        "typeDefinition": {"entities": [TYPEDEF...]},   # nested property types
        ... (services, regions, metrics, relations between them) }}

    RESOURCE = {"$id", "cloudFormationType": "AWS::S::R", "properties": {Name: PROP},
                "attributes": {Name: {"type": TYPE}}}       # Fn::GetAtt names, "A.B" for nested ones
    TYPEDEF  = {"$id", "name", "properties": {Name: PROP}}
    PROP     = {"type": TYPE, "required": true?, "previousTypes": [TYPE...]?, ...}
    TYPE     = {"type": "string"|"integer"|"number"|"boolean"|"date-time"|"json"|"tag",
                "allowedValues": [...]?}
             | {"type": "array"|"map", "element": TYPE}
             | {"type": "ref", "reference": {"$ref": TYPEDEF id}}
             | {"type": "union", "types": [TYPE...]}

No JavaScript runs: this script reads db.json.gz itself (python3 + python3-yaml).

What it checks, for each template (YAML with long- or short-form intrinsics, or JSON):
  - the top level: known sections only, a non-empty Resources, AWSTemplateFormatVersion 2010-09-09;
  - logical ids alphanumeric; resource keys (Type, Properties, DependsOn, Condition, ...) known;
  - each resource Type exists in the database, or is a custom resource (Custom::X or
    AWS::CloudFormation::CustomResource) carrying a ServiceToken;
  - property names, recursively through nested property types, lists and maps of them;
  - required properties, nested ones too;
  - value shapes (string, integer, number, boolean, list, map, object) and enumerated values,
    with intrinsic functions allowed anywhere a value goes (Fn::If: both branches are checked;
    Fn::Split/Fn::GetAZs/Fn::Cidr yield lists, Fn::Join/Fn::Sub/Fn::Base64 strings, a Ref to a
    parameter its type's shape, Fn::GetAtt the attribute's shape; other intrinsics: unknown);
  - Ref targets (parameters, resources, pseudo parameters), Fn::GetAtt resources and attribute
    names (custom resources: any attribute; AWS::CloudFormation::Stack: Outputs.X), Fn::Sub
    ${X} and ${X.Attr} (not ${!X}, not the names of its variable map), Fn::FindInMap keys;
  - Condition / Fn::If names; Conditions use only parameters and other conditions;
  - DependsOn targets; Outputs have a Value; Parameters have a valid Type;
  - no dependency cycle among resources (Ref, Fn::GetAtt, Fn::Sub and DependsOn edges);
  - AWS::ImageBuilder::Component: exactly one of Data and Uri, inline Data at most 16,000
    characters and a YAML mapping;
  - Custom::PclusterCluster (ParallelCluster's cluster resource): ClusterName and a
    ClusterConfiguration mapping, only the properties its provider passes on, DeletionPolicy
    Delete|Retain;
  - well-formedness: no duplicate keys, no null values in properties or outputs.

Deliberately stricter than CloudFormation in one place: a YAML boolean where the database
says string (`Value: true`, `Value: yes`) is an error, though CloudFormation would quietly
pass the string "true": a generator should quote such values (see BOOL_FOR_STRING).

Errors are printed as `TEMPLATE: Resources/<Id>/Properties/<path>: message`; exit 1 on any.

--self-test first runs the checker on its own corpus: tests/cfn/bad/*.yaml must each be
rejected with an error containing the text of their first line `# expect: TEXT`, and
tests/cfn/good/*.yaml must be accepted.
"""
import glob
import gzip
import json
import os
import re
import sys
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
CFN_DIR = os.path.join(HERE, "cfn")
SPEC_PKG = os.path.join(CFN_DIR, "node_modules", "@aws-cdk", "aws-service-spec")

SECTIONS = {"AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings",
            "Conditions", "Transform", "Resources", "Outputs"}
RESOURCE_KEYS = {"Type", "Properties", "DependsOn", "Condition", "Metadata", "DeletionPolicy",
                 "UpdateReplacePolicy", "CreationPolicy", "UpdatePolicy"}
OUTPUT_KEYS = {"Value", "Description", "Export", "Condition"}
PARAMETER_KEYS = {"Type", "Default", "AllowedValues", "AllowedPattern", "ConstraintDescription", "Description",
                  "MaxLength", "MaxValue", "MinLength", "MinValue", "NoEcho"}
DELETION_POLICIES = {"Delete", "Retain", "Snapshot", "RetainExceptOnCreate"}
PSEUDO = {"AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region",
          "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"}
AWS_PARAM_TYPES = {"AWS::EC2::AvailabilityZone::Name", "AWS::EC2::Image::Id", "AWS::EC2::Instance::Id",
                   "AWS::EC2::KeyPair::KeyName", "AWS::EC2::SecurityGroup::GroupName", "AWS::EC2::SecurityGroup::Id",
                   "AWS::EC2::Subnet::Id", "AWS::EC2::Volume::Id", "AWS::EC2::VPC::Id",
                   "AWS::Route53::HostedZone::Id"}
CONDITION_FUNCS = {"Fn::And", "Fn::Equals", "Fn::Not", "Fn::Or"}
INTRINSICS = {"Ref", "Fn::Base64", "Fn::Cidr", "Fn::FindInMap", "Fn::GetAtt", "Fn::GetAZs", "Fn::ImportValue",
              "Fn::Join", "Fn::Select", "Fn::Split", "Fn::Sub", "Fn::Transform", "Fn::If", "Fn::Length",
              "Fn::ToJsonString", "Fn::GetStackOutput", "Fn::Contains"} | CONDITION_FUNCS
ID_RE = re.compile(r"^[A-Za-z0-9]+$")
CUSTOM_RE = re.compile(r"^Custom::[A-Za-z0-9_@-]{1,60}$")
SUB_RE = re.compile(r"\$\{\s*([^}]*?)\s*\}")
COMPONENT_DATA_MAX = 16000          # Image Builder: a component created inline (Data)
TEMPLATE_MAX_BYTES = 1_000_000       # CloudFormation: a template read from S3

# ParallelCluster's cluster provider (custom_resource/cluster.yaml) passes every property
# except ServiceToken and DeletionPolicy to pcluster's create_cluster/update_cluster as
# keyword arguments (snake_cased): any other name fails the stack with a TypeError.
PCLUSTER_PROPS = {"ServiceToken", "ClusterName", "ClusterConfiguration", "DeletionPolicy",
                  "SuppressValidators", "ValidationFailureLevel"}
PCLUSTER_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,59}$")

# A YAML boolean where a string is expected: CloudFormation turns it into "true"/"false";
# hpcc's templates must say what they mean, so this is an error (set False to accept it).
BOOL_FOR_STRING = True

UNKNOWN, STRING, LIST, SCALAR = "unknown", "string", "list", "scalar"


# ---------------------------------------------------------------- loading templates

class TemplateError(Exception):
    pass


class CfnLoader(yaml.SafeLoader):
    """YAML as CloudFormation reads it: short-form intrinsic tags, no duplicate keys,
    and dates left as strings (AWSTemplateFormatVersion: 2010-09-09)."""


CfnLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    out = {}
    for knode, vnode in node.value:
        key = loader.construct_object(knode, deep=deep)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(None, None, f"a mapping key must be a scalar, got {what(key)}",
                                                    knode.start_mark)
        if key in out:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", knode.start_mark)
        out[key] = loader.construct_object(vnode, deep=deep)
    return out


CfnLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _short_form(name):
    fn = "Ref" if name == "Ref" else "Condition" if name == "Condition" else "Fn::" + name

    def construct(loader, node):
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
            if fn == "Fn::GetAtt":
                value = value.split(".", 1) if "." in value else [value]
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = _mapping(loader, node, deep=True)
        return {fn: value}
    return construct


for _tag in ("Ref", "Condition", "Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join",
             "Select", "Split", "Sub", "Transform", "If", "And", "Equals", "Not", "Or", "Length", "ToJsonString",
             "Contains", "GetStackOutput"):
    CfnLoader.add_constructor("!" + _tag, _short_form(_tag))


def _json_pairs(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate key {k!r}")
        out[k] = v
    return out


def load_template(path):
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) > TEMPLATE_MAX_BYTES:
        raise TemplateError(f"{len(raw)} bytes, over CloudFormation's {TEMPLATE_MAX_BYTES}-byte template limit")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise TemplateError(f"not UTF-8: {e}")
    try:
        if text.lstrip().startswith("{"):
            return json.loads(text, object_pairs_hook=_json_pairs)
        return yaml.load(text, Loader=CfnLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise TemplateError(f"not a well-formed template: {where}{e.problem or e.context}")
    except (yaml.YAMLError, ValueError) as e:
        raise TemplateError(f"not a well-formed template: {e}".replace("\n", " "))


# ---------------------------------------------------------------- the database

class Spec:
    def __init__(self, db_path):
        with gzip.open(db_path, "rt", encoding="utf-8") as f:
            schema = json.load(f)["schema"]
        self.resources = {r["cloudFormationType"]: r for r in schema["resource"]["entities"]}
        self.typedefs = {t["$id"]: t for t in schema["typeDefinition"]["entities"]}

    def typedef(self, t):
        return self.typedefs[t["reference"]["$ref"]]


def describe(t, spec):
    kind = t["type"]
    if kind in ("array", "map"):
        return f"{'a list' if kind == 'array' else 'a map'} of {describe(t['element'], spec)}"
    if kind == "ref":
        return f"a {spec.typedef(t)['name']} object"
    if kind == "union":
        return " or ".join(describe(x, spec) for x in t["types"])
    return {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean",
            "date-time": "date-time string", "json": "JSON value", "tag": "tag {Key, Value}"}[kind]


def what(v):
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, (int, float)):
        return "a number"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    return "null" if v is None else type(v).__name__


def intrinsic(v):
    """The function name if v is an intrinsic function call ({"Ref": x} / {"Fn::X": args})."""
    if isinstance(v, dict) and len(v) == 1:
        (k,) = v
        if k in INTRINSICS or (isinstance(k, str) and k.startswith("Fn::")):
            return k
    return None


def is_novalue(v):
    return isinstance(v, dict) and v.get("Ref") == "AWS::NoValue" and len(v) == 1


def if_conditions(v):
    """The condition names of the Fn::Ifs that decide whether v is there at all."""
    if intrinsic(v) == "Fn::If" and isinstance(v["Fn::If"], list) and len(v["Fn::If"]) == 3 \
            and isinstance(v["Fn::If"][0], str):
        return {v["Fn::If"][0]} | if_conditions(v["Fn::If"][1]) | if_conditions(v["Fn::If"][2])
    return set()


def present(v, truth):
    """Whether v is a value (not AWS::NoValue) once the conditions in truth are decided."""
    if is_novalue(v):
        return False
    if intrinsic(v) == "Fn::If" and isinstance(v["Fn::If"], list) and len(v["Fn::If"]) == 3 \
            and isinstance(v["Fn::If"][0], str) and v["Fn::If"][0] in truth:
        return present(v["Fn::If"][1] if truth[v["Fn::If"][0]] else v["Fn::If"][2], truth)
    return True


def if_branches(v, path):
    """(path, value) for each value v can take through its (nested) Fn::Ifs, AWS::NoValue left out."""
    args = v.get("Fn::If") if intrinsic(v) == "Fn::If" else None
    if not (isinstance(args, list) and len(args) == 3):
        return [(path, v)]
    return [x for i in (1, 2) if not is_novalue(args[i]) for x in if_branches(args[i], path + ["Fn::If", i])]


def param_shape(ptype):
    if not isinstance(ptype, str):
        return UNKNOWN
    inner = ptype[len("AWS::SSM::Parameter::Value<"):-1] if ptype.startswith("AWS::SSM::Parameter::Value<") else ptype
    return LIST if inner.startswith("List<") or inner == "CommaDelimitedList" else SCALAR


def valid_param_type(ptype):
    if not isinstance(ptype, str):
        return False
    if ptype in ("String", "Number", "List<Number>", "CommaDelimitedList", "AWS::SSM::Parameter::Name"):
        return True
    if ptype in AWS_PARAM_TYPES:
        return True
    if ptype.startswith("List<") and ptype.endswith(">") and ptype[5:-1] in AWS_PARAM_TYPES:
        return True
    if ptype.startswith("AWS::SSM::Parameter::Value<") and ptype.endswith(">"):
        inner = ptype[len("AWS::SSM::Parameter::Value<"):-1]
        return inner in ("String", "CommaDelimitedList", "List<String>") or valid_param_type(inner) and inner not in (
            "Number", "List<Number>", "AWS::SSM::Parameter::Name")
    return False


def is_custom(rtype):
    return rtype == "AWS::CloudFormation::CustomResource" or (isinstance(rtype, str) and rtype.startswith("Custom::"))


# ---------------------------------------------------------------- the checker

class Checker:
    def __init__(self, spec, name, tpl):
        self.spec = spec
        self.name = name
        self.t = tpl
        self.errors = []
        self.params = {}
        self.resources = {}
        self.conditions = {}
        self.mappings = {}
        self.edges = {}          # resource -> {target: "how"}

    def err(self, path, msg):
        p = "/".join(str(x) for x in path)
        line = f"{self.name}: {p}: {msg}" if p else f"{self.name}: {msg}"
        if line not in self.errors:
            self.errors.append(line)

    # -------------------------------------------------------- top level

    def run(self):
        t = self.t
        if not isinstance(t, dict):
            self.err([], f"a template is a mapping, got {what(t)}")
            return self.errors
        tr = t.get("Transform")
        self.transforms = [x for x in (tr if isinstance(tr, list) else [tr]) if isinstance(x, str)]
        sections = SECTIONS | ({"Globals"} if "AWS::Serverless-2016-10-31" in self.transforms else set())
        for k in t:
            if k not in sections:
                self.err([k], f"unknown top-level section {k!r} (CloudFormation knows {', '.join(sorted(SECTIONS))})")
        v = t.get("AWSTemplateFormatVersion")
        if v is not None and v != "2010-09-09":
            self.err(["AWSTemplateFormatVersion"], f"must be '2010-09-09', got {v!r}")
        d = t.get("Description")
        if d is not None and (not isinstance(d, str) or len(d.encode()) > 1024):
            self.err(["Description"], "must be a string of at most 1024 bytes")
        for sect in ("Parameters", "Mappings", "Conditions", "Outputs", "Metadata", "Rules"):
            if sect in t and not isinstance(t[sect], dict):
                self.err([sect], f"must be a mapping, got {what(t[sect])}")
        foreach_only = False
        if "AWS::LanguageExtensions" in self.transforms:
            # Fn::ForEach::Name entries are expanded by the transform: not checked here
            for sect in ("Resources", "Outputs", "Conditions"):
                if isinstance(t.get(sect), dict):
                    kept = {k: v for k, v in t[sect].items() if not str(k).startswith("Fn::ForEach::")}
                    foreach_only |= sect == "Resources" and not kept and bool(t[sect])
                    t[sect] = kept
        self.params = t.get("Parameters") if isinstance(t.get("Parameters"), dict) else {}
        self.mappings = t.get("Mappings") if isinstance(t.get("Mappings"), dict) else {}
        self.conditions = t.get("Conditions") if isinstance(t.get("Conditions"), dict) else {}
        res = t.get("Resources")
        if res is None:
            self.err(["Resources"], "the template has no Resources section (CloudFormation requires one)")
            res = {}
        elif not isinstance(res, dict) or not res and not foreach_only:
            self.err(["Resources"], "must be a non-empty mapping of logical ids to resources")
            res = res if isinstance(res, dict) else {}
        self.resources = {k: v for k, v in res.items() if isinstance(v, dict)}

        for name in set(self.params) & set(self.resources):
            self.err(["Resources", name], f"logical id {name!r} is both a parameter and a resource")
        self.check_parameters()
        self.check_mappings()
        self.check_conditions()
        for lid, r in res.items():
            self.check_resource(lid, r)
        self.check_outputs()
        self.check_cycles()
        return self.errors

    def check_parameters(self):
        if len(self.params) > 200:
            self.err(["Parameters"], f"{len(self.params)} parameters, over CloudFormation's limit of 200")
        for name, p in self.params.items():
            path = ["Parameters", name]
            if not isinstance(name, str) or not ID_RE.match(name):
                self.err(path, "a parameter name must be alphanumeric")
            if not isinstance(p, dict):
                self.err(path, f"a parameter is a mapping, got {what(p)}")
                continue
            for k in p:
                if k not in PARAMETER_KEYS:
                    self.err(path + [k], f"unknown parameter attribute {k!r}")
            if "Type" not in p:
                self.err(path, "the parameter has no Type")
            elif not valid_param_type(p["Type"]):
                self.err(path + ["Type"], f"unknown parameter type {p['Type']!r}")
            allowed = p.get("AllowedValues")
            if "Default" in p and isinstance(allowed, list) and param_shape(p.get("Type")) == SCALAR \
                    and str(p["Default"]) not in [str(a) for a in allowed]:
                self.err(path + ["Default"], f"default {p['Default']!r} is not one of AllowedValues")

    def check_mappings(self):
        for name, m in self.mappings.items():
            if not isinstance(m, dict) or not all(isinstance(v, dict) for v in m.values()):
                self.err(["Mappings", name], "a mapping is a map of keys to maps of values")

    def check_conditions(self):
        for name, c in self.conditions.items():
            path = ["Conditions", name]
            if not isinstance(name, str) or not ID_RE.match(name):
                self.err(path, "a condition name must be alphanumeric")
            fn = intrinsic(c) or (isinstance(c, dict) and len(c) == 1 and "Condition" in c and "Condition")
            if fn not in CONDITION_FUNCS and fn != "Condition":
                self.err(path, "a condition must be Fn::And, Fn::Equals, Fn::Not, Fn::Or or Condition")
            self.walk(c, path, ctx=("condition", name))
        # conditions referring to each other in a loop
        graph = {n: set() for n in self.conditions}

        def deps(v, out):
            if isinstance(v, dict):
                if len(v) == 1 and isinstance(v.get("Condition"), str):
                    out.add(v["Condition"])
                for x in v.values():
                    deps(x, out)
            elif isinstance(v, list):
                for x in v:
                    deps(x, out)
        for n, c in self.conditions.items():
            deps(c, graph[n])
        for cyc in find_cycles({n: {d: "Condition" for d in ds if d in graph} for n, ds in graph.items()}):
            self.err(["Conditions", cyc[0]], "condition cycle: " + " -> ".join(cyc + [cyc[0]]))

    def check_outputs(self):
        outs = self.t.get("Outputs")
        if not isinstance(outs, dict):
            return
        if len(outs) > 200:
            self.err(["Outputs"], f"{len(outs)} outputs, over CloudFormation's limit of 200")
        for name, o in outs.items():
            path = ["Outputs", name]
            if not isinstance(name, str) or not ID_RE.match(name):
                self.err(path, "an output's logical id must be alphanumeric")
            if not isinstance(o, dict):
                self.err(path, f"an output is a mapping, got {what(o)}")
                continue
            for k in o:
                if k not in OUTPUT_KEYS:
                    self.err(path + [k], f"unknown output attribute {k!r}")
            if "Value" not in o or o["Value"] is None:
                self.err(path, "the output has no Value")
            else:
                v = o["Value"]
                if isinstance(v, (list, dict)) and not intrinsic(v):
                    self.err(path + ["Value"], f"an output's Value must be a string, got {what(v)}")
                elif self.shape_of(v) == LIST:
                    self.err(path + ["Value"], f"an output's Value must be a string, but {intrinsic(v)} yields a list")
                self.walk(v, path + ["Value"], ctx=("output", name))
            if "Export" in o:
                e = o["Export"]
                if not isinstance(e, dict) or "Name" not in e or set(e) != {"Name"}:
                    self.err(path + ["Export"], "Export must be a mapping with exactly a Name")
                else:
                    self.walk(e["Name"], path + ["Export", "Name"], ctx=("output", name))
            self.check_condition_name(o.get("Condition"), path + ["Condition"])

    def check_condition_name(self, c, path):
        if c is None:
            return
        if not isinstance(c, str):
            self.err(path, f"a condition name must be a string, got {what(c)}")
        elif c not in self.conditions:
            self.err(path, f"condition {c!r} is not defined in Conditions")

    # -------------------------------------------------------- resources

    def check_resource(self, lid, r):
        path = ["Resources", lid]
        if not isinstance(lid, str) or not ID_RE.match(lid) or len(lid) > 255:
            self.err(path, "a logical id must be alphanumeric (A-Za-z0-9), at most 255 characters")
        if not isinstance(r, dict):
            self.err(path, f"a resource is a mapping, got {what(r)}")
            return
        for k in r:
            if k not in RESOURCE_KEYS and not (k == "Version" and is_custom(r.get("Type"))):
                self.err(path + [k], f"unknown resource attribute {k!r} (known: {', '.join(sorted(RESOURCE_KEYS))})")
        self.check_condition_name(r.get("Condition"), path + ["Condition"])
        for pol in ("DeletionPolicy", "UpdateReplacePolicy"):
            if pol not in r:
                continue
            if intrinsic(r[pol]) in ("Ref", "Fn::If", "Fn::FindInMap"):
                self.walk(r[pol], path + [pol], ctx=("policy", lid))
            elif not isinstance(r[pol], str) or r[pol] not in DELETION_POLICIES:
                self.err(path + [pol], f"must be one of {', '.join(sorted(DELETION_POLICIES))}, got {r[pol]!r}")
        self.edges.setdefault(lid, {})
        dep = r.get("DependsOn")
        if dep is not None:
            deps = [dep] if isinstance(dep, str) else dep
            if not isinstance(deps, list):
                self.err(path + ["DependsOn"], f"DependsOn is a logical id or a list of them, got {what(dep)}")
                deps = []
            for i, d in enumerate(deps):
                p = path + ["DependsOn"] + ([i] if isinstance(dep, list) else [])
                if not isinstance(d, str):
                    self.err(p, f"DependsOn names a resource by its logical id, got {what(d)}")
                elif d not in self.resources:
                    self.err(p, f"DependsOn names {d!r}, which is not a resource of this template")
                else:
                    self.edges[lid].setdefault(d, "DependsOn")
        for k in ("Metadata", "CreationPolicy", "UpdatePolicy"):
            if k in r:
                self.walk(r[k], path + [k], ctx=("resource", lid))

        rtype = r.get("Type")
        props = r.get("Properties", {})
        ppath = path + ["Properties"]
        if "Properties" in r and not isinstance(props, dict):
            self.err(ppath, f"Properties must be a mapping, got {what(props)}")
            props = {}
        if props is None:
            props = {}
        self.walk(props, ppath, ctx=("resource", lid))
        if rtype is None:
            self.err(path, "the resource has no Type")
            return
        if not isinstance(rtype, str):
            self.err(path + ["Type"], f"Type must be a string, got {what(rtype)}")
            return
        if rtype == "AWS::CDK::Metadata":
            return                   # the CDK's own bookkeeping resource, accepted by CloudFormation as is
        # Properties chosen by a condition (Fn::If, nested or not): each branch is a whole set of properties
        for bpath, branch in if_branches(props, ppath):
            if not isinstance(branch, dict) or intrinsic(branch):
                self.err(bpath, f"Properties must be a mapping, got {what(branch)}")
                branch = {}
            self.check_properties(lid, rtype, branch, bpath)

    def check_properties(self, lid, rtype, props, ppath):
        path = ppath[:-1] if ppath[-1] == "Properties" else ppath[:2]
        if is_custom(rtype):
            if rtype != "AWS::CloudFormation::CustomResource" and not CUSTOM_RE.match(rtype):
                self.err(path + ["Type"], f"custom resource type {rtype!r}: Custom:: then 1-60 of A-Za-z0-9_@-")
            self.check_custom(lid, rtype, props, ppath)
            return
        spec = self.spec.resources.get(rtype)
        if spec is None:
            self.err(path + ["Type"], f"unknown resource type {rtype!r}{self.suggest(rtype)}")
            return
        self.check_object(props, spec["properties"], ppath, rtype)
        if rtype == "AWS::ImageBuilder::Component":
            self.check_component(props, ppath)

    def suggest(self, rtype):
        low = rtype.lower()
        for t in self.spec.resources:
            if t.lower() == low:
                return f" (did you mean {t!r}?)"
        return ""

    def check_custom(self, lid, rtype, props, ppath):
        if "ServiceToken" not in props:
            self.err(ppath, f"custom resource {rtype} has no ServiceToken (the ARN of the Lambda/SNS topic serving it)")
        else:
            self.check_value(props["ServiceToken"], {"type": "string"}, ppath + ["ServiceToken"])
        if rtype != "Custom::PclusterCluster":
            return
        for k in props:
            if k not in PCLUSTER_PROPS:
                self.err(ppath + [k], f"Custom::PclusterCluster has no property {k!r}: ParallelCluster's provider "
                         f"passes it to create_cluster and fails (known: {', '.join(sorted(PCLUSTER_PROPS))})")
        for k in ("ClusterName", "ClusterConfiguration"):
            if k not in props:
                self.err(ppath, f"missing required property {k!r} (Custom::PclusterCluster)")
        name = props.get("ClusterName")
        if isinstance(name, str) and not PCLUSTER_NAME_RE.match(name):
            self.err(ppath + ["ClusterName"],
                     f"cluster name {name!r}: a letter, then letters, digits and '-', 60 at most")
        conf = props.get("ClusterConfiguration")
        if conf is not None and not isinstance(conf, dict):
            self.err(ppath + ["ClusterConfiguration"],
                     f"ClusterConfiguration must be the cluster configuration as a mapping, got {what(conf)}")
        elif intrinsic(conf) in ("Fn::Sub", "Fn::Join", "Fn::Base64", "Fn::ToJsonString"):
            self.err(ppath + ["ClusterConfiguration"], "ClusterConfiguration must be the cluster configuration as "
                     f"a mapping, but {intrinsic(conf)} yields a string")
        pol = props.get("DeletionPolicy")
        if pol is not None and not intrinsic(pol) and pol not in ("Delete", "Retain"):
            self.err(ppath + ["DeletionPolicy"], f"must be Delete or Retain, got {pol!r}")
        sv = props.get("SuppressValidators")
        if sv is not None:
            self.check_value(sv, {"type": "array", "element": {"type": "string"}}, ppath + ["SuppressValidators"])
        vfl = props.get("ValidationFailureLevel")
        if vfl is not None:
            self.check_value(vfl, {"type": "string", "allowedValues": ["INFO", "WARNING", "ERROR"]},
                             ppath + ["ValidationFailureLevel"])

    def check_component(self, props, ppath):
        # exactly one of Data and Uri, under every combination of the conditions of their Fn::Ifs
        conds = sorted({c for k in ("Data", "Uri") for c in if_conditions(props.get(k))})[:6]
        for n in range(2 ** len(conds)):
            truth = {c: bool(n >> i & 1) for i, c in enumerate(conds)}
            has = [k for k in ("Data", "Uri") if k in props and present(props[k], truth)]
            if len(has) != 1:
                when = " when " + ", ".join(f"{c} is {str(v).lower()}" for c, v in truth.items()) if truth else ""
                self.err(ppath, "AWS::ImageBuilder::Component needs exactly one of Data and Uri, "
                         + ("both are set" if has else "neither is set") + when)
                break
        data = props.get("Data")
        text = data if isinstance(data, str) else None
        if intrinsic(data) == "Fn::Sub":
            arg = data["Fn::Sub"]
            if isinstance(arg, list) and arg and isinstance(arg[0], str):
                arg = arg[0]
            tmpl = arg if isinstance(arg, str) else None
            if tmpl is not None:       # a lower bound: the text without its ${...} placeholders
                text = SUB_RE.sub("", tmpl)
        if text is not None and len(text) > COMPONENT_DATA_MAX:
            self.err(ppath + ["Data"], f"inline component Data is {len(text)} characters, over Image Builder's "
                     f"limit of {COMPONENT_DATA_MAX}: ship it to S3 and use Uri")
        if isinstance(data, str):
            try:
                doc = yaml.safe_load(data)
            except yaml.YAMLError as e:
                self.err(ppath + ["Data"], f"inline component Data is not YAML: {e}".replace("\n", " "))
            else:
                if not isinstance(doc, dict) or "phases" not in doc:
                    self.err(ppath + ["Data"], "inline component Data must be a component document (a mapping "
                             "with phases)")

    # -------------------------------------------------------- shapes against the database

    def check_object(self, obj, props, path, owner):
        """obj: a literal mapping (no intrinsic); props: the database's properties for it."""
        for k, v in obj.items():
            if k not in props:
                self.err(path + [k], f"unknown property {k!r} of {owner}{self.close(k, props)}")
                continue
            p = props[k]
            if p.get("previousTypes"):
                self.check_value(v, {"type": "union", "types": [p["type"]] + p["previousTypes"]}, path + [k])
            else:
                self.check_value(v, p["type"], path + [k])
        for k, p in props.items():
            if p.get("required") and k not in obj:
                self.err(path, f"missing required property {k!r} of {owner}")

    @staticmethod
    def close(k, props):
        low = str(k).lower()
        for p in props:
            if p.lower() == low:
                return f" (did you mean {p!r}?)"
        return ""

    def check_value(self, v, t, path):
        if v is None:
            return                      # reported by walk()
        fn = intrinsic(v)
        if fn == "Fn::If":
            args = v[fn]
            if isinstance(args, list) and len(args) == 3:
                for i in (1, 2):
                    if not is_novalue(args[i]):
                        self.check_value(args[i], t, path + ["Fn::If", i])
            return
        kind = t["type"]
        if fn:
            shape = self.shape_of(v)
            if shape == LIST and kind not in ("array", "json", "union"):
                self.err(path, f"expected {describe(t, self.spec)}, but {fn} yields a list")
            elif shape in (STRING, SCALAR) and kind in ("array", "map", "ref", "tag"):
                self.err(path, f"expected {describe(t, self.spec)}, but {fn} yields "
                         f"{'a string' if shape == STRING else 'a single value'}")
            elif kind == "union" and shape != UNKNOWN:
                kinds = {x["type"] for x in t["types"]}
                if shape == LIST and not kinds & {"array", "json"} or \
                        shape != LIST and not kinds - {"array", "map", "ref", "tag"}:
                    self.err(path, f"expected {describe(t, self.spec)}, but {fn} yields "
                             f"{'a list' if shape == LIST else 'a single value'}")
            return
        if kind == "union":
            best = None
            for alt in t["types"]:
                saved, self.errors = self.errors, []
                self.check_value(v, alt, path)
                errs, self.errors = self.errors, saved
                if not errs:
                    return
                if best is None or len(errs) < len(best):
                    best = errs
            for e in best:
                if e not in self.errors:
                    self.errors.append(e)
            return
        if kind == "json":
            return
        if kind == "string" or kind == "date-time":
            if isinstance(v, bool):
                if BOOL_FOR_STRING:
                    self.err(path, f"expected a string, got the boolean {str(v).lower()} (quote it)")
            elif isinstance(v, (int, float)):
                pass                        # CloudFormation turns numbers into strings
            elif not isinstance(v, str):
                self.err(path, f"expected a string, got {what(v)}")
                return
            allowed = t.get("allowedValues")
            if allowed and isinstance(v, str) and v not in allowed:
                self.err(path, f"{v!r} is not one of {', '.join(map(str, allowed))}")
            return
        if kind == "integer":
            if isinstance(v, bool) or not (isinstance(v, int) or isinstance(v, str) and re.match(r"^-?\d+$", v)):
                self.err(path, f"expected an integer, got {what(v)} {v!r}" if not isinstance(v, (list, dict))
                         else f"expected an integer, got {what(v)}")
                return
            allowed = t.get("allowedValues")
            if allowed and int(v) not in allowed:
                self.err(path, f"{v!r} is not one of {', '.join(map(str, allowed))}")
            return
        if kind == "number":
            ok = isinstance(v, (int, float)) and not isinstance(v, bool)
            if isinstance(v, str):
                try:
                    float(v)
                    ok = True
                except ValueError:
                    pass
            if not ok:
                self.err(path, f"expected a number, got {what(v)}")
            return
        if kind == "boolean":
            if not (isinstance(v, bool) or isinstance(v, str) and v.lower() in ("true", "false")):
                self.err(path, f"expected a boolean, got {what(v)}")
            return
        if kind == "array":
            if not isinstance(v, list):
                self.err(path, f"expected {describe(t, self.spec)}, got {what(v)}")
                return
            for i, x in enumerate(v):
                if not is_novalue(x):
                    self.check_value(x, t["element"], path + [i])
            return
        if kind == "map":
            if not isinstance(v, dict):
                self.err(path, f"expected {describe(t, self.spec)}, got {what(v)}")
                return
            for k, x in v.items():
                self.check_value(x, t["element"], path + [k])
            return
        if kind == "tag":
            if not isinstance(v, dict):
                self.err(path, f"expected a tag {{Key, Value}}, got {what(v)}")
                return
            self.check_object(v, {"Key": {"type": {"type": "string"}, "required": True},
                                  "Value": {"type": {"type": "string"}, "required": True}}, path, "a tag")
            return
        if kind == "ref":
            td = self.spec.typedef(t)
            if not isinstance(v, dict):
                self.err(path, f"expected a {td['name']} object, got {what(v)}")
                return
            self.check_object(v, td["properties"], path, td["name"])
            return
        raise AssertionError(f"unknown type kind {kind!r} in the database")

    def shape_of(self, v):
        """What an intrinsic function call yields: LIST, STRING, SCALAR or UNKNOWN."""
        fn = intrinsic(v)
        if fn is None:
            return LIST if isinstance(v, list) else UNKNOWN
        arg = v[fn]
        if fn in ("Fn::GetAZs", "Fn::Split", "Fn::Cidr"):
            return LIST
        if fn in ("Fn::Join", "Fn::Sub", "Fn::Base64", "Fn::ToJsonString"):
            return STRING
        if fn == "Ref" and isinstance(arg, str):
            if arg == "AWS::NotificationARNs":
                return LIST
            if arg in PSEUDO or arg in self.resources:
                return STRING
            p = self.params.get(arg)
            if isinstance(p, dict):
                return param_shape(p.get("Type"))
        if fn == "Fn::GetAtt":
            target = self.getatt_target(arg)
            if target:
                res, attr = target
                r = self.resources.get(res)
                spec = self.spec.resources.get(r.get("Type")) if r and isinstance(r.get("Type"), str) else None
                a = spec["attributes"].get(attr) if spec and isinstance(attr, str) else None
                if a:
                    k = a["type"]["type"]
                    if k == "array":
                        return LIST
                    if k in ("string", "integer", "number", "boolean"):
                        return SCALAR
        return UNKNOWN

    # -------------------------------------------------------- intrinsic functions and references

    @staticmethod
    def getatt_target(arg):
        if isinstance(arg, str) and "." in arg:
            return arg.split(".", 1)
        if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str):
            return arg[0], arg[1]
        return None

    def add_edge(self, ctx, target, how):
        if ctx[0] == "resource" and target in self.resources:
            self.edges[ctx[1]].setdefault(target, how)

    def check_ref(self, name, path, ctx, how):
        if not isinstance(name, str):
            self.err(path, f"Ref takes a logical id, got {what(name)}")
            return
        if name in self.params or name in PSEUDO:
            if name in PSEUDO and name == "AWS::NoValue" and ctx[0] == "output":
                self.err(path, "AWS::NoValue cannot be an output's value")
            return
        if name in self.resources:
            if ctx[0] == "condition":
                self.err(path, f"a condition can only use parameters, not the resource {name!r}")
            self.add_edge(ctx, name, how)
            return
        if name.startswith("AWS::"):
            self.err(path, f"unknown pseudo parameter {name!r} (known: {', '.join(sorted(PSEUDO))})")
        else:
            self.err(path, f"{name!r} is not a parameter, a resource or a pseudo parameter")

    def check_getatt(self, res, attr, path, ctx, how):
        if res not in self.resources:
            if res in self.params:
                self.err(path, f"Fn::GetAtt names {res!r}, a parameter: use Ref")
            else:
                self.err(path, f"Fn::GetAtt names {res!r}, which is not a resource of this template")
            return
        if ctx[0] == "condition":
            self.err(path, "a condition can only use parameters, not Fn::GetAtt")
        self.add_edge(ctx, res, how)
        if not isinstance(attr, str):
            if intrinsic(attr) != "Ref":
                self.err(path, f"the attribute of Fn::GetAtt must be a string or a Ref, got {what(attr)}")
            return
        rtype = self.resources[res].get("Type")
        if not isinstance(rtype, str) or is_custom(rtype) or rtype.startswith("AWS::Serverless::"):
            return                   # custom resources return anything; SAM's resources are expanded later
        if rtype == "AWS::CloudFormation::Stack" and attr.startswith("Outputs.") and len(attr) > len("Outputs."):
            return
        spec = self.spec.resources.get(rtype)
        if spec is None:
            return                   # the unknown type is reported on the resource itself
        if attr not in spec["attributes"]:
            known = ", ".join(sorted(spec["attributes"])) or "none"
            if rtype == "AWS::CloudFormation::Stack":
                known += ", Outputs.<name>"
            self.err(path, f"{rtype} {res!r} has no attribute {attr!r} (it has: {known})")

    def check_sub(self, arg, path, ctx):
        if isinstance(arg, str):
            tmpl, variables = arg, {}
        elif isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], dict):
            tmpl, variables = arg
            for k, x in variables.items():
                self.walk(x, path + [1, k], ctx)
        elif intrinsic(arg):
            self.walk(arg, path, ctx)
            return
        else:
            self.err(path, "Fn::Sub takes a string or [string, {variables}]")
            return
        for m in SUB_RE.finditer(tmpl):
            name = m.group(1)
            if name.startswith("!"):
                continue
            if name in variables:
                continue
            if not name:
                self.err(path, "empty ${} in Fn::Sub")
                continue
            if "." in name and name.split(".", 1)[0] in self.resources:
                res, attr = name.split(".", 1)
                self.check_getatt(res, attr, path, ctx, f"Fn::Sub ${{{name}}}")
            elif name in self.params or name in PSEUDO or name in self.resources:
                self.check_ref(name, path, ctx, f"Fn::Sub ${{{name}}}")
            else:
                self.err(path, f"Fn::Sub: ${{{name}}} is not a parameter, a resource, a resource attribute, "
                         "a pseudo parameter or a variable of its map (write ${!" + name + "} for a literal)")

    def walk(self, v, path, ctx):
        """Every intrinsic function call in v: its arguments, its references, its dependency edges."""
        if isinstance(v, list):
            for i, x in enumerate(v):
                self.walk(x, path + [i], ctx)
            return
        if v is None and (path[0] == "Outputs" or len(path) > 2 and path[2] == "Properties") \
                and path[-1] != "Fn::GetAZs":                # `!GetAZs` alone: the current region
            self.err(path, "null value (CloudFormation rejects nulls in templates; leave the key out)")
        if not isinstance(v, dict):
            return
        fnkeys = [k for k in v if k in INTRINSICS or (isinstance(k, str) and k.startswith("Fn::"))]
        if fnkeys and len(v) > 1:
            self.err(path, f"{fnkeys[0]} must be the only key of its mapping (found {', '.join(map(str, v))})")
        fn = intrinsic(v)
        if ctx[0] == "condition" and len(v) == 1 and "Condition" in v:
            c = v["Condition"]
            self.check_condition_name(c, path + ["Condition"])
            return
        if fn is None:
            for k, x in v.items():
                self.walk(x, path + [k], ctx)
            return
        arg = v[fn]
        p = path + [fn]
        if fn not in INTRINSICS:
            self.err(p, f"unknown intrinsic function {fn!r}")
        elif fn == "Ref":
            self.check_ref(arg, p, ctx, f"Ref at {'/'.join(map(str, path[2:]))}")
            return
        elif fn == "Fn::GetAtt":
            target = self.getatt_target(arg)
            if target is None:
                self.err(p, "Fn::GetAtt takes [LogicalId, Attribute] or 'LogicalId.Attribute'")
                return
            self.check_getatt(target[0], target[1], p, ctx, f"Fn::GetAtt at {'/'.join(map(str, path[2:]))}")
            if not isinstance(target[1], str):
                self.walk(target[1], p + [1], ctx)
            return
        elif fn == "Fn::Sub":
            self.check_sub(arg, p, ctx)
            return
        elif fn in CONDITION_FUNCS:
            if ctx[0] != "condition":
                self.err(p, f"{fn} can only be used in Conditions (use Fn::If with a named condition)")
            n = {"Fn::Equals": (2, 2), "Fn::Not": (1, 1)}.get(fn, (2, 10))
            if not isinstance(arg, list) or not n[0] <= len(arg) <= n[1]:
                self.err(p, f"{fn} takes a list of {n[0]}" + (f" to {n[1]}" if n[1] != n[0] else "") + " values")
        elif fn == "Fn::If":
            if ctx[0] == "condition":
                self.err(p, "Fn::If cannot be used in Conditions")
            if not isinstance(arg, list) or len(arg) != 3:
                self.err(p, "Fn::If takes [ConditionName, value if true, value if false]")
                return
            self.check_condition_name(arg[0], p + [0])
            self.walk(arg[1], p + [1], ctx)
            self.walk(arg[2], p + [2], ctx)
            return
        elif fn == "Fn::Join":
            if not isinstance(arg, list) or len(arg) != 2 or not isinstance(arg[0], str):
                self.err(p, "Fn::Join takes [delimiter, [values]]")
            elif not isinstance(arg[1], list) and not intrinsic(arg[1]):
                self.err(p + [1], f"Fn::Join joins a list, got {what(arg[1])}")
            elif intrinsic(arg[1]) and self.shape_of(arg[1]) in (STRING, SCALAR):
                self.err(p + [1], f"Fn::Join joins a list, but {intrinsic(arg[1])} yields a single value")
        elif fn == "Fn::Split":
            if not isinstance(arg, list) or len(arg) != 2 or not isinstance(arg[0], str):
                self.err(p, "Fn::Split takes [delimiter, string]")
        elif fn == "Fn::Select":
            if not isinstance(arg, list) or len(arg) != 2:
                self.err(p, "Fn::Select takes [index, list]")
            elif not isinstance(arg[1], list) and not intrinsic(arg[1]):
                self.err(p + [1], f"Fn::Select selects from a list, got {what(arg[1])}")
            elif isinstance(arg[0], (int, str)) and not isinstance(arg[0], bool) and isinstance(arg[1], list):
                try:
                    i = int(arg[0])
                    if not 0 <= i < len(arg[1]):
                        self.err(p + [0], f"index {i} is out of the list's range (0..{len(arg[1]) - 1})")
                except ValueError:
                    self.err(p + [0], f"index {arg[0]!r} is not an integer")
        elif fn == "Fn::FindInMap":
            if not isinstance(arg, list) or len(arg) not in (3, 4):
                self.err(p, "Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]")
            elif isinstance(arg[0], str) and len(arg) == 3:    # with a DefaultValue, a missing key is fine
                m = self.mappings.get(arg[0])
                if m is None:
                    self.err(p + [0], f"mapping {arg[0]!r} is not defined in Mappings")
                elif isinstance(arg[1], str) and isinstance(m, dict):
                    top = m.get(arg[1])
                    if top is None:
                        self.err(p + [1], f"mapping {arg[0]!r} has no key {arg[1]!r}")
                    elif isinstance(arg[2], str) and isinstance(top, dict) and arg[2] not in top:
                        self.err(p + [2], f"mapping {arg[0]!r}/{arg[1]!r} has no key {arg[2]!r}")
        elif fn == "Fn::GetAZs":
            if arg is not None and not isinstance(arg, str) and intrinsic(arg) != "Ref":
                self.err(p, "Fn::GetAZs takes a region name, '' or a Ref")
        elif fn == "Fn::Cidr":
            if not isinstance(arg, list) or len(arg) not in (2, 3):
                self.err(p, "Fn::Cidr takes [ipBlock, count, cidrBits]")
        self.walk(arg, p, ctx)

    # -------------------------------------------------------- dependency cycles

    def check_cycles(self):
        for cyc in find_cycles(self.edges):
            steps = " -> ".join(cyc + [cyc[0]])
            why = "; ".join(f"{a} -> {b} by {self.edges[a][b]}" for a, b in zip(cyc, cyc[1:] + cyc[:1]))
            self.err(["Resources", cyc[0]], f"dependency cycle: {steps} ({why})")


def find_cycles(graph):
    """One concrete cycle per strongly connected component with a cycle (Tarjan), each as a node list."""
    index, low, onstack, stack, sccs = {}, {}, set(), [], []
    counter = [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        onstack.add(v)
        for w in graph.get(v, {}):
            if w not in graph:
                continue
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in onstack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                onstack.discard(w)
                comp.append(w)
                if w == v:
                    break
            sccs.append(comp)

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 10 * len(graph) + 100))
    try:
        for v in graph:
            if v not in index:
                strong(v)
    finally:
        sys.setrecursionlimit(old)
    cycles = []
    for comp in sccs:
        members = set(comp)
        start = min(comp, key=str)
        if len(comp) == 1 and start not in graph.get(start, {}):
            continue
        # shortest path from start back to start inside the component
        prev, frontier, found = {}, [start], None
        while frontier and found is None:
            nxt = []
            for v in frontier:
                for w in graph.get(v, {}):
                    if w == start:
                        found = v
                        break
                    if w in members and w not in prev:
                        prev[w] = v
                        nxt.append(w)
                if found is not None:
                    break
            frontier = nxt
        path = [found]
        while path[-1] != start:
            path.append(prev[path[-1]])
        cycles.append(list(reversed(path)))
    return sorted(cycles)


# ---------------------------------------------------------------- driver

def check_file(spec, path):
    try:
        tpl = load_template(path)
    except (OSError, TemplateError) as e:
        return [f"{path}: {e}"]
    try:
        return Checker(spec, path, tpl).run()
    except Exception as e:           # a template shape the checker did not expect: never pass it silently
        import traceback
        return [f"{path}: internal error in cfn_check.py ({type(e).__name__}: {e}); please report:\n"
                + traceback.format_exc()]


def self_test(spec):
    failures, nbad, ngood = [], 0, 0
    for path in sorted(glob.glob(os.path.join(CFN_DIR, "bad", "*.yaml"))):
        nbad += 1
        with open(path, encoding="utf-8") as f:
            first = f.readline()
        m = re.match(r"^#\s*expect:\s*(.+?)\s*$", first)
        if not m:
            failures.append(f"{path}: the first line must be '# expect: <text of the expected error>'")
            continue
        errors = check_file(spec, path)
        if not errors:
            failures.append(f"{path}: accepted, but should be rejected with {m.group(1)!r}")
        elif not any(m.group(1) in e for e in errors):
            failures.append(f"{path}: rejected, but not with {m.group(1)!r}; got:\n    " + "\n    ".join(errors))
    good = glob.glob(os.path.join(CFN_DIR, "good", "*.yaml")) + glob.glob(os.path.join(CFN_DIR, "good", "*.json"))
    for path in sorted(good):
        ngood += 1
        errors = check_file(spec, path)
        if errors:
            failures.append(f"{path}: should be accepted; got:\n    " + "\n    ".join(errors))
    if nbad < 20 or ngood < 5:
        failures.append(f"the corpus is too small: {nbad} bad (20 at least), {ngood} good (5 at least)")
    return failures, nbad, ngood


def main(argv):
    args = argv[1:]
    selftest = "--self-test" in args
    args = [a for a in args if a != "--self-test"]
    db = os.path.join(SPEC_PKG, "db.json.gz")
    if "--db" in args:
        i = args.index("--db")
        if i + 1 >= len(args):
            print("cfn_check: --db needs a path", file=sys.stderr)
            return 2
        db = args[i + 1]
        del args[i:i + 2]
    if not selftest and not args or any(a.startswith("--") for a in args):
        print(__doc__.split("\n\n")[0], file=sys.stderr)
        return 2
    if not os.path.exists(db):
        print(f"cfn_check: no resource database at {db}: run `npm ci --prefix tests/cfn`", file=sys.stderr)
        return 2
    version = "?"
    try:
        with open(os.path.join(os.path.dirname(db), "package.json"), encoding="utf-8") as f:
            version = json.load(f).get("version", "?")
        with open(os.path.join(CFN_DIR, "package.json"), encoding="utf-8") as f:
            pinned = json.load(f)["dependencies"]["@aws-cdk/aws-service-spec"]
        if db == os.path.join(SPEC_PKG, "db.json.gz") and version != pinned:
            print(f"cfn_check: installed @aws-cdk/aws-service-spec {version} is not the pinned {pinned}: "
                  "run `npm ci --prefix tests/cfn`", file=sys.stderr)
            return 2
    except (OSError, ValueError, KeyError):
        pass
    t0 = time.monotonic()
    spec = Spec(db)
    failed = False
    summary = []
    if selftest:
        failures, nbad, ngood = self_test(spec)
        for f in failures:
            print(f"cfn_check: self-test: {f}", file=sys.stderr)
        failed |= bool(failures)
        summary.append(f"self-test {'FAILED' if failures else 'ok'} ({nbad} bad rejected, {ngood} good accepted)")
    nerr = 0
    for path in args:
        errors = check_file(spec, path)
        for e in errors:
            print(e, file=sys.stderr)
        nerr += len(errors)
    failed |= nerr > 0
    if args:
        summary.append(f"{len(args)} template(s), {nerr} error(s)")
    msg = (f"cfn_check: {'; '.join(summary)} against @aws-cdk/aws-service-spec {version} "
           f"({len(spec.resources)} resource types) in {time.monotonic() - t0:.1f}s")
    print(msg, file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
