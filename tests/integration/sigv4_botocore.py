#!/usr/bin/python3 -I
"""Random requests signed by botocore, the independent SigV4 signer.

Usage: /usr/bin/python3 -I sigv4_botocore.py --count 600 --seed N

Prints one JSON object per line: the request as shears' transport would hand
it to aws_sigv4_sign() (method, wire path, wire query, headers in order, body
hex-encoded, credentials, region, service, time) and botocore's answer
(signature, signed headers). A last line {"done": COUNT} lets the reader
notice a cut-off output. With --show ID it prints only botocore's canonical
request of case ID (same seed and count), to explain a mismatch. Exits 1 when
botocore is missing.

The wire forms follow what botocore itself sends: the path is percent-encoded
the way its serializers do it (sub-delims may stay raw; "." and ".." segments
and "//" are kept so that normalisation is exercised), the query is built with
botocore.utils.percent_encode (safe "-_.~"), which is what AWS expects.
Signers: SigV4Auth (every service but S3: path normalised and encoded again),
S3SigV4Auth (path as sent, x-amz-content-sha256 always), and their presigning
(query) variants SigV4QueryAuth and S3SigV4QueryAuth.
"""
import argparse
import datetime
import json
import random
import sys
import types
from urllib.parse import parse_qs, quote, urlsplit

try:
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from botocore.utils import percent_encode
except ImportError as e:
    print(f"sigv4_botocore: botocore missing ({e}); run make deps", file=sys.stderr)
    sys.exit(1)

SERVICES = ["lambda", "iam", "sts", "dynamodb", "s3", "execute-api", "sqs", "sns",
            "logs", "monitoring", "events", "apigateway", "states", "kms", "ssm"]
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2",
           "ap-northeast-1", "sa-east-1", "ca-central-1", "us-gov-west-1", "cn-north-1",
           "af-south-1", "me-central-1"]
METHODS = ["GET", "GET", "POST", "POST", "PUT", "DELETE", "HEAD", "PATCH", "get", "Post"]
# Characters for names and values: unreserved, reserved, space, '%', unicode.
PIECES = (list("abcxyzABCXYZ0129-._~") + list("!$&'()*+,;=:@/?#[]% \"<>\\^`{|}") +
          ["\u00e9", "\u1234", "\u00fc", "\u4e2d\u6587", "\U0001f600", "\u00a0"])
SUBDELIMS = "!$&'()*+,;=:@"
HEADER_NAMES = ["Content-Type", "X-Amz-Target", "X-Amz-Meta-Owner", "X-Custom", "Accept",
                "Content-Encoding", "X-Amz-Invocation-Type", "X-Amz-Client-Context",
                "Content-MD5", "If-Match", "x-amz-acl", "X-Amz-Server-Side-Encryption",
                "User-Agent", "Expect", "X-Amzn-Trace-Id", "Cache-Control", "Range"]
VALUE_WORDS = ["application/json", "a", "b c", "\"q  u  o t e\"", "1,2", "x=y;z",
               "RequestResponse", "bytes=0-99", "*", "Tail", "100-continue", "", "e30=",
               "Root=1-5759e988-bd862e3fe1be46a994272793"]
ODD_SPACE = [" ", "  ", "\t", " \t ", "\u00a0", "\u3000"]


class FixedClock(datetime.datetime):
    """datetime.datetime whose utcnow() is the time under test."""
    now_value = datetime.datetime(2015, 8, 30, 12, 36, 0)

    @classmethod
    def utcnow(cls):
        return cls.now_value


botocore.auth.datetime = types.SimpleNamespace(datetime=FixedClock)


def capturing(cls):
    """A signer subclass that keeps its canonical request."""
    class Capture(cls):
        last_cr = ""

        def canonical_request(self, request):
            self.last_cr = super().canonical_request(request)
            return self.last_cr
    Capture.__name__ = cls.__name__
    return Capture


