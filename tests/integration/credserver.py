#!/usr/bin/python3 -I
"""Loopback stand-in for the credential sources of tests/integration/test_creds.c.

Serves, on 127.0.0.1 (--port 0 picks a free port; prints "ready http://127.0.0.1:PORT"):

  GET  /creds/...                      container credentials (ECS shape); with
                                       --container-token, the Authorization header
                                       must equal it (else 401)
  PUT  /latest/api/token               IMDSv2 token; needs X-aws-ec2-metadata-token-ttl-seconds
  GET  /latest/meta-data/iam/security-credentials/[ROLE]
                                       IMDS role name, then its credentials; both need
                                       the token in X-aws-ec2-metadata-token (else 401)
  POST /                               STS (query protocol): AssumeRole, GetCallerIdentity.
                                       The SigV4 signature is verified for every key this
                                       server knows (--key AKID:SECRET and every key it
                                       handed out); each call is recorded with the key id
                                       named in the Authorization header.
  GET  /_admin/stats                   JSON: counters, STS calls, every secret handed out

Each credential handed out is new (a counter in the key, random secret and token)
and expires --expiry-seconds from now. Standard library only: runs under
Debian's /usr/bin/python3 -I.
"""
import argparse
import datetime
import hashlib
import hmac
import json
import secrets
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
STATE = {
    "container_fetches": 0,
    "imds_token_puts": 0,
    "imds_role_gets": 0,
    "imds_creds_gets": 0,
    "sts": [],
    "secrets": [],
    "rejected": [],
}
KEYS = {}
IMDS_TOKENS = set()
ARGS = None


def mint(prefix):
    with LOCK:
        n = len(STATE["secrets"]) // 2 + 1
        akid = "ASIA%s%08d" % (prefix, n)
        secret = "%s-secret-%s" % (prefix.lower(), secrets.token_hex(12))
        token = "%s-token-%s" % (prefix.lower(), secrets.token_hex(24))
        STATE["secrets"] += [secret, token]
        KEYS[akid] = secret
    exp = datetime.datetime.utcnow() + datetime.timedelta(seconds=ARGS.expiry_seconds)
    return akid, secret, token, exp.strftime("%Y-%m-%dT%H:%M:%SZ")


