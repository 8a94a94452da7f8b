"""CloudWatch (query protocol, API 2010-08-01): GetMetricData over stored
daily AWS/Lambda series, and metric alarms.

State per region (ctx.account.svc("cloudwatch", region)):
  {"alarms": {name: MetricAlarm}, "lambda": {function name: series}}
  series = {"start": epoch day of the first value,
            "inv": [...], "err": [...], "thr": [...], "dmax": [...], "p99": [...]}
        or {"start": day, "days": N, "model": {...}} (generated accounts: the
            values are computed on demand from a seeded model, so 10,000
            functions do not hold 4.5 million floats).
Lambda publishes no datapoint for a day without invocations, so such days
are absent from every metric of that function, as in AWS.
"""
import ast
import base64
import copy
import datetime
import functools
import random
import re
import threading

from ..errors import AwsError
from ..registry import op

SERVICE = "cloudwatch"
_LOCK = threading.RLock()
DAY = 86400
MAX_QUERIES = 500
DEFAULT_MAX_DATAPOINTS = 100800
ID_RE = re.compile(r"^[a-z][a-zA-Z0-9_]*$")
STAT_RE = re.compile(r"^(Sum|Average|Maximum|Minimum|SampleCount|p\d{1,2}(\.\d{1,2})?)$")
METRICS = {"Invocations": "inv", "Errors": "err", "Throttles": "thr", "Duration": "dur"}
COMPARISONS = ("GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold",
               "LessThanOrEqualToThreshold", "LessThanLowerOrGreaterThanUpperThreshold",
               "LessThanLowerThreshold", "GreaterThanUpperThreshold")


def handler(fn):
    """Registers fn as a CloudWatch operation run under the module lock."""
    @functools.wraps(fn)
    def locked(ctx, params):
        with _LOCK:
            return fn(ctx, params)
    return op(SERVICE, fn.__name__)(locked)


def state(ctx):
    st = ctx.account.svc(SERVICE, ctx.region)
    if "alarms" not in st:
        st.setdefault("alarms", {})
        st.setdefault("lambda", {})
    return st


def invalid(msg):
    return AwsError("InvalidParameterValue", msg, status=400)


def validation(msg):
    return AwsError("ValidationError", msg, status=400)


# ---------------------------------------------------------------- series

def model_values(start, days, m):
    """The daily values of a generated function, deterministic from its seed."""
    rnd = random.Random(m["seed"])
    inv, err, thr, dmax, p99 = [], [], [], [], []
    for i in range(days):
        if m.get("dead") or (m.get("stops_at") is not None and i >= m["stops_at"]):
            n = 0
        else:
            weekly = 0.6 if (start + i) % 7 in (2, 3) else 1.0     # epoch day 2/3 = Sat/Sun
            n = max(0, int(rnd.gauss(m["base"] * weekly, m["base"] * 0.15)))
        rate = m.get("err_rate", 0.002)
        if m.get("jump_at") is not None and i >= m["jump_at"]:
            rate = m.get("jump_rate", 0.2)
        e = int(n * rate + (rnd.random() < (n * rate) % 1))
        t = int(n * m.get("thr_rate", 0.0))
        d = m["dur_ms"]
        inv.append(n)
        err.append(min(e, n))
        thr.append(t)
        dmax.append(min(round(d * (1.6 + rnd.random()), 2), m.get("dmax_cap", 9e9)) if n else 0.0)
        p99.append(round(d * (1.2 + 0.3 * rnd.random()), 2) if n else 0.0)
    return {"inv": inv, "err": err, "thr": thr, "dmax": dmax, "p99": p99}


def values_of(rec):
    if "model" in rec:
        return model_values(rec["start"], rec["days"], rec["model"])
    return rec


def daily_points(rec, metric, stat):
    """[(epoch seconds, value)] of one function's metric and statistic, one
    point per day that had invocations."""
    v = values_of(rec)
    start = rec["start"]
    out = []
    for i, n in enumerate(v["inv"]):
        if not n:
            continue
        ts = (start + i) * DAY
        if metric == "inv":
            val = float(n) if stat in ("Sum", "SampleCount") else 1.0
        elif metric in ("err", "thr"):
            k = v[metric][i]
            if stat == "Sum":
                val = float(k)
            elif stat == "SampleCount":
                val = float(n)
            elif stat == "Average":
                val = k / n
            elif stat == "Maximum":
                val = 1.0 if k else 0.0
            elif stat == "Minimum":
                val = 0.0 if k < n else 1.0
            else:
                val = 1.0 if k / n > 1 - float(stat[1:]) / 100 else 0.0
        else:
            if stat == "Maximum":
                val = float(v["dmax"][i])
            elif stat.startswith("p"):
                q = float(stat[1:])
                # between the median (about half the p99) and the p99
                val = float(v["p99"][i]) if q >= 99 else round(v["p99"][i] * (0.5 + 0.5 * q / 99), 2)
            elif stat == "Average":
                val = round(v["p99"][i] * 0.45, 2)
            elif stat == "Minimum":
                val = round(v["p99"][i] * 0.08, 2)
            elif stat == "SampleCount":
                val = float(n)
            else:
                val = round(v["p99"][i] * 0.45 * n, 2)
        out.append((ts, val))
    return out


