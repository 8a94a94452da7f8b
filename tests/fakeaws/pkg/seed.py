"""Builds Worlds: the demo account, an account described in a file, or a
generated benchmark account.

An account description (accounts/demo.py is the reference) is plain data:
roles, customer managed policies and, per region, layers, buckets, tables,
queues, topics, functions (with their package, triggers, URL, metrics and
log group), REST and HTTP APIs, schedules and orphaned log groups. Seeding
CALLS THE OPERATION HANDLERS (CreateRole, CreateFunction, CreateBucket, ...)
through an in-process context dated when each resource was made, so the
seeded state is exactly what the write API produces. Only what no API can
write (stored metrics, access-advisor history, log sizes) is set directly.
"""
import datetime
import hashlib
import importlib
import io
import json
import os
import random
import runpy
import zipfile

from .context import Context
from .registry import OPERATIONS
from .state import World

ACCOUNTS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "accounts")
SERVICE_MODULES = ("iam", "lambda_", "logs", "cloudwatch", "s3", "sqs", "sns", "events", "dynamodb",
                   "apigateway", "apigatewayv2")
METRIC_DAYS = 90
ZIP_DATE = (2024, 1, 2, 3, 4, 6)


def load_services():
    """Imports the service modules so their handlers register; a module
    that is missing or broken is skipped (seeding then skips its resources)."""
    loaded = {}
    for name in SERVICE_MODULES:
        try:
            loaded[name] = importlib.import_module(".services." + name, __package__)
        except Exception:       # missing or half-written: seed without it
            pass
    return loaded


def today():
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


# ---------------------------------------------------------------- packages

WORDS = ("request response event context handler config client table item order customer "
         "payload record batch queue message topic bucket object key value result error retry "
         "timeout status header body token session cache index parse render format validate "
         "transform encode decode stream buffer chunk offset limit cursor page filter map reduce").split()


_CORPUS = {}


def corpus(lang):
    """About 1 MB of source-like text per language, made once."""
    if lang not in _CORPUS:
        rnd = random.Random(lang)
        out, size = [], 0
        while size < 1 << 20:
            a, b, c = rnd.choice(WORDS), rnd.choice(WORDS), rnd.choice(WORDS)
            n = rnd.randint(0, 9999)
            if lang == "js":
                line = "  const %s%s_%d = %s.%s(%s, %d);\n" % (a, b.capitalize(), n, c, b, a, rnd.randint(0, 512))
            else:
                line = "    %s_%s_%d = %s.%s(%s, %d)\n" % (a, b, n, c, b, a, rnd.randint(0, 512))
            out.append(line)
            size += len(line)
        _CORPUS[lang] = "".join(out)
    return _CORPUS[lang]


def filler(rnd, nbytes, lang):
    """Source-like text that compresses about as well as real code does:
    slices of the corpus at random line boundaries."""
    text = corpus(lang)
    parts, size = [], 0
    while size < nbytes:
        start = text.find("\n", rnd.randrange(0, len(text) - 20000)) + 1
        n = min(nbytes - size, rnd.randint(4096, 16384))
        end = text.find("\n", start + n) + 1 or len(text)
        parts.append(text[start:end])
        size += end - start
    return "".join(parts)


def node_module(rnd, name, version, kb):
    files = {"node_modules/%s/package.json" % name: json.dumps(
        {"name": name, "version": version, "description": "%s module" % name, "main": "index.js",
         "license": "MIT", "repository": {"type": "git", "url": "git+https://github.com/example/%s.git" % name}},
        indent=2) + "\n"}
    body = "'use strict';\nmodule.exports = function %s() {\n%s};\n" % (
        name.replace("-", "_").replace(".", "_").replace("@", "").replace("/", "_"), filler(rnd, kb * 1024, "js"))
    files["node_modules/%s/index.js" % name] = body
    files["node_modules/%s/README.md" % name] = "# %s\n\nVersion %s.\n" % (name, version)
    return files


