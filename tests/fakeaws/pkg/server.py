"""The HTTP server (ThreadingHTTPServer, HTTP/1.1 keep-alive) and the
request pipeline: route (scope, target, host, path, Action) -> verify
SigV4 -> count -> fault -> quota -> parse -> handler -> paginate ->
serialise, each failure in the service's own error format."""
import datetime
import email.utils
import http.server
import re
import socket
import struct
import sys
import threading
import time
import traceback
import urllib.parse
import uuid

from . import model, paginate, quotas as quotas_mod, sigv4
from .context import Context
from .errors import AwsError
from .protocols import json_, query, restjson, restxml
from .protocols.common import ParseError
from .registry import OPERATIONS

PROTOCOLS = {"query": query, "json": json_, "rest-json": restjson, "rest-xml": restxml}

# Authentication failures per protocol family: kind -> (code, status).
AUTH_ERRORS = {
    "query": {"missing": ("MissingAuthenticationToken", 403),
              "incomplete": ("IncompleteSignature", 400),
              "unknown_key": ("InvalidClientTokenId", 403),
              "bad_signature": ("SignatureDoesNotMatch", 403),
              "content_sha": ("SignatureDoesNotMatch", 403),
              "skew": ("SignatureDoesNotMatch", 403),
              "presign_expired": ("SignatureDoesNotMatch", 403),
              "bad_token": ("InvalidClientTokenId", 403),
              "expired_token": ("ExpiredToken", 403)},
    "json": {"missing": ("MissingAuthenticationTokenException", 400),
             "incomplete": ("IncompleteSignatureException", 400),
             "unknown_key": ("UnrecognizedClientException", 400),
             "bad_signature": ("InvalidSignatureException", 400),
             "content_sha": ("InvalidSignatureException", 400),
             "skew": ("InvalidSignatureException", 400),
             "presign_expired": ("InvalidSignatureException", 400),
             "bad_token": ("UnrecognizedClientException", 400),
             "expired_token": ("ExpiredTokenException", 400)},
    "rest-json": {"missing": ("MissingAuthenticationTokenException", 403),
                  "incomplete": ("IncompleteSignatureException", 403),
                  "unknown_key": ("UnrecognizedClientException", 403),
                  "bad_signature": ("InvalidSignatureException", 403),
                  "content_sha": ("InvalidSignatureException", 403),
                  "skew": ("InvalidSignatureException", 403),
                  "presign_expired": ("InvalidSignatureException", 403),
                  "bad_token": ("UnrecognizedClientException", 403),
                  "expired_token": ("ExpiredTokenException", 403)},
    "rest-xml": {"missing": ("AccessDenied", 403),
                 "incomplete": ("AuthorizationHeaderMalformed", 400),
                 "unknown_key": ("InvalidAccessKeyId", 403),
                 "bad_signature": ("SignatureDoesNotMatch", 403),
                 "content_sha": ("XAmzContentSHA256Mismatch", 400),
                 "skew": ("RequestTimeTooSkewed", 403),
                 "presign_expired": ("AccessDenied", 403),
                 "bad_token": ("InvalidToken", 400),
                 "expired_token": ("ExpiredToken", 400)},
}
AUTH_MESSAGES = {
    "missing": "Request is missing Authentication Token",
    "unknown_key": "The security token included in the request is invalid.",
}
S3_UNKNOWN_KEY = "The AWS Access Key Id you provided does not exist in our records."
S3_SKEW = "The difference between the request time and the current time is too large."

