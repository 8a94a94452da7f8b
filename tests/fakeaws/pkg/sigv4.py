"""SigV4 verification (Authorization header or presigned query), against
the KeyStore. Failures are returned as a kind the caller maps to the
service's own error: "missing", "unknown_key", "bad_signature", "skew",
"expired_token", "bad_token", "content_sha"."""
import base64
import datetime
import hashlib
import hmac
import posixpath
import re
import threading
import urllib.parse

ALGO = "AWS4-HMAC-SHA256"
MAX_SKEW = 15 * 60
UNSIGNED = "UNSIGNED-PAYLOAD"
EMPTY_SHA = hashlib.sha256(b"").hexdigest()

_AUTH_RE = re.compile(r"AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),"
                      r"\s*Signature=([0-9a-fA-F]+)")
_SPACES = re.compile(r"\s+")

_key_cache = {}
_key_lock = threading.Lock()


class AuthFailure(Exception):
    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        self.message = message


class Scope:
    __slots__ = ("access_key_id", "date", "region", "service", "signed_headers",
                 "signature", "amz_date", "presigned")

    def __init__(self, access_key_id, date, region, service, signed_headers, signature,
                 amz_date, presigned):
        self.access_key_id = access_key_id
        self.date = date
        self.region = region
        self.service = service
        self.signed_headers = signed_headers
        self.signature = signature
        self.amz_date = amz_date
        self.presigned = presigned


def parse_scope(req):
    """The credential scope of a request, or None if it is not signed.
    Raises AuthFailure for a malformed Authorization."""
    auth = req.headers.get("authorization")
    if auth is not None:
        m = _AUTH_RE.match(auth)
        if m is None:
            raise AuthFailure("incomplete", "Authorization header requires 'Credential', "
                              "'Signature' and 'SignedHeaders' parameters (AWS4-HMAC-SHA256)")
        cred, signed, sig = m.groups()
        amz_date = req.headers.get("x-amz-date") or req.headers.get("date", "")
        presigned = False
    elif "AWSAccessKeyId" in req.query and "Signature" in req.query and "Expires" in req.query:
        # S3's SigV2 presigned URL (botocore's default for generate_presigned_url).
        return Scope(req.query["AWSAccessKeyId"][0], "", "", "s3", [],
                     req.query["Signature"][0], req.query["Expires"][0], "v2")
    elif "X-Amz-Credential" in req.query and "X-Amz-Signature" in req.query:
        cred = req.query["X-Amz-Credential"][0]
        signed = req.query.get("X-Amz-SignedHeaders", ["host"])[0]
        sig = req.query["X-Amz-Signature"][0]
        amz_date = req.query.get("X-Amz-Date", [""])[0]
        presigned = True
    else:
        return None
    parts = cred.split("/")
    if len(parts) != 5 or parts[4] != "aws4_request":
        raise AuthFailure("incomplete", "Credential should be scoped to a valid region.")
    return Scope(parts[0], parts[1], parts[2], parts[3], signed.split(";"), sig.lower(),
                 amz_date, presigned)


def _parse_amz_date(s):
    try:
        return datetime.datetime.strptime(s, "%Y%m%dT%H%M%SZ").replace(
            tzinfo=datetime.timezone.utc)
    except ValueError:
        pass
    try:
        import email.utils
        return email.utils.parsedate_to_datetime(s).astimezone(datetime.timezone.utc)
    except (TypeError, ValueError):
        return None


def signing_key(secret, date, region, service):
    k = (secret, date, region, service)
    sk = _key_cache.get(k)
    if sk is None:
        sk = ("AWS4" + secret).encode()
        for part in (date, region, service, "aws4_request"):
            sk = hmac.new(sk, part.encode(), hashlib.sha256).digest()
        with _key_lock:
            if len(_key_cache) > 10000:
                _key_cache.clear()
            _key_cache[k] = sk
    return sk


_QSAFE = "-_.~"


def canonical_query(raw_query, presigned):
    if not raw_query:
        return ""
    pairs = []
    for part in raw_query.split("&"):
        if not part:
            continue
        k, _, v = part.partition("=")
        k = urllib.parse.quote(urllib.parse.unquote(k), safe=_QSAFE)
        if presigned and k == "X-Amz-Signature":
            continue
        pairs.append((k, urllib.parse.quote(urllib.parse.unquote(v), safe=_QSAFE)))
    pairs.sort()
    return "&".join("%s=%s" % p for p in pairs)


def _normalize_path(raw_path):
    """botocore's SigV4 (non-S3) canonical URI: normalised, then encoded
    once more (so an already-encoded path is double-encoded)."""
    if not raw_path:
        return "/"
    norm = posixpath.normpath(raw_path)
    if raw_path.endswith("/") and norm != "/":
        norm += "/"
    if norm.startswith("//"):
        norm = "/" + norm.lstrip("/")
    return urllib.parse.quote(norm, safe="/~")


def canonical_uris(raw_path, service):
    """The service's canonical URI first, then the other rule (some clients
    encode S3 paths once more or other paths once less)."""
    s3 = raw_path or "/"
    other = _normalize_path(raw_path)
    if service == "s3":
        return (s3,) if s3 == other else (s3, other)
    return (other,) if s3 == other else (other, s3)


# Sub-resources that are part of a SigV2 canonical resource.
_V2_SUBRESOURCES = {"acl", "cors", "delete", "encryption", "lifecycle", "location", "logging",
                    "notification", "partNumber", "policy", "policyStatus", "publicAccessBlock",
                    "requestPayment", "tagging", "torrent", "uploadId", "uploads", "versionId",
                    "versioning", "versions", "website", "response-cache-control",
                    "response-content-disposition", "response-content-encoding",
                    "response-content-language", "response-content-type", "response-expires"}


