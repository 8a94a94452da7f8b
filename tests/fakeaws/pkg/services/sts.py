"""STS (query protocol, API 2011-06-15): GetCallerIdentity and AssumeRole.

AssumeRole issues temporary keys (ASIA..., with a session token and an
expiry) into the server's KeyStore, reached through ctx.keystore. The role
must exist in the target account's IAM state (ctx.account.svc("iam")
["roles"], kept by services/iam.py); a missing account or role is refused
with AccessDenied, as AWS does (it does not reveal which is missing)."""
import datetime
import hashlib
import re

from ..errors import AwsError
from ..registry import op

SERVICE = "sts"
ROLE_ARN_RE = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):role/(?:[\w+=,.@/-]*/)?([\w+=,.@-]{1,64})$")
SESSION_RE = re.compile(r"^[\w+=,.@-]{2,64}$")


@op(SERVICE)
def GetCallerIdentity(ctx, params):
    c = ctx.caller
    return {"UserId": c.user_id, "Account": c.account_id, "Arn": c.arn}


def _find_role(ctx, account_id, role_name):
    account = ctx.world.accounts.get(account_id)
    if account is None:
        return None
    roles = account.glob.get("iam", {}).get("roles", {})
    role = roles.get(role_name)
    if role is None:
        # IAM role names are case-insensitive for lookup.
        for name, r in roles.items():
            if name.lower() == role_name.lower():
                return r
    return role


@op(SERVICE)
def AssumeRole(ctx, params):
    arn = params.get("RoleArn", "")
    session = params.get("RoleSessionName", "")
    duration = params.get("DurationSeconds", 3600)
    if not SESSION_RE.match(session):
        raise AwsError("ValidationError",
                       "1 validation error detected: Value '%s' at 'roleSessionName' failed to "
                       "satisfy constraint: Member must satisfy regular expression pattern: "
                       "[\\w+=,.@-]*" % session, status=400)
    m = ROLE_ARN_RE.match(arn)
    if not m:
        raise AwsError("ValidationError", "%s is invalid" % arn, status=400)
    account_id, role_name = m.group(1), m.group(2)
    role = _find_role(ctx, account_id, role_name)
    if role is None:
        raise AwsError("AccessDenied",
                       "User: %s is not authorized to perform: sts:AssumeRole on resource: %s"
                       % (ctx.caller.arn, arn), status=403)
    max_session = int(role.get("MaxSessionDuration") or 3600)
    if not 900 <= duration <= 43200 or duration > max_session:
        raise AwsError("ValidationError",
                       "The requested DurationSeconds exceeds the MaxSessionDuration set for "
                       "this role.", status=400)
    role_id = role.get("RoleId") or ("AROA" + hashlib.sha1(arn.encode()).hexdigest()[:17].upper())
    real_name = role.get("RoleName", role_name)
    assumed_arn = "arn:aws:sts::%s:assumed-role/%s/%s" % (account_id, real_name, session)
    user_id = "%s:%s" % (role_id, session)
    key = ctx.keystore.issue_temporary(account_id, assumed_arn, user_id, duration)
    expires = datetime.datetime.fromtimestamp(int(key.expires), datetime.timezone.utc)
    return {
        "Credentials": {"AccessKeyId": key.access_key_id, "SecretAccessKey": key.secret,
                        "SessionToken": key.session_token, "Expiration": expires},
        "AssumedRoleUser": {"AssumedRoleId": user_id, "Arn": assumed_arn},
        "PackedPolicySize": 0 if params.get("Policy") or params.get("PolicyArns") else None,
    }