def python_dist(rnd, name, version, kb, prefix=""):
    mod = name.lower().replace("-", "_")
    dist = "%s%s-%s.dist-info/" % (prefix, mod, version)
    files = {
        dist + "METADATA": "Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: %s package\n"
                           "License: MIT\nRequires-Python: >=3.6\n" % (name, version, name),
        dist + "RECORD": "%s%s/__init__.py,,\n" % (prefix, mod),
        dist + "WHEEL": "Wheel-Version: 1.0\nGenerator: bdist_wheel (0.37.1)\n"
                         "Root-Is-Purelib: true\nTag: py3-none-any\n",
        dist + "top_level.txt": mod + "\n",
        "%s%s/__init__.py" % (prefix, mod): '__version__ = "%s"\n' % version,
        "%s%s/core.py" % (prefix, mod): "def main():\n%s" % filler(rnd, kb * 1024, "py"),
    }
    return files


def build_package(spec):
    """A real zip built in memory from a package spec:
    {"kind": "node"|"python", "files": {path: text}, "deps": [[name, version, kb]],
     "prefix": "" (python/ for a python layer, nodejs/ for a node layer), "seed": n, "code_kb": n}"""
    rnd = random.Random(spec.get("seed", 0))
    files = {}
    kind = spec["kind"]
    prefix = spec.get("prefix", "")
    for name, version, kb in spec.get("deps", []):
        if kind == "node":
            for p, t in node_module(rnd, name, version, kb).items():
                files[prefix + p] = t
        else:
            files.update(python_dist(rnd, name, version, kb, prefix))
    for p, t in spec.get("files", {}).items():
        files[p] = t
    if spec.get("code_kb"):
        ext = "js" if kind == "node" else "py"
        files["lib/generated.%s" % ext] = filler(rnd, spec["code_kb"] * 1024, ext)
    if kind == "node" and spec.get("deps") and not prefix:
        files.setdefault("package.json", json.dumps(
            {"name": spec.get("name", "function"), "version": "1.0.0", "private": True,
             "dependencies": {n: "^" + v for n, v, _ in spec["deps"]}}, indent=2) + "\n")
    if kind == "python" and spec.get("deps") and not prefix:
        files.setdefault("requirements.txt", "".join("%s==%s\n" % (n, v) for n, v, _ in spec["deps"]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info._compresslevel = spec.get("level", 6)
            info.external_attr = 0o644 << 16
            z.writestr(info, files[path])
    return buf.getvalue()


# ---------------------------------------------------------------- the seeder

class Seeder:
    """Calls handlers for one account; `age` (days before today) dates each call."""

    def __init__(self, world, account, base=None):
        self.world = world
        self.account = account
        self.base = base or today()
        self.mods = load_services()
        self.skipped = set()
        self.metrics_mode = "series"
        self.packages = {}

    def call(self, service, op, region, age=0.0, **params):
        fn = OPERATIONS.get((service, op))
        if fn is None:
            self.skipped.add((service, op))
            return None
        now = self.base - datetime.timedelta(days=age)
        ctx = Context(self.world, self.account, region, service, op, now=now)
        return fn(ctx, params)

    def package(self, spec):
        """The zip of a package spec, built once per account."""
        key = json.dumps(spec, sort_keys=True)
        if key not in self.packages:
            self.packages[key] = build_package(spec)
        return self.packages[key]

    def has(self, service, op):
        return (service, op) in OPERATIONS


def trust_doc(principal):
    if isinstance(principal, str):
        principal = {"Service": principal}
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]}, indent=2)


def doc_text(doc):
    return doc if isinstance(doc, str) else json.dumps(doc, indent=2)


def fn_arn(account, region, name):
    return "arn:aws:lambda:%s:%s:function:%s" % (region, account.id, name)