SIGNERS = {name: capturing(getattr(botocore.auth, name)) for name in
           ["SigV4Auth", "S3SigV4Auth", "SigV4QueryAuth", "S3SigV4QueryAuth"]}


def rand_text(rng, lo, hi):
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(lo, hi)))


def wire_segment(rng, raw):
    """One path segment as a client sends it: encoded, some sub-delims left raw."""
    safe = "".join(c for c in SUBDELIMS if rng.random() < 0.5)
    return quote(raw, safe=safe + "~")


def rand_path(rng, service):
    segs = []
    for _ in range(rng.randint(0, 5)):
        r = rng.random()
        if r < 0.08:
            segs.append(".")
        elif r < 0.16:
            segs.append("..")
        elif r < 0.24:
            segs.append("")
        elif r < 0.32 and service != "s3":
            # a raw UTF-8 character: quoted once by both signers
            segs.append(rng.choice(["\u00e9t\u00e9", "\u1234", "na\u00efve"]))
        else:
            segs.append(wire_segment(rng, rand_text(rng, 1, 8)))
    path = "/" + "/".join(segs)
    if segs and rng.random() < 0.3:
        path += "/"
    return path


def rand_query(rng, unique_keys):
    pairs = []
    for _ in range(rng.choice([0, 0, 1, 2, 3, 5])):
        if pairs and not unique_keys and rng.random() < 0.25:
            key = pairs[rng.randrange(len(pairs))][0]  # repeated key
        else:
            key = rand_text(rng, 0 if not unique_keys else 1, 6)
        if unique_keys and key in [k for k, _ in pairs]:
            continue
        r = rng.random()
        value = None if r < 0.15 else "" if r < 0.3 else rand_text(rng, 1, 10)
        pairs.append((key, value))
    parts = []
    for key, value in pairs:
        k = percent_encode(key)
        parts.append(k if value is None else f"{k}={percent_encode(value)}")
        if rng.random() < 0.05:
            parts.append("")  # "a=1&&b=2"
    return "&".join(parts)


def rand_header_value(rng):
    words = [rng.choice(VALUE_WORDS) for _ in range(rng.randint(1, 3))]
    out = rng.choice(["", "", " ", "\t"])
    for i, w in enumerate(words):
        out += (rng.choice(ODD_SPACE) if rng.random() < 0.1 else " ") if i else ""
        out += w
    return out + rng.choice(["", "", " ", "  \t"])


def rand_case(rng, name):
    r = rng.random()
    return name.lower() if r < 0.3 else name.upper() if r < 0.4 else name


def rand_headers(rng, host, presign, token):
    headers = [("Host", host)]
    for _ in range(rng.randint(0, 5)):
        name = rng.choice(HEADER_NAMES)
        headers.append((rand_case(rng, name), rand_header_value(rng)))
        if rng.random() < 0.2:  # the same name twice, in another case
            headers.append((rand_case(rng, name), rand_header_value(rng)))
    if not presign and rng.random() < 0.1:
        # a retried request still carries the previous signature
        headers.append(("Authorization", "AWS4-HMAC-SHA256 Credential=old"))
        headers.append(("X-Amz-Date", "20000101T000000Z"))
        if token:
            headers.append(("X-Amz-Security-Token", "stale-token"))
    rng.shuffle(headers)
    return headers


def rand_body(rng, presign):
    if presign:
        return b""
    r = rng.random()
    if r < 0.35:
        return b""
    if r < 0.6:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 48)))
    if r < 0.8:
        return json.dumps({"k": rand_text(rng, 0, 6)}).encode()
    return b"Action=ListRoles&Version=2010-05-08"


def rand_creds(rng):
    alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    token = None
    if rng.random() < 0.4:
        token = "".join(rng.choice(b64) for _ in range(rng.randint(20, 300))) + "=="
    akid = ("ASIA" if token else "AKIA") + "".join(rng.choice(alnum) for _ in range(16))
    secret = "".join(rng.choice(b64) for _ in range(40))
    return akid, secret, token


