"""botocore's service models, loaded once per service and cached, with the
routing tables derived from them (rest URI templates, JSON targets, query
actions) and the error-code table (code -> error shape, HTTP status)."""
import re
import threading
import urllib.parse

import botocore.loaders
import botocore.model

# service_id -> (signing name, protocol-specific notes)
SERVICES = ("sts", "iam", "lambda", "s3", "apigateway", "apigatewayv2", "sqs",
            "sns", "events", "dynamodb", "logs", "cloudwatch")
# SigV4 credential-scope service (signing name) -> service_id; "apigateway"
# is both API Gateway v1 and v2 (told apart by the /v2/ path prefix).
SIGNING_NAMES = {"sts": "sts", "iam": "iam", "lambda": "lambda", "s3": "s3",
                 "apigateway": "apigateway", "sqs": "sqs", "sns": "sns",
                 "events": "events", "dynamodb": "dynamodb", "logs": "logs",
                 "monitoring": "cloudwatch"}
# Host name first label (endpointPrefix) -> service_id.
ENDPOINT_PREFIXES = dict(SIGNING_NAMES)

_loader = None
_models = {}
_lock = threading.Lock()


def _get_loader():
    global _loader
    if _loader is None:
        _loader = botocore.loaders.Loader()
    return _loader


class RestRoute:
    __slots__ = ("op", "method", "regex", "names", "query", "score", "headers")

    def __init__(self, op, method, regex, names, query, score, headers=()):
        self.op = op
        self.method = method
        self.regex = regex
        self.names = names      # regex group -> input member name
        self.query = query      # [(key, value or None)] literal query keys
        self.score = score
        self.headers = headers  # required header-bound members (lower-case names)


class Service:
    """One service's model and everything derived from it."""

    def __init__(self, service_id):
        loader = _get_loader()
        desc = loader.load_service_model(service_id, "service-2")
        self.id = service_id
        self.model = botocore.model.ServiceModel(desc, service_id)
        self.protocol = self.model.metadata["protocol"]
        self.metadata = self.model.metadata
        try:
            self.paginators = loader.load_service_model(
                service_id, "paginators-1").get("pagination", {})
        except Exception:
            self.paginators = {}
        self._ops = {}
        self._op_lock = threading.Lock()
        self.op_names = set(self.model.operation_names)
        self.target_prefix = self.metadata.get("targetPrefix")
        self.json_version = self.metadata.get("jsonVersion", "1.0")
        self.xml_namespace = self.metadata.get("xmlNamespace")
        self.deprecated = {n for n, o in desc["operations"].items() if o.get("deprecated")}
        self.routes = self._build_routes() if self.protocol.startswith("rest-") else []
        self.errors = self._build_errors(desc)

    def operation(self, name):
        om = self._ops.get(name)
        if om is None:
            with self._op_lock:
                om = self._ops.get(name)
                if om is None:
                    om = self._ops[name] = self.model.operation_model(name)
        return om

    def _build_errors(self, desc):
        """code -> (shape name, status); both the wire code and the shape
        name are keys, so a handler may raise either."""
        errors = {}
        for name, shape in desc["shapes"].items():
            if not shape.get("exception"):
                continue
            err = shape.get("error", {})
            code = err.get("code", name)
            status = err.get("httpStatusCode")
            errors[code] = (name, code, status)
            errors.setdefault(name, (name, code, status))
        return errors

    def error_info(self, code):
        """(shape name or None, wire code, status or None)."""
        return self.errors.get(code, (None, code, None))

    def _build_routes(self):
        routes = []
        for name in self.model.operation_names:
            d = self.model._service_description["operations"][name]
            http = d.get("http", {})
            method = http.get("method", "POST")
            uri = http.get("requestUri", "/")
            path, _, qs = uri.partition("?")
            query = []
            for part in qs.split("&") if qs else []:
                k, eq, v = part.partition("=")
                if k == "x-id":
                    continue
                query.append((k, v if eq else None))
            names = {}
            members = {}
            headers = []
            in_shape = d.get("input", {}).get("shape")
            if in_shape:
                required = self.model._service_description["shapes"][in_shape].get("required", [])
                for mname, m in desc_members(self.model, in_shape).items():
                    if m.get("location") == "uri":
                        members[m.get("locationName", mname)] = mname
                    elif m.get("location") == "header" and mname in required:
                        # CopyObject is PutObject's URI plus x-amz-copy-source.
                        headers.append(m.get("locationName", mname).lower())
            pattern = []
            literal = 0
            pos = 0
            for i, mo in enumerate(re.finditer(r"\{([^}]+)\}", path)):
                lit = path[pos:mo.start()]
                literal += len(lit)
                pattern.append(re.escape(lit))
                label = mo.group(1)
                greedy = label.endswith("+")
                label = label.rstrip("+")
                group = "g%d" % i
                names[group] = members.get(label, label)
                pattern.append("(?P<%s>%s)" % (group, ".+" if greedy else "[^/]+"))
                pos = mo.end()
            lit = path[pos:]
            literal += len(lit)
            # a URI ending in "/" (ListEventSourceMappings) is sent without it by some
            # clients (awscli v1): the trailing "/?" below accepts both
            pattern.append(re.escape(lit[:-1] if lit.endswith("/") and len(path) > 1 else lit))
            regex = re.compile("^" + "".join(pattern) + "/?$") if path != "/" else re.compile("^/$")
            score = (len(query), len(headers), literal, -path.count("+"))
            routes.append(RestRoute(name, method, regex, names, query, score, tuple(headers)))
        routes.sort(key=lambda r: r.score, reverse=True)
        return routes

    def match_rest(self, method, raw_path, query, headers=None, served=None):
        """(operation name, {member: value}) or (None, None). query is the
        parsed query dict (key -> [values]). Among equally specific routes
        (PutBucketNotification and PutBucketNotificationConfiguration share
        one URI) the one served(op) accepts wins, then the non-deprecated."""
        best = None
        for r in self.routes:
            if best is not None and r.score != best[0].score:
                break
            if r.method != method:
                continue
            m = r.regex.match(raw_path)
            if m is None:
                continue
            ok = True
            for k, v in r.query:
                if k not in query or (v is not None and v not in query[k]):
                    ok = False
                    break
            if not ok:
                continue
            if r.headers and (headers is None or any(h not in headers for h in r.headers)):
                continue
            rank = (bool(served and served(r.op)), r.op not in self.deprecated)
            if best is None or rank > best[2]:
                best = (r, m, rank)
        if best is None:
            return None, None
        r, m = best[0], best[1]
        params = {r.names[g]: urllib.parse.unquote(val) for g, val in m.groupdict().items()}
        return r.op, params


def desc_members(model, shape_name):
    return model._service_description["shapes"][shape_name].get("members", {})


def service(service_id):
    s = _models.get(service_id)
    if s is None:
        with _lock:
            s = _models.get(service_id)
            if s is None:
                s = _models[service_id] = Service(service_id)
    return s


_targets = None
_actions = None


def target_map():
    """X-Amz-Target prefix -> service_id, for the json services."""
    global _targets
    if _targets is None:
        t = {}
        for sid in SERVICES:
            prefix = service(sid).target_prefix
            if prefix:
                t[prefix] = sid
        _targets = t
    return _targets


def preload():
    for sid in SERVICES:
        service(sid)
