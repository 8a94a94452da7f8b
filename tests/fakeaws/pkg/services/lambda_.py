"""Lambda (rest-json, API 2015-03-31): functions with their code, versions,
aliases, resource policies, URLs, concurrency, tags, event source mappings,
async invoke configs, and layers.

State per region (ctx.account.svc("lambda", region)):
  {"functions": {name: fn}, "layers": {name: {"versions": {"N": lv}, "next": N}},
   "esm": {uuid: mapping}, "seq": int}
  fn = {"config": FunctionConfiguration of $LATEST (stored form),
        "tags": {}, "concurrency": int | None,
        "policies": {qualifier or "": {"doc": policy dict, "rev": str}},
        "urls": {qualifier or "": url config}, "versions": {"N": config},
        "next_version": N, "aliases": {name: alias}, "eic": {qualifier: cfg}}
Code packages live once in ctx.world.code (CodeSha256 -> zip bytes).

RevisionIds as AWS documents them: the function's changes with its
configuration and code (UpdateFunctionConfiguration, UpdateFunctionCode);
each resource policy carries its own, returned by GetPolicy and checked by
AddPermission/RemovePermission; a stale one is refused with
PreconditionFailedException (412).
"""
import base64
import copy
import datetime
import functools
import hashlib
import json
import re
import threading

from ..errors import AwsError
from ..registry import op

SERVICE = "lambda"
_LOCK = threading.RLock()

ACCOUNT_CONCURRENCY = 1000
MIN_UNRESERVED = 100
ENV_LIMIT = 4096
# ListFunctions returns a subset of the configuration: these come only
# from GetFunction/GetFunctionConfiguration (AWS ListFunctions reference).
LIST_OMITS = ("State", "StateReason", "StateReasonCode", "LastUpdateStatus",
              "LastUpdateStatusReason", "LastUpdateStatusReasonCode")
NAME_RE = re.compile(
    r"^(?:(?:arn:aws[a-zA-Z-]*:lambda:(?P<region>[a-z0-9-]+):)?(?P<account>\d{12}):function:)?"
    r"(?P<name>[a-zA-Z0-9_-]{1,140})(?::(?P<qual>\$LATEST|[a-zA-Z0-9_-]{1,128}))?$")
LAYER_RE = re.compile(
    r"^(?:arn:aws[a-zA-Z-]*:lambda:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):layer:)?"
    r"(?P<name>[a-zA-Z0-9_-]{1,140})$")
LAYER_VERSION_RE = re.compile(
    r"^arn:aws[a-zA-Z-]*:lambda:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):layer:"
    r"(?P<name>[a-zA-Z0-9_-]{1,140}):(?P<version>\d+)$")


def handler(fn):
    """Registers fn as a Lambda operation run under the module lock (the
    server is threaded; handlers mutate shared dicts)."""
    @functools.wraps(fn)
    def locked(ctx, params):
        with _LOCK:
            return fn(ctx, params)
    return op(SERVICE, fn.__name__)(locked)


# ---------------------------------------------------------------- errors

def not_found(msg="The resource you requested does not exist."):
    return AwsError("ResourceNotFoundException", msg, extra={"Type": "User"})


def invalid(msg):
    return AwsError("InvalidParameterValueException", msg, extra={"Type": "User"})


def conflict(msg):
    return AwsError("ResourceConflictException", msg, extra={"Type": "User"})


def stale():
    return AwsError("PreconditionFailedException",
                    "The Revision Id provided does not match the latest Revision Id. "
                    "Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
                    extra={"Type": "User"})


def validation(field, value, constraint):
    return AwsError("ValidationException",
                    "1 validation error detected: Value '%s' at '%s' failed to satisfy "
                    "constraint: %s" % (value, field, constraint), status=400)


# ---------------------------------------------------------------- helpers

def state(ctx):
    st = ctx.account.svc(SERVICE, ctx.region)
    if "functions" not in st:
        st.setdefault("functions", {})
        st.setdefault("layers", {})
        st.setdefault("esm", {})
        st.setdefault("seq", 0)
    return st


def new_uuid(ctx, salt):
    """A deterministic UUID4-shaped id: seeding twice gives the same world."""
    st = state(ctx)
    st["seq"] += 1
    h = hashlib.sha256(("%s/%s/%s/%d" % (ctx.account.id, ctx.region, salt, st["seq"])).encode()).hexdigest()
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], "89ab"[int(h[16], 16) % 4], h[17:20], h[20:32])


