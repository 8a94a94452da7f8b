"""CloudWatch Logs (json 1.1, API 2014-03-28): log groups with retention,
stored bytes and creation time.

State per region (ctx.account.svc("logs", region)):
  {"groups": {name: {logGroupName, creationTime (epoch ms), retentionInDays?,
                     metricFilterCount, arn, storedBytes, kmsKeyId?, "tags": {}}}}
"""
import functools
import re
import threading

from ..errors import AwsError
from ..registry import op

SERVICE = "logs"
_LOCK = threading.RLock()
RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096,
                  1827, 2192, 2557, 2922, 3288, 3653)
NAME_RE = re.compile(r"^[\.\-_/#A-Za-z0-9]{1,512}$")


def handler(fn):
    """Registers fn as a Logs operation run under the module lock."""
    @functools.wraps(fn)
    def locked(ctx, params):
        with _LOCK:
            return fn(ctx, params)
    return op(SERVICE, fn.__name__)(locked)


def groups(ctx):
    return ctx.account.svc(SERVICE, ctx.region).setdefault("groups", {})


def invalid(msg):
    return AwsError("InvalidParameterException", msg, status=400)


def not_found():
    return AwsError("ResourceNotFoundException", "The specified log group does not exist.", status=400)


def check_name(name):
    if not NAME_RE.match(name or ""):
        raise invalid("1 validation error detected: Value '%s' at 'logGroupName' failed to satisfy "
                      "constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+"
                      % name)


@handler
def CreateLogGroup(ctx, params):
    name = params["logGroupName"]
    check_name(name)
    gs = groups(ctx)
    if name in gs:
        raise AwsError("ResourceAlreadyExistsException", "The specified log group already exists", status=400)
    if len(gs) >= 1000000:
        raise AwsError("LimitExceededException", "Resource limit exceeded.", status=400)
    g = {"logGroupName": name, "creationTime": int(ctx.now().timestamp() * 1000),
         "metricFilterCount": 0,
         "arn": "arn:aws:logs:%s:%s:log-group:%s:*" % (ctx.region, ctx.account.id, name),
         "storedBytes": 0, "tags": dict(params.get("tags") or {})}
    if params.get("kmsKeyId"):
        g["kmsKeyId"] = params["kmsKeyId"]
    gs[name] = g
    return {}


@handler
def DeleteLogGroup(ctx, params):
    if groups(ctx).pop(params["logGroupName"], None) is None:
        raise not_found()
    return {}


@handler
def PutRetentionPolicy(ctx, params):
    days = params["retentionInDays"]
    if days not in RETENTION_DAYS:
        raise invalid("1 validation error detected: Value '%s' at 'retentionInDays' failed to satisfy "
                      "constraint: Member must satisfy enum value set: [%s]"
                      % (days, ", ".join(str(d) for d in RETENTION_DAYS)))
    g = groups(ctx).get(params["logGroupName"])
    if g is None:
        raise not_found()
    g["retentionInDays"] = days
    return {}


@handler
def DeleteRetentionPolicy(ctx, params):
    g = groups(ctx).get(params["logGroupName"])
    if g is None:
        raise not_found()
    g.pop("retentionInDays", None)
    return {}


@handler
def DescribeLogGroups(ctx, params):
    prefix, pattern = params.get("logGroupNamePrefix"), params.get("logGroupNamePattern")
    if prefix and pattern:
        raise invalid("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.")
    out = []
    for name in sorted(groups(ctx)):
        if prefix and not name.startswith(prefix):
            continue
        if pattern and pattern.lower() not in name.lower():
            continue
        g = dict(groups(ctx)[name])        # flat: a shallow copy is a copy
        g.pop("tags", None)
        out.append(g)
    return {"logGroups": out}


def set_stored_bytes(account, region, name, stored_bytes, creation_ms=None):
    """Seeding helper (not API): the size a group has accumulated."""
    g = account.svc(SERVICE, region)["groups"][name]
    g["storedBytes"] = int(stored_bytes)
    if creation_ms is not None:
        g["creationTime"] = int(creation_ms)


# ---------------------------------------------------------------- tags (both API generations)

def group_by_arn(ctx, arn):
    """The group an ARN names: arn:aws:logs:REGION:ACCOUNT:log-group:NAME (":*" tolerated)."""
    m = re.match(r"^arn:aws[a-zA-Z-]*:logs:([a-z0-9-]+):(\d{12}):log-group:(.+?)(:\*)?$", arn or "")
    if not m:
        raise invalid("1 validation error detected: Value '%s' at 'resourceArn' failed to satisfy "
                      "constraint: Member must satisfy regular expression pattern: [\\w+=/:,.@-]*" % arn)
    if m.group(1) != ctx.region or m.group(2) != ctx.account.id:
        raise not_found()
    g = groups(ctx).get(m.group(3))
    if g is None:
        raise not_found()
    return g


def group_named(ctx, name):
    g = groups(ctx).get(name)
    if g is None:
        raise not_found()
    return g


def add_tags(g, tags):
    merged = dict(g.get("tags") or {})
    merged.update(tags or {})
    if len(merged) > 50:
        raise AwsError("TooManyTagsException", "A resource can have no more than 50 tags.", status=400)
    g["tags"] = merged


@handler
def ListTagsForResource(ctx, params):
    return {"tags": dict(group_by_arn(ctx, params["resourceArn"]).get("tags") or {})}


@handler
def TagResource(ctx, params):
    add_tags(group_by_arn(ctx, params["resourceArn"]), params["tags"])
    return {}


@handler
def ListTagsLogGroup(ctx, params):
    return {"tags": dict(group_named(ctx, params["logGroupName"]).get("tags") or {})}


@handler
def TagLogGroup(ctx, params):
    add_tags(group_named(ctx, params["logGroupName"]), params["tags"])
    return {}