def aggregate(points, period, stat):
    """Groups daily points into buckets of `period` seconds (aligned to the
    epoch) with the statistic's own combination."""
    if period == DAY:
        return points
    buckets = {}
    for ts, val in points:
        buckets.setdefault(ts - ts % period, []).append(val)
    out = []
    for ts in sorted(buckets):
        vals = buckets[ts]
        if stat in ("Sum", "SampleCount"):
            out.append((ts, sum(vals)))
        elif stat == "Minimum":
            out.append((ts, min(vals)))
        elif stat == "Average":
            out.append((ts, sum(vals) / len(vals)))
        else:
            out.append((ts, max(vals)))
    return out


def metric_points(ctx, q):
    ms = q["MetricStat"]
    m = ms["Metric"]
    period, stat = ms["Period"], ms["Stat"]
    if not STAT_RE.match(stat):
        raise invalid("The value %s for parameter MetricDataQueries.member.Stat is not valid." % stat)
    if period < 1 or (period >= 60 and period % 60) or period not in (1, 5, 10, 30) and period < 60:
        raise invalid("The parameter MetricDataQueries.member.MetricStat.Period must be 1, 5, 10, 30, "
                      "or a multiple of 60.")
    if m.get("Namespace") != "AWS/Lambda" or m.get("MetricName") not in METRICS:
        return []
    if period % DAY:
        # Only daily series are stored: finer periods have no data here.
        return []
    metric = METRICS[m["MetricName"]]
    dims = {d["Name"]: d["Value"] for d in m.get("Dimensions") or []}
    series = state(ctx)["lambda"]
    if set(dims) == {"FunctionName"}:
        rec = series.get(dims["FunctionName"])
        return aggregate(daily_points(rec, metric, stat), period, stat) if rec else []
    if not dims:
        total = {}
        for rec in series.values():
            for ts, val in daily_points(rec, metric, stat):
                if stat in ("Sum", "SampleCount"):
                    total[ts] = total.get(ts, 0.0) + val
                elif stat == "Minimum":
                    total[ts] = min(total.get(ts, val), val)
                else:
                    total[ts] = max(total.get(ts, val), val)
        return aggregate(sorted(total.items()), period, stat)
    return []


class _Expr(ast.NodeVisitor):
    """Arithmetic over other queries' series (m1/m2*100), aligned by timestamp."""

    def __init__(self, series):
        self.series = series

    def visit_Expression(self, node):
        return self.visit(node.body)

    def visit_Name(self, node):
        if node.id not in self.series:
            raise invalid("Error in expression: Unrecognized metric id %s" % node.id)
        return dict(self.series[node.id])

    def visit_Constant(self, node):
        if not isinstance(node.value, (int, float)):
            raise invalid("Error in expression: unsupported constant")
        return float(node.value)

    def visit_UnaryOp(self, node):
        v = self.visit(node.operand)
        if isinstance(node.op, ast.USub):
            return {k: -x for k, x in v.items()} if isinstance(v, dict) else -v
        return v

    def visit_BinOp(self, node):
        a, b = self.visit(node.left), self.visit(node.right)
        ops = {ast.Add: lambda x, y: x + y, ast.Sub: lambda x, y: x - y,
               ast.Mult: lambda x, y: x * y, ast.Div: lambda x, y: x / y if y else None}
        f = ops.get(type(node.op))
        if f is None:
            raise invalid("Error in expression: unsupported operator")
        if isinstance(a, dict) and isinstance(b, dict):
            keys = sorted(set(a) & set(b))
            out = {k: f(a[k], b[k]) for k in keys}
        elif isinstance(a, dict):
            out = {k: f(x, b) for k, x in a.items()}
        elif isinstance(b, dict):
            out = {k: f(a, x) for k, x in b.items()}
        else:
            return f(a, b)
        return {k: x for k, x in out.items() if x is not None}

    def generic_visit(self, node):
        raise invalid("Error in expression: only arithmetic over metric ids is supported here")


