"""IAM (query protocol, API 2010-05-08), global per account: roles with
trust, inline and attached policies, tags and RoleLastUsed; customer
managed policies with versions; AWS managed policies with their published
documents (managed_policies.json); GetAccountAuthorizationDetails; and the
access advisor (service- and action-level last accessed).

State (ctx.account.svc("iam")):
  {"roles": {name: role}, "policies": {arn: policy}, "jobs": {id: job}, "seq": n}
  role = {Path, RoleName, RoleId, Arn, CreateDate, AssumeRolePolicyDocument
          (the string as given), Description, MaxSessionDuration, Tags,
          RoleLastUsed, "inline": {name: document string}, "attached": [arn],
          "usage": {namespace: {"last": datetime, "region": str,
                                "actions": {ActionName: datetime}}}}
  policy = {PolicyName, PolicyId, Arn, Path, Description, CreateDate,
            UpdateDate, Tags, "versions": {"vN": {Document, CreateDate}},
            "default": "vN", "next": N}
Policy documents come back URL-encoded (RFC 3986), as IAM sends them.
"""
import copy
import datetime
import functools
import hashlib
import base64
import json
import os
import re
import threading
import urllib.parse

from ..errors import AwsError
from ..registry import op

SERVICE = "iam"
_LOCK = threading.RLock()
MAX_MANAGED_PER_ROLE = 10
MAX_INLINE_BYTES = 10240
MAX_VERSIONS = 5
ROLE_NAME_RE = re.compile(r"^[\w+=,.@-]{1,64}$")

# Service names the access advisor reports, by namespace.
SERVICE_NAMES = {
    "apigateway": "Amazon API Gateway", "cloudformation": "AWS CloudFormation",
    "cloudfront": "Amazon CloudFront", "cloudtrail": "AWS CloudTrail",
    "cloudwatch": "Amazon CloudWatch", "codebuild": "AWS CodeBuild",
    "codecommit": "AWS CodeCommit", "codepipeline": "AWS CodePipeline",
    "cognito-idp": "Amazon Cognito User Pools", "dynamodb": "Amazon DynamoDB",
    "ec2": "Amazon EC2", "ecr": "Amazon Elastic Container Registry",
    "ecs": "Amazon Elastic Container Service", "events": "Amazon EventBridge",
    "firehose": "Amazon Kinesis Firehose", "glue": "AWS Glue", "iam": "AWS Identity and Access Management",
    "kinesis": "Amazon Kinesis", "kms": "AWS Key Management Service", "lambda": "AWS Lambda",
    "logs": "Amazon CloudWatch Logs", "organizations": "AWS Organizations",
    "rds": "Amazon RDS", "route53": "Amazon Route 53", "s3": "Amazon S3",
    "secretsmanager": "AWS Secrets Manager", "ses": "Amazon SES", "sns": "Amazon SNS",
    "sqs": "Amazon SQS", "ssm": "AWS Systems Manager", "states": "AWS Step Functions",
    "sts": "AWS Security Token Service", "xray": "AWS X-Ray", "account": "AWS Account",
    "dax": "Amazon DynamoDB Accelerator (DAX)", "application-autoscaling": "Application Auto Scaling",
    "datapipeline": "AWS Data Pipeline", "resource-groups": "AWS Resource Groups",
    "tag": "Amazon Resource Group Tagging API",
}
# Services whose management actions AWS tracks at action level (IAM user
# guide, "Action last accessed information"), and the tracked actions used here.
TRACKED_ACTIONS = {
    "s3": ["CreateBucket", "DeleteBucket", "DeleteBucketPolicy", "GetBucketAcl", "GetBucketLocation",
           "GetBucketPolicy", "GetBucketPolicyStatus", "GetBucketPublicAccessBlock",
           "GetBucketNotification", "GetBucketTagging", "GetEncryptionConfiguration",
           "ListAllMyBuckets", "PutBucketAcl", "PutBucketNotification", "PutBucketPolicy",
           "PutBucketPublicAccessBlock", "PutBucketTagging", "PutEncryptionConfiguration"],
    "ec2": ["CreateNetworkInterface", "DeleteNetworkInterface", "DescribeInstances",
            "DescribeNetworkInterfaces", "DescribeSecurityGroups", "DescribeSubnets", "DescribeVpcs",
            "RunInstances", "TerminateInstances", "AssignPrivateIpAddresses", "UnassignPrivateIpAddresses"],
    "iam": ["AttachRolePolicy", "CreatePolicy", "CreateRole", "CreateUser", "DeleteRole",
            "DeleteRolePolicy", "DetachRolePolicy", "GetPolicy", "GetRole", "GetRolePolicy",
            "ListAttachedRolePolicies", "ListRolePolicies", "ListRoles", "PassRole", "PutRolePolicy",
            "UpdateAssumeRolePolicy"],
    "lambda": ["AddPermission", "CreateEventSourceMapping", "CreateFunction", "DeleteFunction",
               "GetFunction", "GetFunctionConfiguration", "GetPolicy", "InvokeFunction", "ListFunctions",
               "PublishVersion", "RemovePermission", "UpdateFunctionCode", "UpdateFunctionConfiguration"],
}
_MANAGED = None