def seed_account(world, desc, base=None):
    """Creates one account from its description; returns the Account."""
    a = desc["account"]
    acct = world.add_account(a["id"], a.get("alias", ""), a.get("home_region", "us-east-1"))
    for k in a.get("keys", []):
        acct.add_key(k["access_key_id"], k["secret"], k.get("user_name", "admin"))
    s = Seeder(world, acct, base)
    s.metrics_mode = desc.get("metrics_mode", "series")
    home = acct.home_region
    for p in desc.get("policies", []):
        versions = p["versions"]
        r = s.call("iam", "CreatePolicy", home, age=p.get("age_days", 300), PolicyName=p["name"],
                   PolicyDocument=doc_text(versions[0]), Description=p.get("description", ""))
        for i, v in enumerate(versions[1:], 1):
            s.call("iam", "CreatePolicyVersion", home, age=p.get("age_days", 300) - 20 * i,
                   PolicyArn=r["Policy"]["Arn"], PolicyDocument=doc_text(v),
                   SetAsDefault=(i == p.get("default", len(versions) - 1)))
    for r in desc.get("roles", []):
        s.call("iam", "CreateRole", home, age=r.get("age_days", 400), RoleName=r["name"],
               Path=r.get("path", "/"), AssumeRolePolicyDocument=trust_doc(r.get("trust", "lambda.amazonaws.com")),
               Description=r.get("description", ""),
               Tags=[{"Key": k, "Value": v} for k, v in r.get("tags", {}).items()])
        for arn in r.get("managed", []):
            if not arn.startswith("arn:"):
                arn = "arn:aws:iam::%s:policy/%s" % (acct.id, arn)
            s.call("iam", "AttachRolePolicy", home, RoleName=r["name"], PolicyArn=arn)
        for name, doc in r.get("inline", {}).items():
            s.call("iam", "PutRolePolicy", home, RoleName=r["name"], PolicyName=name, PolicyDocument=doc_text(doc))
    for region, rdesc in desc.get("regions", {}).items():
        seed_region(s, region, rdesc)
    iam = s.mods.get("iam")
    if iam:
        for r in desc.get("roles", []):
            for ns, u in r.get("usage", {}).items():
                iam.record_usage(acct, r["name"], ns, s.base - datetime.timedelta(days=u["days_ago"], hours=-9),
                                 u.get("region", home), u.get("actions", ()))
    world.blobs.clear()
    return acct


