"""S3 (rest-xml): buckets with their policy, public access block, ACL,
notifications, tags and default encryption, plus enough of objects for
backups (PutObject, GetObject, ListObjectsV2).

Bucket names are global, so buckets live in the account's global state
(ctx.account.svc("s3")) and each records its own region. New buckets get
today's AWS defaults: SSE-S3 encryption, all four public access block
settings on, and ObjectOwnership BucketOwnerEnforced (ACLs disabled), so
a seeder has to take the same steps as a real user to make one public.
"""
import base64
import functools
import hashlib
import json
import re
import threading
import urllib.parse

from ..errors import AwsError
from ..registry import op

SERVICE = "s3"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTH_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
PAB_KEYS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
# Condition keys that pin a statement to known principals or networks: a
# statement restricted by one of them is not "public" (AWS, "The meaning of public").
RESTRICTING_KEYS = {
    "aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceaccount",
    "aws:sourceowner", "aws:sourceip", "aws:principalorgid", "aws:principalorgpaths",
    "aws:principalaccount", "aws:principalarn", "aws:userid", "aws:sourceorgid",
    "aws:sourceorgpaths", "s3:dataaccesspointarn", "s3:dataaccesspointaccount",
}
BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")

_LOCK = threading.RLock()


def handler(fn):
    """Registers fn as an S3 operation run under the module lock (the
    server is threaded and handlers mutate shared dicts)."""
    @functools.wraps(fn)
    def locked(ctx, params):
        with _LOCK:
            return fn(ctx, params)
    return op(SERVICE, fn.__name__)(locked)


def buckets_of(account):
    return account.svc(SERVICE).setdefault("buckets", {})


def other_accounts_buckets(ctx):
    """The bucket tables of the world's other accounts (bucket names are
    global); read without creating state in those accounts."""
    world = getattr(ctx, "world", None)
    for acct in (world.accounts.values() if world is not None else ()):
        if acct is not ctx.account:
            yield getattr(acct, "glob", {}).get(SERVICE, {}).get("buckets", {})


def canonical_id(account_id):
    return hashlib.sha256(("canonical-user:" + account_id).encode()).hexdigest()


def owner_of(ctx):
    return {"DisplayName": getattr(ctx.account, "alias", "") or ctx.account.id,
            "ID": canonical_id(ctx.account.id)}


def no_such_bucket(name):
    return AwsError("NoSuchBucket", "The specified bucket does not exist", status=404,
                    extra={"BucketName": name})


def get_bucket(ctx, params):
    name = params["Bucket"]
    expected = params.get("ExpectedBucketOwner")
    if expected and expected != ctx.account.id:
        raise AwsError("AccessDenied", "Access Denied", status=403)
    bucket = buckets_of(ctx.account).get(name)
    if bucket is None:
        # A bucket of another account is there but not ours to read.
        if any(name in buckets for buckets in other_accounts_buckets(ctx)):
            raise AwsError("AccessDenied", "Access Denied", status=403)
        raise no_such_bucket(name)
    return bucket


def epoch(ctx):
    return ctx.now().timestamp()


# -- policy and ACL evaluation ------------------------------------------------

def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def principal_is_public(stmt):
    if "NotPrincipal" in stmt:
        return True
    principal = stmt.get("Principal")
    if principal == "*":
        return True
    if isinstance(principal, dict):
        return "*" in as_list(principal.get("AWS"))
    return False


def condition_restricts(condition):
    """True when some condition pins the statement to fixed principals or
    networks; wildcards and the whole internet do not count."""
    for operator, clauses in (condition or {}).items():
        if not isinstance(clauses, dict):
            continue
        for key, values in clauses.items():
            if key.lower() not in RESTRICTING_KEYS:
                continue
            values = [str(v) for v in as_list(values)]
            if "IfExists" in operator or not values:
                continue
            if any("*" in v or v in ("0.0.0.0/0", "::/0") for v in values):
                continue
            return True
    return False


def policy_is_public(text):
    try:
        doc = json.loads(text)
    except ValueError:
        return False
    for stmt in as_list(doc.get("Statement")):
        if not isinstance(stmt, dict) or stmt.get("Effect") != "Allow":
            continue
        if principal_is_public(stmt) and not condition_restricts(stmt.get("Condition")):
            return True
    return False


def grants_are_public(grants):
    return any(g.get("Grantee", {}).get("URI") in (ALL_USERS, AUTH_USERS) for g in grants)


