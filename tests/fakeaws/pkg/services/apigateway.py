"""API Gateway v1 (rest-json, REST APIs): APIs with their resource tree,
methods, integrations, authorizers, deployments and stages; API keys and
usage plans.

State per region: {"restapis": {id: api}, "apikeys": {id: key},
"usageplans": {id: plan}, "seq": n}. Identifiers are 10 lowercase
characters derived from the account, region and a counter, so a seeded
account is the same on every run. List operations return the whole list;
the core pages it with position/limit.
"""
import base64
import copy
import functools
import hashlib
import re
import threading

from ..errors import AwsError
from ..registry import op

SERVICE = "apigateway"
AUTH_TYPES = ("NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS")
HTTP_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "ANY")
INTEGRATION_TYPES = ("HTTP", "AWS", "MOCK", "HTTP_PROXY", "AWS_PROXY")
AWS_URI_RE = re.compile(r"^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:[a-z0-9.-]+:(path|action)/.+")

_LOCK = threading.RLock()


def handler(fn):
    """Registers fn as an API Gateway operation run under the module lock."""
    @functools.wraps(fn)
    def locked(ctx, params):
        with _LOCK:
            return fn(ctx, params)
    return op(SERVICE, fn.__name__)(locked)


def state(ctx):
    st = ctx.account.svc(SERVICE, ctx.region)
    for key in ("restapis", "apikeys", "usageplans"):
        st.setdefault(key, {})
    return st


def new_id(ctx, st, kind, length=10):
    st["seq"] = st.get("seq", 0) + 1
    seed = "%s/%s/%s/%s/%d" % (SERVICE, ctx.account.id, ctx.region, kind, st["seq"])
    digest = hashlib.sha256(seed.encode()).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:length]


def bad_request(msg):
    return AwsError("BadRequestException", msg, status=400)


def not_found(msg):
    return AwsError("NotFoundException", msg, status=404)


def conflict(msg):
    return AwsError("ConflictException", msg, status=409)


def get_api(ctx, params):
    api = state(ctx)["restapis"].get(params["restApiId"])
    if api is None:
        raise not_found("Invalid API identifier specified %s:%s" % (ctx.account.id, params["restApiId"]))
    return api


def get_resource(api, resource_id):
    res = api["resources"].get(resource_id)
    if res is None:
        raise not_found("Invalid Resource identifier specified")
    return res


def get_method(api, params):
    res = get_resource(api, params["resourceId"])
    method = res["methods"].get(params["httpMethod"].upper())
    if method is None:
        raise not_found("Invalid Method identifier specified")
    return res, method


def public(record):
    """A stored record without its internal (underscore) keys, deep-copied so
    the serialiser never shares state."""
    return {k: copy.deepcopy(v) for k, v in record.items() if not k.startswith("_")}


def now(ctx):
    return ctx.now().timestamp()


# -- REST APIs ---------------------------------------------------------------

API_FIELDS = ("id", "name", "description", "createdDate", "version", "warnings",
              "binaryMediaTypes", "minimumCompressionSize", "apiKeySource",
              "endpointConfiguration", "policy", "tags", "disableExecuteApiEndpoint")


def api_view(api):
    return {k: copy.deepcopy(api[k]) for k in API_FIELDS if api.get(k) is not None}


