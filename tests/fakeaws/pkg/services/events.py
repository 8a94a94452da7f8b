"""EventBridge (json 1.1): rules on the default event bus (schedules and
event patterns) and their targets.

State per region: {"rules": {name: {"rule": {...}, "targets": [...],
"tags": [...]}}}. Only the default bus exists, as in a fresh account.
"""
import copy
import functools
import json
import re
import threading

from ..errors import AwsError
from ..registry import op

SERVICE = "events"
MAX_TARGETS = 5
RATE_RE = re.compile(r"^rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)$")
CRON_RE = re.compile(r"^cron\((\S+ ){5}\S+\)$")

_LOCK = threading.RLock()


def handler(fn):
    """Registers fn as an EventBridge operation run under the module lock."""
    @functools.wraps(fn)
    def locked(ctx, params):
        with _LOCK:
            return fn(ctx, params)
    return op(SERVICE, fn.__name__)(locked)


def rules(ctx):
    return ctx.account.svc(SERVICE, ctx.region).setdefault("rules", {})


def validation(msg):
    return AwsError("ValidationException", msg, status=400)


def check_bus(ctx, params):
    bus = params.get("EventBusName") or "default"
    default_arn = "arn:aws:events:%s:%s:event-bus/default" % (ctx.region, ctx.account.id)
    if bus not in ("default", default_arn):
        raise AwsError("ResourceNotFoundException", "Event bus %s does not exist." % bus, status=400)


def get_rule(ctx, params, key):
    check_bus(ctx, params)
    entry = rules(ctx).get(params[key])
    if entry is None:
        raise AwsError("ResourceNotFoundException",
                       "Rule %s does not exist on EventBus default." % params[key], status=400)
    return entry


def check_pattern(text):
    try:
        doc = json.loads(text)
    except ValueError as e:
        raise AwsError("InvalidEventPatternException",
                       "Event pattern is not valid. Reason: %s" % e, status=400)
    if not isinstance(doc, dict) or not doc:
        raise AwsError("InvalidEventPatternException",
                       "Event pattern is not valid. Reason: Filter is not an object", status=400)


@handler
def PutRule(ctx, params):
    check_bus(ctx, params)
    name = params["Name"]
    if not re.match(r"^[\.\-_A-Za-z0-9]{1,64}$", name):
        raise validation("1 validation error detected: Value '%s' at 'name' failed to satisfy "
                         "constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+" % name)
    schedule = params.get("ScheduleExpression")
    pattern = params.get("EventPattern")
    if not schedule and not pattern:
        raise validation("Parameter(s) EventPattern or ScheduleExpression must be specified.")
    if schedule and not (RATE_RE.match(schedule) or CRON_RE.match(schedule)):
        raise validation("Parameter ScheduleExpression is not valid.")
    if pattern:
        check_pattern(pattern)
    state = params.get("State") or "ENABLED"
    if state not in ("ENABLED", "DISABLED"):
        raise validation("Parameter State is not valid.")
    arn = "arn:aws:events:%s:%s:rule/%s" % (ctx.region, ctx.account.id, name)
    rule = {"Name": name, "Arn": arn, "State": state, "EventBusName": "default",
            "CreatedBy": ctx.account.id}
    for key in ("ScheduleExpression", "EventPattern", "Description", "RoleArn"):
        if params.get(key):
            rule[key] = params[key]
    entry = rules(ctx).setdefault(name, {"targets": [], "tags": []})
    entry["rule"] = rule
    if params.get("Tags"):
        entry["tags"] = [{"Key": t["Key"], "Value": t["Value"]} for t in params["Tags"]]
    return {"RuleArn": arn}


@handler
def DescribeRule(ctx, params):
    return copy.deepcopy(get_rule(ctx, params, "Name")["rule"])


@handler
def ListRules(ctx, params):
    check_bus(ctx, params)
    prefix = params.get("NamePrefix") or ""
    listed = []
    for name in sorted(rules(ctx)):
        if name.startswith(prefix):
            rule = copy.deepcopy(rules(ctx)[name]["rule"])
            rule.pop("CreatedBy", None)
            listed.append(rule)
    return {"Rules": listed}


@handler
def PutTargets(ctx, params):
    entry = get_rule(ctx, params, "Rule")
    current = {t["Id"]: t for t in entry["targets"]}
    failed = []
    for target in params["Targets"]:
        if not target.get("Arn", "").startswith("arn:"):
            failed.append({"TargetId": target.get("Id"), "ErrorCode": "ValidationException",
                           "ErrorMessage": "Parameter %s is not valid." % target.get("Arn")})
            continue
        current[target["Id"]] = copy.deepcopy(target)
    if len(current) > MAX_TARGETS:
        raise AwsError("LimitExceededException",
                       "The requested resource exceeds the maximum number allowed.", status=400)
    entry["targets"] = list(current.values())
    return {"FailedEntryCount": len(failed), "FailedEntries": failed}


@handler
def RemoveTargets(ctx, params):
    entry = get_rule(ctx, params, "Rule")
    ids = set(params["Ids"])
    entry["targets"] = [t for t in entry["targets"] if t["Id"] not in ids]
    return {"FailedEntryCount": 0, "FailedEntries": []}


@handler
def ListTargetsByRule(ctx, params):
    entry = get_rule(ctx, params, "Rule")
    return {"Targets": copy.deepcopy(entry["targets"])}


@handler
def DeleteRule(ctx, params):
    check_bus(ctx, params)
    entry = rules(ctx).get(params["Name"])
    if entry is None:
        return {}
    if entry["targets"]:
        raise validation("Rule can't be deleted since it has targets.")
    del rules(ctx)[params["Name"]]
    return {}