def handler(fn):
    """Registers fn as an IAM operation run under the module lock."""
    @functools.wraps(fn)
    def locked(ctx, params):
        with _LOCK:
            return fn(ctx, params)
    return op(SERVICE, fn.__name__)(locked)


# ---------------------------------------------------------------- errors

def no_such(msg):
    return AwsError("NoSuchEntity", msg, status=404)


def invalid(msg):
    return AwsError("InvalidInput", msg, status=400)


def malformed(msg):
    return AwsError("MalformedPolicyDocument", msg, status=400)


def limit(msg):
    return AwsError("LimitExceeded", msg, status=409)


def conflict(msg):
    return AwsError("DeleteConflict", msg, status=409)


def exists(msg):
    return AwsError("EntityAlreadyExists", msg, status=409)


# ---------------------------------------------------------------- helpers

def state(ctx):
    st = ctx.account.svc(SERVICE)
    if "roles" not in st:
        st.setdefault("roles", {})
        st.setdefault("policies", {})
        st.setdefault("jobs", {})
        st.setdefault("seq", 0)
    return st


def managed():
    """AWS managed policies, by ARN, loaded once from managed_policies.json."""
    global _MANAGED
    if _MANAGED is None:
        path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            "managed_policies.json")
        with open(path) as f:
            data = json.load(f)
        out = {}
        for p in data["policies"]:
            arn = "arn:aws:iam::aws:policy%s%s" % (p["Path"], p["PolicyName"])
            created = datetime.datetime.fromisoformat(p["CreateDate"])
            out[arn] = {"PolicyName": p["PolicyName"], "PolicyId": make_id("ANPA", "aws/" + arn),
                        "Arn": arn, "Path": p["Path"], "Description": p["Description"],
                        "CreateDate": created, "UpdateDate": created, "Tags": [],
                        "versions": {p["DefaultVersionId"]: {"Document": json.dumps(p["Document"], indent=4),
                                                             "CreateDate": created}},
                        "default": p["DefaultVersionId"], "aws": True}
        _MANAGED = out
    return _MANAGED


def make_id(prefix, seed):
    digest = hashlib.sha256(seed.encode()).digest()
    return prefix + base64.b32encode(digest).decode()[:17]


def encode(doc):
    return urllib.parse.quote(doc, safe="")


def parse_doc(doc, what="policy", trust=False):
    """Checks a policy document enough to refuse what IAM refuses; returns
    the parsed JSON."""
    try:
        d = json.loads(doc)
    except (ValueError, TypeError):
        raise malformed("This policy contains invalid Json")
    if not isinstance(d, dict) or "Statement" not in d:
        raise malformed("Syntax errors in policy.")
    stmts = d["Statement"] if isinstance(d["Statement"], list) else [d["Statement"]]
    for s in stmts:
        if not isinstance(s, dict) or s.get("Effect") not in ("Allow", "Deny"):
            raise malformed("Syntax errors in policy.")
        if "Action" not in s and "NotAction" not in s:
            raise malformed("Policy statement must contain actions.")
        if trust:
            if "Principal" not in s and "NotPrincipal" not in s:
                raise malformed("AssumeRolepolicy contained an invalid principal element.")
        else:
            if "Principal" in s or "NotPrincipal" in s:
                raise malformed("Policy document should not specify a principal.")
            if "Resource" not in s and "NotResource" not in s:
                raise malformed("Policy statement must contain resources.")
    return d


def get_role(ctx, name):
    role = state(ctx)["roles"].get(name)
    if role is None:
        raise no_such("The role with name %s cannot be found." % name)
    return role


def get_policy(ctx, arn):
    """A customer managed or AWS managed policy by ARN."""
    if not re.match(r"^arn:aws[a-zA-Z-]*:iam::(aws|\d{12}):policy/", arn or ""):
        raise invalid("ARN %s is not valid." % arn)
    p = state(ctx)["policies"].get(arn) or managed().get(arn)
    if p is None:
        raise no_such("Policy %s does not exist or is not attachable." % arn)
    return p


def attachment_count(ctx, arn):
    return sum(1 for r in state(ctx)["roles"].values() if arn in r["attached"])