@handler
def CreateRestApi(ctx, params):
    st = state(ctx)
    if not params.get("name"):
        raise bad_request("Invalid REST API name specified")
    if params.get("cloneFrom"):
        raise bad_request("Cloning a REST API is not supported here")
    endpoint = copy.deepcopy(params.get("endpointConfiguration") or {"types": ["EDGE"]})
    for t in endpoint.get("types") or []:
        if t not in ("EDGE", "REGIONAL", "PRIVATE"):
            raise bad_request("Invalid endpoint configuration type: %s" % t)
    api_id = new_id(ctx, st, "restapi")
    root_id = new_id(ctx, st, "resource")
    api = {
        "id": api_id, "name": params["name"], "description": params.get("description"),
        "createdDate": now(ctx), "version": params.get("version"),
        "binaryMediaTypes": list(params.get("binaryMediaTypes") or []) or None,
        "minimumCompressionSize": params.get("minimumCompressionSize"),
        "apiKeySource": params.get("apiKeySource") or "HEADER",
        "endpointConfiguration": endpoint, "policy": params.get("policy"),
        "tags": dict(params.get("tags") or {}),
        "disableExecuteApiEndpoint": bool(params.get("disableExecuteApiEndpoint", False)),
        "resources": {root_id: {"id": root_id, "path": "/", "methods": {}}},
        "authorizers": {}, "deployments": {}, "stages": {},
    }
    if not api["tags"]:
        api["tags"] = None
    st["restapis"][api_id] = api
    return api_view(api)


@handler
def GetRestApis(ctx, params):
    apis = state(ctx)["restapis"].values()
    return {"items": [api_view(a) for a in sorted(apis, key=lambda a: a["createdDate"])]}


# -- resources, methods, integrations ---------------------------------------

def resource_view(res, embed):
    out = {"id": res["id"], "path": res["path"]}
    if res.get("parentId"):
        out["parentId"] = res["parentId"]
        out["pathPart"] = res["pathPart"]
    if res["methods"]:
        # Without embed=methods AWS lists the methods as empty objects.
        out["resourceMethods"] = {m: (copy.deepcopy(v) if embed else {})
                                  for m, v in res["methods"].items()}
    return out


@handler
def CreateResource(ctx, params):
    st = state(ctx)
    api = get_api(ctx, params)
    parent = get_resource(api, params["parentId"])
    part = params.get("pathPart") or ""
    if not re.match(r"^(\{[A-Za-z0-9._-]+\+?\}|[A-Za-z0-9._:@&=+$,;~-]+)$", part):
        raise bad_request("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.")
    for res in api["resources"].values():
        if res.get("parentId") == parent["id"] and res.get("pathPart") == part:
            raise conflict("Another resource with the same parent already has this name: %s" % part)
    res_id = new_id(ctx, st, "resource")
    path = ("" if parent["path"] == "/" else parent["path"]) + "/" + part
    res = {"id": res_id, "parentId": parent["id"], "pathPart": part, "path": path, "methods": {}}
    api["resources"][res_id] = res
    return resource_view(res, True)


@handler
def GetResources(ctx, params):
    api = get_api(ctx, params)
    embed = "methods" in (params.get("embed") or [])
    ordered = sorted(api["resources"].values(), key=lambda r: r["path"])
    return {"items": [resource_view(r, embed) for r in ordered]}


@handler
def PutMethod(ctx, params):
    api = get_api(ctx, params)
    res = get_resource(api, params["resourceId"])
    verb = params["httpMethod"].upper()
    if verb not in HTTP_METHODS:
        raise bad_request("Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY")
    if verb in res["methods"]:
        raise conflict("Method already exists for this resource")
    auth = params["authorizationType"]
    if auth not in AUTH_TYPES:
        raise bad_request("Invalid authorization type specified. Valid options are NONE,AWS_IAM,CUSTOM,COGNITO_USER_POOLS")
    authorizer_id = params.get("authorizerId")
    if auth in ("CUSTOM", "COGNITO_USER_POOLS"):
        if not authorizer_id or authorizer_id not in api["authorizers"]:
            raise bad_request("Invalid authorizer ID specified")
        kind = api["authorizers"][authorizer_id]["type"]
        if (auth == "COGNITO_USER_POOLS") != (kind == "COGNITO_USER_POOLS"):
            raise bad_request("Authorizer type %s does not match authorization type %s" % (kind, auth))
    elif authorizer_id:
        raise bad_request("Authorizer ID is only valid for CUSTOM and COGNITO_USER_POOLS authorization")
    method = {"httpMethod": verb, "authorizationType": auth,
              "apiKeyRequired": bool(params.get("apiKeyRequired", False))}
    for key in ("authorizerId", "operationName", "requestValidatorId"):
        if params.get(key):
            method[key] = params[key]
    for key in ("requestParameters", "requestModels"):
        if params.get(key):
            method[key] = dict(params[key])
    if params.get("authorizationScopes"):
        method["authorizationScopes"] = list(params["authorizationScopes"])
    res["methods"][verb] = method
    return copy.deepcopy(method)