def canned_grants(acl, owner):
    own = {"Grantee": {"Type": "CanonicalUser", "ID": owner["ID"],
                       "DisplayName": owner["DisplayName"]}, "Permission": "FULL_CONTROL"}
    extra = {
        "private": [],
        "bucket-owner-full-control": [],
        "public-read": [("Group", ALL_USERS, "READ")],
        "public-read-write": [("Group", ALL_USERS, "READ"), ("Group", ALL_USERS, "WRITE")],
        "authenticated-read": [("Group", AUTH_USERS, "READ")],
        "log-delivery-write": [
            ("Group", "http://acs.amazonaws.com/groups/s3/LogDelivery", "WRITE"),
            ("Group", "http://acs.amazonaws.com/groups/s3/LogDelivery", "READ_ACP")],
    }
    if acl not in extra:
        raise AwsError("InvalidArgument", "Invalid canned ACL: %s" % acl, status=400)
    return [own] + [{"Grantee": {"Type": t, "URI": uri}, "Permission": perm}
                    for t, uri, perm in extra[acl]]


GRANT_HEADERS = (("GrantFullControl", "FULL_CONTROL"), ("GrantRead", "READ"),
                 ("GrantReadACP", "READ_ACP"), ("GrantWrite", "WRITE"),
                 ("GrantWriteACP", "WRITE_ACP"))


def header_grants(params):
    """Grants from x-amz-grant-* headers: 'uri="...", id="..."'."""
    grants = []
    for member, permission in GRANT_HEADERS:
        for kind, value in re.findall(r'(id|uri|emailAddress)\s*=\s*"([^"]*)"',
                                      params.get(member) or ""):
            grantee = {"id": {"Type": "CanonicalUser", "ID": value},
                       "uri": {"Type": "Group", "URI": value},
                       "emailAddress": {"Type": "AmazonCustomerByEmail",
                                        "EmailAddress": value}}[kind]
            grants.append({"Grantee": grantee, "Permission": permission})
    return grants


def requested_grants(params, owner):
    if params.get("ACL"):
        return canned_grants(params["ACL"], owner)
    if any(params.get(m) for m, _ in GRANT_HEADERS):
        return header_grants(params)
    return None


def check_acl_allowed(bucket, grants):
    """ACLs are refused when the bucket owner enforces ownership, and public
    ones when the public access block says so."""
    only_owner = all(g["Grantee"].get("ID") == bucket["Owner"]["ID"] for g in grants)
    if bucket.get("ObjectOwnership") == "BucketOwnerEnforced" and not only_owner:
        raise AwsError("AccessControlListNotSupported", "The bucket does not allow ACLs",
                       status=400)
    if grants_are_public(grants) and (bucket.get("PublicAccessBlock") or {}).get("BlockPublicAcls"):
        raise AwsError("AccessDenied", "Access Denied", status=403)


# -- buckets -----------------------------------------------------------------

@handler
def ListBuckets(ctx, params):
    buckets = buckets_of(ctx.account)
    return {"Buckets": [{"Name": n, "CreationDate": buckets[n]["CreationDate"]}
                        for n in sorted(buckets)],
            "Owner": owner_of(ctx)}


@handler
def CreateBucket(ctx, params):
    name = params["Bucket"]
    if not BUCKET_RE.match(name) or ".." in name:
        raise AwsError("InvalidBucketName", "The specified bucket is not valid.", status=400,
                       extra={"BucketName": name})
    constraint = (params.get("CreateBucketConfiguration") or {}).get("LocationConstraint")
    region = {"EU": "eu-west-1", None: "us-east-1", "": "us-east-1"}.get(constraint, constraint)
    if name in buckets_of(ctx.account):
        raise AwsError("BucketAlreadyOwnedByYou",
                       "Your previous request to create the named bucket succeeded and you already own it.",
                       status=409, extra={"BucketName": name})
    for buckets in other_accounts_buckets(ctx):
        if name in buckets:
            raise AwsError("BucketAlreadyExists",
                           "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
                           status=409, extra={"BucketName": name})
    if region != ctx.region:
        if constraint:
            msg = "The %s location constraint is incompatible for the region specific endpoint this request was sent to." % constraint
        else:
            msg = "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to."
        raise AwsError("IllegalLocationConstraintException", msg, status=400)
    owner = owner_of(ctx)
    ownership = params.get("ObjectOwnership") or "BucketOwnerEnforced"
    bucket = {
        "Name": name, "Region": region, "CreationDate": epoch(ctx), "Owner": owner,
        "ObjectOwnership": ownership,
        "PublicAccessBlock": {k: True for k in PAB_KEYS},
        "Grants": canned_grants("private", owner),
        "Encryption": {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
                                  "BucketKeyEnabled": False}]},
        "Policy": None, "Tagging": None, "Notification": {}, "Objects": {},
    }
    grants = requested_grants(params, owner)
    if grants is not None:
        if ownership == "BucketOwnerEnforced" and any(
                g["Grantee"].get("ID") != owner["ID"] for g in grants):
            raise AwsError("InvalidBucketAclWithObjectOwnership",
                           "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
                           status=400)
        check_acl_allowed(bucket, grants)
        bucket["Grants"] = grants
    buckets_of(ctx.account)[name] = bucket
    return {"Location": "/" + name}


