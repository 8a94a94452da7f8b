"""DynamoDB (json 1.0): tables as a scanner sees them (key schema,
billing, streams, encryption, tags); no items.

State per region: {"tables": {name: TableDescription}, "tags": {arn: [Tag]}}.
CreateTable answers CREATING, as DynamoDB does; the table is ACTIVE from
the next DescribeTable on.
"""
import copy
import functools
import hashlib
import threading
import uuid
from datetime import timezone

from ..errors import AwsError
from ..registry import op

SERVICE = "dynamodb"

_LOCK = threading.RLock()


def handler(fn):
    """Registers fn as a DynamoDB operation run under the module lock."""
    @functools.wraps(fn)
    def locked(ctx, params):
        with _LOCK:
            return fn(ctx, params)
    return op(SERVICE, fn.__name__)(locked)


def state(ctx):
    st = ctx.account.svc(SERVICE, ctx.region)
    st.setdefault("tables", {})
    st.setdefault("tags", {})
    return st


def invalid(msg):
    return AwsError("ValidationException", msg, status=400)


def not_found(msg):
    return AwsError("ResourceNotFoundException", msg, status=400)


def throughput(spec):
    return {"NumberOfDecreasesToday": 0,
            "ReadCapacityUnits": int((spec or {}).get("ReadCapacityUnits", 0)),
            "WriteCapacityUnits": int((spec or {}).get("WriteCapacityUnits", 0))}


def check_keys(key_schema, defined, what):
    if not key_schema or len(key_schema) > 2 or key_schema[0].get("KeyType") != "HASH" \
            or (len(key_schema) == 2 and key_schema[1].get("KeyType") != "RANGE"):
        raise invalid("1 validation error detected: Invalid KeySchema for %s: "
                      "a HASH key first and an optional RANGE key" % what)
    for k in key_schema:
        if k["AttributeName"] not in defined:
            raise invalid("One or more parameter values were invalid: Some index key attributes "
                          "are not defined in AttributeDefinitions. Keys: [%s], AttributeDefinitions: [%s]"
                          % (k["AttributeName"], ", ".join(sorted(defined))))


def index_desc(index, arn, provisioned, status):
    out = {"IndexName": index["IndexName"], "KeySchema": copy.deepcopy(index["KeySchema"]),
           "Projection": copy.deepcopy(index["Projection"]), "IndexSizeBytes": 0,
           "ItemCount": 0, "IndexArn": "%s/index/%s" % (arn, index["IndexName"])}
    if status is not None:
        out["IndexStatus"] = status
        out["ProvisionedThroughput"] = throughput(index.get("ProvisionedThroughput")
                                                  if provisioned else None)
    return out