def rand_host(rng, service, region):
    if service == "s3" and rng.random() < 0.5:
        host = f"bucket-{rng.randrange(1000)}.s3.{region}.amazonaws.com"
    else:
        host = f"{service}.{region}.amazonaws.com"
    return host + (":8443" if rng.random() < 0.1 else "")


def choose_signer(rng, service):
    presign = rng.random() < 0.2
    if service == "s3":
        return ("S3SigV4QueryAuth" if presign else "S3SigV4Auth"), presign
    return ("SigV4QueryAuth" if presign else "SigV4Auth"), presign


def sign(rng, case):
    """Signs case with botocore; fills signature, signed_headers, canonical_request."""
    cls = SIGNERS[case["signer"]]
    creds = Credentials(case["access_key"], case["secret_key"], case["token"] or None)
    url = f"https://{case['host']}{case['path']}"
    if case["query"]:
        url += "?" + case["query"]
    req = AWSRequest(method=case["method"], url=url, data=bytes.fromhex(case["body_hex"]))
    for name, value in case["headers"]:
        req.headers[name] = value
    if case["unsigned_payload"]:
        if case["service"] == "s3":
            req.context["client_config"] = types.SimpleNamespace(
                s3={"payload_signing_enabled": False})
        else:
            req.context["payload_signing_enabled"] = False
    FixedClock.now_value = datetime.datetime.utcfromtimestamp(case["time"])
    if case["presign"]:
        signer = cls(creds, case["service"], case["region"], expires=case["expires"])
    else:
        signer = cls(creds, case["service"], case["region"])
    signer.add_auth(req)
    if case["presign"]:
        q = parse_qs(urlsplit(req.url).query, keep_blank_values=True)
        case["signature"] = q["X-Amz-Signature"][0]
        case["signed_headers"] = q["X-Amz-SignedHeaders"][0]
    else:
        auth = req.headers["Authorization"]
        case["signature"] = auth.split("Signature=")[1]
        case["signed_headers"] = auth.split("SignedHeaders=")[1].split(",")[0]
    case["canonical_request"] = signer.last_cr


def make_case(rng, i):
    service = "s3" if rng.random() < 0.3 else rng.choice(SERVICES)
    region = "us-east-1" if service == "iam" and rng.random() < 0.7 else rng.choice(REGIONS)
    signer, presign = choose_signer(rng, service)
    akid, secret, token = rand_creds(rng)
    host = rand_host(rng, service, region)
    case = {
        "id": i, "signer": signer, "presign": presign, "service": service, "region": region,
        "method": rng.choice(METHODS), "host": host, "path": rand_path(rng, service),
        "query": rand_query(rng, unique_keys=presign),
        "headers": rand_headers(rng, host, presign, token),
        "body_hex": rand_body(rng, presign).hex(),
        "access_key": akid, "secret_key": secret, "token": token or "",
        "time": rng.randint(946684800, 2145916799),  # 2000 .. 2037
        "expires": rng.randint(1, 604800),
        "unsigned_payload": (not presign and rng.random() < 0.3),
    }
    if presign:  # botocore moves these to the query, or drops them
        case["headers"] = [(n, v) for n, v in case["headers"] if n.lower() != "content-type"]
    sign(rng, case)
    return case


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=600)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=-1,
                    help="print botocore's canonical request of this case only")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout
    for i in range(args.count):
        case = make_case(rng, i)
        cr = case.pop("canonical_request")
        if args.show == i:
            out.write(cr + "\n")
            return 0
        if args.show < 0:
            out.write(json.dumps(case, ensure_ascii=False) + "\n")
    if args.show >= 0:
        print(f"sigv4_botocore: no case {args.show}", file=sys.stderr)
        return 1
    out.write(json.dumps({"done": args.count}) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