def policy_answer(ctx, p):
    out = {k: p[k] for k in ("PolicyName", "PolicyId", "Arn", "Path", "DefaultVersionId",
                             "CreateDate", "UpdateDate") if k in p}
    out["DefaultVersionId"] = p["default"]
    out["AttachmentCount"] = attachment_count(ctx, p["Arn"])
    out["PermissionsBoundaryUsageCount"] = 0
    out["IsAttachable"] = True
    if p.get("Description"):
        out["Description"] = p["Description"]
    if p.get("Tags"):
        out["Tags"] = copy.deepcopy(p["Tags"])
    return out


def version_answer(p, vid):
    v = p["versions"][vid]
    return {"Document": encode(v["Document"]), "VersionId": vid,
            "IsDefaultVersion": vid == p["default"], "CreateDate": v["CreateDate"]}


def role_answer(role, full=True):
    out = {k: copy.deepcopy(role[k]) for k in ("Path", "RoleName", "RoleId", "Arn", "CreateDate",
                                               "MaxSessionDuration")}
    out["AssumeRolePolicyDocument"] = encode(role["AssumeRolePolicyDocument"])
    if role.get("Description"):
        out["Description"] = role["Description"]
    if full:
        if role.get("PermissionsBoundary"):
            out["PermissionsBoundary"] = copy.deepcopy(role["PermissionsBoundary"])
        if role["Tags"]:
            out["Tags"] = copy.deepcopy(role["Tags"])
        out["RoleLastUsed"] = copy.deepcopy(role.get("RoleLastUsed") or {})
    return out


def check_tags(tags):
    if len(tags) > 50:
        raise limit("1 validation error detected: Value at 'tags' failed to satisfy constraint: "
                    "Member must have length less than or equal to 50")
    keys = [t["Key"] for t in tags]
    if len(set(k.lower() for k in keys)) != len(keys):
        raise invalid("Duplicate tag keys found. Please note that Tag keys are case insensitive.")


# ---------------------------------------------------------------- roles

@handler
def CreateRole(ctx, params):
    name = params["RoleName"]
    if not ROLE_NAME_RE.match(name):
        raise AwsError("ValidationError", "1 validation error detected: Value '%s' at 'roleName' "
                       "failed to satisfy constraint: Member must satisfy regular expression "
                       "pattern: [\\w+=,.@-]+" % name, status=400)
    roles = state(ctx)["roles"]
    if name.lower() in (n.lower() for n in roles):
        raise exists("Role with name %s already exists." % name)
    doc = params["AssumeRolePolicyDocument"]
    parse_doc(doc, trust=True)
    path = params.get("Path") or "/"
    if not (path.startswith("/") and path.endswith("/")):
        raise AwsError("ValidationError", "The specified value for path is invalid. It must begin "
                       "and end with / and contain only alphanumeric characters and/or / characters.",
                       status=400)
    tags = copy.deepcopy(params.get("Tags") or [])
    check_tags(tags)
    msd = params.get("MaxSessionDuration") or 3600
    if not 3600 <= msd <= 43200:
        raise AwsError("ValidationError", "1 validation error detected: Value '%d' at "
                       "'maxSessionDuration' failed to satisfy constraint: Member must have value "
                       "less than or equal to 43200" % msd, status=400)
    role = {"Path": path, "RoleName": name, "RoleId": make_id("AROA", "%s/%s/%d" % (ctx.account.id, name, len(roles))),
            "Arn": "arn:aws:iam::%s:role%s%s" % (ctx.account.id, path, name), "CreateDate": ctx.now(),
            "AssumeRolePolicyDocument": doc, "Description": params.get("Description") or "",
            "MaxSessionDuration": msd, "Tags": tags, "RoleLastUsed": {},
            "inline": {}, "attached": [], "usage": {}}
    if params.get("PermissionsBoundary"):
        get_policy(ctx, params["PermissionsBoundary"])
        role["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy",
                                       "PermissionsBoundaryArn": params["PermissionsBoundary"]}
    roles[name] = role
    out = role_answer(role)
    out.pop("RoleLastUsed")
    return {"Role": out}


@handler
def GetRole(ctx, params):
    return {"Role": role_answer(get_role(ctx, params["RoleName"]))}


@handler
def ListAccountAliases(ctx, params):
    # An account has at most one alias (IAM API reference).
    alias = getattr(ctx.account, "alias", "")
    return {"AccountAliases": [alias] if alias else [], "IsTruncated": False}