# A request that does not parse, or lacks a required member: (code, status).
VALIDATION = {
    "lambda": ("InvalidParameterValueException", 400),
    "iam": ("ValidationError", 400),
    "sts": ("ValidationError", 400),
    "cloudwatch": ("InvalidParameterValue", 400),
    "sqs": ("MissingParameter", 400),
    "sns": ("InvalidParameter", 400),
    "apigateway": ("BadRequestException", 400),
    "apigatewayv2": ("BadRequestException", 400),
    "dynamodb": ("ValidationException", 400),
    "logs": ("InvalidParameterException", 400),
    "events": ("ValidationException", 400),
    "s3": ("MalformedXML", 400),
}
# Fault "500" / "503" codes per protocol family (Lambda and S3 have their own).
SERVER_ERRORS = {
    "query": {500: "InternalFailure", 503: "ServiceUnavailable"},
    "json": {500: "InternalFailure", 503: "ServiceUnavailableException"},
    "rest-json": {500: "InternalFailure", 503: "ServiceUnavailableException"},
    "rest-xml": {500: "InternalError", 503: "ServiceUnavailable"},
}
SERVICE_SERVER_ERRORS = {("lambda", 500): "ServiceException", ("lambda", 503): "ServiceException"}
# An operation the model knows but no handler serves, or no operation at all.
UNKNOWN_OP = {"query": ("InvalidAction", 400), "json": ("UnknownOperationException", 400),
              "rest-json": ("UnknownOperationException", 404), "rest-xml": ("NotImplemented", 501)}

REST_PATHS = (("/2015-03-31/", "lambda"), ("/2014-11-13/", "lambda"), ("/2016-08-19/", "lambda"),
              ("/2017-03-31/", "lambda"), ("/2017-10-31/", "lambda"), ("/2018-10-31/", "lambda"),
              ("/2019-09-25/", "lambda"), ("/2019-09-30/", "lambda"), ("/2020-04-22/", "lambda"),
              ("/2020-06-30/", "lambda"), ("/2021-10-31/", "lambda"), ("/2022-03-31/", "lambda"),
              ("/v2/", "apigatewayv2"), ("/restapis", "apigateway"), ("/apikeys", "apigateway"),
              ("/usageplans", "apigateway"), ("/domainnames", "apigateway"),
              ("/account", "apigateway"), ("/vpclinks", "apigateway"),
              ("/clientcertificates", "apigateway"), ("/tags/", "apigateway"))

_S3_VHOST = (re.compile(r"^(.+?)\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com$"),
             re.compile(r"^(.+?)\.(?:s3(?:\.[a-z0-9-]+)?\.)?localhost$"))
_IP = re.compile(r"^(\d+\.\d+\.\d+\.\d+|\[[0-9a-fA-F:.]+\])$")

DEFAULT_REGION = "us-east-1"

# S3's model gives most error shapes no status: S3's error-code table does.
S3_STATUS = {"NoSuchBucket": 404, "NoSuchKey": 404, "NoSuchBucketPolicy": 404,
             "NoSuchPublicAccessBlockConfiguration": 404, "NoSuchTagSet": 404,
             "ServerSideEncryptionConfigurationNotFoundError": 404, "NoSuchUpload": 404,
             "NoSuchLifecycleConfiguration": 404, "NoSuchCORSConfiguration": 404,
             "NoSuchWebsiteConfiguration": 404, "BucketAlreadyExists": 409,
             "BucketAlreadyOwnedByYou": 409, "BucketNotEmpty": 409,
             "OperationAborted": 409, "AccessDenied": 403, "InvalidAccessKeyId": 403,
             "SignatureDoesNotMatch": 403, "MethodNotAllowed": 405,
             "PreconditionFailed": 412, "InternalError": 500, "NotImplemented": 501,
             "ServiceUnavailable": 503, "SlowDown": 503}


class Request:
    __slots__ = ("method", "raw_path", "raw_query", "query", "headers", "body", "form",
                 "request_id", "route_path", "host", "protocol")

    def __init__(self, method, target, headers, body):
        self.method = method
        path, _, qs = target.partition("?")
        if path.startswith("http://") or path.startswith("https://"):
            path = "/" + path.split("/", 3)[-1] if path.count("/") >= 3 else "/"
        self.raw_path = path or "/"
        self.route_path = self.raw_path
        self.raw_query = qs
        q = {}
        if qs:
            for k, v in urllib.parse.parse_qsl(qs, keep_blank_values=True):
                q.setdefault(k, []).append(v)
        self.query = q
        self.headers = headers
        self.body = body
        self.form = None
        self.request_id = str(uuid.uuid4())
        self.host = headers.get("host", "")
        self.protocol = None      # the wire protocol, once routed


