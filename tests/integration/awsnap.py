"""A whole-account snapshot read with awscli, the independent client (never
shears, never botocore directly), so a test can say

    before = awsnap.snapshot(url, env, ["us-east-1", "eu-west-1"])
    ... act, undo ...
    self.assertEqual([], awsnap.diff(before, awsnap.snapshot(url, env, regions)))

What it reads, per region: every Lambda function (get-function without
Code.Location: its configuration, tags and reserved concurrency, all three
in GetFunction's answer, so list-tags and get-function-concurrency would
read the same again at 80 more calls; get-policy; get-function-url-config;
list-aliases; list-function-event-invoke-configs; its versions: the
records list-versions-by-function answers, taken from one
list-functions --function-version ALL a region, 40 calls fewer), the event
source mappings, layers and their versions (get-layer-version each: the
content's hash and size, which the listing lacks), log groups
(describe-log-groups, and list-tags-log-group each), SQS queues (every
attribute), SNS topics (attributes, subscriptions), EventBridge buses, rules
and targets, CloudWatch alarms. Once for the account: IAM roles (what
get-role answers: list-roles' records with the permissions boundary and
tags; every inline document, the attached policies, the instance profiles
it is in), customer managed policies (list-policies --scope Local,
get-policy, every version with its document) and S3 buckets (policy, public
access block, notification configuration, ACL). All of a role but its
description and maximum session (list-roles') and the policies' versions
come from one get-account-authorization-details --filter Role
LocalManagedPolicy (IAM API reference: RoleDetail, ManagedPolicyDetail),
where get-role, list-role-policies, list-attached-role-policies,
list-instance-profiles-for-role and get-role-policy each would be ~110
calls, a quarter of a snapshot. (An instance profile no role is in is not
seen: only a role's membership, which is what a role's prune and undo move.)
read_function and read_role read one target as snapshot() holds it, with
the per-target calls (read_role: get-role and the lists above).

Normalised away, because AWS moves them by itself: revision ids, the
functions' LastModified/State*/LastUpdateStatus*, every timestamp, request
metadata, alarms' state, queues' approximate counts, log groups' stored
bytes, roles' RoleLastUsed. CodeSha256 stays. Policy documents (IAM's
URL-encoded ones, Lambda's, SQS's, SNS's, S3's) are decoded and parsed, so
documents equal as JSON compare equal; a Lambda resource policy's
statements are keyed by Sid (their order is not meaningful: RemovePermission
then AddPermission moves one to the end); lists whose order AWS does not
define (tags, attached policies, subscriptions, targets, grants) are keyed
or sorted. The Statement order inside an IAM document is kept: undo puts
documents back as they were.

How awscli runs: one /usr/bin/aws process per call costs about 0.5 s of
CPU (Python imports awscli and its models) and a snapshot is ~300 calls,
so the calls go to a few long-lived worker processes (this file run with
--worker by Debian's /usr/bin/python3) that run awscli's own entry point,
awscli.clidriver.AWSCLIEntryPoint, exactly what /usr/bin/aws runs, with one
CLIDriver kept warm and a botocore client kept per service, region and
endpoint: each call is then a few ms. AWSNAP_EXEC=1 runs
/usr/bin/aws once per call instead (slow; the same answers).
"""
import atexit
import contextlib
import gc
import io
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.parse

AWS = "/usr/bin/aws"
PYTHON = "/usr/bin/python3"
# the account-wide services are read through this region
HOME_REGION = "us-east-1"

# errors that mean "there is none" (no policy, no URL config, ...): the
# snapshot records None
ABSENT = {"ResourceNotFoundException", "NoSuchBucketPolicy", "NoSuchEntity",
          "NoSuchPublicAccessBlockConfiguration", "NotFoundException",
          "NoSuchConfiguration"}
# moved by AWS by itself, wherever they appear
VOLATILE = {"RevisionId", "ResponseMetadata", "RoleLastUsed", "LastModified", "creationTime",
            "storedBytes"}
# a function's configuration: what a change moves by itself (Lambda API reference,
# FunctionConfiguration: the state machine of an update)
FUNCTION_VOLATILE = {"LastUpdateStatus", "LastUpdateStatusReason", "LastUpdateStatusReasonCode",
                     "State", "StateReason", "StateReasonCode"}