@handler
def ListRoles(ctx, params):
    # ListRoles leaves out PermissionsBoundary, RoleLastUsed and Tags (IAM API reference).
    prefix = params.get("PathPrefix") or "/"
    roles = [r for r in state(ctx)["roles"].values() if r["Path"].startswith(prefix)]
    return {"Roles": [role_answer(r, full=False) for r in sorted(roles, key=lambda r: r["RoleName"].lower())],
            "IsTruncated": False}


@handler
def DeleteRole(ctx, params):
    role = get_role(ctx, params["RoleName"])
    if role["attached"]:
        raise conflict("Cannot delete entity, must detach all policies first.")
    if role["inline"]:
        raise conflict("Cannot delete entity, must delete policies first.")
    if profiles_of(ctx, role):
        raise conflict("Cannot delete entity, must remove roles from instance profile first.")
    del state(ctx)["roles"][role["RoleName"]]
    return {}


@handler
def UpdateAssumeRolePolicy(ctx, params):
    role = get_role(ctx, params["RoleName"])
    parse_doc(params["PolicyDocument"], trust=True)
    role["AssumeRolePolicyDocument"] = params["PolicyDocument"]
    return {}


@handler
def ListRoleTags(ctx, params):
    role = get_role(ctx, params["RoleName"])
    ctx.paginated = True     # no paginator in the model: Marker/MaxItems by hand
    return page(params, "Tags", role["Tags"])


def page(params, key, items):
    start = 0
    if params.get("Marker"):
        try:
            start = int(base64.b64decode(params["Marker"]).decode().split(":")[1])
        except (ValueError, IndexError, UnicodeDecodeError):
            raise invalid("Invalid Marker.")
    n = params.get("MaxItems") or 100
    if not 1 <= n <= 1000:
        raise AwsError("ValidationError", "1 validation error detected: Value '%d' at 'maxItems' "
                       "failed to satisfy constraint: Member must have value less than or equal to 1000" % n,
                       status=400)
    chunk = copy.deepcopy(items[start:start + n])
    out = {key: chunk, "IsTruncated": start + n < len(items)}
    if out["IsTruncated"]:
        out["Marker"] = base64.b64encode(("iam:%d" % (start + n)).encode()).decode()
    return out


# ---------------------------------------------------------------- inline policies

@handler
def PutRolePolicy(ctx, params):
    role = get_role(ctx, params["RoleName"])
    name = params["PolicyName"]
    if not re.match(r"^[\w+=,.@-]{1,128}$", name):
        raise AwsError("ValidationError", "The specified value for policyName is invalid.", status=400)
    doc = params["PolicyDocument"]
    parse_doc(doc)
    others = sum(len(re.sub(r"\s", "", d)) for n, d in role["inline"].items() if n != name)
    if others + len(re.sub(r"\s", "", doc)) > MAX_INLINE_BYTES:
        raise limit("Maximum policy size of %d bytes exceeded for role %s" % (MAX_INLINE_BYTES, role["RoleName"]))
    role["inline"][name] = doc
    return {}


@handler
def GetRolePolicy(ctx, params):
    role = get_role(ctx, params["RoleName"])
    doc = role["inline"].get(params["PolicyName"])
    if doc is None:
        raise no_such("The role policy with name %s cannot be found." % params["PolicyName"])
    return {"RoleName": role["RoleName"], "PolicyName": params["PolicyName"], "PolicyDocument": encode(doc)}


@handler
def DeleteRolePolicy(ctx, params):
    role = get_role(ctx, params["RoleName"])
    if role["inline"].pop(params["PolicyName"], None) is None:
        raise no_such("The role policy with name %s cannot be found." % params["PolicyName"])
    return {}


@handler
def ListRolePolicies(ctx, params):
    role = get_role(ctx, params["RoleName"])
    return {"PolicyNames": sorted(role["inline"]), "IsTruncated": False}


# ---------------------------------------------------------------- managed policies

@handler
def AttachRolePolicy(ctx, params):
    role = get_role(ctx, params["RoleName"])
    p = get_policy(ctx, params["PolicyArn"])
    if p["Arn"] in role["attached"]:
        return {}
    if len(role["attached"]) >= MAX_MANAGED_PER_ROLE:
        raise limit("Cannot exceed quota for PoliciesPerRole: %d" % MAX_MANAGED_PER_ROLE)
    role["attached"].append(p["Arn"])
    return {}


@handler
def DetachRolePolicy(ctx, params):
    role = get_role(ctx, params["RoleName"])
    arn = params["PolicyArn"]
    get_policy(ctx, arn)
    if arn not in role["attached"]:
        raise no_such("Policy %s was not found." % arn)
    role["attached"].remove(arn)
    return {}


