"""SQS (query protocol, API 2012-11-05): queues with their attributes
(Policy, RedrivePolicy, ...) and tags; no messages.

State per region: {"queues": {name: {"attrs": {...}, "tags": {...}}}}.
Queue URLs have AWS's own form (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME):
clients send them back as a parameter to whatever endpoint they use, and
scanners read the region and account from them.
"""
import copy
import functools
import json
import re
import threading

from ..errors import AwsError
from ..registry import op

SERVICE = "sqs"
# Attributes a caller may set, with AWS's defaults for a new queue.
DEFAULTS = {
    "VisibilityTimeout": "30", "MaximumMessageSize": "262144",
    "MessageRetentionPeriod": "345600", "DelaySeconds": "0",
    "ReceiveMessageWaitTimeSeconds": "0", "SqsManagedSseEnabled": "true",
}
SETTABLE = set(DEFAULTS) | {"Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId",
                            "KmsDataKeyReusePeriodSeconds", "FifoQueue",
                            "ContentBasedDeduplication", "DeduplicationScope",
                            "FifoThroughputLimit"}
COUNTERS = ("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed")
INT_RANGES = {"VisibilityTimeout": (0, 43200), "MaximumMessageSize": (1024, 262144),
              "MessageRetentionPeriod": (60, 1209600), "DelaySeconds": (0, 900),
              "ReceiveMessageWaitTimeSeconds": (0, 20),
              "KmsDataKeyReusePeriodSeconds": (60, 86400)}

_LOCK = threading.RLock()


def handler(fn):
    """Registers fn as an SQS operation run under the module lock."""
    @functools.wraps(fn)
    def locked(ctx, params):
        with _LOCK:
            return fn(ctx, params)
    return op(SERVICE, fn.__name__)(locked)


def queues(ctx):
    return ctx.account.svc(SERVICE, ctx.region).setdefault("queues", {})


def queue_url(ctx, name):
    return "https://sqs.%s.amazonaws.com/%s/%s" % (ctx.region, ctx.account.id, name)


def queue_arn(ctx, name):
    return "arn:aws:sqs:%s:%s:%s" % (ctx.region, ctx.account.id, name)


def no_queue():
    return AwsError("AWS.SimpleQueueService.NonExistentQueue",
                    "The specified queue does not exist for this wsdl version.", status=400)


def invalid_value(name, why):
    return AwsError("InvalidAttributeValue",
                    "Invalid value for the parameter %s. Reason: %s" % (name, why), status=400)


def get_queue(ctx, url):
    """The queue a URL names: the last two path segments are account and
    name, whatever the host (AWS's, or a local endpoint)."""
    parts = [p for p in re.sub(r"^[a-z]+://[^/]*", "", url or "").split("/") if p]
    if len(parts) != 2 or parts[0] != ctx.account.id:
        raise no_queue()
    queue = queues(ctx).get(parts[1])
    if queue is None:
        raise no_queue()
    return parts[1], queue


def check_attrs(ctx, name, attrs):
    for key, value in attrs.items():
        if key not in SETTABLE:
            raise AwsError("InvalidAttributeName", "Unknown Attribute %s." % key, status=400)
        if key in INT_RANGES:
            lo, hi = INT_RANGES[key]
            if not re.match(r"^\d+$", value) or not lo <= int(value) <= hi:
                raise invalid_value(key, "Must be an integer from %d to %d." % (lo, hi))
        elif key in ("Policy", "RedrivePolicy", "RedriveAllowPolicy") and value:
            try:
                doc = json.loads(value)
            except ValueError:
                raise invalid_value(key, "Invalid JSON.")
            if key == "RedrivePolicy":
                check_redrive(ctx, name, doc)
        elif key in ("FifoQueue", "ContentBasedDeduplication", "SqsManagedSseEnabled"):
            if value not in ("true", "false"):
                raise invalid_value(key, "Must be true or false.")


def check_redrive(ctx, name, doc):
    target = doc.get("deadLetterTargetArn") if isinstance(doc, dict) else None
    count = doc.get("maxReceiveCount") if isinstance(doc, dict) else None
    if not target or count is None:
        raise invalid_value("RedrivePolicy", "Redrive policy is not a valid JSON map with "
                            "deadLetterTargetArn and maxReceiveCount.")
    try:
        count = int(count)
    except (TypeError, ValueError):
        count = 0
    if not 1 <= count <= 1000:
        raise invalid_value("RedrivePolicy", "Invalid value for maxReceiveCount: %s, valid "
                            "values are from 1 to 1000 both inclusive." % doc.get("maxReceiveCount"))
    dlq = target.rsplit(":", 1)[-1]
    if target != queue_arn(ctx, dlq) or dlq not in queues(ctx) or dlq == name:
        raise AwsError("AWS.SimpleQueueService.NonExistentQueue",
                       "Value %s for parameter RedrivePolicy is invalid. Reason: Dead letter "
                       "target does not exist." % json.dumps(doc), status=400)


