"""API Gateway v2 (rest-json; HTTP and WebSocket APIs): APIs with their
routes, integrations, authorizers and stages.

State per region: {"apis": {ApiId: api}, "seq": n}; each api holds
"routes", "integrations", "authorizers" and "stages" dicts. Identifiers are
derived from the account, region and a counter (deterministic seeding).
List operations return the whole list; the core pages it with
NextToken/MaxResults.
"""
import base64
import copy
import functools
import hashlib
import re
import threading

from ..errors import AwsError
from ..registry import op

SERVICE = "apigatewayv2"
ROUTE_AUTH_TYPES = ("NONE", "AWS_IAM", "CUSTOM", "JWT")
INTEGRATION_TYPES = ("AWS", "AWS_PROXY", "HTTP", "HTTP_PROXY", "MOCK")
ROUTE_KEY_RE = re.compile(r"^(\$default|(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /\S*)$")

_LOCK = threading.RLock()


def handler(fn):
    """Registers fn as an API Gateway v2 operation run under the module lock."""
    @functools.wraps(fn)
    def locked(ctx, params):
        with _LOCK:
            return fn(ctx, params)
    return op(SERVICE, fn.__name__)(locked)


def state(ctx):
    st = ctx.account.svc(SERVICE, ctx.region)
    st.setdefault("apis", {})
    return st


def new_id(ctx, st, kind, length=7):
    st["seq"] = st.get("seq", 0) + 1
    seed = "%s/%s/%s/%s/%d" % (SERVICE, ctx.account.id, ctx.region, kind, st["seq"])
    digest = hashlib.sha256(seed.encode()).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:length]


def bad_request(msg):
    return AwsError("BadRequestException", msg, status=400)


def conflict(msg):
    return AwsError("ConflictException", msg, status=409)


def not_found(kind, ident):
    return AwsError("NotFoundException", "Invalid %s identifier specified %s" % (kind, ident),
                    status=404, extra={"ResourceType": kind})


def now(ctx):
    return ctx.now().timestamp()


def get_api(ctx, params):
    api = state(ctx)["apis"].get(params["ApiId"])
    if api is None:
        raise not_found("API", params["ApiId"])
    return api


def view(record):
    """Public members of a stored record (underscore keys are internal)."""
    return {k: copy.deepcopy(v) for k, v in record.items() if not k.startswith("_")}


def copy_members(dst, params, names):
    for name in names:
        if params.get(name) is not None:
            dst[name] = copy.deepcopy(params[name])


# -- APIs --------------------------------------------------------------------

@handler
def CreateApi(ctx, params):
    st = state(ctx)
    proto = params["ProtocolType"]
    if proto not in ("HTTP", "WEBSOCKET"):
        raise bad_request("Invalid protocol type: %s" % proto)
    rse = params.get("RouteSelectionExpression")
    if proto == "WEBSOCKET" and not rse:
        raise bad_request("RouteSelectionExpression is required for WEBSOCKET APIs")
    if proto == "HTTP" and rse and rse != "${request.method} ${request.path}":
        raise bad_request("Unsupported route selection expression for HTTP API: %s" % rse)
    if proto == "WEBSOCKET" and (params.get("Target") or params.get("RouteKey")):
        raise bad_request("Quick create is only supported for HTTP APIs")
    api_id = new_id(ctx, st, "api", 10)
    scheme = "wss" if proto == "WEBSOCKET" else "https"
    api = {
        "ApiEndpoint": "%s://%s.execute-api.%s.amazonaws.com" % (scheme, api_id, ctx.region),
        "ApiId": api_id,
        "ApiKeySelectionExpression": params.get("ApiKeySelectionExpression") or "$request.header.x-api-key",
        "CreatedDate": now(ctx),
        "DisableExecuteApiEndpoint": bool(params.get("DisableExecuteApiEndpoint", False)),
        "Name": params["Name"], "ProtocolType": proto,
        "RouteSelectionExpression": rse or "${request.method} ${request.path}",
        "Tags": dict(params.get("Tags") or {}),
        "_routes": {}, "_integrations": {}, "_authorizers": {}, "_stages": {},
    }
    copy_members(api, params, ("CorsConfiguration", "Description", "Version"))
    if proto == "WEBSOCKET":
        api["DisableSchemaValidation"] = bool(params.get("DisableSchemaValidation", False))
    st["apis"][api_id] = api
    if params.get("Target"):
        quick_create(ctx, st, api, params)
    return view(api)