@handler
def ListAttachedRolePolicies(ctx, params):
    role = get_role(ctx, params["RoleName"])
    prefix = params.get("PathPrefix") or "/"
    out = []
    for arn in role["attached"]:
        p = get_policy(ctx, arn)
        if p["Path"].startswith(prefix):
            out.append({"PolicyName": p["PolicyName"], "PolicyArn": arn})
    return {"AttachedPolicies": out, "IsTruncated": False}


@handler
def CreatePolicy(ctx, params):
    name = params["PolicyName"]
    path = params.get("Path") or "/"
    arn = "arn:aws:iam::%s:policy%s%s" % (ctx.account.id, path, name)
    pols = state(ctx)["policies"]
    if any(p["PolicyName"] == name for p in pols.values()):
        raise exists("A policy called %s already exists. Duplicate names are not allowed." % name)
    doc = params["PolicyDocument"]
    parse_doc(doc)
    if len(re.sub(r"\s", "", doc)) > 6144:
        raise limit("Cannot exceed quota for PolicySize: 6144")
    tags = copy.deepcopy(params.get("Tags") or [])
    check_tags(tags)
    now = ctx.now()
    p = {"PolicyName": name, "PolicyId": make_id("ANPA", "%s/%s" % (ctx.account.id, arn)), "Arn": arn,
         "Path": path, "Description": params.get("Description") or "", "CreateDate": now,
         "UpdateDate": now, "Tags": tags, "versions": {"v1": {"Document": doc, "CreateDate": now}},
         "default": "v1", "next": 2}
    pols[arn] = p
    return {"Policy": policy_answer(ctx, p)}


@handler
def GetPolicy(ctx, params):
    return {"Policy": policy_answer(ctx, get_policy(ctx, params["PolicyArn"]))}


@handler
def GetPolicyVersion(ctx, params):
    p = get_policy(ctx, params["PolicyArn"])
    vid = params["VersionId"]
    if vid not in p["versions"]:
        raise no_such("Policy %s version %s does not exist or is not attachable." % (p["Arn"], vid))
    return {"PolicyVersion": version_answer(p, vid)}


@handler
def ListPolicyVersions(ctx, params):
    p = get_policy(ctx, params["PolicyArn"])
    vids = sorted(p["versions"], key=lambda v: -int(v[1:]))
    out = []
    for vid in vids:
        v = version_answer(p, vid)
        v.pop("Document")       # ListPolicyVersions leaves the documents out
        out.append(v)
    return {"Versions": out, "IsTruncated": False}


@handler
def CreatePolicyVersion(ctx, params):
    arn = params["PolicyArn"]
    p = get_policy(ctx, arn)
    if p.get("aws"):
        raise AwsError("AccessDenied", "User is not authorized to perform: iam:CreatePolicyVersion on "
                       "resource: policy %s" % arn, status=403)
    if len(p["versions"]) >= MAX_VERSIONS:
        raise limit("A managed policy can have up to %d versions. Before you create a new version, "
                    "you must delete an existing version." % MAX_VERSIONS)
    doc = params["PolicyDocument"]
    parse_doc(doc)
    vid = "v%d" % p["next"]
    p["next"] += 1
    now = ctx.now()
    p["versions"][vid] = {"Document": doc, "CreateDate": now}
    if params.get("SetAsDefault"):
        p["default"] = vid
        p["UpdateDate"] = now
    return {"PolicyVersion": version_answer(p, vid)}


@handler
def DeletePolicy(ctx, params):
    arn = params["PolicyArn"]
    p = get_policy(ctx, arn)
    if p.get("aws"):
        raise AwsError("AccessDenied", "User is not authorized to perform: iam:DeletePolicy on "
                       "resource: policy %s" % arn, status=403)
    if attachment_count(ctx, arn):
        raise conflict("Cannot delete a policy attached to entities.")
    if len(p["versions"]) > 1:
        raise conflict("This policy has more than one version. Before you delete a policy, you must "
                       "delete the policy's versions. The default version is deleted with the policy.")
    del state(ctx)["policies"][arn]
    return {}


# ---------------------------------------------------------------- authorization details