STAMP_SUFFIXES = ("Date", "Time", "Timestamp")


class AwsError(Exception):
    pass


# ---------------------------------------------------------------- running awscli

def _reuse_clients(session):
    """awscli makes a botocore client for every call, over half of a warm
    call's CPU; a client made for the same service, region, endpoint and
    options answers the same, so one is kept per such key. AWSNAP_EXEC=1
    (one /usr/bin/aws a call) reads the same snapshot."""
    made = {}
    create = session.create_client

    def create_client(*args, **kwargs):
        config = kwargs.get("config")
        key = repr((args, sorted((k, repr(v)) for k, v in kwargs.items() if k != "config"),
                    sorted(config._user_provided_options.items()) if config else None))
        if key not in made:
            made[key] = create(*args, **kwargs)
        return made[key]

    session.create_client = create_client


def _worker():
    """Reads one JSON argv a line on stdin, runs awscli on it, writes
    [rc, stdout, stderr] a line. stdout is awscli's: the channel is a copy
    of the original descriptor."""
    chan = os.fdopen(os.dup(1), "w")
    os.environ["AWS_PAGER"] = ""
    from awscli.clidriver import AWSCLIEntryPoint, create_clidriver
    driver = create_clidriver()
    _reuse_clients(driver.session)
    agent = driver.session.user_agent_extra
    services = set()
    for line in sys.stdin:
        argv = json.loads(line)
        out, err = io.StringIO(), io.StringIO()
        # the entry point appends " prompt/off" to the agent at each call
        driver.session.user_agent_extra = agent
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = AWSCLIEntryPoint(driver).main(argv)
        chan.write(json.dumps([rc, out.getvalue(), err.getvalue()]) + "\n")
        chan.flush()
        if argv[6] not in services:
            # a service's model, loaded at its first call, lives as long as the
            # driver: frozen out of the collector's way (a quarter of a call's CPU)
            services.add(argv[6])
            gc.collect()
            gc.freeze()