def _verify_v2_presigned(req, scope, key, now):
    try:
        expires = int(scope.amz_date)
    except ValueError:
        raise AuthFailure("incomplete", "Expires is not a number")
    if now.timestamp() > expires:
        raise AuthFailure("presign_expired", "Request has expired")
    subs = sorted((k, v) for k, vs in req.query.items() if k in _V2_SUBRESOURCES for v in vs)
    resource = req.raw_path
    if subs:
        resource += "?" + "&".join(k if v == "" else "%s=%s" % (k, v) for k, v in subs)
    amz = sorted((k, v.strip()) for k, v in req.headers.items() if k.startswith("x-amz-"))
    sts = "%s\n%s\n%s\n%s\n%s%s" % (req.method, req.headers.get("content-md5", ""),
                                     req.headers.get("content-type", ""), scope.amz_date,
                                     "".join("%s:%s\n" % kv for kv in amz), resource)
    sig = base64.b64encode(hmac.new(key.secret.encode(), sts.encode(), hashlib.sha1).digest())
    if not hmac.compare_digest(sig.decode(), scope.signature):
        raise AuthFailure("bad_signature", "The request signature we calculated does not match "
                          "the signature you provided.")
    return key


def verify(req, scope, keystore, now):
    """Checks req's signature; returns the Key. Raises AuthFailure."""
    key = keystore.get(scope.access_key_id)
    if key is None:
        raise AuthFailure("unknown_key", "The security token included in the request is invalid.")
    if scope.presigned == "v2":
        if key.session_token is not None:
            token = req.query.get("x-amz-security-token", [None])[0]
            if token != key.session_token:
                raise AuthFailure("bad_token", "The provided token is malformed or otherwise "
                                  "invalid.")
        return _verify_v2_presigned(req, scope, key, now)
    when = _parse_amz_date(scope.amz_date)
    if when is None:
        raise AuthFailure("incomplete", "Authorization header requires existence of either a "
                          "'X-Amz-Date' or a 'Date' header.")
    if scope.presigned:
        expires = int(req.query.get("X-Amz-Expires", ["900"])[0] or 900)
        if now > when + datetime.timedelta(seconds=expires):
            raise AuthFailure("presign_expired", "Request has expired")
    elif abs((now - when).total_seconds()) > MAX_SKEW:
        raise AuthFailure("skew", "Signature expired: %s is now earlier than %s (%s - 15 min.)"
                          % (scope.amz_date, (now - datetime.timedelta(minutes=15)).strftime(
                              "%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%dT%H%M%SZ"))
                          if when < now else
                          "Signature not yet current: %s is still later than %s (%s + 15 min.)"
                          % (scope.amz_date, (now + datetime.timedelta(minutes=15)).strftime(
                              "%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%dT%H%M%SZ")))
    # Payload hash: x-amz-content-sha256 when given (S3 always sends it).
    claimed = req.headers.get("x-amz-content-sha256")
    if scope.presigned:
        payload_hash = UNSIGNED if claimed is None else claimed
    elif claimed is not None:
        payload_hash = claimed
        if claimed != UNSIGNED and not claimed.startswith("STREAMING-"):
            actual = hashlib.sha256(req.body).hexdigest() if req.body else EMPTY_SHA
            if actual != claimed.lower():
                raise AuthFailure("content_sha", "The provided 'x-amz-content-sha256' header "
                                  "does not match what was computed.")
    else:
        payload_hash = hashlib.sha256(req.body).hexdigest() if req.body else EMPTY_SHA
    hlines = []
    for h in scope.signed_headers:
        v = req.headers.get(h)
        if v is None:
            if h == "host":
                v = ""
            else:
                raise AuthFailure("bad_signature", "Signed header %s is missing" % h)
        hlines.append("%s:%s\n" % (h, _SPACES.sub(" ", v.strip())))
    cheaders = "".join(hlines)
    signed = ";".join(scope.signed_headers)
    cquery = canonical_query(req.raw_query, scope.presigned)
    sk = signing_key(key.secret, scope.date, scope.region, scope.service)
    cscope = "%s/%s/%s/aws4_request" % (scope.date, scope.region, scope.service)
    for curi in canonical_uris(req.raw_path, scope.service):
        creq = "\n".join((req.method, curi, cquery, cheaders, signed, payload_hash))
        sts = "%s\n%s\n%s\n%s" % (ALGO, scope.amz_date, cscope,
                                   hashlib.sha256(creq.encode()).hexdigest())
        sig = hmac.new(sk, sts.encode(), hashlib.sha256).hexdigest()
        if hmac.compare_digest(sig, scope.signature):
            break
    else:
        raise AuthFailure("bad_signature", "The request signature we calculated does not match "
                          "the signature you provided. Check your AWS Secret Access Key and "
                          "signing method. Consult the service documentation for details.")
    # Session tokens: a temporary key needs its own token.
    token = req.headers.get("x-amz-security-token")
    if token is None and scope.presigned:
        token = req.query.get("X-Amz-Security-Token", [None])[0]
    if key.session_token is not None:
        if token != key.session_token:
            raise AuthFailure("bad_token", "The security token included in the request is invalid.")
        if key.expired():
            raise AuthFailure("expired_token", "The security token included in the request is "
                              "expired")
    return key