@handler
def GetAccountAuthorizationDetails(ctx, params):
    filt = set(params.get("Filter") or ["User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"])
    st = state(ctx)
    out = {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": [],
           "IsTruncated": False}
    if "Role" in filt:
        for r in sorted(st["roles"].values(), key=lambda r: r["RoleName"].lower()):
            d = role_answer(r)
            d["InstanceProfileList"] = [profile_answer(ctx, p) for p in profiles_of(ctx, r)]
            d["RolePolicyList"] = [{"PolicyName": n, "PolicyDocument": encode(doc)}
                                   for n, doc in sorted(r["inline"].items())]
            d["AttachedManagedPolicies"] = [{"PolicyName": get_policy(ctx, a)["PolicyName"], "PolicyArn": a}
                                            for a in r["attached"]]
            d["Tags"] = copy.deepcopy(r["Tags"])
            out["RoleDetailList"].append(d)
    pols = []
    if "LocalManagedPolicy" in filt:
        pols += sorted(st["policies"].values(), key=lambda p: p["PolicyName"])
    if "AWSManagedPolicy" in filt:
        # Only the AWS managed policies in use in the account are listed.
        used = set(a for r in st["roles"].values() for a in r["attached"])
        pols += [p for a, p in sorted(managed().items()) if a in used]
    for p in pols:
        d = policy_answer(ctx, p)
        d.pop("Tags", None)
        d["PolicyVersionList"] = [version_answer(p, v) for v in sorted(p["versions"], key=lambda v: -int(v[1:]))]
        out["Policies"].append(d)
    return out


# ---------------------------------------------------------------- access advisor

def statements(doc):
    d = json.loads(doc)
    s = d.get("Statement", [])
    return s if isinstance(s, list) else [s]


def as_list(v):
    return v if isinstance(v, list) else [v]


def granted(ctx, docs):
    """namespace -> set of action patterns allowed by the documents; "*" or
    NotAction grants every catalogued service."""
    out = {}
    for doc in docs:
        for s in statements(doc):
            if s.get("Effect") != "Allow":
                continue
            if "NotAction" in s:
                excluded = set(a.split(":")[0].lower() for a in as_list(s["NotAction"]) if a.endswith(":*"))
                for ns in SERVICE_NAMES:
                    if ns not in excluded:
                        out.setdefault(ns, set()).add("*")
                continue
            for a in as_list(s.get("Action", [])):
                if a == "*":
                    for ns in SERVICE_NAMES:
                        out.setdefault(ns, set()).add("*")
                elif ":" in a:
                    ns, act = a.split(":", 1)
                    out.setdefault(ns.lower(), set()).add(act)
    return out


def pattern_match(pat, action):
    return re.match("^" + re.escape(pat).replace("\\*", ".*").replace("\\?", ".") + "$", action, re.I)


def docs_of_role(ctx, role):
    docs = list(role["inline"].values())
    for a in role["attached"]:
        p = get_policy(ctx, a)
        docs.append(p["versions"][p["default"]]["Document"])
    return docs


@handler
def GenerateServiceLastAccessedDetails(ctx, params):
    arn = params["Arn"]
    gran = params.get("Granularity") or "SERVICE_LEVEL"
    st = state(ctx)
    entities = []
    m = re.match(r"^arn:aws[a-zA-Z-]*:iam::(\d{12}):role/(?:.*/)?([\w+=,.@-]+)$", arn)
    if m and m.group(1) == ctx.account.id:
        entities = [get_role(ctx, m.group(2))]
        docs = docs_of_role(ctx, entities[0])
    elif re.match(r"^arn:aws[a-zA-Z-]*:iam::(aws|\d{12}):policy/", arn):
        p = get_policy(ctx, arn)
        docs = [p["versions"][p["default"]]["Document"]]
        entities = [r for r in st["roles"].values() if arn in r["attached"]]
    else:
        raise invalid("Invalid ARN: %s" % arn)
    st["seq"] += 1
    h = hashlib.sha256(("job/%s/%s/%d" % (ctx.account.id, arn, st["seq"])).encode()).hexdigest()
    job_id = "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:32])
    st["jobs"][job_id] = {"arn": arn, "granularity": gran, "created": ctx.now(), "polled": 0,
                          "services": services_report(ctx, docs, entities, gran)}
    return {"JobId": job_id}


def services_report(ctx, docs, entities, gran):
    out = []
    for ns, acts in sorted(granted(ctx, docs).items()):
        if ns not in SERVICE_NAMES:
            continue
        item = {"ServiceName": SERVICE_NAMES[ns], "ServiceNamespace": ns, "TotalAuthenticatedEntities": 0}
        best = None
        for r in entities:
            u = r.get("usage", {}).get(ns)
            if u:
                item["TotalAuthenticatedEntities"] += 1
                if best is None or u["last"] > best[1]["last"]:
                    best = (r, u)
        if best:
            item["LastAuthenticated"] = best[1]["last"]
            item["LastAuthenticatedEntity"] = best[0]["Arn"]
            item["LastAuthenticatedRegion"] = best[1].get("region", "us-east-1")
        if gran == "ACTION_LEVEL" and ns in TRACKED_ACTIONS:
            tracked = []
            for action in TRACKED_ACTIONS[ns]:
                if not any(pattern_match(p, action) for p in acts):
                    continue
                t = {"ActionName": action}
                for r in entities:
                    when = r.get("usage", {}).get(ns, {}).get("actions", {}).get(action)
                    if when and ("LastAccessedTime" not in t or when > t["LastAccessedTime"]):
                        t.update({"LastAccessedTime": when, "LastAccessedEntity": r["Arn"],
                                  "LastAccessedRegion": r["usage"][ns].get("region", "us-east-1")})
                tracked.append(t)
            item["TrackedActionsLastAccessed"] = tracked
        out.append(item)
    return out