def quick_create(ctx, st, api, params):
    """HTTP API quick create: a proxy integration to Target, a route for
    RouteKey (default $default) and an auto-deployed $default stage."""
    target = params["Target"]
    kind = "AWS_PROXY" if target.startswith("arn:") else "HTTP_PROXY"
    integ = {"IntegrationId": new_id(ctx, st, "integration"), "ConnectionType": "INTERNET",
             "IntegrationMethod": "POST" if kind == "AWS_PROXY" else "ANY",
             "IntegrationType": kind, "IntegrationUri": target,
             "PayloadFormatVersion": "2.0" if kind == "AWS_PROXY" else "1.0",
             "TimeoutInMillis": 30000, "ApiGatewayManaged": True}
    if params.get("CredentialsArn"):
        integ["CredentialsArn"] = params["CredentialsArn"]
    api["_integrations"][integ["IntegrationId"]] = integ
    route_key = params.get("RouteKey") or "$default"
    route = {"RouteId": new_id(ctx, st, "route"), "RouteKey": route_key,
             "AuthorizationType": "NONE", "ApiKeyRequired": False, "ApiGatewayManaged": True,
             "Target": "integrations/" + integ["IntegrationId"]}
    api["_routes"][route["RouteId"]] = route
    stage = {"StageName": "$default", "AutoDeploy": True, "ApiGatewayManaged": True,
             "CreatedDate": now(ctx), "LastUpdatedDate": now(ctx),
             "DefaultRouteSettings": {"DetailedMetricsEnabled": False},
             "RouteSettings": {}, "StageVariables": {}, "Tags": {}}
    api["_stages"]["$default"] = stage


@handler
def GetApis(ctx, params):
    apis = sorted(state(ctx)["apis"].values(), key=lambda a: a["CreatedDate"])
    return {"Items": [view(a) for a in apis]}


# -- integrations ------------------------------------------------------------

INTEGRATION_MEMBERS = ("ConnectionId", "ContentHandlingStrategy", "CredentialsArn",
                       "Description", "IntegrationSubtype", "PassthroughBehavior",
                       "RequestParameters", "RequestTemplates", "ResponseParameters",
                       "TemplateSelectionExpression", "TlsConfig")


@handler
def CreateIntegration(ctx, params):
    st = state(ctx)
    api = get_api(ctx, params)
    kind = params["IntegrationType"]
    if kind not in INTEGRATION_TYPES:
        raise bad_request("Invalid integration type: %s" % kind)
    http = api["ProtocolType"] == "HTTP"
    uri = params.get("IntegrationUri")
    version = params.get("PayloadFormatVersion")
    if http:
        if kind in ("AWS", "HTTP"):
            raise bad_request("Integration type %s is not supported for HTTP APIs" % kind)
        if kind == "AWS_PROXY" and not params.get("IntegrationSubtype"):
            if not uri or not uri.startswith("arn:"):
                raise bad_request("IntegrationUri must be a Lambda function ARN for AWS_PROXY integrations")
            if version not in ("1.0", "2.0"):
                raise bad_request("PayloadFormatVersion must be 1.0 or 2.0 for AWS_PROXY integrations")
        if kind == "HTTP_PROXY" and not uri:
            raise bad_request("IntegrationUri is required for HTTP_PROXY integrations")
    integ = {"IntegrationId": new_id(ctx, st, "integration"),
             "ConnectionType": params.get("ConnectionType") or "INTERNET",
             "IntegrationType": kind,
             "TimeoutInMillis": params.get("TimeoutInMillis") or (30000 if http else 29000)}
    if uri:
        integ["IntegrationUri"] = uri
    method = params.get("IntegrationMethod") or ("POST" if kind == "AWS_PROXY" else None)
    if method:
        integ["IntegrationMethod"] = method
    if version or http:
        integ["PayloadFormatVersion"] = version or "1.0"
    if not http:
        integ["IntegrationResponseSelectionExpression"] = "${integration.response.statuscode}"
    copy_members(integ, params, INTEGRATION_MEMBERS)
    api["_integrations"][integ["IntegrationId"]] = integ
    return view(integ)


@handler
def GetIntegrations(ctx, params):
    api = get_api(ctx, params)
    return {"Items": [view(i) for i in api["_integrations"].values()]}


# -- authorizers -------------------------------------------------------------