def stamp(ctx):
    """Lambda's own timestamp strings: 2023-05-01T12:00:00.000+0000."""
    now = ctx.now().astimezone(datetime.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d+0000" % (now.microsecond // 1000)


def function_arn(ctx, name, qualifier=None):
    arn = "arn:aws:lambda:%s:%s:function:%s" % (ctx.region, ctx.account.id, name)
    return arn + ":" + qualifier if qualifier else arn


def parse_name(ctx, value, qualifier=None):
    """Accepts a name, a name:qualifier, a partial ARN (ACCOUNT:function:NAME)
    or a full ARN, optionally qualified; returns (name, qualifier or None)."""
    m = NAME_RE.match(value or "")
    if not m:
        raise validation("functionName", value,
                         "Member must satisfy regular expression pattern: "
                         "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?"
                         "(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?")
    if m.group("account") and m.group("account") != ctx.account.id:
        raise AwsError("AccessDeniedException",
                       "User: %s is not authorized to perform: lambda:%s on resource: %s"
                       % (getattr(ctx.caller, "arn", "unknown"), ctx.operation, value), status=403)
    if m.group("region") and m.group("region") != ctx.region:
        raise not_found("Function not found: %s" % value)
    q = m.group("qual")
    if q and qualifier and q != qualifier:
        raise invalid("The derived qualifier from the function name does not match the specified qualifier.")
    return m.group("name"), (q or qualifier or None)


def get_fn(ctx, value, qualifier=None, allow_qualifier=True):
    """The function record and the qualifier asked for; raises Lambda's
    ResourceNotFoundException naming the ARN as AWS does."""
    name, q = parse_name(ctx, value, qualifier)
    if q and not allow_qualifier:
        raise invalid("Unsupported qualifier for this operation: %s" % q)
    fn = state(ctx)["functions"].get(name)
    if fn is None:
        raise not_found("Function not found: %s" % function_arn(ctx, name, q if q else None))
    if q and q != "$LATEST" and q not in fn["versions"] and q not in fn["aliases"]:
        raise not_found("Function not found: %s" % function_arn(ctx, name, q))
    return fn, q


def config_of(fn, q):
    """The stored configuration of a qualifier ($LATEST, a version, an alias)."""
    if not q or q == "$LATEST":
        return fn["config"]
    if q in fn["aliases"]:
        q = fn["aliases"][q]["FunctionVersion"]
        if q == "$LATEST":
            return fn["config"]
    return fn["versions"][q]


def public_config(ctx, cfg, for_list=False):
    # Shallow: writes replace nested members (Environment, VpcConfig, ...)
    # with new objects, never mutate them, so sharing them is safe and a
    # 10,000-function ListFunctions stays cheap.
    out = dict(cfg)
    if for_list:
        for k in LIST_OMITS:
            out.pop(k, None)
    return out


def bump_revision(ctx, fn):
    fn["config"]["RevisionId"] = new_uuid(ctx, "rev/" + fn["config"]["FunctionName"])


def check_revision(given, current):
    if given is not None and given != current:
        raise stale()


def check_zip(data):
    if not isinstance(data, (bytes, bytearray)) or not data.startswith(b"PK"):
        raise invalid("Could not unzip uploaded file. Please check your file, then try to upload again.")
    if len(data) > 50 * 1024 * 1024:
        raise AwsError("RequestEntityTooLargeException",
                       "Request must be smaller than 52428800 bytes for the CreateFunction operation",
                       status=413)


def code_from(ctx, params):
    """Zip bytes from ZipFile, or from an object in this account's S3 state."""
    data = params.get("ZipFile")
    if data is None and params.get("S3Bucket"):
        bucket = ctx.account.svc("s3").get("buckets", {}).get(params["S3Bucket"])
        obj = (bucket or {}).get("Objects", {}).get(params.get("S3Key", ""))
        if obj is None:
            raise invalid("Error occurred while GetObject. S3 Error Code: NoSuchKey. "
                          "S3 Error Message: The specified key does not exist.")
        data = base64.b64decode(obj["Body"])
    if data is None:
        raise invalid("Please provide a source for function code.")
    data = bytes(data)
    check_zip(data)
    return data


def check_limits(params):
    t = params.get("Timeout")
    if t is not None and not 1 <= t <= 900:
        raise validation("timeout", t, "Member must have value less than or equal to 900"
                         if t > 900 else "Member must have value greater than or equal to 1")
    m = params.get("MemorySize")
    if m is not None and not 128 <= m <= 10240:
        raise validation("memorySize", m, "Member must have value less than or equal to 10240"
                         if m > 10240 else "Member must have value greater than or equal to 128")
    env = (params.get("Environment") or {}).get("Variables")
    if env is not None:
        size = sum(len(k.encode()) + len(str(v).encode()) for k, v in env.items())
        if size > ENV_LIMIT:
            raise invalid("Lambda was unable to configure your environment variables because the "
                          "environment variables you have provided exceeded the 4KB limit. String "
                          "measured: %s" % json.dumps(env, separators=(",", ":")))
        for k in env:
            if not re.match(r"^[a-zA-Z]([a-zA-Z0-9_])+$", k):
                raise invalid("Lambda was unable to configure your environment variables because "
                              "the environment variables you have provided contains reserved keys "
                              "or invalid keys: %s" % k)


def check_role(ctx, role_arn):
    """Lambda refuses a role that does not exist or that it cannot assume."""
    m = re.match(r"^arn:aws[a-zA-Z-]*:iam::(\d{12}):role/(?:.*/)?([\w+=,.@-]+)$", role_arn or "")
    if not m:
        raise validation("role", role_arn, "Member must satisfy regular expression pattern: "
                         "arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+")
    if m.group(1) != ctx.account.id:
        return
    roles = ctx.account.svc("iam").get("roles", {})
    role = roles.get(m.group(2))
    trust = json.dumps(role.get("AssumeRolePolicyDocument", "")) if role else ""
    if role is None or "lambda.amazonaws.com" not in trust:
        raise invalid("The role defined for the function cannot be assumed by Lambda.")


def layer_refs(ctx, arns):
    out = []
    for arn in arns or []:
        m = LAYER_VERSION_RE.match(arn)
        if not m:
            raise validation("layers", arn, "Member must satisfy regular expression pattern: "
                             "arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+")
        size = None
        if m.group("account") == ctx.account.id:
            if m.group("region") != ctx.region:
                raise invalid("Layers are not in the same region as the function. "
                              "Layers are expected to be in region %s." % ctx.region)
            layer = state(ctx)["layers"].get(m.group("name"))
            lv = layer and layer["versions"].get(m.group("version"))
            if not lv:
                raise invalid("Layer version %s does not exist." % arn)
            size = lv["Content"]["CodeSize"]
        ref = {"Arn": arn}
        ref["CodeSize"] = size if size is not None else 0
        out.append(ref)
    if len(out) > 5:
        raise invalid("Cannot reference more than 5 layers.")
    return out


def vpc_response(vpc):
    if not vpc:
        return None
    subnets = list(vpc.get("SubnetIds") or [])
    sgs = list(vpc.get("SecurityGroupIds") or [])
    vpc_id = ""
    if subnets:
        vpc_id = "vpc-" + hashlib.sha256(subnets[0].encode()).hexdigest()[:17]
    return {"SubnetIds": subnets, "SecurityGroupIds": sgs, "VpcId": vpc_id}


def apply_config(ctx, cfg, params):
    """Copies the settable members of a Create/UpdateFunctionConfiguration
    request into the stored configuration."""
    for k in ("Runtime", "Role", "Handler", "Description", "Timeout", "MemorySize", "KMSKeyArn"):
        if params.get(k) is not None:
            cfg[k] = params[k]
    if params.get("Environment") is not None:
        cfg["Environment"] = {"Variables": dict(params["Environment"].get("Variables") or {})}
    if params.get("VpcConfig") is not None:
        v = vpc_response(params["VpcConfig"])
        if v and (v["SubnetIds"] or v["SecurityGroupIds"]):
            cfg["VpcConfig"] = v
        else:
            cfg.pop("VpcConfig", None)
    if params.get("DeadLetterConfig") is not None:
        if params["DeadLetterConfig"].get("TargetArn"):
            cfg["DeadLetterConfig"] = {"TargetArn": params["DeadLetterConfig"]["TargetArn"]}
        else:
            cfg.pop("DeadLetterConfig", None)
    if params.get("TracingConfig") is not None:
        cfg["TracingConfig"] = {"Mode": params["TracingConfig"].get("Mode") or "PassThrough"}
    if params.get("Layers") is not None:
        refs = layer_refs(ctx, params["Layers"])
        if refs:
            cfg["Layers"] = refs
        else:
            cfg.pop("Layers", None)
    if params.get("EphemeralStorage") is not None:
        size = params["EphemeralStorage"].get("Size", 512)
        if not 512 <= size <= 10240:
            raise invalid("EphemeralStorage Size must be between 512 and 10240 MB.")
        cfg["EphemeralStorage"] = {"Size": size}
    if params.get("SnapStart") is not None:
        cfg["SnapStart"] = {"ApplyOn": params["SnapStart"].get("ApplyOn", "None"),
                            "OptimizationStatus": "Off"}
    if params.get("FileSystemConfigs") is not None:
        cfg["FileSystemConfigs"] = list(params["FileSystemConfigs"])


def transient(cfg, **overrides):
    """The answer of a write that AWS reports while the change is still in
    progress; the stored state is already final."""
    out = copy.deepcopy(cfg)
    out.update(overrides)
    return out


def all_functions(ctx):
    return state(ctx)["functions"]


# ---------------------------------------------------------------- functions

@handler
def CreateFunction(ctx, params):
    name = params["FunctionName"]
    m = NAME_RE.match(name)
    if not m or m.group("qual"):
        raise validation("functionName", name, "Member must satisfy regular expression pattern: "
                         "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?"
                         "(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)")
    name = m.group("name")
    if len(name) > 64:
        raise validation("functionName", name, "Member must have length less than or equal to 64")
    fns = all_functions(ctx)
    if name in fns:
        raise conflict("Function already exist: %s" % name)
    if params.get("PackageType", "Zip") == "Image":
        raise invalid("This fake serves Zip packages only.")
    if not params.get("Runtime") or not params.get("Handler"):
        raise invalid("Runtime and Handler are mandatory parameters for functions created with Zip Package Type.")
    check_limits(params)
    check_role(ctx, params["Role"])
    data = code_from(ctx, params.get("Code") or {})
    sha = ctx.world.put_code(data)
    cfg = {
        "FunctionName": name,
        "FunctionArn": function_arn(ctx, name),
        "Runtime": params["Runtime"],
        "Role": params["Role"],
        "Handler": params["Handler"],
        "CodeSize": len(data),
        "Description": "",
        "Timeout": 3,
        "MemorySize": 128,
        "LastModified": stamp(ctx),
        "CodeSha256": sha,
        "Version": "$LATEST",
        "TracingConfig": {"Mode": "PassThrough"},
        "RevisionId": "",
        "State": "Active",
        "LastUpdateStatus": "Successful",
        "PackageType": "Zip",
        "Architectures": list(params.get("Architectures") or ["x86_64"]),
        "EphemeralStorage": {"Size": 512},
        "SnapStart": {"ApplyOn": "None", "OptimizationStatus": "Off"},
    }
    apply_config(ctx, cfg, params)
    fn = {"config": cfg, "tags": dict(params.get("Tags") or {}), "concurrency": None,
          "policies": {}, "urls": {}, "versions": {}, "next_version": 1,
          "aliases": {}, "eic": {}}
    fns[name] = fn
    bump_revision(ctx, fn)
    answer = transient(cfg, State="Pending", StateReason="The function is being created.",
                       StateReasonCode="Creating")
    if params.get("Publish"):
        v = publish(ctx, fn, params.get("Description"))
        answer = transient(v, State="Pending", StateReason="The function is being created.",
                           StateReasonCode="Creating")
    return answer


@handler
def GetFunctionConfiguration(ctx, params):
    fn, q = get_fn(ctx, params["FunctionName"], params.get("Qualifier"))
    return public_config(ctx, config_of(fn, q))


@handler
def GetFunction(ctx, params):
    fn, q = get_fn(ctx, params["FunctionName"], params.get("Qualifier"))
    cfg = config_of(fn, q)
    out = {"Configuration": public_config(ctx, cfg),
           "Code": {"RepositoryType": "S3", "Location": ctx.blob_url(ctx.world.code[cfg["CodeSha256"]])}}
    if fn["tags"]:
        out["Tags"] = dict(fn["tags"])
    if fn["concurrency"] is not None:
        out["Concurrency"] = {"ReservedConcurrentExecutions": fn["concurrency"]}
    return out


@handler
def ListFunctions(ctx, params):
    every = params.get("FunctionVersion") == "ALL"
    if params.get("FunctionVersion") not in (None, "ALL"):
        raise invalid("Invalid value for FunctionVersion: %s" % params["FunctionVersion"])
    out = []
    for name in sorted(all_functions(ctx)):
        fn = all_functions(ctx)[name]
        out.append(public_config(ctx, fn["config"], for_list=True))
        if every:
            for v in sorted(fn["versions"], key=int):
                out.append(public_config(ctx, fn["versions"][v], for_list=True))
    return {"Functions": out}


@handler
def UpdateFunctionConfiguration(ctx, params):
    fn, _ = get_fn(ctx, params["FunctionName"], allow_qualifier=False)
    check_revision(params.get("RevisionId"), fn["config"]["RevisionId"])
    check_limits(params)
    if params.get("Role"):
        check_role(ctx, params["Role"])
    apply_config(ctx, fn["config"], params)
    fn["config"]["LastModified"] = stamp(ctx)
    bump_revision(ctx, fn)
    return transient(fn["config"], LastUpdateStatus="InProgress")


@handler
def UpdateFunctionCode(ctx, params):
    fn, _ = get_fn(ctx, params["FunctionName"], allow_qualifier=False)
    check_revision(params.get("RevisionId"), fn["config"]["RevisionId"])
    data = code_from(ctx, params)
    if params.get("DryRun"):
        out = transient(fn["config"])
        out["CodeSha256"] = base64.b64encode(hashlib.sha256(data).digest()).decode()
        out["CodeSize"] = len(data)
        return out
    cfg = fn["config"]
    cfg["CodeSha256"] = ctx.world.put_code(data)
    cfg["CodeSize"] = len(data)
    if params.get("Architectures"):
        cfg["Architectures"] = list(params["Architectures"])
    cfg["LastModified"] = stamp(ctx)
    bump_revision(ctx, fn)
    if params.get("Publish"):
        return transient(publish(ctx, fn, None))
    return transient(cfg, LastUpdateStatus="InProgress")


@handler
def DeleteFunction(ctx, params):
    fn, q = get_fn(ctx, params["FunctionName"], params.get("Qualifier"))
    name = fn["config"]["FunctionName"]
    if q and q != "$LATEST":
        if q in fn["aliases"]:
            raise invalid("Deletion of aliases is not supported by DeleteFunction; use DeleteAlias.")
        users = [a for a, al in fn["aliases"].items() if al["FunctionVersion"] == q]
        if users:
            raise conflict("Unable to delete version because the following aliases reference it: %s"
                           % users)
        del fn["versions"][q]
        fn["policies"].pop(q, None)
        fn["eic"].pop(q, None)
        return {}
    if q == "$LATEST":
        raise invalid("$LATEST version cannot be deleted without deleting all versions.")
    del all_functions(ctx)[name]
    return {}


# ---------------------------------------------------------------- versions, aliases

def publish(ctx, fn, description):
    """Publishes $LATEST as the next version, unless nothing changed since
    the last one (AWS then answers with that version)."""
    cfg = fn["config"]
    last = fn["versions"].get(str(fn["next_version"] - 1))
    if last and fn.get("published_rev") == cfg["RevisionId"]:
        return copy.deepcopy(last)
    n = str(fn["next_version"])
    fn["next_version"] += 1
    v = copy.deepcopy(cfg)
    v["Version"] = n
    v["FunctionArn"] = cfg["FunctionArn"] + ":" + n
    if description is not None:
        v["Description"] = description
    v["RevisionId"] = new_uuid(ctx, "rev/%s:%s" % (cfg["FunctionName"], n))
    fn["versions"][n] = v
    fn["published_rev"] = cfg["RevisionId"]
    return copy.deepcopy(v)


@handler
def PublishVersion(ctx, params):
    fn, _ = get_fn(ctx, params["FunctionName"], allow_qualifier=False)
    check_revision(params.get("RevisionId"), fn["config"]["RevisionId"])
    if params.get("CodeSha256") and params["CodeSha256"] != fn["config"]["CodeSha256"]:
        raise invalid("CodeSHA256 (%s) is different from current CodeSHA256 in $LATEST (%s). "
                      "Please try again with the CodeSHA256 in $LATEST."
                      % (params["CodeSha256"], fn["config"]["CodeSha256"]))
    return publish(ctx, fn, params.get("Description"))


@handler
def ListVersionsByFunction(ctx, params):
    fn, _ = get_fn(ctx, params["FunctionName"], allow_qualifier=False)
    out = [public_config(ctx, fn["config"], for_list=True)]
    for v in sorted(fn["versions"], key=int):
        out.append(public_config(ctx, fn["versions"][v], for_list=True))
    return {"Versions": out}


@handler
def CreateAlias(ctx, params):
    fn, _ = get_fn(ctx, params["FunctionName"], allow_qualifier=False)
    name = params["Name"]
    if re.match(r"^\d+$", name) or name == "$LATEST":
        raise invalid("Alias name cannot be a version number or $LATEST.")
    if name in fn["aliases"]:
        raise conflict("Alias already exists: %s" % function_arn(ctx, fn["config"]["FunctionName"], name))
    ver = params["FunctionVersion"]
    if ver != "$LATEST" and ver not in fn["versions"]:
        raise not_found("Function not found: %s" % function_arn(ctx, fn["config"]["FunctionName"], ver))
    alias = {"AliasArn": function_arn(ctx, fn["config"]["FunctionName"], name), "Name": name,
             "FunctionVersion": ver, "Description": params.get("Description") or "",
             "RevisionId": new_uuid(ctx, "alias/" + name)}
    if params.get("RoutingConfig"):
        alias["RoutingConfig"] = copy.deepcopy(params["RoutingConfig"])
    fn["aliases"][name] = alias
    return copy.deepcopy(alias)


@handler
def ListAliases(ctx, params):
    fn, _ = get_fn(ctx, params["FunctionName"], allow_qualifier=False)
    ver = params.get("FunctionVersion")
    out = [copy.deepcopy(a) for n, a in sorted(fn["aliases"].items())
           if ver is None or a["FunctionVersion"] == ver]
    return {"Aliases": out}


# ---------------------------------------------------------------- resource policy

def principal_of(p):
    if p == "*":
        return "*"
    if re.match(r"^\d{12}$", p):
        return {"AWS": "arn:aws:iam::%s:root" % p}
    if p.startswith("arn:"):
        return {"AWS": p}
    if "." in p:
        return {"Service": p}
    raise invalid("The provided principal was invalid. Please check the principal and try again.")


@handler
def AddPermission(ctx, params):
    fn, q = get_fn(ctx, params["FunctionName"], params.get("Qualifier"))
    key = q if q and q != "$LATEST" else ""
    pol = fn["policies"].get(key)
    if params.get("RevisionId") is not None and (pol is None or pol["rev"] != params["RevisionId"]):
        raise stale()
    sid = params["StatementId"]
    if not re.match(r"^[a-zA-Z0-9-_.]+$", sid):
        raise validation("statementId", sid, "Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)")
    action = params["Action"]
    if not re.match(r"^(lambda:[*]|lambda:[a-zA-Z]+|[*])$", action):
        raise validation("action", action, "Member must satisfy regular expression pattern: "
                         "(lambda:[*]|lambda:[a-zA-Z]+|[*])")
    if pol and any(s.get("Sid") == sid for s in pol["doc"]["Statement"]):
        raise conflict("The statement id (%s) provided already exists. Please provide a new "
                       "statement id, or remove the existing statement." % sid)
    stmt = {"Sid": sid, "Effect": "Allow", "Principal": principal_of(params["Principal"]),
            "Action": action, "Resource": function_arn(ctx, fn["config"]["FunctionName"], key or None)}
    cond = {}
    if params.get("SourceArn"):
        cond.setdefault("ArnLike", {})["AWS:SourceArn"] = params["SourceArn"]
    if params.get("SourceAccount"):
        cond.setdefault("StringEquals", {})["AWS:SourceAccount"] = params["SourceAccount"]
    if params.get("PrincipalOrgID"):
        cond.setdefault("StringEquals", {})["aws:PrincipalOrgID"] = params["PrincipalOrgID"]
    if params.get("EventSourceToken"):
        cond.setdefault("StringEquals", {})["lambda:EventSourceToken"] = params["EventSourceToken"]
    if params.get("FunctionUrlAuthType"):
        cond.setdefault("StringEquals", {})["lambda:FunctionUrlAuthType"] = params["FunctionUrlAuthType"]
    if cond:
        stmt["Condition"] = cond
    if pol is None:
        pol = fn["policies"][key] = {"doc": {"Version": "2012-10-17", "Id": "default", "Statement": []},
                                     "rev": ""}
    pol["doc"]["Statement"].append(stmt)
    if len(json.dumps(pol["doc"])) > 20480:
        pol["doc"]["Statement"].pop()
        raise AwsError("PolicyLengthExceededException",
                       "The final policy size (%d) is bigger than the limit (20480)." % len(json.dumps(pol["doc"])))
    pol["rev"] = new_uuid(ctx, "policy/" + fn["config"]["FunctionName"])
    return {"Statement": json.dumps(stmt, separators=(",", ":"))}


@handler
def RemovePermission(ctx, params):
    fn, q = get_fn(ctx, params["FunctionName"], params.get("Qualifier"))
    key = q if q and q != "$LATEST" else ""
    pol = fn["policies"].get(key)
    if pol is None:
        raise not_found("No policy is associated with the given resource.")
    check_revision(params.get("RevisionId"), pol["rev"])
    sid = params["StatementId"]
    keep = [s for s in pol["doc"]["Statement"] if s.get("Sid") != sid]
    if len(keep) == len(pol["doc"]["Statement"]):
        raise not_found("Statement %s is not found in resource policy." % sid)
    if keep:
        pol["doc"]["Statement"] = keep
        pol["rev"] = new_uuid(ctx, "policy/" + fn["config"]["FunctionName"])
    else:
        del fn["policies"][key]
    return {}


@handler
def GetPolicy(ctx, params):
    fn, q = get_fn(ctx, params["FunctionName"], params.get("Qualifier"))
    pol = fn["policies"].get(q if q and q != "$LATEST" else "")
    if pol is None:
        raise not_found("The resource you requested does not exist.")
    return {"Policy": json.dumps(pol["doc"], separators=(",", ":")), "RevisionId": pol["rev"]}


# ---------------------------------------------------------------- concurrency

@handler
def PutFunctionConcurrency(ctx, params):
    fn, _ = get_fn(ctx, params["FunctionName"], allow_qualifier=False)
    n = params["ReservedConcurrentExecutions"]
    if n < 0:
        raise validation("reservedConcurrentExecutions", n, "Member must have value greater than or equal to 0")
    others = sum(f["concurrency"] or 0 for f in all_functions(ctx).values() if f is not fn)
    if ACCOUNT_CONCURRENCY - others - n < MIN_UNRESERVED:
        raise invalid("Specified ReservedConcurrentExecutions for function decreases account's "
                      "UnreservedConcurrentExecution below its minimum value of [%d]." % MIN_UNRESERVED)
    fn["concurrency"] = n
    return {"ReservedConcurrentExecutions": n}


@handler
def GetFunctionConcurrency(ctx, params):
    fn, _ = get_fn(ctx, params["FunctionName"], allow_qualifier=False)
    if fn["concurrency"] is None:
        return {}
    return {"ReservedConcurrentExecutions": fn["concurrency"]}


@handler
def DeleteFunctionConcurrency(ctx, params):
    fn, _ = get_fn(ctx, params["FunctionName"], allow_qualifier=False)
    fn["concurrency"] = None
    return {}


# ---------------------------------------------------------------- tags

def fn_by_arn(ctx, arn):
    if not (arn or "").startswith("arn:"):
        raise validation("resource", arn, "Member must satisfy regular expression pattern: "
                         "arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}(-gov)?-[a-z]+-\\d{1}:\\d{12}:"
                         "function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?")
    fn, q = get_fn(ctx, arn)
    if q:
        raise invalid("Tags are not supported on a qualified function ARN: %s" % arn)
    return fn


@handler
def ListTags(ctx, params):
    return {"Tags": dict(fn_by_arn(ctx, params["Resource"])["tags"])}


@handler
def TagResource(ctx, params):
    fn = fn_by_arn(ctx, params["Resource"])
    tags = dict(fn["tags"])
    tags.update(params["Tags"])
    if len(tags) > 50:
        raise invalid("Number of tags exceeds resource tag limit.")
    fn["tags"] = tags
    return {}


@handler
def UntagResource(ctx, params):
    fn = fn_by_arn(ctx, params["Resource"])
    for k in params["TagKeys"]:
        fn["tags"].pop(k, None)
    return {}


# ---------------------------------------------------------------- function URLs

def url_key(q):
    if q and re.match(r"^\d+$", q):
        raise invalid("Function URLs are not supported on a function version; use an alias.")
    return q if q and q != "$LATEST" else ""


def url_answer(cfg, with_modified=True):
    out = copy.deepcopy(cfg)
    if not with_modified:
        out.pop("LastModifiedTime", None)
    return out


@handler
def CreateFunctionUrlConfig(ctx, params):
    fn, q = get_fn(ctx, params["FunctionName"], params.get("Qualifier"))
    key = url_key(q)
    arn = function_arn(ctx, fn["config"]["FunctionName"], key or None)
    if key in fn["urls"]:
        raise conflict("Failed to create function url config for [functionArn = %s]. "
                       "Error message:  FunctionUrlConfig exists for this Lambda function" % arn)
    url_id = hashlib.sha256(("url/" + arn).encode()).hexdigest()[:32]
    now = stamp(ctx)
    cfg = {"FunctionUrl": "https://%s.lambda-url.%s.on.aws/" % (url_id, ctx.region),
           "FunctionArn": arn, "AuthType": params["AuthType"],
           "CreationTime": now, "LastModifiedTime": now}
    if params.get("Cors"):
        cfg["Cors"] = copy.deepcopy(params["Cors"])
    fn["urls"][key] = cfg
    return url_answer(cfg, with_modified=False)


@handler
def GetFunctionUrlConfig(ctx, params):
    fn, q = get_fn(ctx, params["FunctionName"], params.get("Qualifier"))
    cfg = fn["urls"].get(url_key(q))
    if cfg is None:
        raise not_found("The resource you requested does not exist.")
    return url_answer(cfg)


@handler
def UpdateFunctionUrlConfig(ctx, params):
    fn, q = get_fn(ctx, params["FunctionName"], params.get("Qualifier"))
    cfg = fn["urls"].get(url_key(q))
    if cfg is None:
        raise not_found("The resource you requested does not exist.")
    if params.get("AuthType"):
        cfg["AuthType"] = params["AuthType"]
    if params.get("Cors") is not None:
        cfg["Cors"] = copy.deepcopy(params["Cors"])
    cfg["LastModifiedTime"] = stamp(ctx)
    return url_answer(cfg)


@handler
def DeleteFunctionUrlConfig(ctx, params):
    fn, q = get_fn(ctx, params["FunctionName"], params.get("Qualifier"))
    if fn["urls"].pop(url_key(q), None) is None:
        raise not_found("The resource you requested does not exist.")
    return {}


@handler
def ListFunctionUrlConfigs(ctx, params):
    fn, _ = get_fn(ctx, params["FunctionName"], allow_qualifier=False)
    return {"FunctionUrlConfigs": [url_answer(fn["urls"][k]) for k in sorted(fn["urls"])]}


# ---------------------------------------------------------------- async invoke configs

@handler
def PutFunctionEventInvokeConfig(ctx, params):
    fn, q = get_fn(ctx, params["FunctionName"], params.get("Qualifier"))
    q = q or "$LATEST"
    cfg = {"LastModified": ctx.now(), "FunctionArn": function_arn(ctx, fn["config"]["FunctionName"], q)}
    for k in ("MaximumRetryAttempts", "MaximumEventAgeInSeconds"):
        if params.get(k) is not None:
            cfg[k] = params[k]
    if params.get("DestinationConfig") is not None:
        cfg["DestinationConfig"] = copy.deepcopy(params["DestinationConfig"])
    fn["eic"][q] = cfg
    return copy.deepcopy(cfg)


@handler
def ListFunctionEventInvokeConfigs(ctx, params):
    fn, _ = get_fn(ctx, params["FunctionName"], allow_qualifier=False)
    return {"FunctionEventInvokeConfigs": [copy.deepcopy(fn["eic"][k]) for k in sorted(fn["eic"])]}


# ---------------------------------------------------------------- event source mappings

@handler
def CreateEventSourceMapping(ctx, params):
    fn, q = get_fn(ctx, params["FunctionName"])
    fn_arn = function_arn(ctx, fn["config"]["FunctionName"], q)
    src = params.get("EventSourceArn")
    if not src:
        raise invalid("Unrecognized event source, must be kinesis, dynamodb stream, sqs, msk, mq or documentdb.")
    kind = src.split(":")[2] if src.count(":") >= 5 else ""
    if kind not in ("sqs", "kinesis", "dynamodb", "kafka", "mq"):
        raise invalid("Unrecognized event source, must be kinesis, dynamodb stream, sqs, msk, mq or documentdb.")
    for m in state(ctx)["esm"].values():
        if m["EventSourceArn"] == src and m["FunctionArn"] == fn_arn:
            raise conflict('An event source mapping with %s arn (" %s ") and function (" %s ") '
                           'already exists. Please update or delete the existing mapping with UUID %s'
                           % ("SQS" if kind == "sqs" else kind, src, fn["config"]["FunctionName"], m["UUID"]))
    stream = kind in ("kinesis", "dynamodb")
    if stream and not params.get("StartingPosition"):
        raise invalid("1 validation error detected: Value null at 'startingPosition' failed to satisfy "
                      "constraint: Member must not be null.")
    mapping = {"UUID": new_uuid(ctx, "esm"), "BatchSize": params.get("BatchSize") or (10 if kind == "sqs" else 100),
               "MaximumBatchingWindowInSeconds": params.get("MaximumBatchingWindowInSeconds") or 0,
               "EventSourceArn": src, "FunctionArn": fn_arn, "LastModified": ctx.now(),
               "State": "Enabled" if params.get("Enabled", True) else "Disabled",
               "StateTransitionReason": "USER_INITIATED",
               "FunctionResponseTypes": list(params.get("FunctionResponseTypes") or [])}
    if stream:
        mapping.update({"StartingPosition": params["StartingPosition"],
                        "ParallelizationFactor": params.get("ParallelizationFactor") or 1,
                        "LastProcessingResult": "No records processed",
                        "MaximumRecordAgeInSeconds": params.get("MaximumRecordAgeInSeconds", -1),
                        "BisectBatchOnFunctionError": bool(params.get("BisectBatchOnFunctionError")),
                        "MaximumRetryAttempts": params.get("MaximumRetryAttempts", -1),
                        "TumblingWindowInSeconds": params.get("TumblingWindowInSeconds") or 0,
                        "DestinationConfig": copy.deepcopy(params.get("DestinationConfig")
                                                           or {"OnFailure": {}})})
    if params.get("FilterCriteria"):
        mapping["FilterCriteria"] = copy.deepcopy(params["FilterCriteria"])
    state(ctx)["esm"][mapping["UUID"]] = mapping
    return transient(mapping, State="Creating")


@handler
def DeleteEventSourceMapping(ctx, params):
    m = state(ctx)["esm"].pop(params["UUID"], None)
    if m is None:
        raise not_found("The resource you requested does not exist.")
    return transient(m, State="Deleting")


@handler
def ListEventSourceMappings(ctx, params):
    want_fn = None
    if params.get("FunctionName"):
        name, q = parse_name(ctx, params["FunctionName"])
        want_fn = function_arn(ctx, name, q)
    src = params.get("EventSourceArn")
    out = []
    for m in sorted(state(ctx)["esm"].values(), key=lambda x: x["UUID"]):
        if src and m["EventSourceArn"] != src:
            continue
        if want_fn and m["FunctionArn"] != want_fn:
            continue
        out.append(copy.deepcopy(m))
    return {"EventSourceMappings": out}


# ---------------------------------------------------------------- layers

def layer_arn(ctx, name):
    return "arn:aws:lambda:%s:%s:layer:%s" % (ctx.region, ctx.account.id, name)


def layer_name(ctx, value):
    m = LAYER_RE.match(value or "")
    if not m:
        raise validation("layerName", value, "Member must satisfy regular expression pattern: "
                         "(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+")
    if m.group("account") and (m.group("account") != ctx.account.id or m.group("region") != ctx.region):
        raise not_found("The resource you requested does not exist.")
    return m.group("name")


def version_item(lv):
    out = {k: copy.deepcopy(lv[k]) for k in ("LayerVersionArn", "Version", "Description", "CreatedDate",
                                             "CompatibleRuntimes", "LicenseInfo", "CompatibleArchitectures")
           if k in lv}
    return out


def layer_answer(ctx, lv):
    out = copy.deepcopy(lv)
    out["Content"]["Location"] = ctx.blob_url(ctx.world.code[lv["Content"]["CodeSha256"]])
    return out


@handler
def PublishLayerVersion(ctx, params):
    name = layer_name(ctx, params["LayerName"])
    content = params["Content"] or {}
    data = code_from(ctx, content)
    layers = state(ctx)["layers"]
    layer = layers.setdefault(name, {"versions": {}, "next": 1})
    n = layer["next"]
    layer["next"] += 1
    lv = {"Content": {"CodeSha256": ctx.world.put_code(data), "CodeSize": len(data)},
          "LayerArn": layer_arn(ctx, name), "LayerVersionArn": "%s:%d" % (layer_arn(ctx, name), n),
          "Description": params.get("Description") or "", "CreatedDate": stamp(ctx), "Version": n}
    for k in ("CompatibleRuntimes", "CompatibleArchitectures"):
        if params.get(k):
            lv[k] = list(params[k])
    if params.get("LicenseInfo"):
        lv["LicenseInfo"] = params["LicenseInfo"]
    layer["versions"][str(n)] = lv
    return layer_answer(ctx, lv)


@handler
def GetLayerVersion(ctx, params):
    name = layer_name(ctx, params["LayerName"])
    layer = state(ctx)["layers"].get(name)
    lv = layer and layer["versions"].get(str(params["VersionNumber"]))
    if not lv:
        raise not_found("The resource you requested does not exist.")
    return layer_answer(ctx, lv)


def matches(lv, params):
    rt, arch = params.get("CompatibleRuntime"), params.get("CompatibleArchitecture")
    if rt and rt not in lv.get("CompatibleRuntimes", []):
        return False
    if arch and arch not in lv.get("CompatibleArchitectures", []):
        return False
    return True


@handler
def ListLayerVersions(ctx, params):
    name = layer_name(ctx, params["LayerName"])
    layer = state(ctx)["layers"].get(name) or {"versions": {}}
    vs = sorted(layer["versions"].values(), key=lambda v: -v["Version"])
    return {"LayerVersions": [version_item(v) for v in vs if matches(v, params)]}


@handler
def ListLayers(ctx, params):
    out = []
    for name, layer in sorted(state(ctx)["layers"].items()):
        vs = sorted(layer["versions"].values(), key=lambda v: -v["Version"])
        vs = [v for v in vs if matches(v, params)]
        if vs:
            out.append({"LayerName": name, "LayerArn": layer_arn(ctx, name),
                        "LatestMatchingVersion": version_item(vs[0])})
    return {"Layers": out}


@handler
def DeleteLayerVersion(ctx, params):
    # No ResourceNotFoundException in the model: deleting a version that is
    # gone succeeds (204). Functions already using it keep their copy.
    name = layer_name(ctx, params["LayerName"])
    layer = state(ctx)["layers"].get(name)
    if layer:
        layer["versions"].pop(str(params["VersionNumber"]), None)
    return {}


# ---------------------------------------------------------------- event source mappings: updates

@handler
def UpdateEventSourceMapping(ctx, params):
    """Enabled, BatchSize, the batching window and the retry settings, as
    botocore's UpdateEventSourceMappingRequest names them; the answer shows
    the transition (Enabling, Disabling, Updating), the state keeps the end."""
    m = state(ctx)["esm"].get(params["UUID"])
    if m is None:
        raise not_found("The resource you requested does not exist.")
    for k in ("BatchSize", "MaximumBatchingWindowInSeconds", "MaximumRecordAgeInSeconds",
              "BisectBatchOnFunctionError", "MaximumRetryAttempts", "ParallelizationFactor",
              "TumblingWindowInSeconds"):
        if params.get(k) is not None:
            m[k] = params[k]
    for k in ("DestinationConfig", "FilterCriteria", "FunctionResponseTypes", "ScalingConfig"):
        if params.get(k) is not None:
            m[k] = copy.deepcopy(params[k])
    transition = "Updating"
    if params.get("Enabled") is not None:
        enabled = bool(params["Enabled"])
        transition = "Enabling" if enabled else "Disabling"
        m["State"] = "Enabled" if enabled else "Disabled"
    m["StateTransitionReason"] = "USER_INITIATED"
    m["LastModified"] = ctx.now()
    return transient(m, State=transition)


@handler
def GetEventSourceMapping(ctx, params):
    m = state(ctx)["esm"].get(params["UUID"])
    if m is None:
        raise not_found("The resource you requested does not exist.")
    return copy.deepcopy(m)


@handler
def GetFunctionEventInvokeConfig(ctx, params):
    fn, q = get_fn(ctx, params["FunctionName"], params.get("Qualifier"))
    cfg = fn["eic"].get(q or "$LATEST")
    if cfg is None:
        raise not_found("The function %s doesn't have an EventInvokeConfig"
                        % function_arn(ctx, fn["config"]["FunctionName"], q or "$LATEST"))
    return copy.deepcopy(cfg)