@handler
def GetBucketLocation(ctx, params):
    region = get_bucket(ctx, params)["Region"]
    # us-east-1 buckets answer an empty LocationConstraint, as S3 does.
    return {"LocationConstraint": None if region == "us-east-1" else region}


# -- policy ------------------------------------------------------------------

@handler
def GetBucketPolicy(ctx, params):
    bucket = get_bucket(ctx, params)
    if not bucket.get("Policy"):
        raise AwsError("NoSuchBucketPolicy", "The bucket policy does not exist", status=404,
                       extra={"BucketName": bucket["Name"]})
    return {"Policy": bucket["Policy"]}


@handler
def GetBucketPolicyStatus(ctx, params):
    bucket = get_bucket(ctx, params)
    if not bucket.get("Policy"):
        raise AwsError("NoSuchBucketPolicy", "The bucket policy does not exist", status=404,
                       extra={"BucketName": bucket["Name"]})
    return {"PolicyStatus": {"IsPublic": policy_is_public(bucket["Policy"])}}


@handler
def PutBucketPolicy(ctx, params):
    bucket = get_bucket(ctx, params)
    text = params["Policy"]
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    try:
        doc = json.loads(text)
    except ValueError:
        raise AwsError("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'",
                       status=400)
    if not isinstance(doc, dict) or not as_list(doc.get("Statement")):
        raise AwsError("MalformedPolicy", "Missing required field Statement", status=400)
    if (bucket.get("PublicAccessBlock") or {}).get("BlockPublicPolicy") and policy_is_public(text):
        raise AwsError("AccessDenied", "Access Denied", status=403)
    bucket["Policy"] = text
    return {}


@handler
def DeleteBucketPolicy(ctx, params):
    get_bucket(ctx, params)["Policy"] = None
    return {}


# -- public access block -----------------------------------------------------

@handler
def GetPublicAccessBlock(ctx, params):
    bucket = get_bucket(ctx, params)
    if bucket.get("PublicAccessBlock") is None:
        raise AwsError("NoSuchPublicAccessBlockConfiguration",
                       "The public access block configuration was not found", status=404,
                       extra={"BucketName": bucket["Name"]})
    return {"PublicAccessBlockConfiguration": dict(bucket["PublicAccessBlock"])}


@handler
def PutPublicAccessBlock(ctx, params):
    bucket = get_bucket(ctx, params)
    conf = params["PublicAccessBlockConfiguration"] or {}
    bucket["PublicAccessBlock"] = {k: bool(conf.get(k, False)) for k in PAB_KEYS}
    return {}


@handler
def DeletePublicAccessBlock(ctx, params):
    get_bucket(ctx, params)["PublicAccessBlock"] = None
    return {}


# -- ACL ---------------------------------------------------------------------

@handler
def GetBucketAcl(ctx, params):
    bucket = get_bucket(ctx, params)
    return {"Owner": dict(bucket["Owner"]), "Grants": [dict(g) for g in bucket["Grants"]]}


@handler
def PutBucketAcl(ctx, params):
    bucket = get_bucket(ctx, params)
    grants = requested_grants(params, bucket["Owner"])
    if grants is None:
        policy = params.get("AccessControlPolicy")
        if not policy:
            raise AwsError("MissingSecurityHeader",
                           "Your request was missing a required header", status=400)
        grants = policy.get("Grants") or []
        for g in grants:
            if not (g.get("Grantee") or {}).get("Type") or not g.get("Permission"):
                raise AwsError("MalformedACLError",
                               "The XML you provided was not well-formed or did not validate against our published schema",
                               status=400)
    check_acl_allowed(bucket, grants)
    bucket["Grants"] = grants
    return {}