@handler
def GetMetricData(ctx, params):
    queries = params["MetricDataQueries"]
    if len(queries) > MAX_QUERIES:
        raise validation("The collection MetricDataQueries must not have a size greater than %d." % MAX_QUERIES)
    start, end = params["StartTime"], params["EndTime"]
    t0, t1 = _epoch(start), _epoch(end)
    if t1 <= t0:
        raise validation("The parameter StartTime must be less than the parameter EndTime.")
    ids = set()
    for i, q in enumerate(queries, 1):
        if not ID_RE.match(q["Id"]):
            raise validation("The value %s for parameter MetricDataQueries.member.%d.Id is not valid."
                             % (q["Id"], i))
        if q["Id"] in ids:
            raise validation("The value %s for parameter MetricDataQueries.member.%d.Id is a duplicate."
                             % (q["Id"], i))
        ids.add(q["Id"])
        if bool(q.get("MetricStat")) == bool(q.get("Expression")):
            raise validation("Exactly one element of the MetricStat or the Expression must be "
                             "present in MetricDataQueries.member.%d." % i)
    ctx.paginated = True
    asc = params.get("ScanBy") == "TimestampAscending"
    computed = {}
    for q in queries:
        if q.get("MetricStat"):
            computed[q["Id"]] = {ts: v for ts, v in metric_points(ctx, q) if t0 <= ts < t1}
    for q in queries:
        if q.get("Expression"):
            try:
                tree = ast.parse(q["Expression"], mode="eval")
            except SyntaxError:
                raise validation("Error in expression '%s': syntax error" % q["Expression"])
            v = _Expr(computed).visit(tree)
            computed[q["Id"]] = v if isinstance(v, dict) else {}
    first = 0
    if params.get("NextToken"):
        try:
            first = int(base64.b64decode(params["NextToken"]).decode().split(":")[1])
        except (ValueError, IndexError, UnicodeDecodeError):
            raise AwsError("InvalidNextToken", "The service couldn't process the NextToken.", status=400)
    budget = params.get("MaxDatapoints") or DEFAULT_MAX_DATAPOINTS
    results, used = [], 0
    shown = [q for q in queries if q.get("ReturnData", True)]
    nxt = None
    for idx in range(first, len(shown)):
        q = shown[idx]
        pts = sorted(computed[q["Id"]].items(), reverse=not asc)
        if results and used + len(pts) > budget:
            nxt = idx
            break
        used += len(pts)
        label = q.get("Label") or (q["MetricStat"]["Metric"].get("MetricName", q["Id"])
                                   if q.get("MetricStat") else q["Id"])
        results.append({"Id": q["Id"], "Label": label,
                        "Timestamps": [datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
                                       for ts, _ in pts],
                        "Values": [float(v) for _, v in pts], "StatusCode": "Complete"})
    out = {"MetricDataResults": results, "Messages": []}
    if nxt is not None:
        out["NextToken"] = base64.b64encode(("cw:%d" % nxt).encode()).decode()
    return out


def _epoch(t):
    if isinstance(t, datetime.datetime):
        if t.tzinfo is None:
            t = t.replace(tzinfo=datetime.timezone.utc)
        return t.timestamp()
    return float(t)


# ---------------------------------------------------------------- alarms