def sigv4_check(handler, body):
    """Returns (akid, verdict): verdict is 'ok', 'bad' or 'unknown-key'."""
    auth = handler.headers.get("Authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        return None, "missing"
    parts = dict(p.strip().split("=", 1) for p in auth[len("AWS4-HMAC-SHA256 "):].split(","))
    scope = parts["Credential"].split("/")
    akid, date, region, service = scope[0], scope[1], scope[2], scope[3]
    secret = KEYS.get(akid)
    if secret is None:
        return akid, "unknown-key"
    signed = parts["SignedHeaders"].split(";")
    url = urllib.parse.urlsplit(handler.path)
    canon_headers = "".join(
        "%s:%s\n" % (h, " ".join(handler.headers.get(h, "").split())) for h in signed
    )
    query = "&".join(
        sorted(
            "%s=%s" % (urllib.parse.quote(k, safe="-_.~"), urllib.parse.quote(v, safe="-_.~"))
            for k, v in urllib.parse.parse_qsl(url.query, keep_blank_values=True)
        )
    )
    creq = "\n".join(
        [handler.command, url.path or "/", query, canon_headers, parts["SignedHeaders"],
         hashlib.sha256(body).hexdigest()]
    )
    sts = "\n".join(
        ["AWS4-HMAC-SHA256", handler.headers.get("X-Amz-Date", ""),
         "/".join(scope[1:]), hashlib.sha256(creq.encode()).hexdigest()]
    )
    key = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    want = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    return akid, "ok" if hmac.compare_digest(want, parts.get("Signature", "")) else "bad"


ASSUME = """<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><AssumedRoleId>AROA0000:{session}</AssumedRoleId><Arn>{arn}/{session}</Arn></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>{akid}</AccessKeyId>
      <SecretAccessKey>{secret}</SecretAccessKey>
      <SessionToken>{token}</SessionToken>
      <Expiration>{exp}</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>11111111-2222-3333-4444-555555555555</RequestId></ResponseMetadata>
</AssumeRoleResponse>
"""

WHOAMI = """<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/{akid}</Arn>
    <UserId>AIDA{akid}</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>11111111-2222-3333-4444-555555555556</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>
"""

STS_ERROR = """<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>{code}</Code><Message>{msg}</Message></Error>
  <RequestId>11111111-2222-3333-4444-555555555557</RequestId>
</ErrorResponse>
"""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body, ctype="application/json"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path == "/_admin/stats":
            with LOCK:
                return self.reply(200, json.dumps(STATE))
        if path.startswith("/creds/"):
            return self.container()
        prefix = "/latest/meta-data/iam/security-credentials/"
        if path.startswith(prefix):
            return self.imds(path[len(prefix):])
        self.reply(404, "{}")

    def container(self):
        if ARGS.container_token and self.headers.get("Authorization") != ARGS.container_token:
            with LOCK:
                STATE["rejected"].append("container: bad Authorization")
            return self.reply(401, '{"message": "unauthorized"}')
        with LOCK:
            STATE["container_fetches"] += 1
        akid, secret, token, exp = mint("CONT")
        self.reply(200, json.dumps({"RoleArn": "arn:aws:iam::123456789012:role/task",
                                    "AccessKeyId": akid, "SecretAccessKey": secret,
                                    "Token": token, "Expiration": exp}))

    def imds(self, role):
        if self.headers.get("X-aws-ec2-metadata-token") not in IMDS_TOKENS:
            with LOCK:
                STATE["rejected"].append("imds: no valid token")
            return self.reply(401, "", "text/plain")
        if not role:
            with LOCK:
                STATE["imds_role_gets"] += 1
            return self.reply(200, ARGS.imds_role, "text/plain")
        if role != ARGS.imds_role:
            return self.reply(404, "", "text/plain")
        with LOCK:
            STATE["imds_creds_gets"] += 1
        akid, secret, token, exp = mint("IMDS")
        self.reply(200, json.dumps({"Code": "Success", "LastUpdated": "2024-01-01T00:00:00Z",
                                    "Type": "AWS-HMAC", "AccessKeyId": akid,
                                    "SecretAccessKey": secret, "Token": token,
                                    "Expiration": exp}))

    def do_PUT(self):
        if urllib.parse.urlsplit(self.path).path != "/latest/api/token":
            return self.reply(404, "")
        if not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            return self.reply(400, "", "text/plain")
        tok = "imdstoken-" + secrets.token_hex(16)
        with LOCK:
            STATE["imds_token_puts"] += 1
            IMDS_TOKENS.add(tok)
        self.reply(200, tok, "text/plain")

    def do_POST(self):
        body = self.body()
        params = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
        akid, verdict = sigv4_check(self, body)
        call = {"action": params.get("Action"), "params": params, "akid": akid,
                "signature": verdict, "has_token": "X-Amz-Security-Token" in self.headers}
        with LOCK:
            STATE["sts"].append(call)
        if verdict != "ok":
            return self.reply(403, STS_ERROR.format(code="SignatureDoesNotMatch",
                                                    msg="signature " + verdict), "text/xml")
        if params.get("Action") == "GetCallerIdentity":
            return self.reply(200, WHOAMI.format(akid=akid), "text/xml")
        if params.get("Action") != "AssumeRole":
            return self.reply(400, STS_ERROR.format(code="InvalidAction", msg="no"), "text/xml")
        if params.get("RoleArn", "").endswith("/denied"):
            return self.reply(403, STS_ERROR.format(code="AccessDenied",
                                                    msg="not allowed"), "text/xml")
        akid2, secret, token, exp = mint("ROLE")
        self.reply(200, ASSUME.format(session=params.get("RoleSessionName", ""),
                                      arn=params.get("RoleArn", ""), akid=akid2,
                                      secret=secret, token=token, exp=exp), "text/xml")


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--expiry-seconds", type=int, default=3600)
    p.add_argument("--container-token", default="")
    p.add_argument("--imds-role", default="shears-test-role")
    p.add_argument("--key", action="append", default=[], help="AKID:SECRET the STS side knows")
    ARGS = p.parse_args()
    for k in ARGS.key:
        akid, secret = k.split(":", 1)
        KEYS[akid] = secret
    srv = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    srv.daemon_threads = True
    print("ready http://127.0.0.1:%d" % srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