# -- notifications, tags, encryption -----------------------------------------

NOTIFY_LISTS = (("TopicConfigurations", "TopicArn", ":sns:"),
                ("QueueConfigurations", "QueueArn", ":sqs:"),
                ("LambdaFunctionConfigurations", "LambdaFunctionArn", ":lambda:"))


@handler
def GetBucketNotificationConfiguration(ctx, params):
    bucket = get_bucket(ctx, params)
    return json.loads(json.dumps(bucket.get("Notification") or {}))


@handler
def PutBucketNotificationConfiguration(ctx, params):
    bucket = get_bucket(ctx, params)
    conf = params.get("NotificationConfiguration") or {}
    stored = {}
    seq = 0
    for member, arn_key, arn_part in NOTIFY_LISTS:
        items = []
        for item in conf.get(member) or []:
            arn = item.get(arn_key) or ""
            if not arn.startswith("arn:") or arn_part not in arn or not item.get("Events"):
                raise AwsError("InvalidArgument",
                               "Unable to validate the following destination configurations",
                               status=400, extra={"ArgumentName": arn, "ArgumentValue": arn})
            item = dict(item)
            if not item.get("Id"):
                seq += 1
                item["Id"] = hashlib.sha1(("%s/%s/%d" % (bucket["Name"], arn, seq)).encode()).hexdigest()
            items.append(item)
        if items:
            stored[member] = items
    if conf.get("EventBridgeConfiguration") is not None:
        stored["EventBridgeConfiguration"] = {}
    bucket["Notification"] = stored
    return {}


@handler
def GetBucketTagging(ctx, params):
    bucket = get_bucket(ctx, params)
    if not bucket.get("Tagging"):
        raise AwsError("NoSuchTagSet", "The TagSet does not exist", status=404,
                       extra={"BucketName": bucket["Name"]})
    return {"TagSet": [dict(t) for t in bucket["Tagging"]]}


@handler
def PutBucketTagging(ctx, params):
    bucket = get_bucket(ctx, params)
    tags = (params.get("Tagging") or {}).get("TagSet") or []
    keys = [t.get("Key") for t in tags]
    if len(set(keys)) != len(keys):
        raise AwsError("InvalidTag", "Cannot provide multiple Tags with the same key", status=400)
    if len(tags) > 50:
        raise AwsError("BadRequest", "Object tags cannot be greater than 50", status=400)
    bucket["Tagging"] = [{"Key": t["Key"], "Value": t.get("Value", "")} for t in tags]
    return {}


@handler
def GetBucketEncryption(ctx, params):
    bucket = get_bucket(ctx, params)
    if not bucket.get("Encryption"):
        raise AwsError("ServerSideEncryptionConfigurationNotFoundError",
                       "The server side encryption configuration was not found", status=404,
                       extra={"BucketName": bucket["Name"]})
    return {"ServerSideEncryptionConfiguration": json.loads(json.dumps(bucket["Encryption"]))}


@handler
def PutBucketEncryption(ctx, params):
    bucket = get_bucket(ctx, params)
    conf = params.get("ServerSideEncryptionConfiguration") or {}
    for rule in conf.get("Rules") or []:
        algo = (rule.get("ApplyServerSideEncryptionByDefault") or {}).get("SSEAlgorithm")
        if algo not in ("AES256", "aws:kms", "aws:kms:dsse"):
            raise AwsError("MalformedXML",
                           "The XML you provided was not well-formed or did not validate against our published schema",
                           status=400)
    bucket["Encryption"] = json.loads(json.dumps(conf))
    return {}


@handler
def DeleteBucketEncryption(ctx, params):
    # Real S3 falls back to SSE-S3 since 2023; removing the configuration
    # entirely models a bucket from before that, which a scanner must handle.
    get_bucket(ctx, params)["Encryption"] = None
    return {}


# -- objects -----------------------------------------------------------------

def body_bytes(value):
    if value is None:
        return b""
    if isinstance(value, str):
        return value.encode("utf-8")
    if hasattr(value, "read"):
        return value.read()
    return bytes(value)


