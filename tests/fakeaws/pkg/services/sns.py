"""SNS (query): topics with their attributes (Policy, ...), tags and
subscriptions.

State per region: {"topics": {name: {"attrs": {...}, "tags": [...],
"subs": [subscription]}}, "seq": n}. Subscription ARNs end in a
deterministic UUID derived from the account, region and a counter.
"""
import copy
import functools
import hashlib
import json
import re
import threading
import uuid

from ..errors import AwsError
from ..registry import op

SERVICE = "sns"
SETTABLE = {"Policy", "DisplayName", "DeliveryPolicy", "KmsMasterKeyId", "TracingConfig",
            "SignatureVersion", "FifoTopic", "ContentBasedDeduplication"}
# Protocols whose subscriptions are live at once; the others wait for the
# endpoint to confirm.
AUTO_CONFIRMED = ("lambda", "sqs", "firehose", "application", "sms")
PROTOCOLS = AUTO_CONFIRMED + ("http", "https", "email", "email-json")
DEFAULT_DELIVERY = json.dumps({"http": {"defaultHealthyRetryPolicy": {
    "minDelayTarget": 20, "maxDelayTarget": 20, "numRetries": 3, "numMaxDelayRetries": 0,
    "numNoDelayRetries": 0, "numMinDelayRetries": 0, "backoffFunction": "linear"},
    "disableSubscriptionOverrides": False, "defaultRequestPolicy": {"headerContentType": "text/plain; charset=UTF-8"}}},
    separators=(",", ":"))

_LOCK = threading.RLock()


def handler(fn):
    """Registers fn as an SNS operation run under the module lock."""
    @functools.wraps(fn)
    def locked(ctx, params):
        with _LOCK:
            return fn(ctx, params)
    return op(SERVICE, fn.__name__)(locked)


def state(ctx):
    st = ctx.account.svc(SERVICE, ctx.region)
    st.setdefault("topics", {})
    return st


def invalid(msg):
    return AwsError("InvalidParameter", "Invalid parameter: %s" % msg, status=400)


def topic_arn(ctx, name):
    return "arn:aws:sns:%s:%s:%s" % (ctx.region, ctx.account.id, name)


def default_policy(ctx, arn):
    """The policy SNS writes on a new topic: the owner account may do the
    topic's usual actions."""
    actions = ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
               "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe",
               "SNS:ListSubscriptionsByTopic", "SNS:Publish"]
    return json.dumps({
        "Version": "2008-10-17", "Id": "__default_policy_ID",
        "Statement": [{"Sid": "__default_statement_ID", "Effect": "Allow",
                       "Principal": {"AWS": "*"}, "Action": actions, "Resource": arn,
                       "Condition": {"StringEquals": {"AWS:SourceOwner": ctx.account.id}}}]},
        separators=(",", ":"))


def get_topic(ctx, arn):
    parts = (arn or "").split(":")
    if len(parts) != 6 or parts[:3] != ["arn", "aws", "sns"]:
        raise invalid("TopicArn")
    if parts[3] != ctx.region or parts[4] != ctx.account.id:
        raise AwsError("NotFound", "Topic does not exist", status=404)
    topic = state(ctx)["topics"].get(parts[5])
    if topic is None:
        raise AwsError("NotFound", "Topic does not exist", status=404)
    return topic


def check_attr(name, value):
    if name not in SETTABLE:
        raise invalid("AttributeName")
    if name in ("Policy", "DeliveryPolicy") and value:
        try:
            json.loads(value)
        except ValueError:
            raise invalid("%s: failed to parse JSON" % name)


@handler
def CreateTopic(ctx, params):
    st = state(ctx)
    name = params["Name"]
    attrs = dict(params.get("Attributes") or {})
    fifo = name.endswith(".fifo")
    if not re.match(r"^[A-Za-z0-9_-]{1,256}$", name[:-5] if fifo else name) or len(name) > 256:
        raise invalid("Topic Name")
    if fifo != (attrs.get("FifoTopic") == "true"):
        raise invalid("Fifo Topic names must end with .fifo and must be made up of only uppercase "
                      "and lowercase ASCII letters, numbers, underscores, and hyphens, and must be "
                      "between 1 and 256 characters long.")
    for k, v in attrs.items():
        check_attr(k, v)
    arn = topic_arn(ctx, name)
    if name in st["topics"]:
        topic = st["topics"][name]
        if any(topic["attrs"].get(k) != v for k, v in attrs.items() if k != "Policy"):
            raise invalid("Attributes Reason: Topic already exists with different attributes")
        return {"TopicArn": arn}
    topic_attrs = {"TopicArn": arn, "Owner": ctx.account.id, "DisplayName": "",
                   "Policy": default_policy(ctx, arn), "EffectiveDeliveryPolicy": DEFAULT_DELIVERY}
    topic_attrs.update(attrs)
    if fifo:
        topic_attrs.setdefault("ContentBasedDeduplication", "false")
    tags = [{"Key": t["Key"], "Value": t["Value"]} for t in params.get("Tags") or []]
    st["topics"][name] = {"attrs": topic_attrs, "tags": tags, "subs": []}
    return {"TopicArn": arn}