def seed_region(s, region, d):
    acct = s.account
    layer_arns = {}
    for lay in d.get("layers", []):
        for i in range(lay.get("versions", 1)):
            spec = dict(lay["package"])
            spec["seed"] = spec.get("seed", 0) + i
            r = s.call("lambda", "PublishLayerVersion", region, age=lay.get("age_days", 200) - 30 * i,
                       LayerName=lay["name"], Description=lay.get("description", ""),
                       Content={"ZipFile": build_package(spec)}, CompatibleRuntimes=lay["runtimes"],
                       CompatibleArchitectures=["x86_64"], LicenseInfo=lay.get("license", "MIT"))
            layer_arns[lay["name"]] = r["LayerVersionArn"]
    for f in d.get("functions", []):
        seed_function(s, region, f, s.package(f["package"]), layer_arns)
    for t in d.get("tables", []):
        params = {"TableName": t["name"], "BillingMode": "PAY_PER_REQUEST",
                  "AttributeDefinitions": [{"AttributeName": t.get("key", "pk"), "AttributeType": "S"}],
                  "KeySchema": [{"AttributeName": t.get("key", "pk"), "KeyType": "HASH"}]}
        if t.get("stream"):
            params["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
        r = s.call("dynamodb", "CreateTable", region, age=t.get("age_days", 500), **params)
        stream = r and r["TableDescription"].get("LatestStreamArn")
        for fname in t.get("stream_to", []):
            if stream:
                s.call("lambda", "CreateEventSourceMapping", region, age=100, EventSourceArn=stream,
                       FunctionName=fname, StartingPosition="LATEST", BatchSize=100)
    for q in d.get("queues", []):
        attrs = dict(q.get("attributes", {}))
        if q.get("dlq"):
            attrs["RedrivePolicy"] = json.dumps({"deadLetterTargetArn": "arn:aws:sqs:%s:%s:%s"
                                                 % (region, acct.id, q["dlq"]), "maxReceiveCount": 5})
        if q.get("policy"):
            attrs["Policy"] = json.dumps(q["policy"])
        s.call("sqs", "CreateQueue", region, age=q.get("age_days", 300), QueueName=q["name"], Attributes=attrs,
               tags=q.get("tags", {}))
        for fname in q.get("consumers", []):
            s.call("lambda", "CreateEventSourceMapping", region, age=100,
                   EventSourceArn="arn:aws:sqs:%s:%s:%s" % (region, acct.id, q["name"]),
                   FunctionName=fname, BatchSize=10)
    for t in d.get("topics", []):
        r = s.call("sns", "CreateTopic", region, age=t.get("age_days", 300), Name=t["name"])
        arn = (r or {}).get("TopicArn", "arn:aws:sns:%s:%s:%s" % (region, acct.id, t["name"]))
        for fname in t.get("subscribers", []):
            s.call("sns", "Subscribe", region, TopicArn=arn, Protocol="lambda",
                   Endpoint=fn_arn(acct, region, fname))
            s.call("lambda", "AddPermission", region, FunctionName=fname, StatementId="sns-" + t["name"],
                   Action="lambda:InvokeFunction", Principal="sns.amazonaws.com", SourceArn=arn)
    for b in d.get("buckets", []):
        seed_bucket(s, region, b)
    for api in d.get("rest_apis", []):
        seed_rest_api(s, region, api)
    for api in d.get("http_apis", []):
        seed_http_api(s, region, api)
    for rule in d.get("schedules", []):
        r = s.call("events", "PutRule", region, age=rule.get("age_days", 200), Name=rule["name"],
                   ScheduleExpression=rule["expr"], State=rule.get("state", "ENABLED"),
                   Description=rule.get("description", ""))
        arn = (r or {}).get("RuleArn", "arn:aws:events:%s:%s:rule/%s" % (region, acct.id, rule["name"]))
        s.call("events", "PutTargets", region, Rule=rule["name"],
               Targets=[{"Id": "1", "Arn": fn_arn(acct, region, rule["function"])}])
        s.call("lambda", "AddPermission", region, FunctionName=rule["function"], StatementId="events-" + rule["name"],
               Action="lambda:InvokeFunction", Principal="events.amazonaws.com", SourceArn=arn)
    logs = s.mods.get("logs")
    for g in d.get("orphan_log_groups", []):
        s.call("logs", "CreateLogGroup", region, age=g.get("age_days", 400), logGroupName=g["name"])
        if g.get("retention"):
            s.call("logs", "PutRetentionPolicy", region, logGroupName=g["name"], retentionInDays=g["retention"])
        if logs:
            logs.set_stored_bytes(acct, region, g["name"], g.get("bytes", 0))
    for al in d.get("alarms", []):
        s.call("cloudwatch", "PutMetricAlarm", region, age=al.get("age_days", 60), **al["params"])


def seed_function(s, region, f, zip_bytes, layer_arns):
    acct = s.account
    age = f.get("age_days", 120)
    params = {"FunctionName": f["name"], "Runtime": f["runtime"],
              "Role": "arn:aws:iam::%s:role/%s" % (acct.id, f["role"]), "Handler": f["handler"],
              "Code": {"ZipFile": zip_bytes}, "Description": f.get("description", ""),
              "Timeout": f.get("timeout", 30), "MemorySize": f.get("memory", 256),
              "Tags": f.get("tags", {}), "Architectures": [f.get("arch", "x86_64")]}
    if f.get("env"):
        params["Environment"] = {"Variables": f["env"]}
    if f.get("layers"):
        params["Layers"] = [layer_arns[n] for n in f["layers"] if n in layer_arns]
    if f.get("kms_key"):
        params["KMSKeyArn"] = f["kms_key"]
    if f.get("vpc"):
        params["VpcConfig"] = f["vpc"]
    if f.get("tracing"):
        params["TracingConfig"] = {"Mode": f["tracing"]}
    s.call("lambda", "CreateFunction", region, age=age, **params)
    # A later configuration change, as most functions have had one.
    if f.get("updated_days") is not None:
        s.call("lambda", "UpdateFunctionConfiguration", region, age=f["updated_days"], FunctionName=f["name"],
               Description=f.get("description", "") + " ")
        s.call("lambda", "UpdateFunctionConfiguration", region, age=f["updated_days"], FunctionName=f["name"],
               Description=f.get("description", ""))
    for v in range(f.get("publish", 0)):
        s.call("lambda", "PublishVersion", region, age=age - 1 - v, FunctionName=f["name"],
               Description="release %d" % (v + 1))
        if v + 1 < f.get("publish", 0):
            s.call("lambda", "UpdateFunctionConfiguration", region, age=age - 1 - v, FunctionName=f["name"],
                   Description=f.get("description", "") + " (v%d)" % (v + 2))
    for alias, version in f.get("aliases", {}).items():
        s.call("lambda", "CreateAlias", region, FunctionName=f["name"], Name=alias, FunctionVersion=version)
    if f.get("concurrency") is not None:
        s.call("lambda", "PutFunctionConcurrency", region, FunctionName=f["name"],
               ReservedConcurrentExecutions=f["concurrency"])
    if f.get("url"):
        s.call("lambda", "CreateFunctionUrlConfig", region, age=age - 1, FunctionName=f["name"],
               AuthType=f["url"], Cors=f.get("cors") or {"AllowOrigins": ["*"], "AllowMethods": ["POST"]})
        if f["url"] == "NONE":
            s.call("lambda", "AddPermission", region, FunctionName=f["name"],
                   StatementId="FunctionURLAllowPublicAccess", Action="lambda:InvokeFunctionUrl",
                   Principal="*", FunctionUrlAuthType="NONE")
    for i, p in enumerate(f.get("permissions", [])):
        s.call("lambda", "AddPermission", region, FunctionName=f["name"], StatementId=p.get("sid", "perm-%d" % i),
               Action=p.get("action", "lambda:InvokeFunction"), Principal=p["principal"],
               **({"SourceArn": p["source_arn"]} if p.get("source_arn") else {}))
    if f.get("async"):
        s.call("lambda", "PutFunctionEventInvokeConfig", region, FunctionName=f["name"],
               MaximumRetryAttempts=f["async"].get("retries", 2),
               DestinationConfig={"OnFailure": {"Destination": f["async"]["on_failure"]}})
    group = "/aws/lambda/" + f["name"]
    s.call("logs", "CreateLogGroup", region, age=age, logGroupName=group)
    if f.get("log_retention"):
        s.call("logs", "PutRetentionPolicy", region, logGroupName=group, retentionInDays=f["log_retention"])
    m = f.get("metrics") or {"base": 100, "dur_ms": 200}
    cw = s.mods.get("cloudwatch")
    start_day = int(s.base.timestamp() // 86400) - METRIC_DAYS
    model = {"seed": int(hashlib.sha256(f["name"].encode()).hexdigest()[:8], 16)}
    model.update(m)
    calls = 0
    if cw and s.metrics_mode == "model":
        # Generated accounts keep the model, computed on demand.
        cw.put_lambda_model(acct, region, f["name"], start_day, METRIC_DAYS, model)
        calls = 0 if m.get("dead") else int(m["base"] * METRIC_DAYS)
    elif cw:
        v = cw.model_values(start_day, METRIC_DAYS, model)
        cw.put_lambda_series(acct, region, f["name"], start_day, v["inv"], v["err"], v["thr"], v["dmax"], v["p99"])
        calls = sum(v["inv"])
    logs = s.mods.get("logs")
    if logs:
        logs.set_stored_bytes(acct, region, group, calls * f.get("log_bytes_per_call", 900)
                              + f.get("log_bytes_extra", 0))


def seed_bucket(s, region, b):
    acct = s.account
    params = {"Bucket": b["name"]}
    if region != "us-east-1":
        params["CreateBucketConfiguration"] = {"LocationConstraint": region}
    s.call("s3", "CreateBucket", region, age=b.get("age_days", 600), **params)
    if b.get("public"):
        s.call("s3", "PutPublicAccessBlock", region, Bucket=b["name"], PublicAccessBlockConfiguration={
            "BlockPublicAcls": False, "IgnorePublicAcls": False, "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False})
        s.call("s3", "PutBucketPolicy", region, Bucket=b["name"], Policy=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::%s/*" % b["name"]}]}))
    elif b.get("policy"):
        s.call("s3", "PutBucketPolicy", region, Bucket=b["name"], Policy=json.dumps(b["policy"]))
    if b.get("tags"):
        s.call("s3", "PutBucketTagging", region, Bucket=b["name"],
               Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in b["tags"].items()]})
    for key, body in b.get("objects", {}).items():
        s.call("s3", "PutObject", region, Bucket=b["name"], Key=key, Body=body.encode())
    notes = b.get("notify", [])
    if notes:
        confs = []
        for i, n in enumerate(notes):
            confs.append({"Id": "%s-%d" % (n["function"], i),
                          "LambdaFunctionArn": fn_arn(acct, region, n["function"]),
                          "Events": n.get("events", ["s3:ObjectCreated:*"])})
            s.call("lambda", "AddPermission", region, FunctionName=n["function"],
                   StatementId="s3-%s" % b["name"], Action="lambda:InvokeFunction", Principal="s3.amazonaws.com",
                   SourceArn="arn:aws:s3:::%s" % b["name"])
        s.call("s3", "PutBucketNotificationConfiguration", region, Bucket=b["name"],
               NotificationConfiguration={"LambdaFunctionConfigurations": confs})


def seed_rest_api(s, region, api):
    acct = s.account
    r = s.call("apigateway", "CreateRestApi", region, age=api.get("age_days", 300), name=api["name"],
               description=api.get("description", ""), endpointConfiguration={"types": ["REGIONAL"]})
    if not r:
        return
    api_id = r["id"]
    root = r.get("rootResourceId")
    if root is None:
        res = s.call("apigateway", "GetResources", region, restApiId=api_id)
        root = [x for x in res["items"] if x["path"] == "/"][0]["id"]
    source = "arn:aws:execute-api:%s:%s:%s/*" % (region, acct.id, api_id)
    auth_id = None
    if api.get("authorizer"):
        uri = "arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations" % (
            region, fn_arn(acct, region, api["authorizer"]))
        a = s.call("apigateway", "CreateAuthorizer", region, restApiId=api_id, name=api["authorizer"],
                   type="TOKEN", authorizerUri=uri, identitySource="method.request.header.Authorization",
                   authorizerResultTtlInSeconds=300)
        auth_id = a["id"]
        s.call("lambda", "AddPermission", region, FunctionName=api["authorizer"],
               StatementId="apigw-authorizer-" + api_id, Action="lambda:InvokeFunction",
               Principal="apigateway.amazonaws.com", SourceArn="arn:aws:execute-api:%s:%s:%s/authorizers/%s"
               % (region, acct.id, api_id, auth_id))
    resources = {"/": root}
    permitted = set()
    for route in api["routes"]:
        path = route["path"]
        parent = "/"
        for part in [p for p in path.split("/") if p]:
            here = (parent.rstrip("/") + "/" + part)
            if here not in resources:
                c = s.call("apigateway", "CreateResource", region, restApiId=api_id,
                           parentId=resources[parent], pathPart=part)
                resources[here] = c["id"]
            parent = here
        rid = resources[path]
        auth = route.get("auth", True) and auth_id
        s.call("apigateway", "PutMethod", region, restApiId=api_id, resourceId=rid, httpMethod=route["method"],
               authorizationType="CUSTOM" if auth else "NONE", **({"authorizerId": auth_id} if auth else {}))
        fn = fn_arn(acct, region, route["function"])
        s.call("apigateway", "PutIntegration", region, restApiId=api_id, resourceId=rid,
               httpMethod=route["method"], type="AWS_PROXY", integrationHttpMethod="POST",
               uri="arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations" % (region, fn))
        if route["function"] not in permitted:
            permitted.add(route["function"])
            s.call("lambda", "AddPermission", region, FunctionName=route["function"],
                   StatementId="apigw-" + api_id, Action="lambda:InvokeFunction",
                   Principal="apigateway.amazonaws.com", SourceArn=source)
    s.call("apigateway", "CreateDeployment", region, restApiId=api_id, stageName=api.get("stage", "prod"),
           description="initial")


def seed_http_api(s, region, api):
    acct = s.account
    r = s.call("apigatewayv2", "CreateApi", region, age=api.get("age_days", 200), Name=api["name"],
               ProtocolType="HTTP", Description=api.get("description", ""))
    if not r:
        return
    api_id = r["ApiId"]
    auth_id = None
    if api.get("jwt_issuer"):
        a = s.call("apigatewayv2", "CreateAuthorizer", region, ApiId=api_id, Name="jwt", AuthorizerType="JWT",
                   IdentitySource=["$request.header.Authorization"],
                   JwtConfiguration={"Audience": [api.get("jwt_audience", "storefront")],
                                     "Issuer": api["jwt_issuer"]})
        auth_id = a["AuthorizerId"]
    integrations = {}
    for route in api["routes"]:
        fname = route["function"]
        if fname not in integrations:
            i = s.call("apigatewayv2", "CreateIntegration", region, ApiId=api_id, IntegrationType="AWS_PROXY",
                       IntegrationUri=fn_arn(acct, region, fname), PayloadFormatVersion="2.0",
                       IntegrationMethod="POST")
            integrations[fname] = i["IntegrationId"]
            s.call("lambda", "AddPermission", region, FunctionName=fname, StatementId="apigw-" + api_id,
                   Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com",
                   SourceArn="arn:aws:execute-api:%s:%s:%s/*/*" % (region, acct.id, api_id))
        auth = route.get("auth", True) and auth_id
        extra = {"AuthorizationType": "JWT", "AuthorizerId": auth_id} if auth else {"AuthorizationType": "NONE"}
        s.call("apigatewayv2", "CreateRoute", region, ApiId=api_id, RouteKey=route["key"],
               Target="integrations/" + integrations[fname], **extra)
    s.call("apigatewayv2", "CreateStage", region, ApiId=api_id, StageName="$default", AutoDeploy=True)


# ---------------------------------------------------------------- entry

def load_description(path):
    if path.endswith(".py"):
        return runpy.run_path(path)["ACCOUNT"]
    with open(path) as f:
        return json.load(f)


def build_world(spec, functions=None, regions=None, seed=None):
    """spec: "demo" | "generated" (functions, regions, seed) | a path to a
    saved world (World.save) or to an account description (.py or .json)."""
    if spec == "generated" or (spec != "demo" and functions):
        from . import generator
        return generator.generate(functions or 100, regions or 2, seed if seed is not None else 1)
    if spec == "demo":
        path = os.path.join(ACCOUNTS_DIR, "demo.py")
    else:
        path = spec
    desc = load_description(path)
    if "accounts" in desc and "account" not in desc:
        return World.from_json(desc)
    world = World()
    seed_account(world, desc)
    return world