@handler
def GetMethod(ctx, params):
    _, method = get_method(get_api(ctx, params), params)
    return copy.deepcopy(method)


@handler
def PutIntegration(ctx, params):
    api = get_api(ctx, params)
    res, method = get_method(api, params)
    kind = params["type"]
    if kind not in INTEGRATION_TYPES:
        raise bad_request("Invalid integration type specified")
    uri = params.get("uri")
    verb = params.get("integrationHttpMethod")
    if kind != "MOCK":
        if not verb:
            raise bad_request("Enumeration value for HttpMethod must be non-empty")
        if not uri:
            raise bad_request("Invalid HTTP endpoint specified for URI")
    if kind in ("AWS", "AWS_PROXY") and not AWS_URI_RE.match(uri):
        raise bad_request("AWS ARN for integration must contain path or action")
    if kind == "AWS_PROXY" and ":lambda:path/" not in uri:
        raise bad_request("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.")
    if kind in ("HTTP", "HTTP_PROXY") and not re.match(r"^https?://", uri):
        raise bad_request("Invalid HTTP endpoint specified for URI")
    integ = {"type": kind, "passthroughBehavior": params.get("passthroughBehavior") or "WHEN_NO_MATCH",
             "timeoutInMillis": params.get("timeoutInMillis") or 29000,
             "cacheNamespace": params.get("cacheNamespace") or res["id"],
             "cacheKeyParameters": list(params.get("cacheKeyParameters") or [])}
    if verb:
        integ["httpMethod"] = verb.upper()
    if uri:
        integ["uri"] = uri
    integ["connectionType"] = params.get("connectionType") or "INTERNET"
    for key in ("connectionId", "credentials", "contentHandling"):
        if params.get(key):
            integ[key] = params[key]
    for key in ("requestParameters", "requestTemplates"):
        if params.get(key):
            integ[key] = dict(params[key])
    if params.get("tlsConfig"):
        integ["tlsConfig"] = dict(params["tlsConfig"])
    method["methodIntegration"] = integ
    return copy.deepcopy(integ)


@handler
def GetIntegration(ctx, params):
    _, method = get_method(get_api(ctx, params), params)
    if "methodIntegration" not in method:
        raise not_found("Invalid Integration identifier specified")
    return copy.deepcopy(method["methodIntegration"])


# -- authorizers -------------------------------------------------------------

@handler
def CreateAuthorizer(ctx, params):
    st = state(ctx)
    api = get_api(ctx, params)
    kind = params["type"]
    if kind not in ("TOKEN", "REQUEST", "COGNITO_USER_POOLS"):
        raise bad_request("Invalid authorizer type specified")
    if kind == "COGNITO_USER_POOLS":
        if not params.get("providerARNs"):
            raise bad_request("ProviderARNs need to be specified for COGNITO_USER_POOLS authorizers")
    elif not params.get("authorizerUri"):
        raise bad_request("Authorizer URI must be specified for %s authorizers" % kind)
    if kind != "REQUEST" and not params.get("identitySource"):
        raise bad_request("Identity source must be specified for %s authorizers" % kind)
    for other in api["authorizers"].values():
        if other["name"] == params["name"]:
            raise conflict("Authorizer name must be unique. Authorizer %s already exists in this RestApi." % params["name"])
    auth = {"id": new_id(ctx, st, "authorizer", 6), "name": params["name"], "type": kind}
    for key in ("providerARNs",):
        if params.get(key):
            auth[key] = list(params[key])
    for key in ("authType", "authorizerUri", "authorizerCredentials", "identitySource",
                "identityValidationExpression"):
        if params.get(key):
            auth[key] = params[key]
    ttl = params.get("authorizerResultTtlInSeconds")
    auth["authorizerResultTtlInSeconds"] = 300 if ttl is None else ttl
    api["authorizers"][auth["id"]] = auth
    return copy.deepcopy(auth)