@handler
def GetServiceLastAccessedDetails(ctx, params):
    job = state(ctx)["jobs"].get(params["JobId"])
    if job is None:
        raise no_such("No such job: %s" % params["JobId"])
    ctx.paginated = True     # no paginator in the model: Marker/MaxItems by hand
    job["polled"] += 1
    base = {"JobType": job["granularity"], "JobCreationDate": job["created"]}
    if job["polled"] == 1:
        # AWS reports a new job IN_PROGRESS first: a client has to poll.
        base.update({"JobStatus": "IN_PROGRESS", "ServicesLastAccessed": [], "IsTruncated": False})
        return base
    out = page(params, "ServicesLastAccessed", job["services"])
    out.update(base)
    out["JobStatus"] = "COMPLETED"
    out["JobCompletionDate"] = job["created"] + datetime.timedelta(seconds=2)
    return out


# ---------------------------------------------------------------- seeding helpers (not API)

def record_usage(account, role_name, namespace, when, region="us-east-1", actions=()):
    """Records that a role used a service (and tracked actions) at `when`,
    for the access advisor and RoleLastUsed; called by seed.py."""
    role = account.svc(SERVICE)["roles"][role_name]
    u = role["usage"].setdefault(namespace, {"last": when, "region": region, "actions": {}})
    if when >= u["last"]:
        u["last"], u["region"] = when, region
    for a in actions:
        prev = u["actions"].get(a)
        if prev is None or when > prev:
            u["actions"][a] = when
    last = role.get("RoleLastUsed") or {}
    if not last or when > last["LastUsedDate"]:
        role["RoleLastUsed"] = {"LastUsedDate": when, "Region": region}


# ---------------------------------------------------------------- instance profiles, boundaries, role tags

def profiles(ctx):
    """name -> {Path, InstanceProfileName, InstanceProfileId, Arn, CreateDate, Tags, "roles": [name]}"""
    return state(ctx).setdefault("profiles", {})


def profiles_of(ctx, role):
    return [p for _, p in sorted(profiles(ctx).items()) if role["RoleName"] in p["roles"]]


def get_profile(ctx, name):
    p = profiles(ctx).get(name)
    if p is None:
        raise no_such("Instance Profile %s cannot be found." % name)
    return p


def profile_answer(ctx, p):
    out = {k: copy.deepcopy(p[k]) for k in ("Path", "InstanceProfileName", "InstanceProfileId", "Arn",
                                            "CreateDate")}
    out["Roles"] = [role_answer(state(ctx)["roles"][n], full=False) for n in p["roles"]
                    if n in state(ctx)["roles"]]
    if p["Tags"]:
        out["Tags"] = copy.deepcopy(p["Tags"])
    return out


@handler
def CreateInstanceProfile(ctx, params):
    name = params["InstanceProfileName"]
    if name in profiles(ctx):
        raise exists("Instance Profile %s already exists." % name)
    path = params.get("Path") or "/"
    tags = copy.deepcopy(params.get("Tags") or [])
    check_tags(tags)
    p = {"Path": path, "InstanceProfileName": name,
         "InstanceProfileId": make_id("AIPA", "%s/%s" % (ctx.account.id, name)),
         "Arn": "arn:aws:iam::%s:instance-profile%s%s" % (ctx.account.id, path, name),
         "CreateDate": ctx.now(), "Tags": tags, "roles": []}
    profiles(ctx)[name] = p
    return {"InstanceProfile": profile_answer(ctx, p)}


@handler
def GetInstanceProfile(ctx, params):
    return {"InstanceProfile": profile_answer(ctx, get_profile(ctx, params["InstanceProfileName"]))}


@handler
def DeleteInstanceProfile(ctx, params):
    p = get_profile(ctx, params["InstanceProfileName"])
    if p["roles"]:
        raise conflict("Cannot delete entity, must remove roles from instance profile first.")
    del profiles(ctx)[p["InstanceProfileName"]]
    return {}