class Pool:
    """Worker processes running awscli, each fed by one thread from a shared queue."""

    def __init__(self, env, workers):
        self.env = dict(env, AWS_PAGER="")
        self.exec_each = os.environ.get("AWSNAP_EXEC") == "1"
        self.procs = []
        if not self.exec_each:
            for _ in range(workers):
                self.procs.append(subprocess.Popen(
                    [PYTHON, "-I", os.path.abspath(__file__), "--worker"], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, env=self.env, text=True))
        self.workers = workers

    def close(self):
        for p in self.procs:
            p.stdin.close()
            p.wait(10)
        self.procs = []

    def _one(self, proc, argv):
        if proc is None:
            r = subprocess.run([AWS] + argv, capture_output=True, text=True, env=self.env,
                               timeout=60)
            return r.returncode, r.stdout, r.stderr
        proc.stdin.write(json.dumps(argv) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        if not line:
            raise AwsError("awscli worker died running " + " ".join(argv))
        return tuple(json.loads(line))

    def run(self, argvs):
        """[(rc, stdout, stderr)] for every argv, in order."""
        waiting = queue.Queue()
        for i, a in enumerate(argvs):
            waiting.put((i, a))
        results = [None] * len(argvs)

        def drain(proc):
            while True:
                try:
                    i, a = waiting.get_nowait()
                except queue.Empty:
                    return
                try:
                    results[i] = self._one(proc, a)
                except Exception as e:  # noqa: BLE001 (reported below, in order)
                    results[i] = (-1, "", repr(e))

        threads = [threading.Thread(target=drain, args=(p,))
                   for p in (self.procs or [None] * self.workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return results


_POOLS = {}


def pool_for(env):
    """One pool per environment (credentials, profile), started once."""
    key = tuple(sorted((k, v) for k, v in env.items() if k.startswith("AWS_") or k == "HOME"))
    if key not in _POOLS:
        _POOLS[key] = Pool(env, max(2, min(8, os.cpu_count() or 2)))
    return _POOLS[key]


@atexit.register
def close():
    for p in _POOLS.values():
        p.close()
    _POOLS.clear()


class Reader:
    """Batches of awscli calls against one endpoint: a call is (region, args...)."""

    def __init__(self, url, env):
        self.url = url
        self.pool = pool_for(env)
        self.calls = 0

    def many(self, calls):
        """The parsed JSON answers, None where the resource does not exist."""
        argvs = [["--endpoint-url", self.url, "--region", c[0], "--output", "json"] + list(c[1:])
                 for c in calls]
        self.calls += len(argvs)
        out = []
        for argv, (rc, stdout, stderr) in zip(argvs, self.pool.run(argvs)):
            if rc != 0:
                m = re.search(r"An error occurred \((\w+)\)", stderr)
                if m and m.group(1) in ABSENT:
                    out.append(None)
                    continue
                raise AwsError("aws %s: exit %d: %s" % (" ".join(argv[6:]), rc, stderr.strip()))
            out.append(json.loads(stdout) if stdout.strip() else {})
        return out

    def one(self, region, *args):
        return self.many([(region,) + args])[0]

    def raw(self, region, *args):
        """(exit status, stdout, stderr) of one call, as /usr/bin/aws would give them."""
        self.calls += 1
        return self.pool.run([["--endpoint-url", self.url, "--region", region, "--output",
                               "json"] + list(args)])[0]


# ---------------------------------------------------------------- normalising

def document(v):
    """A policy document as JSON data: IAM's come URL-encoded (RFC 3986),
    the others as JSON strings; awscli may have decoded it already."""
    if v is None or isinstance(v, (dict, list)):
        return v
    text = v.strip()
    if text.startswith("%"):
        text = urllib.parse.unquote(text)
    try:
        return json.loads(text)
    except ValueError:
        return v


def clean(v, drop=()):
    """v without the keys AWS moves by itself (VOLATILE, timestamps, drop), recursively."""
    if isinstance(v, dict):
        return {k: clean(x, drop) for k, x in v.items()
                if k not in VOLATILE and k not in drop and not k.endswith(STAMP_SUFFIXES)}
    if isinstance(v, list):
        return [clean(x, drop) for x in v]
    return v


def keyed(items, key, drop=()):
    return {str(i[key]): clean(i, drop) for i in items or []}


def tags_of(items):
    """[{Key, Value}] (IAM) or {k: v} (Lambda) as one dict."""
    if isinstance(items, dict):
        return dict(items)
    return {t["Key"]: t.get("Value") for t in items or []}


def lambda_policy(answer):
    """GetPolicy's document with its statements keyed by Sid."""
    if answer is None:
        return None
    doc = document(answer["Policy"])
    stmts = doc.get("Statement", [])
    stmts = stmts if isinstance(stmts, list) else [stmts]
    out = {k: v for k, v in doc.items() if k != "Statement"}
    out["Statement"] = {s.get("Sid", "#%d" % n): s for n, s in enumerate(stmts)}
    return out


def function_config(cfg):
    return clean(cfg, FUNCTION_VOLATILE)


# ---------------------------------------------------------------- reading

def _function_calls(region, name):
    return [(region, "lambda", "get-function", "--function-name", name),
            (region, "lambda", "get-policy", "--function-name", name),
            (region, "lambda", "get-function-url-config", "--function-name", name),
            (region, "lambda", "list-aliases", "--function-name", name),
            (region, "lambda", "list-function-event-invoke-configs", "--function-name", name)]


def _function(answers, versions):
    fn, pol, url, aliases, invoke = answers
    code = {k: v for k, v in (fn.get("Code") or {}).items() if k != "Location"}
    return {"Configuration": function_config(fn["Configuration"]), "Code": code,
            "Tags": tags_of(fn.get("Tags")),
            "Concurrency": (fn.get("Concurrency") or {}).get("ReservedConcurrentExecutions"),
            "Policy": lambda_policy(pol), "UrlConfig": clean(url) if url else None,
            "Aliases": keyed(aliases["Aliases"], "Name"),
            "Versions": {v["Version"]: function_config(v) for v in versions},
            "EventInvokeConfigs": keyed(invoke["FunctionEventInvokeConfigs"], "FunctionArn")}


def _region_lists(region):
    return [(region, "lambda", "list-functions", "--function-version", "ALL"),
            (region, "lambda", "list-event-source-mappings"),
            (region, "lambda", "list-layers"),
            (region, "logs", "describe-log-groups"),
            (region, "sqs", "list-queues"),
            (region, "sns", "list-topics"),
            (region, "events", "list-event-buses"),
            (region, "cloudwatch", "describe-alarms")]


def _global_lists():
    return [(HOME_REGION, "iam", "list-roles"),
            (HOME_REGION, "iam", "list-policies", "--scope", "Local"),
            (HOME_REGION, "s3api", "list-buckets"),
            (HOME_REGION, "iam", "get-account-authorization-details", "--filter", "Role",
             "LocalManagedPolicy")]


class _Plan:
    """Second-round calls and where their answers go."""

    def __init__(self):
        self.calls = []
        self.sinks = []

    def add(self, calls, sink):
        self.calls += calls
        self.sinks.append((len(calls), sink))

    def run(self, reader):
        answers = reader.many(self.calls)
        at = 0
        for n, sink in self.sinks:
            sink(answers[at:at + n])
            at += n


def _read_region(region, lists, second, snap):
    fns, esms, layers, logs, queues, topics, buses, alarms = lists
    out = snap.setdefault("regions", {}).setdefault(region, {})
    out["Functions"] = {}
    versions = {}
    for f in fns["Functions"]:
        versions.setdefault(f["FunctionName"], []).append(f)
    for name, vs in versions.items():
        second.add(_function_calls(region, name),
                   lambda a, n=name, vs=vs: out["Functions"].__setitem__(n, _function(a, vs)))
    out["EventSourceMappings"] = keyed(esms["EventSourceMappings"], "UUID",
                                       ("StateTransitionReason", "LastProcessingResult"))
    out["Layers"] = {}
    for lay in layers["Layers"]:
        second.add([(region, "lambda", "list-layer-versions", "--layer-name", lay["LayerName"])],
                   lambda a, n=lay["LayerName"]: out["Layers"].__setitem__(
                       n, keyed(a[0]["LayerVersions"], "Version")))
    out["LogGroups"] = keyed(logs["logGroups"], "logGroupName")
    for name, group in out["LogGroups"].items():
        second.add([(region, "logs", "list-tags-log-group", "--log-group-name", name)],
                   lambda a, g=group: g.__setitem__("tags", (a[0] or {}).get("tags", {})))
    out["Queues"] = {}
    for q in queues.get("QueueUrls", []):
        second.add([(region, "sqs", "get-queue-attributes", "--queue-url", q,
                     "--attribute-names", "All")],
                   lambda a, q=q: out["Queues"].__setitem__(q.rsplit("/", 1)[-1], _queue(a[0])))
    out["Topics"] = {}
    for t in topics["Topics"]:
        arn = t["TopicArn"]
        second.add([(region, "sns", "get-topic-attributes", "--topic-arn", arn),
                    (region, "sns", "list-subscriptions-by-topic", "--topic-arn", arn)],
                   lambda a, arn=arn: out["Topics"].__setitem__(arn.rsplit(":", 1)[-1], _topic(a)))
    out["EventBuses"] = {}
    for b in buses["EventBuses"]:
        bus = dict(clean(b), Policy=document(b.get("Policy")), Rules={})
        out["EventBuses"][b["Name"]] = bus
        second.add([(region, "events", "list-rules", "--event-bus-name", b["Name"])],
                   lambda a, bus=bus: bus.__setitem__("Rules", keyed(a[0]["Rules"], "Name")))
    out["Alarms"] = {"Metric": keyed(alarms["MetricAlarms"], "AlarmName", ALARM_STATE),
                     "Composite": keyed(alarms["CompositeAlarms"], "AlarmName", ALARM_STATE)}


ALARM_STATE = ("StateValue", "StateReason", "StateReasonData", "ActionsSuppressedBy",
               "ActionsSuppressedReason")


def _queue(a):
    attrs = {k: v for k, v in a.get("Attributes", {}).items() if not k.startswith("Approximate")}
    for k in ("Policy", "RedrivePolicy", "RedriveAllowPolicy"):
        if k in attrs:
            attrs[k] = document(attrs[k])
    return clean(attrs)


def _topic(a):
    attrs = dict(a[0].get("Attributes", {}))
    for k in ("Policy", "DeliveryPolicy", "EffectiveDeliveryPolicy"):
        if k in attrs:
            attrs[k] = document(attrs[k])
    return {"Attributes": clean(attrs),
            "Subscriptions": keyed(a[1]["Subscriptions"], "SubscriptionArn")}


def _read_global(lists, second, snap):
    roles, policies, buckets, details = lists
    iam = snap.setdefault("iam", {"Roles": {}, "Policies": {}})
    by_name = {d["RoleName"]: d for d in details["RoleDetailList"]}
    for r in roles["Roles"]:
        d = by_name.get(r["RoleName"])
        if d is None:
            raise AwsError("role %s listed but not in the authorization details" % r["RoleName"])
        # list-roles leaves out the boundary and the tags (IAM API reference: ListRoles)
        fields = dict(r, **{k: d[k] for k in ("PermissionsBoundary", "Tags") if k in d})
        iam["Roles"][r["RoleName"]] = _role(
            fields, {p["PolicyName"]: p["PolicyDocument"] for p in d.get("RolePolicyList", [])},
            [p["PolicyArn"] for p in d.get("AttachedManagedPolicies", [])],
            [p["InstanceProfileName"] for p in d.get("InstanceProfileList", [])])
    versions = {d["Arn"]: d.get("PolicyVersionList", []) for d in details["Policies"]}
    for p in policies["Policies"]:
        arn = p["Arn"]
        second.add([(HOME_REGION, "iam", "get-policy", "--policy-arn", arn)],
                   lambda a, arn=arn: iam["Policies"].__setitem__(
                       arn, _policy(a[0], versions.get(arn, []))))
    s3 = snap.setdefault("s3", {})
    for b in buckets["Buckets"]:
        name = b["Name"]
        second.add([(HOME_REGION, "s3api", "get-bucket-policy", "--bucket", name),
                    (HOME_REGION, "s3api", "get-public-access-block", "--bucket", name),
                    (HOME_REGION, "s3api", "get-bucket-notification-configuration", "--bucket",
                     name),
                    (HOME_REGION, "s3api", "get-bucket-acl", "--bucket", name)],
                   lambda a, n=name: s3.__setitem__(n, _bucket(a)))


def _role(fields, inline, attached, profiles):
    """A role: get-role's fields, {inline name: document}, attached ARNs, profile names."""
    r = clean(fields)
    r["AssumeRolePolicyDocument"] = document(r.get("AssumeRolePolicyDocument"))
    r["Tags"] = tags_of(r.get("Tags"))
    r["InlinePolicies"] = {n: document(doc) for n, doc in inline.items()}
    r["AttachedPolicies"] = sorted(attached)
    r["InstanceProfiles"] = sorted(profiles)
    return r


def _policy(answer, versions):
    """get-policy's answer with every version: {id: {IsDefaultVersion, Document}}."""
    p = clean(answer["Policy"])
    p["Tags"] = tags_of(p.get("Tags"))
    p["Versions"] = {v["VersionId"]: {"IsDefaultVersion": v["IsDefaultVersion"],
                                      "Document": document(v["Document"])} for v in versions}
    return p


def _bucket(a):
    pol, pab, notif, acl = a
    notif = clean(notif or {})
    for k, v in notif.items():
        if isinstance(v, list):
            notif[k] = sorted(v, key=lambda c: json.dumps(c, sort_keys=True))
    acl = clean(acl or {})
    acl["Grants"] = sorted(acl.get("Grants", []), key=lambda g: json.dumps(g, sort_keys=True))
    return {"Policy": document(pol["Policy"]) if pol else None,
            "PublicAccessBlock": (pab or {}).get("PublicAccessBlockConfiguration"),
            "Notification": notif, "Acl": acl}


def _third_round(snap, reader):
    """Rule targets and layer versions' content: they need the second round's names."""
    third = _Plan()
    for region, out in snap["regions"].items():
        for bus_name, bus in out["EventBuses"].items():
            for rule_name, rule in bus["Rules"].items():
                third.add([(region, "events", "list-targets-by-rule", "--rule", rule_name,
                            "--event-bus-name", bus_name)],
                          lambda a, rule=rule: rule.__setitem__("Targets",
                                                                keyed(a[0]["Targets"], "Id")))
        for layer, versions in out["Layers"].items():
            for number, version in versions.items():
                third.add([(region, "lambda", "get-layer-version", "--layer-name", layer,
                            "--version-number", number)],
                          lambda a, v=version: v.__setitem__("Content", _layer_content(a[0])))
    third.run(reader)


def _layer_content(answer):
    """The content's hash and size (its Location is a URL signed anew at each read)."""
    return {k: v for k, v in (answer or {}).get("Content", {}).items() if k != "Location"}


def read_function(reader, region, name):
    """One function as snapshot() holds it, read now (its versions with
    list-versions-by-function: the same records, for one function)."""
    calls = _function_calls(region, name)
    calls.append((region, "lambda", "list-versions-by-function", "--function-name", name))
    answers = reader.many(calls)
    return _function(answers[:-1], answers[-1]["Versions"])


def read_role(reader, name):
    """One role as snapshot() holds it (inline documents included), read now."""
    role, inline, attached, profiles = reader.many([
        (HOME_REGION, "iam", c, "--role-name", name)
        for c in ("get-role", "list-role-policies", "list-attached-role-policies",
                  "list-instance-profiles-for-role")])
    names = inline["PolicyNames"]
    docs = reader.many([(HOME_REGION, "iam", "get-role-policy", "--role-name", name,
                         "--policy-name", p) for p in names])
    return _role(role["Role"], {p: d["PolicyDocument"] for p, d in zip(names, docs)},
                 [p["PolicyArn"] for p in attached["AttachedPolicies"]],
                 [p["InstanceProfileName"] for p in profiles["InstanceProfiles"]])


_TIMED = []


def snapshot(url, env, regions):
    """The account as awscli reads it: {"iam", "s3", "regions": {region: ...}}."""
    t0 = time.monotonic()
    reader = Reader(url, env)
    first = _global_lists()
    for r in regions:
        first += _region_lists(r)
    answers = reader.many(first)
    snap = {}
    second = _Plan()
    g = len(_global_lists())
    _read_global(answers[:g], second, snap)
    for i, r in enumerate(regions):
        _read_region(r, answers[g + 8 * i:g + 8 * (i + 1)], second, snap)
    second.run(reader)
    _third_round(snap, reader)
    if not _TIMED:
        _TIMED.append(time.monotonic() - t0)
        print("awsnap: snapshot of %s: %d awscli calls in %.2f s (%d workers)"
              % (", ".join(regions), reader.calls, _TIMED[0], reader.pool.workers),
              file=sys.stderr, flush=True)
    return snap


# ---------------------------------------------------------------- comparing

def _show(v, width=240):
    text = json.dumps(v, sort_keys=True, separators=(",", ":"))
    return text if len(text) <= width else text[:width - 3] + "..."


def _diff(a, b, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            sub = path + [str(k)]
            if k not in a:
                out.append("%s: (absent) -> %s" % ("/".join(sub), _show(b[k])))
            elif k not in b:
                out.append("%s: %s -> (absent)" % ("/".join(sub), _show(a[k])))
            else:
                _diff(a[k], b[k], sub, out)
    elif a != b:
        out.append("%s: %s -> %s" % ("/".join(path), _show(a), _show(b)))


def diff(a, b):
    """Readable lines "path: before -> after", one for each difference: a
    key on one side only ("(absent)" on the other, with its whole value), or
    a value that is not an object on both sides (scalars and lists compare
    whole). Paths join keys with "/", in sorted order."""
    out = []
    _diff(a, b, [], out)
    return out


def changed_paths(a, b):
    """The paths diff reports, without the values."""
    return [line.split(": ", 1)[0] for line in diff(a, b)]


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    _worker()
elif __name__ == "__main__":
    # awsnap.py URL REGION...: prints the snapshot (env: the AWS_* of the account)
    print(json.dumps(snapshot(sys.argv[1], dict(os.environ), sys.argv[2:]), indent=1,
                     sort_keys=True))