@handler
def GetAuthorizers(ctx, params):
    api = get_api(ctx, params)
    return {"items": [copy.deepcopy(a) for a in api["authorizers"].values()]}


# -- deployments and stages --------------------------------------------------

def snapshot(api):
    """The methods a deployment serves: path -> verb -> auth summary."""
    out = {}
    for res in api["resources"].values():
        for verb, m in res["methods"].items():
            out.setdefault(res["path"], {})[verb] = {
                "authorizationType": m["authorizationType"],
                "apiKeyRequired": m["apiKeyRequired"]}
    return out


def make_stage(ctx, api, name, deployment_id, params):
    stage = {"deploymentId": deployment_id, "stageName": name,
             "cacheClusterEnabled": bool(params.get("cacheClusterEnabled", False)),
             "cacheClusterStatus": "NOT_AVAILABLE", "methodSettings": {},
             "tracingEnabled": bool(params.get("tracingEnabled", False)),
             "createdDate": now(ctx), "lastUpdatedDate": now(ctx)}
    if params.get("cacheClusterSize"):
        stage["cacheClusterSize"] = params["cacheClusterSize"]
    if params.get("variables"):
        stage["variables"] = dict(params["variables"])
    if params.get("tags"):
        stage["tags"] = dict(params["tags"])
    for key in ("description", "documentationVersion"):
        if params.get(key):
            stage[key] = params[key]
    if params.get("canarySettings"):
        stage["canarySettings"] = copy.deepcopy(params["canarySettings"])
    api["stages"][name] = stage
    return stage


@handler
def CreateDeployment(ctx, params):
    st = state(ctx)
    api = get_api(ctx, params)
    summary = snapshot(api)
    if not summary:
        raise bad_request("The REST API doesn't contain any methods")
    for res in api["resources"].values():
        for verb, m in res["methods"].items():
            if "methodIntegration" not in m:
                raise bad_request("No integration defined for method")
    dep = {"id": new_id(ctx, st, "deployment", 6), "createdDate": now(ctx),
           "_apiSummary": summary}
    if params.get("description"):
        dep["description"] = params["description"]
    api["deployments"][dep["id"]] = dep
    name = params.get("stageName")
    if name:
        if name in api["stages"]:
            api["stages"][name]["deploymentId"] = dep["id"]
            api["stages"][name]["lastUpdatedDate"] = now(ctx)
        else:
            stage_params = dict(params, description=params.get("stageDescription"))
            make_stage(ctx, api, name, dep["id"], stage_params)
    return public(dep)


@handler
def CreateStage(ctx, params):
    api = get_api(ctx, params)
    name = params["stageName"]
    if not re.match(r"^[A-Za-z0-9_-]{1,128}$", name):
        raise bad_request("Stage name only allows a-zA-Z0-9_")
    if params["deploymentId"] not in api["deployments"]:
        raise bad_request("Invalid deployment identifier specified")
    if name in api["stages"]:
        raise conflict("Stage already exists")
    return copy.deepcopy(make_stage(ctx, api, name, params["deploymentId"], params))


@handler
def GetStages(ctx, params):
    api = get_api(ctx, params)
    stages = [copy.deepcopy(s) for s in api["stages"].values()
              if not params.get("deploymentId") or s["deploymentId"] == params["deploymentId"]]
    return {"item": stages}


# -- API keys and usage plans ------------------------------------------------

def key_view(key, with_value):
    out = public(key)
    if not with_value:
        out.pop("value", None)
    return out