@handler
def ListTopics(ctx, params):
    return {"Topics": [{"TopicArn": t["attrs"]["TopicArn"]}
                       for _, t in sorted(state(ctx)["topics"].items())]}


@handler
def GetTopicAttributes(ctx, params):
    topic = get_topic(ctx, params["TopicArn"])
    attrs = dict(topic["attrs"])
    confirmed = sum(1 for s in topic["subs"] if s["Confirmed"])
    attrs.update({"SubscriptionsConfirmed": str(confirmed),
                  "SubscriptionsPending": str(len(topic["subs"]) - confirmed),
                  "SubscriptionsDeleted": "0"})
    return {"Attributes": attrs}


@handler
def SetTopicAttributes(ctx, params):
    topic = get_topic(ctx, params["TopicArn"])
    name = params["AttributeName"]
    value = params.get("AttributeValue") or ""
    check_attr(name, value)
    if name == "FifoTopic":
        raise invalid("AttributeName")
    if name == "Policy" and not value:
        value = default_policy(ctx, topic["attrs"]["TopicArn"])
    if value == "" and name in ("KmsMasterKeyId", "DeliveryPolicy"):
        topic["attrs"].pop(name, None)
    else:
        topic["attrs"][name] = value
    if name == "DeliveryPolicy":
        topic["attrs"]["EffectiveDeliveryPolicy"] = value or DEFAULT_DELIVERY
    return {}


@handler
def Subscribe(ctx, params):
    st = state(ctx)
    topic = get_topic(ctx, params["TopicArn"])
    proto = params["Protocol"]
    endpoint = params.get("Endpoint") or ""
    if proto not in PROTOCOLS:
        raise invalid("Invalid protocol type: %s" % proto)
    if proto == "lambda" and not re.match(r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$", endpoint):
        raise invalid("Lambda endpoint ARN")
    if proto in ("sqs", "firehose") and not endpoint.startswith("arn:"):
        raise invalid("%s endpoint ARN" % proto.upper() if proto == "sqs" else "Firehose endpoint ARN")
    if proto in ("http", "https") and not endpoint.startswith(proto + "://"):
        raise invalid("Endpoint must match the specified protocol")
    for sub in topic["subs"]:
        if sub["Protocol"] == proto and sub["Endpoint"] == endpoint:
            break
    else:
        st["seq"] = st.get("seq", 0) + 1
        digest = hashlib.md5(("%s/%s/%d" % (ctx.account.id, ctx.region, st["seq"])).encode()).digest()
        sub = {"SubscriptionArn": "%s:%s" % (topic["attrs"]["TopicArn"], uuid.UUID(bytes=digest, version=4)),
               "Owner": ctx.account.id, "Protocol": proto, "Endpoint": endpoint,
               "TopicArn": topic["attrs"]["TopicArn"], "Confirmed": proto in AUTO_CONFIRMED,
               "Attributes": dict(params.get("Attributes") or {})}
        topic["subs"].append(sub)
    if sub["Confirmed"] or params.get("ReturnSubscriptionArn"):
        return {"SubscriptionArn": sub["SubscriptionArn"]}
    return {"SubscriptionArn": "pending confirmation"}


@handler
def ListSubscriptionsByTopic(ctx, params):
    topic = get_topic(ctx, params["TopicArn"])
    out = []
    for sub in topic["subs"]:
        item = {k: sub[k] for k in ("SubscriptionArn", "Owner", "Protocol", "Endpoint", "TopicArn")}
        if not sub["Confirmed"]:
            item["SubscriptionArn"] = "PendingConfirmation"
        out.append(item)
    return {"Subscriptions": out}


@handler
def ListTagsForResource(ctx, params):
    topic = get_topic(ctx, params["ResourceArn"])
    return {"Tags": copy.deepcopy(topic["tags"])}


@handler
def ListSubscriptions(ctx, params):
    """Every subscription of every topic of the region (the core pages it)."""
    out = []
    for name in sorted(state(ctx)["topics"]):
        for sub in state(ctx)["topics"][name]["subs"]:
            item = {k: sub[k] for k in ("SubscriptionArn", "Owner", "Protocol", "Endpoint", "TopicArn")}
            if not sub["Confirmed"]:
                item["SubscriptionArn"] = "PendingConfirmation"
            out.append(item)
    return {"Subscriptions": out}


@handler
def Unsubscribe(ctx, params):
    arn = params["SubscriptionArn"] or ""
    parts = arn.split(":")
    if len(parts) != 7 or parts[:3] != ["arn", "aws", "sns"]:
        raise invalid("SubscriptionArn")
    topic = state(ctx)["topics"].get(parts[5]) if parts[3] == ctx.region else None
    subs = topic["subs"] if topic else []
    for i, sub in enumerate(subs):
        if sub["SubscriptionArn"] == arn:
            del subs[i]
            return {}
    raise AwsError("NotFound", "Subscription does not exist", status=404)