@handler
def AddRoleToInstanceProfile(ctx, params):
    p = get_profile(ctx, params["InstanceProfileName"])
    role = get_role(ctx, params["RoleName"])
    if p["roles"]:
        # an instance profile holds one role (IAM quotas: roles per instance profile, 1)
        raise limit("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
    p["roles"].append(role["RoleName"])
    return {}


@handler
def RemoveRoleFromInstanceProfile(ctx, params):
    p = get_profile(ctx, params["InstanceProfileName"])
    role = get_role(ctx, params["RoleName"])
    if role["RoleName"] not in p["roles"]:
        raise no_such("The role with name %s cannot be found in instance profile %s." %
                      (role["RoleName"], p["InstanceProfileName"]))
    p["roles"].remove(role["RoleName"])
    return {}


@handler
def ListInstanceProfilesForRole(ctx, params):
    role = get_role(ctx, params["RoleName"])
    return {"InstanceProfiles": [profile_answer(ctx, p) for p in profiles_of(ctx, role)],
            "IsTruncated": False}


@handler
def PutRolePermissionsBoundary(ctx, params):
    role = get_role(ctx, params["RoleName"])
    arn = params["PermissionsBoundary"]
    get_policy(ctx, arn)
    role["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}
    return {}


@handler
def DeleteRolePermissionsBoundary(ctx, params):
    role = get_role(ctx, params["RoleName"])
    role.pop("PermissionsBoundary", None)
    return {}


@handler
def TagRole(ctx, params):
    role = get_role(ctx, params["RoleName"])
    tags = [t for t in role["Tags"] if t["Key"] not in {n["Key"] for n in params["Tags"]}]
    tags += copy.deepcopy(params["Tags"])
    check_tags(tags)
    role["Tags"] = tags
    return {}


@handler
def UntagRole(ctx, params):
    role = get_role(ctx, params["RoleName"])
    role["Tags"] = [t for t in role["Tags"] if t["Key"] not in set(params["TagKeys"])]
    return {}


# ---------------------------------------------------------------- policy versions (tighten-role)

def customer_policy(ctx, arn, op):
    """A customer managed policy for a version write: AWS managed ones are not the account's."""
    p = get_policy(ctx, arn)
    if p.get("aws"):
        raise AwsError("AccessDenied", "User is not authorized to perform: iam:%s on resource: "
                       "policy %s" % (op, arn), status=403)
    return p


def policy_version(p, vid):
    if vid not in p["versions"]:
        raise no_such("Policy %s version %s does not exist or is not attachable." % (p["Arn"], vid))
    return p["versions"][vid]


@handler
def SetDefaultPolicyVersion(ctx, params):
    p = customer_policy(ctx, params["PolicyArn"], "SetDefaultPolicyVersion")
    policy_version(p, params["VersionId"])
    p["default"] = params["VersionId"]
    p["UpdateDate"] = ctx.now()
    return {}


@handler
def DeletePolicyVersion(ctx, params):
    p = customer_policy(ctx, params["PolicyArn"], "DeletePolicyVersion")
    policy_version(p, params["VersionId"])
    if params["VersionId"] == p["default"]:
        raise conflict("Cannot delete the default version of a policy.")
    del p["versions"][params["VersionId"]]
    return {}


# ---------------------------------------------------------------- policy listing

@handler
def ListPolicies(ctx, params):
    """Scope All|AWS|Local (default All), OnlyAttached, PathPrefix,
    PolicyUsageFilter; the core pages it (Marker/MaxItems). Like the other
    IAM listings it leaves out Tags, and Description (IAM API reference,
    Policy data type: "not included in the response to ListPolicies")."""
    scope = params.get("Scope") or "All"
    prefix = params.get("PathPrefix") or "/"
    if not (prefix.startswith("/") and prefix.endswith("/")):
        raise invalid("PathPrefix must begin and end with a slash (/).")
    pols = []
    if scope in ("All", "Local"):
        pols += sorted(state(ctx)["policies"].values(), key=lambda p: p["PolicyName"].lower())
    if scope in ("All", "AWS"):
        pols += [p for _, p in sorted(managed().items())]
    out = []
    for p in pols:
        if not p["Path"].startswith(prefix):
            continue
        if params.get("OnlyAttached") and not attachment_count(ctx, p["Arn"]):
            continue
        usage = params.get("PolicyUsageFilter")
        if usage == "PermissionsPolicy" and not attachment_count(ctx, p["Arn"]):
            continue
        if usage == "PermissionsBoundary" and not boundary_count(ctx, p["Arn"]):
            continue
        d = policy_answer(ctx, p)
        d.pop("Tags", None)
        d.pop("Description", None)
        out.append(d)
    return {"Policies": out, "IsTruncated": False}


def boundary_count(ctx, arn):
    return sum(1 for r in state(ctx)["roles"].values()
               if (r.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn") == arn)