@handler
def PutMetricAlarm(ctx, params):
    name = params["AlarmName"]
    has_stat = params.get("Statistic") or params.get("ExtendedStatistic")
    if params.get("Metrics"):
        if has_stat or params.get("MetricName"):
            raise AwsError("InvalidParameterCombination", "The parameters MetricName, Namespace, "
                           "Statistic and Metrics are mutually exclusive.", status=400)
    else:
        if not params.get("MetricName") or not params.get("Namespace"):
            raise AwsError("MissingParameter", "The parameter MetricName is required.", status=400)
        if not has_stat:
            raise AwsError("MissingParameter", "Either Statistic or ExtendedStatistic must be specified.",
                           status=400)
        if params.get("Statistic") and params.get("ExtendedStatistic"):
            raise AwsError("InvalidParameterCombination", "Statistic and ExtendedStatistic are "
                           "mutually exclusive.", status=400)
        if params.get("Period") is None:
            raise AwsError("MissingParameter", "Period must not be null", status=400)
    if params["ComparisonOperator"] not in COMPARISONS:
        raise validation("1 validation error detected: Value '%s' at 'comparisonOperator' failed to "
                         "satisfy constraint: Member must satisfy enum value set: [%s]"
                         % (params["ComparisonOperator"], ", ".join(COMPARISONS)))
    if params.get("Period") is not None and params["Period"] % 60 and params["Period"] not in (10, 30):
        raise invalid("The parameter Period must be 10, 30 or a multiple of 60.")
    if params.get("Period") and params["Period"] * params["EvaluationPeriods"] > 7 * DAY:
        raise invalid("The evaluation period (Period * EvaluationPeriods) must not exceed one week.")
    alarms = state(ctx)["alarms"]
    if name not in alarms and len(alarms) >= 5000:
        raise AwsError("LimitExceeded", "The maximum number of alarms for this account has been reached.",
                       status=400)
    now = ctx.now()
    old = alarms.get(name)
    alarm = {"AlarmName": name,
             "AlarmArn": "arn:aws:cloudwatch:%s:%s:alarm:%s" % (ctx.region, ctx.account.id, name),
             "AlarmConfigurationUpdatedTimestamp": now,
             "ActionsEnabled": params.get("ActionsEnabled", True),
             "OKActions": list(params.get("OKActions") or []),
             "AlarmActions": list(params.get("AlarmActions") or []),
             "InsufficientDataActions": list(params.get("InsufficientDataActions") or []),
             "StateValue": old["StateValue"] if old else "INSUFFICIENT_DATA",
             "StateReason": old["StateReason"] if old else "Unchecked: Initial alarm creation",
             "StateUpdatedTimestamp": old["StateUpdatedTimestamp"] if old else now,
             "EvaluationPeriods": params["EvaluationPeriods"],
             "ComparisonOperator": params["ComparisonOperator"],
             "Dimensions": copy.deepcopy(params.get("Dimensions") or [])}
    for k in ("AlarmDescription", "MetricName", "Namespace", "Statistic", "ExtendedStatistic", "Period",
              "Unit", "DatapointsToAlarm", "Threshold", "TreatMissingData",
              "EvaluateLowSampleCountPercentile", "ThresholdMetricId"):
        if params.get(k) is not None:
            alarm[k] = params[k]
    if params.get("Metrics"):
        alarm["Metrics"] = copy.deepcopy(params["Metrics"])
    alarms[name] = alarm
    return {}


@handler
def DescribeAlarms(ctx, params):
    names, prefix = params.get("AlarmNames"), params.get("AlarmNamePrefix")
    if names and prefix:
        raise AwsError("InvalidParameterCombination",
                       "AlarmNames and AlarmNamePrefix are mutually exclusive.", status=400)
    types = params.get("AlarmTypes") or ["MetricAlarm"]
    out = []
    if "MetricAlarm" in types:
        for name in sorted(state(ctx)["alarms"]):
            a = state(ctx)["alarms"][name]
            if names and name not in names:
                continue
            if prefix and not name.startswith(prefix):
                continue
            if params.get("StateValue") and a["StateValue"] != params["StateValue"]:
                continue
            if params.get("ActionPrefix") and not any(
                    x.startswith(params["ActionPrefix"]) for x in a["AlarmActions"] + a["OKActions"]
                    + a["InsufficientDataActions"]):
                continue
            out.append(copy.deepcopy(a))
    return {"MetricAlarms": out, "CompositeAlarms": []}


@handler
def DeleteAlarms(ctx, params):
    alarms = state(ctx)["alarms"]
    if len(params["AlarmNames"]) > 100:
        raise validation("The collection AlarmNames must not have a size greater than 100.")
    missing = [n for n in params["AlarmNames"] if n not in alarms]
    if missing:
        raise AwsError("ResourceNotFound", "The following alarms were not found: [%s]" % ", ".join(missing),
                       status=404)
    for n in params["AlarmNames"]:
        del alarms[n]
    return {}


# ---------------------------------------------------------------- seeding helpers (not API)

def put_lambda_series(account, region, function_name, start_day, inv, err, thr, dmax, p99):
    st = account.svc(SERVICE, region)
    st.setdefault("alarms", {})
    st.setdefault("lambda", {})[function_name] = {
        "start": int(start_day), "inv": list(inv), "err": list(err), "thr": list(thr),
        "dmax": list(dmax), "p99": list(p99)}


def put_lambda_model(account, region, function_name, start_day, days, model):
    st = account.svc(SERVICE, region)
    st.setdefault("alarms", {})
    st.setdefault("lambda", {})[function_name] = {"start": int(start_day), "days": int(days),
                                                  "model": dict(model)}