class Response:
    __slots__ = ("status", "headers", "body", "action", "seconds")

    def __init__(self, status, headers, body, action=None, seconds=0.0):
        self.status = status
        self.headers = headers
        self.body = body
        self.action = action      # None | "reset" | "truncate"
        self.seconds = seconds


class Counters:
    def __init__(self):
        self._lock = threading.Lock()
        self.clear()

    def clear(self):
        self.total = 0
        self.ops = {}
        self.keys = {}
        self.throttled = {}
        self.faults = {}
        self.errors = {}

    def count(self, table, *path):
        with self._lock:
            d = table
            for p in path[:-1]:
                d = d.setdefault(p, {})
            d[path[-1]] = d.get(path[-1], 0) + 1

    def call(self, service_id, op, akid):
        with self._lock:
            self.total += 1
            d = self.ops.setdefault(service_id, {})
            d[op] = d.get(op, 0) + 1
            if akid:
                self.keys[akid] = self.keys.get(akid, 0) + 1

    def to_json(self):
        with self._lock:
            return {"total": self.total, "calls": self.ops, "keys": self.keys,
                    "throttled": self.throttled, "faults": self.faults, "errors": self.errors}


def _s3_vhost_bucket(host):
    h = host
    if h.startswith("["):
        return None
    h = h.rsplit(":", 1)[0] if ":" in h else h
    if _IP.match(h):
        return None
    for rx in _S3_VHOST:
        m = rx.match(h.lower())
        if m and m.group(1) not in ("s3", "www"):
            return m.group(1)
    return None