@handler
def PutObject(ctx, params):
    bucket = get_bucket(ctx, params)
    data = body_bytes(params.get("Body"))
    etag = '"%s"' % hashlib.md5(data).hexdigest()
    bucket["Objects"][params["Key"]] = {
        "Body": base64.b64encode(data).decode("ascii"), "ETag": etag, "Size": len(data),
        "LastModified": epoch(ctx),
        "ContentType": params.get("ContentType") or "binary/octet-stream",
        "Metadata": dict(params.get("Metadata") or {}),
    }
    sse = ((bucket.get("Encryption") or {}).get("Rules") or [{}])[0]
    algo = (sse.get("ApplyServerSideEncryptionByDefault") or {}).get("SSEAlgorithm")
    out = {"ETag": etag}
    if params.get("ServerSideEncryption") or algo:
        out["ServerSideEncryption"] = params.get("ServerSideEncryption") or algo
    return out


@handler
def GetObject(ctx, params):
    bucket = get_bucket(ctx, params)
    obj = bucket["Objects"].get(params["Key"])
    if obj is None:
        raise AwsError("NoSuchKey", "The specified key does not exist.", status=404,
                       extra={"Key": params["Key"]})
    data = base64.b64decode(obj["Body"])
    return {"Body": data, "ContentLength": len(data), "ETag": obj["ETag"],
            "LastModified": obj["LastModified"], "ContentType": obj["ContentType"],
            "AcceptRanges": "bytes", "Metadata": dict(obj["Metadata"])}


def continuation_encode(key):
    return base64.urlsafe_b64encode(("k:" + key).encode()).decode("ascii")


def continuation_decode(token):
    try:
        text = base64.urlsafe_b64decode(token.encode("ascii")).decode("utf-8")
    except (ValueError, UnicodeError):
        text = ""
    if not text.startswith("k:"):
        raise AwsError("InvalidArgument", "The continuation token provided is incorrect",
                       status=400, extra={"ArgumentName": "continuation-token"})
    return text[2:]


@handler
def ListObjectsV2(ctx, params):
    """Pages itself: S3 counts keys and common prefixes together against
    MaxKeys, which a generic slicer cannot know."""
    ctx.paginated = True
    bucket = get_bucket(ctx, params)
    prefix = params.get("Prefix") or ""
    delimiter = params.get("Delimiter") or ""
    max_keys = params.get("MaxKeys")
    max_keys = 1000 if max_keys is None else max(0, min(int(max_keys), 1000))
    after = params.get("StartAfter") or ""
    if params.get("ContinuationToken"):
        after = max(after, continuation_decode(params["ContinuationToken"]))
    contents, prefixes, last, truncated = [], [], None, False
    for key in sorted(bucket["Objects"]):
        if not key.startswith(prefix) or (after and key <= after):
            continue
        rolled = None
        if delimiter:
            cut = key.find(delimiter, len(prefix))
            if cut >= 0:
                rolled = key[:cut + len(delimiter)]
        if rolled is not None and prefixes and prefixes[-1]["Prefix"] == rolled:
            continue
        if len(contents) + len(prefixes) >= max_keys:
            truncated = True
            break
        if rolled is not None:
            prefixes.append({"Prefix": rolled})
            # The next page resumes after every key this prefix rolls up.
            last = rolled + "\U0010ffff"
        else:
            obj = bucket["Objects"][key]
            entry = {"Key": key, "LastModified": obj["LastModified"], "ETag": obj["ETag"],
                     "Size": obj["Size"], "StorageClass": "STANDARD"}
            if params.get("FetchOwner"):
                entry["Owner"] = dict(bucket["Owner"])
            contents.append(entry)
            last = key
    # awscli asks for EncodingType=url and unquotes these members itself.
    enc = (lambda v: urllib.parse.quote(v, safe="/~")) if params.get("EncodingType") == "url" \
        else (lambda v: v)
    out = {"IsTruncated": truncated, "Name": bucket["Name"], "Prefix": enc(prefix),
           "MaxKeys": max_keys, "KeyCount": len(contents) + len(prefixes)}
    if contents:
        out["Contents"] = [dict(c, Key=enc(c["Key"])) for c in contents]
    if prefixes:
        out["CommonPrefixes"] = [{"Prefix": enc(p["Prefix"])} for p in prefixes]
    if delimiter:
        out["Delimiter"] = enc(delimiter)
    if params.get("EncodingType"):
        out["EncodingType"] = params["EncodingType"]
    if params.get("StartAfter"):
        out["StartAfter"] = enc(params["StartAfter"])
    if params.get("ContinuationToken"):
        out["ContinuationToken"] = params["ContinuationToken"]
    if truncated:
        out["NextContinuationToken"] = continuation_encode(last)
    return out
