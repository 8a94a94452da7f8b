"""EventBridge (json 1.1): event buses (the default one, and custom ones made
with CreateEventBus), rules on them (schedules and event patterns) and their
targets.

State per region: {"rules": {name: {"rule": {...}, "targets": [...],
"tags": [...]}}} for the default bus, {"buses": {name: {"bus": {...},
"rules": {...}}}} for the custom ones.
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


def buses(ctx):
    return ctx.account.svc(SERVICE, ctx.region).setdefault("buses", {})


def rules(ctx, bus="default"):
    if bus == "default":
        return ctx.account.svc(SERVICE, ctx.region).setdefault("rules", {})
    return buses(ctx)[bus]["rules"]


def validation(msg):
    return AwsError("ValidationException", msg, status=400)


def bus_arn(ctx, name):
    return "arn:aws:events:%s:%s:event-bus/%s" % (ctx.region, ctx.account.id, name)


def check_bus(ctx, params):
    """The bus params name (by name or ARN), "default" when none; unknown ones are refused."""
    bus = params.get("EventBusName") or "default"
    if bus.startswith("arn:"):
        bus = bus.split("event-bus/", 1)[-1]
    if bus != "default" and bus not in buses(ctx):
        raise AwsError("ResourceNotFoundException", "Event bus %s does not exist." % bus, status=400)
    return bus


def get_rule(ctx, params, key):
    bus = check_bus(ctx, params)
    entry = rules(ctx, bus).get(params[key])
    if entry is None:
        raise AwsError("ResourceNotFoundException",
                       "Rule %s does not exist on EventBus %s." % (params[key], bus), status=400)
    return entry


@handler
def CreateEventBus(ctx, params):
    name = params["Name"]
    if name == "default" or not re.match(r"^[/\.\-_A-Za-z0-9]{1,256}$", name):
        raise validation("Parameter Name is not valid.")
    if name in buses(ctx):
        raise AwsError("ResourceAlreadyExistsException", "Event bus %s already exists." % name,
                       status=400)
    buses(ctx)[name] = {"bus": {"Name": name, "Arn": bus_arn(ctx, name)}, "rules": {}}
    return {"EventBusArn": bus_arn(ctx, name)}


@handler
def ListEventBuses(ctx, params):
    prefix = params.get("NamePrefix") or ""
    listed = [{"Name": "default", "Arn": bus_arn(ctx, "default")}]
    listed += [copy.deepcopy(b["bus"]) for _, b in sorted(buses(ctx).items())]
    return {"EventBuses": [b for b in listed if b["Name"].startswith(prefix)]}


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
    bus = check_bus(ctx, params)
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
    arn = "arn:aws:events:%s:%s:rule/%s%s" % (ctx.region, ctx.account.id,
                                              "" if bus == "default" else bus + "/", name)
    rule = {"Name": name, "Arn": arn, "State": state, "EventBusName": bus,
            "CreatedBy": ctx.account.id}
    for key in ("ScheduleExpression", "EventPattern", "Description", "RoleArn"):
        if params.get(key):
            rule[key] = params[key]
    entry = rules(ctx, bus).setdefault(name, {"targets": [], "tags": []})
    entry["rule"] = rule
    if params.get("Tags"):
        entry["tags"] = [{"Key": t["Key"], "Value": t["Value"]} for t in params["Tags"]]
    return {"RuleArn": arn}


@handler
def DescribeRule(ctx, params):
    return copy.deepcopy(get_rule(ctx, params, "Name")["rule"])


@handler
def ListRules(ctx, params):
    bus = check_bus(ctx, params)
    prefix = params.get("NamePrefix") or ""
    listed = []
    for name in sorted(rules(ctx, bus)):
        if name.startswith(prefix):
            rule = copy.deepcopy(rules(ctx, bus)[name]["rule"])
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
    bus = check_bus(ctx, params)
    entry = rules(ctx, bus).get(params["Name"])
    if entry is None:
        return {}
    if entry["targets"]:
        raise validation("Rule can't be deleted since it has targets.")
    del rules(ctx, bus)[params["Name"]]
    return {}


@handler
def ListRuleNamesByTarget(ctx, params):
    """The rules of one bus with a target whose Arn is TargetArn exactly."""
    bus = check_bus(ctx, params)
    want = params["TargetArn"]
    names = [name for name, entry in sorted(rules(ctx, bus).items())
             if any(t.get("Arn") == want for t in entry["targets"])]
    return {"RuleNames": names}