class App:
    """Everything the pipeline needs; one per server."""

    def __init__(self, world, keystore, quotas, faults, latency_ms=0, state_out=None,
                 seed_world=None, verbose=False):
        self.world = world
        self.seed_world = seed_world
        self.keystore = keystore
        self.quotas = quotas
        self.faults = faults
        self.latency = max(0.0, float(latency_ms or 0)) / 1000.0
        self.state_out = state_out
        self.counters = Counters()
        self.base_url = "http://127.0.0.1"
        self.verbose = verbose
        self.clock_offset = 0.0        # seconds added to the server's clock (tests of skew)
        self._admin = None

    def now(self):
        d = datetime.datetime.now(datetime.timezone.utc)
        if self.clock_offset:
            d += datetime.timedelta(seconds=self.clock_offset)
        return d

    # ------------------------------------------------------------ routing

    def route(self, req, scope):
        """service_id for req, or None."""
        if scope is not None:
            sid = model.SIGNING_NAMES.get(scope.service)
            if sid == "apigateway" and req.raw_path.startswith("/v2/"):
                sid = "apigatewayv2"
            if sid is not None:
                return sid
        target = req.headers.get("x-amz-target")
        if target:
            sid = model.target_map().get(target.partition(".")[0])
            if sid:
                return sid
        host = req.host.split(":", 1)[0].lower()
        label = host.split(".", 1)[0]
        if not _IP.match(host) and label in model.ENDPOINT_PREFIXES and "." in host:
            sid = model.ENDPOINT_PREFIXES[label]
            if sid == "apigateway" and req.raw_path.startswith("/v2/"):
                sid = "apigatewayv2"
            return sid
        if _s3_vhost_bucket(req.host):
            return "s3"
        for prefix, sid in REST_PATHS:
            if req.raw_path.startswith(prefix):
                return sid
        form = self._form(req)
        action = dict(form).get("Action")
        if action:
            for sid in ("sts", "iam", "sqs", "sns", "cloudwatch"):
                if action in model.service(sid).op_names:
                    return sid
        return "s3"

    def _form(self, req):
        if req.form is None:
            pairs = list(urllib.parse.parse_qsl(req.raw_query, keep_blank_values=True)) \
                if req.raw_query else []
            ctype = req.headers.get("content-type", "")
            if req.body and (ctype.startswith("application/x-www-form-urlencoded") or not ctype):
                pairs.extend(urllib.parse.parse_qsl(req.body.decode("utf-8", "replace"),
                                                    keep_blank_values=True))
            req.form = pairs
        return req.form

    def wire_protocol(self, svc, req):
        """The service's protocol, or "json" for SQS's json form."""
        if svc.id == "sqs" and req.headers.get("x-amz-target", "").startswith("AmazonSQS."):
            return "json"
        return svc.protocol

    def operation(self, svc, req):
        """(operation name, uri params) or (None, None)."""
        if svc.id == "sqs" and req.protocol == "json":
            op = req.headers.get("x-amz-target", "").partition(".")[2]
            return (op, {}) if op in svc.op_names else (None, None)
        if svc.protocol == "json":
            target = req.headers.get("x-amz-target", "")
            prefix, _, op = target.partition(".")
            if prefix == svc.target_prefix and op in svc.op_names:
                return op, {}
            return None, None
        if svc.protocol == "query":
            for k, v in self._form(req):
                if k == "Action":
                    return (v, {}) if v in svc.op_names else (None, None)
            return None, None
        path = req.route_path
        if svc.id == "s3":
            bucket = _s3_vhost_bucket(req.host)
            if bucket:
                path = "/" + bucket + (path if path.startswith("/") else "/" + path)
                if path.endswith("/") and path.count("/") == 2 and path != "/":
                    path = path[:-1]
        return svc.match_rest(req.method, path, req.query, req.headers,
                              lambda op: (svc.id, op) in OPERATIONS)

    # ------------------------------------------------------------ errors

    def error(self, svc, req, code, message, status=None, extra=None):
        proto = PROTOCOLS[req.protocol or svc.protocol]
        shape_name, wire, model_status = svc.error_info(code)
        if status is None:
            status = model_status or (S3_STATUS.get(wire, 400) if svc.id == "s3" else 400)
        st, headers, body = proto.serialize_error(svc, wire, message, status, shape_name,
                                                  extra or {}, req)
        self.counters.count(self.counters.errors, svc.id, wire)
        return Response(st, headers, body)

    def auth_error(self, svc, req, failure):
        code, status = AUTH_ERRORS[svc.protocol][failure.kind]
        msg = failure.message
        if svc.protocol == "rest-xml":
            if failure.kind == "unknown_key":
                msg = S3_UNKNOWN_KEY
            elif failure.kind == "skew":
                msg = S3_SKEW
        return self.error(svc, req, code, msg, status)

    def throttle(self, svc, req):
        code, status, msg, extra = quotas_mod.throttle_error(svc.id)
        return self.error(svc, req, code, msg, status, dict(extra))

    # ------------------------------------------------------------ pipeline

    def handle(self, req):
        try:
            scope = sigv4.parse_scope(req)
            failure = None
        except sigv4.AuthFailure as f:
            scope, failure = None, f
        sid = self.route(req, scope)
        svc = model.service(sid)
        req.protocol = self.wire_protocol(svc, req)
        if failure is not None:
            return self.auth_error(svc, req, failure)
        if scope is None:
            return self.auth_error(svc, req, sigv4.AuthFailure("missing",
                                                               AUTH_MESSAGES["missing"]))
        try:
            key = sigv4.verify(req, scope, self.keystore, self.now())
        except sigv4.AuthFailure as f:
            return self.auth_error(svc, req, f)
        op_name, uri_params = self.operation(svc, req)
        if op_name is None:
            code, status = UNKNOWN_OP[svc.protocol]
            return self.error(svc, req, code, "Unknown operation %s %s" % (req.method,
                                                                            req.raw_path), status)
        self.counters.call(sid, op_name, key.access_key_id)
        region = scope.region or DEFAULT_REGION
        fault = self.faults.take(sid, op_name)
        stall = 0.0
        if fault is not None:
            self.counters.count(self.counters.faults, sid, op_name)
            if fault.kind == "throttle":
                return self.throttle(svc, req)
            if fault.kind in ("500", "503"):
                status = int(fault.kind)
                code = SERVICE_SERVER_ERRORS.get((sid, status)) or \
                    SERVER_ERRORS[svc.protocol][status]
                return self.error(svc, req, code, "Simulated %d" % status, status)
            if fault.kind == "reset":
                return Response(0, [], b"", action="reset")
            if fault.kind == "stall":
                stall = fault.seconds
        if not self.quotas.allow(sid, op_name, key.account_id, region):
            self.counters.count(self.counters.throttled, sid, op_name)
            return self.throttle(svc, req)
        if stall:
            time.sleep(stall)
        resp = self.invoke(svc, req, op_name, uri_params, key, region)
        if fault is not None and fault.kind in ("truncate", "malformed") and resp.status < 300:
            if fault.kind == "truncate":
                resp.action = "truncate"
            else:
                resp.body = _malformed(req.protocol, resp.body)
        return resp

    def invoke(self, svc, req, op_name, uri_params, key, region):
        om = svc.operation(op_name)
        proto = PROTOCOLS[req.protocol]
        account = self.world.accounts.get(key.account_id)
        if account is None:
            return self.error(svc, req, "AccessDenied" if svc.protocol != "json"
                              else "AccessDeniedException",
                              "No account %s in this fake" % key.account_id, 403)
        try:
            params = proto.parse(svc, om, req, uri_params)
        except ParseError as e:
            code, status = VALIDATION.get(svc.id, ("ValidationException", 400))
            return self.error(svc, req, code, str(e), status)
        shape = om.input_shape
        if shape is not None:
            for name in shape.required_members:
                if params.get(name) is None:
                    code, status = VALIDATION.get(svc.id, ("ValidationException", 400))
                    if svc.id == "s3":
                        code = "InvalidRequest"
                    return self.error(svc, req, code,
                                      "1 validation error detected: Value null at '%s' failed "
                                      "to satisfy constraint: Member must not be null"
                                      % (name[:1].lower() + name[1:]), status)
        handler = OPERATIONS.get((svc.id, op_name))
        if handler is None:
            code, status = UNKNOWN_OP[svc.protocol]
            return self.error(svc, req, code, "%s is not implemented by fakeaws" % op_name,
                              status)
        ctx = Context(self.world, account, region, svc.id, op_name, key, self.base_url,
                      req.headers)
        ctx.request = req
        ctx.keystore = self.keystore
        try:
            result = handler(ctx, params)
            if not ctx.paginated and op_name in svc.paginators:
                result = paginate.apply(svc, op_name, params, result)
            status, headers, body = proto.serialize(svc, om, result, req)
        except AwsError as e:
            return self.error(svc, req, e.code, e.message, e.status, e.extra)
        except paginate.BadToken as e:
            return self.error(svc, req, e.code, e.message, e.status)
        except ParseError as e:
            code, status = VALIDATION.get(svc.id, ("ValidationException", 400))
            return self.error(svc, req, code, str(e), status)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            code = SERVICE_SERVER_ERRORS.get((svc.id, 500)) or SERVER_ERRORS[svc.protocol][500]
            return self.error(svc, req, code, "fakeaws: internal error in %s" % op_name, 500)
        return Response(status, headers, body)