@handler
def CreateAuthorizer(ctx, params):
    st = state(ctx)
    api = get_api(ctx, params)
    kind = params["AuthorizerType"]
    http = api["ProtocolType"] == "HTTP"
    if kind not in ("JWT", "REQUEST"):
        raise bad_request("Invalid authorizer type: %s" % kind)
    if kind == "JWT":
        if not http:
            raise bad_request("JWT authorizers are only supported for HTTP APIs")
        jwt = params.get("JwtConfiguration") or {}
        if not jwt.get("Issuer") or not jwt.get("Audience"):
            raise bad_request("JwtConfiguration with Issuer and Audience is required for JWT authorizers")
    else:
        if not params.get("AuthorizerUri"):
            raise bad_request("AuthorizerUri is required for REQUEST authorizers")
        if http and params.get("AuthorizerPayloadFormatVersion") not in ("1.0", "2.0"):
            raise bad_request("AuthorizerPayloadFormatVersion is required for REQUEST authorizers of HTTP APIs")
    if not params.get("IdentitySource") and not (kind == "REQUEST" and http):
        raise bad_request("IdentitySource is required")
    for other in api["_authorizers"].values():
        if other["Name"] == params["Name"]:
            raise conflict("Authorizer name must be unique: %s" % params["Name"])
    auth = {"AuthorizerId": new_id(ctx, st, "authorizer"), "AuthorizerType": kind,
            "Name": params["Name"], "IdentitySource": list(params.get("IdentitySource") or [])}
    copy_members(auth, params, ("AuthorizerCredentialsArn", "AuthorizerPayloadFormatVersion",
                                "AuthorizerUri", "IdentityValidationExpression",
                                "JwtConfiguration", "EnableSimpleResponses"))
    if kind == "REQUEST":
        ttl = params.get("AuthorizerResultTtlInSeconds")
        auth["AuthorizerResultTtlInSeconds"] = 0 if ttl is None else ttl
    api["_authorizers"][auth["AuthorizerId"]] = auth
    return view(auth)


@handler
def GetAuthorizers(ctx, params):
    api = get_api(ctx, params)
    return {"Items": [view(a) for a in api["_authorizers"].values()]}


# -- routes ------------------------------------------------------------------

@handler
def CreateRoute(ctx, params):
    st = state(ctx)
    api = get_api(ctx, params)
    key = params["RouteKey"]
    if api["ProtocolType"] == "HTTP" and not ROUTE_KEY_RE.match(key):
        raise bad_request("Unable to create route %s. The route key must be '$default' or an HTTP method followed by a space and a path." % key)
    for other in api["_routes"].values():
        if other["RouteKey"] == key:
            raise conflict("Route with key %s already exists for this API" % key)
    auth = params.get("AuthorizationType") or "NONE"
    if auth not in ROUTE_AUTH_TYPES:
        raise bad_request("Invalid authorization type: %s" % auth)
    auth_id = params.get("AuthorizerId")
    if auth in ("JWT", "CUSTOM"):
        authorizer = api["_authorizers"].get(auth_id or "")
        if authorizer is None:
            raise bad_request("Unable to find Authorizer with id %s" % auth_id)
        wanted = "JWT" if auth == "JWT" else "REQUEST"
        if authorizer["AuthorizerType"] != wanted:
            raise bad_request("AuthorizationType %s does not match authorizer type %s" % (auth, authorizer["AuthorizerType"]))
    elif auth_id:
        raise bad_request("AuthorizerId is only valid for JWT and CUSTOM authorization")
    target = params.get("Target")
    if target:
        if not target.startswith("integrations/") or target[13:] not in api["_integrations"]:
            raise bad_request("Unable to find Integration for target %s" % target)
    route = {"RouteId": new_id(ctx, st, "route"), "RouteKey": key, "AuthorizationType": auth,
             "ApiKeyRequired": bool(params.get("ApiKeyRequired", False))}
    copy_members(route, params, ("AuthorizerId", "AuthorizationScopes", "ModelSelectionExpression",
                                 "OperationName", "RequestModels", "RequestParameters",
                                 "RouteResponseSelectionExpression", "Target"))
    api["_routes"][route["RouteId"]] = route
    return view(route)


@handler
def GetRoutes(ctx, params):
    api = get_api(ctx, params)
    return {"Items": [view(r) for r in api["_routes"].values()]}


# -- stages ------------------------------------------------------------------

@handler
def CreateStage(ctx, params):
    api = get_api(ctx, params)
    name = params["StageName"]
    if name != "$default" and not re.match(r"^[A-Za-z0-9_-]{1,128}$", name):
        raise bad_request("Stage name only allows a-zA-Z0-9_- or $default")
    if name in api["_stages"]:
        raise conflict("Stage %s already exists" % name)
    stage = {"StageName": name, "AutoDeploy": bool(params.get("AutoDeploy", False)),
             "CreatedDate": now(ctx), "LastUpdatedDate": now(ctx),
             "DefaultRouteSettings": dict({"DetailedMetricsEnabled": False},
                                          **(params.get("DefaultRouteSettings") or {})),
             "RouteSettings": copy.deepcopy(params.get("RouteSettings") or {}),
             "StageVariables": dict(params.get("StageVariables") or {}),
             "Tags": dict(params.get("Tags") or {})}
    copy_members(stage, params, ("AccessLogSettings", "ClientCertificateId", "DeploymentId",
                                 "Description"))
    api["_stages"][name] = stage
    return view(stage)


@handler
def GetStages(ctx, params):
    api = get_api(ctx, params)
    return {"Items": [view(s) for s in api["_stages"].values()]}