@handler
def CreateApiKey(ctx, params):
    st = state(ctx)
    stage_keys = []
    for sk in params.get("stageKeys") or []:
        api = st["restapis"].get(sk.get("restApiId"))
        if api is None or sk.get("stageName") not in api["stages"]:
            raise bad_request("Invalid stage key: %s/%s" % (sk.get("restApiId"), sk.get("stageName")))
        stage_keys.append("%s/%s" % (sk["restApiId"], sk["stageName"]))
    key_id = new_id(ctx, st, "apikey")
    value = params.get("value")
    if value is not None and len(value) < 20:
        raise bad_request("API Key value should be at least 20 characters")
    if value is None:
        value = base64.b32encode(hashlib.sha256(("value/" + key_id + ctx.account.id).encode())
                                 .digest()).decode("ascii")[:40]
    for other in st["apikeys"].values():
        if other["value"] == value:
            raise conflict("API Key already exists")
    key = {"id": key_id, "value": value, "name": params.get("name") or key_id,
           "enabled": bool(params.get("enabled", False)), "createdDate": now(ctx),
           "lastUpdatedDate": now(ctx), "stageKeys": stage_keys}
    for k in ("customerId", "description"):
        if params.get(k):
            key[k] = params[k]
    if params.get("tags"):
        key["tags"] = dict(params["tags"])
    st["apikeys"][key_id] = key
    return key_view(key, True)


@handler
def GetApiKeys(ctx, params):
    keys = sorted(state(ctx)["apikeys"].values(), key=lambda k: k["createdDate"])
    name_q = params.get("nameQuery")
    cust = params.get("customerId")
    keys = [k for k in keys if (not name_q or k["name"].startswith(name_q))
            and (not cust or k.get("customerId") == cust)]
    return {"items": [key_view(k, bool(params.get("includeValues"))) for k in keys]}


@handler
def CreateUsagePlan(ctx, params):
    st = state(ctx)
    stages = []
    for s in params.get("apiStages") or []:
        api = st["restapis"].get(s.get("apiId"))
        if api is None:
            raise not_found("Invalid API identifier specified %s:%s" % (ctx.account.id, s.get("apiId")))
        if s.get("stage") not in api["stages"]:
            raise not_found("Invalid stage identifier specified")
        stages.append(copy.deepcopy(s))
    quota = params.get("quota")
    if quota and quota.get("period") not in ("DAY", "WEEK", "MONTH"):
        raise bad_request("Invalid quota period specified")
    plan = {"id": new_id(ctx, st, "usageplan", 6), "name": params["name"],
            "apiStages": stages, "_keys": []}
    if params.get("description"):
        plan["description"] = params["description"]
    if params.get("throttle"):
        plan["throttle"] = dict(params["throttle"])
    if quota:
        plan["quota"] = dict(quota, offset=quota.get("offset", 0))
    if params.get("tags"):
        plan["tags"] = dict(params["tags"])
    st["usageplans"][plan["id"]] = plan
    return public(plan)


@handler
def CreateUsagePlanKey(ctx, params):
    st = state(ctx)
    plan = st["usageplans"].get(params["usagePlanId"])
    if plan is None:
        raise not_found("Invalid Usage Plan ID specified")
    if params.get("keyType") != "API_KEY":
        raise bad_request("Invalid key type specified")
    key = st["apikeys"].get(params["keyId"])
    if key is None:
        raise not_found("Invalid API Key identifier specified")
    if key["id"] in plan["_keys"]:
        raise conflict("Usage Plan %s cannot be added because API Key %s already exists" % (plan["id"], key["id"]))
    plan["_keys"].append(key["id"])
    return {"id": key["id"], "type": "API_KEY", "value": key["value"], "name": key["name"]}


@handler
def GetUsagePlans(ctx, params):
    plans = state(ctx)["usageplans"].values()
    if params.get("keyId"):
        plans = [p for p in plans if params["keyId"] in p["_keys"]]
    return {"items": [public(p) for p in plans]}