def _malformed(protocol, body):
    """A body the client cannot parse: cut in half, a stray token added."""
    half = body[:max(1, len(body) // 2)]
    if protocol in ("json", "rest-json"):
        return (half or b"{") + b'{"\x00'
    return (half or b"<") + b"<\x00</>"


def _decode_aws_chunked(body):
    """S3's aws-chunked upload framing ("hex;chunk-signature=...\r\n data
    \r\n" ... "0\r\n" trailers): the payload alone. Chunk signatures are
    not verified (the request's own signature covers the seed)."""
    out = []
    pos = 0
    while pos < len(body):
        eol = body.find(b"\r\n", pos)
        if eol < 0:
            break
        size = int(body[pos:eol].split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            break
        out.append(body[eol + 2:eol + 2 + size])
        pos = eol + 2 + size + 2
    return b"".join(out)


REASONS = {code: msg for code, (msg, _) in http.server.BaseHTTPRequestHandler.responses.items()}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fakeaws"
    sys_version = ""
    disable_nagle_algorithm = True
    app = None           # set on the subclass made by make_server

    def log_message(self, fmt, *args):
        if self.app is not None and self.app.verbose:
            sys.stderr.write("fakeaws: %s\n" % (fmt % args))

    def _read_body(self):
        te = self.headers.get("Transfer-Encoding", "")
        if "chunked" in te.lower():
            chunks = []
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(chunks)
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def _serve(self):
        app = self.app
        body = self._read_body()
        headers = {}
        for k, v in self.headers.items():
            k = k.lower()
            headers[k] = v if k not in headers else headers[k] + "," + v
        if "aws-chunked" in headers.get("content-encoding", ""):
            body = _decode_aws_chunked(body)
        req = Request(self.command, self.path, headers, body)
        if req.raw_path.startswith("/_fakeaws/"):
            resp = app._admin.handle(req)
        else:
            if app.latency:
                time.sleep(app.latency)
            try:
                resp = app.handle(req)
            except Exception:
                traceback.print_exc(file=sys.stderr)
                resp = Response(500, [("Content-Type", "text/plain")], b"fakeaws internal error")
        self._send(req, resp)

    def _send(self, req, resp):
        if resp.action == "reset":
            self.close_connection = True
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.rfile.close()
                self.connection.close()
            except OSError:
                pass
            return
        lines = ["HTTP/1.1 %d %s" % (resp.status, REASONS.get(resp.status, "Status"))]
        have_len = False
        have_type = False
        for k, v in resp.headers:
            lk = k.lower()
            if lk == "content-length":
                if req.method != "HEAD":
                    continue
                have_len = True
            elif lk == "content-type":
                have_type = True
            lines.append("%s: %s" % (k, v))
        body = resp.body if req.method != "HEAD" else b""
        if not have_len:
            lines.append("Content-Length: %d" % len(resp.body if req.method != "HEAD" else body))
        if not have_type and body:
            lines.append("Content-Type: application/octet-stream")
        if not req.raw_path.startswith("/_fakeaws/"):
            lines.append("x-amzn-RequestId: %s" % req.request_id)
            lines.append("x-amz-request-id: %s" % req.request_id)
        lines.append("Date: %s" % email.utils.formatdate(usegmt=True))
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        try:
            if resp.action == "truncate":
                self.wfile.write(head + body[:len(body) // 2])
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.wfile.write(head + body)
        except OSError:
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = _serve

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (ConnectionError, socket.timeout):
            self.close_connection = True


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, socket.timeout)):
            return
        super().handle_error(request, client_address)


def make_server(app, host="127.0.0.1", port=0):
    from .admin import Admin
    handler = type("BoundHandler", (Handler,), {"app": app})
    srv = Server((host, port), handler)
    app.base_url = "http://%s:%d" % (host, srv.server_address[1])
    app._admin = Admin(app)
    return srv


def _copy_world(world):
    if hasattr(world, "copy"):
        return world.copy()
    return type(world).from_json(world.to_json())


def app_reset(app):
    """State back to the seed; counters, faults, temporary keys and quota
    buckets cleared."""
    if app.seed_world is not None:
        app.world = _copy_world(app.seed_world)
    app.keystore.load_world(app.world)
    app.counters.clear()
    app.faults.clear()
    app.quotas.reset()
    app.clock_offset = 0.0


def app_load(app, path):
    world = type(app.world).load(path) if hasattr(type(app.world), "load") else None
    app.world = world
    app.keystore.load_world(world)


App.reset = app_reset
App.load = app_load