@handler
def CreateQueue(ctx, params):
    name = params["QueueName"]
    attrs = dict(params.get("Attributes") or {})
    fifo = name.endswith(".fifo")
    if not re.match(r"^[A-Za-z0-9_-]{1,80}$", name[:-5] if fifo else name) or len(name) > 80:
        raise AwsError("InvalidParameterValue", "Can only include alphanumeric characters, "
                       "hyphens, or underscores. 1 to 80 in length", status=400)
    if fifo != (attrs.get("FifoQueue") == "true"):
        raise invalid_value("QueueName" if fifo else "FifoQueue",
                            "The name of a FIFO queue can only include alphanumeric characters, hyphens, "
                            "or underscores, must end with .fifo suffix and be 1 to 80 in length.")
    check_attrs(ctx, name, attrs)
    existing = queues(ctx).get(name)
    if existing is not None:
        settable = {k: v for k, v in existing["attrs"].items() if k in SETTABLE}
        if any(settable.get(k, DEFAULTS.get(k)) != v for k, v in attrs.items()):
            raise AwsError("QueueAlreadyExists",
                           "A queue already exists with the same name and a different value for attribute(s) "
                           + ", ".join(sorted(attrs)), status=400)
        return {"QueueUrl": queue_url(ctx, name)}
    stamp = str(int(ctx.now().timestamp()))
    full = dict(DEFAULTS, **attrs)
    if fifo:
        full.setdefault("ContentBasedDeduplication", "false")
        full.setdefault("DeduplicationScope", "queue")
        full.setdefault("FifoThroughputLimit", "perQueue")
    if full.get("KmsMasterKeyId"):
        full["SqsManagedSseEnabled"] = "false"
        full.setdefault("KmsDataKeyReusePeriodSeconds", "300")
    full.update({"CreatedTimestamp": stamp, "LastModifiedTimestamp": stamp,
                 "QueueArn": queue_arn(ctx, name)})
    full.update({c: "0" for c in COUNTERS})
    queues(ctx)[name] = {"attrs": {k: v for k, v in full.items() if v != ""},
                         "tags": dict(params.get("tags") or {})}
    return {"QueueUrl": queue_url(ctx, name)}


@handler
def ListQueues(ctx, params):
    prefix = params.get("QueueNamePrefix") or ""
    return {"QueueUrls": [queue_url(ctx, n) for n in sorted(queues(ctx)) if n.startswith(prefix)]}


@handler
def GetQueueAttributes(ctx, params):
    _, queue = get_queue(ctx, params["QueueUrl"])
    wanted = params.get("AttributeNames") or []
    known = SETTABLE | set(COUNTERS) | {"CreatedTimestamp", "LastModifiedTimestamp", "QueueArn"}
    for name in wanted:
        if name != "All" and name not in known:
            raise AwsError("InvalidAttributeName", "Unknown Attribute %s." % name, status=400)
    attrs = queue["attrs"]
    if "All" in wanted:
        picked = dict(attrs)
    else:
        picked = {k: attrs[k] for k in wanted if k in attrs}
    return {"Attributes": picked} if picked else {}


@handler
def SetQueueAttributes(ctx, params):
    name, queue = get_queue(ctx, params["QueueUrl"])
    attrs = dict(params.get("Attributes") or {})
    check_attrs(ctx, name, attrs)
    if "FifoQueue" in attrs and attrs["FifoQueue"] != queue["attrs"].get("FifoQueue", "false"):
        raise invalid_value("FifoQueue", "You can't change the queue type of an existing queue.")
    for key, value in attrs.items():
        if value == "" and key in ("Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId"):
            queue["attrs"].pop(key, None)
        else:
            queue["attrs"][key] = value
    queue["attrs"]["LastModifiedTimestamp"] = str(int(ctx.now().timestamp()))
    return {}


@handler
def ListQueueTags(ctx, params):
    _, queue = get_queue(ctx, params["QueueUrl"])
    return {"Tags": copy.deepcopy(queue["tags"])} if queue["tags"] else {}


@handler
def TagQueue(ctx, params):
    _, queue = get_queue(ctx, params["QueueUrl"])
    queue["tags"].update(params.get("Tags") or {})
    return {}