@handler
def CreateTable(ctx, params):
    st = state(ctx)
    name = params["TableName"]
    if name in st["tables"]:
        raise AwsError("ResourceInUseException", "Table already exists: %s" % name, status=400)
    defined = {a["AttributeName"]: a["AttributeType"] for a in params["AttributeDefinitions"]}
    for t in defined.values():
        if t not in ("S", "N", "B"):
            raise invalid("1 validation error detected: Value '%s' at 'attributeDefinitions.member.attributeType' "
                          "failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]" % t)
    check_keys(params["KeySchema"], defined, "table")
    billing = params.get("BillingMode") or "PROVISIONED"
    provisioned = billing == "PROVISIONED"
    if provisioned and not params.get("ProvisionedThroughput"):
        raise invalid("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits "
                      "must both be specified when BillingMode is PROVISIONED")
    if not provisioned and params.get("ProvisionedThroughput"):
        raise invalid("One or more parameter values were invalid: Neither ReadCapacityUnits nor "
                      "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
    arn = "arn:aws:dynamodb:%s:%s:table/%s" % (ctx.region, ctx.account.id, name)
    created = ctx.now()
    table = {
        "AttributeDefinitions": [{"AttributeName": n, "AttributeType": t} for n, t in defined.items()],
        "TableName": name, "KeySchema": copy.deepcopy(params["KeySchema"]),
        "TableStatus": "ACTIVE", "CreationDateTime": created.timestamp(),
        "ProvisionedThroughput": throughput(params.get("ProvisionedThroughput")),
        "TableSizeBytes": 0, "ItemCount": 0, "TableArn": arn,
        "TableId": str(uuid.UUID(bytes=hashlib.md5(arn.encode()).digest(), version=4)),
    }
    if not provisioned:
        table["BillingModeSummary"] = {"BillingMode": "PAY_PER_REQUEST",
                                       "LastUpdateToPayPerRequestDateTime": created.timestamp()}
    for member, gsi in (("LocalSecondaryIndexes", False), ("GlobalSecondaryIndexes", True)):
        indexes = params.get(member) or []
        for index in indexes:
            check_keys(index["KeySchema"], defined, "index %s" % index["IndexName"])
            if gsi and provisioned and not index.get("ProvisionedThroughput"):
                raise invalid("One or more parameter values were invalid: ProvisionedThroughput "
                              "must be specified for index: %s" % index["IndexName"])
        if indexes:
            table[member] = [index_desc(i, arn, provisioned, "ACTIVE" if gsi else None)
                             for i in indexes]
    stream = params.get("StreamSpecification")
    if stream and stream.get("StreamEnabled"):
        if stream.get("StreamViewType") not in ("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"):
            raise invalid("One or more parameter values were invalid: StreamViewType must be specified "
                          "when StreamEnabled is true")
        label = created.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + \
            "%03d" % (created.microsecond // 1000)
        table["StreamSpecification"] = {"StreamEnabled": True,
                                        "StreamViewType": stream["StreamViewType"]}
        table["LatestStreamLabel"] = label
        table["LatestStreamArn"] = "%s/stream/%s" % (arn, label)
    sse = params.get("SSESpecification")
    if sse and sse.get("Enabled"):
        key = sse.get("KMSMasterKeyId") or "alias/aws/dynamodb"
        if not key.startswith("arn:"):
            key = "arn:aws:kms:%s:%s:%s" % (ctx.region, ctx.account.id,
                                            key if key.startswith("alias/") else "key/" + key)
        table["SSEDescription"] = {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": key}
    if params.get("TableClass"):
        table["TableClassSummary"] = {"TableClass": params["TableClass"]}
    st["tables"][name] = table
    if params.get("Tags"):
        st["tags"][arn] = [{"Key": t["Key"], "Value": t["Value"]} for t in params["Tags"]]
    out = copy.deepcopy(table)
    out["TableStatus"] = "CREATING"
    for index in out.get("GlobalSecondaryIndexes", []):
        index["IndexStatus"] = "CREATING"
    return {"TableDescription": out}


@handler
def DescribeTable(ctx, params):
    table = state(ctx)["tables"].get(params["TableName"])
    if table is None:
        raise not_found("Requested resource not found: Table: %s not found" % params["TableName"])
    return {"Table": copy.deepcopy(table)}


@handler
def ListTables(ctx, params):
    """Pages itself: the token is the last table name of the page, which
    callers may pass back by hand (ExclusiveStartTableName)."""
    ctx.paginated = True
    limit = params.get("Limit")
    if limit is not None and not 1 <= limit <= 100:
        raise invalid("1 validation error detected: Value '%s' at 'limit' failed to satisfy "
                      "constraint: Member must have value less than or equal to 100" % limit)
    limit = limit or 100
    start = params.get("ExclusiveStartTableName")
    names = [n for n in sorted(state(ctx)["tables"]) if start is None or n > start]
    out = {"TableNames": names[:limit]}
    if len(names) > limit:
        out["LastEvaluatedTableName"] = names[limit - 1]
    return out


@handler
def ListTagsOfResource(ctx, params):
    st = state(ctx)
    arn = params["ResourceArn"]
    if not any(t["TableArn"] == arn for t in st["tables"].values()):
        raise not_found("Requested resource not found: ResourcArn: %s not found" % arn)
    return {"Tags": copy.deepcopy(st["tags"].get(arn, []))}


@handler
def TagResource(ctx, params):
    st = state(ctx)
    arn = params["ResourceArn"]
    if not any(t["TableArn"] == arn for t in st["tables"].values()):
        raise not_found("Requested resource not found: ResourcArn: %s not found" % arn)
    tags = {t["Key"]: t["Value"] for t in st["tags"].get(arn, [])}
    tags.update({t["Key"]: t["Value"] for t in params["Tags"]})
    st["tags"][arn] = [{"Key": k, "Value": v} for k, v in tags.items()]
    return {}

