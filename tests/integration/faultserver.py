#!/usr/bin/python3 -I
"""Loopback HTTP(S) server that answers as AWS does when things go wrong.

For tests/integration/test_transport.c. Standard library only (Debian's
/usr/bin/python3 -I). Prints "ready http://127.0.0.1:PORT" (https with --tls)
once it listens, and flushes.

  faultserver.py --port 0 [--tls CERT KEY] [--plan "/x: 429,429,200"]...
                 [--stall-s 30] [--slow-ms 200]

Every path has a plan: the answers to give to its next requests, in order;
when the plan is used up (or there is none) the answer is "200". A plan is
set on the command line (--plan, repeatable) or at run time:

  POST /__plan/x        body "429@1,500,200": the plan of path /x
  POST /__reset         forget plans, counters and the request log
  GET  /__stats         JSON: {"paths": {"/x": n}, "total": n, "max_active": n,
                        "max_conns": n, "opened": n, "requests": [{method, path, host,
                        authorization, amz_date, token, content_sha256}]}

Answers (a plan's items):
  200 | ok          200, JSON {"ok": true, "path": ..., "seen": n}
  429             429 TooManyRequestsException (JSON, x-amzn-ErrorType header)
  throttle-json   400 {"__type": "...#ThrottlingException"} (json protocol)
  throttle-xml    400 <ErrorResponse><Error><Code>Throttling (query protocol)
  slowdown        503 <Error><Code>SlowDown (S3)
  500 502 503 504 that status with an InternalFailure/ServiceUnavailable body
  denied          403 AccessDeniedException (JSON __type)
  notfound        404 ResourceNotFoundException (x-amzn-ErrorType "Code:http://...")
  malformed       400 with a body that is neither JSON nor XML
  reset           the connection is reset (RST) without an answer
  stall           no answer for --stall-s seconds, then the connection closes
  truncate        200 announcing 100 bytes, 20 sent, then the connection closes
  slow[:MS]       200 after MS (default --slow-ms) milliseconds
  Any item may end with "@N": the answer carries "Retry-After: N".
"""
import argparse
import json
import socket
import ssl
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
PLANS = {}
STATE = {}
ARGS = None


def reset_state():
    STATE.clear()
    STATE.update(paths={}, total=0, active=0, max_active=0, conns=0, max_conns=0, opened=0, requests=[])


def parse_plan(text):
    """'/x: 429,200' -> ('/x', ['429', '200'])"""
    path, _, items = text.partition(":")
    return path.strip(), [i.strip() for i in items.split(",") if i.strip()]


JSON_ERR = {
    "429": (429, "TooManyRequestsException", {"message": "Rate exceeded"}),
    "throttle-json": (400, None, {"__type": "com.amazon.coral.availability#ThrottlingException",
                                  "message": "Rate exceeded"}),
    "denied": (403, None, {"__type": "AccessDeniedException",
                           "Message": "User: arn:aws:iam::123456789012:user/test is not "
                                      "authorized to perform: lambda:GetFunction"}),
    "notfound": (404, "ResourceNotFoundException:http://internal.amazon.com/coral/"
                      "com.amazonaws.lambda/",
                 {"Type": "User", "Message": "Function not found: "
                                             "arn:aws:lambda:us-east-1:123456789012:function:f"}),
    "500": (500, None, {"__type": "InternalFailure", "message": "internal failure"}),
    "502": (502, None, {"message": "bad gateway"}),
    "504": (504, None, {"message": "gateway timeout"}),
}

XML_ERR = {
    "throttle-xml": (400, "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                          "<Error><Type>Sender</Type><Code>Throttling</Code>"
                          "<Message>Rate exceeded</Message></Error>"
                          "<RequestId>8f1e1c7e-0000-4000-8000-000000000001</RequestId>"
                          "</ErrorResponse>"),
    "slowdown": (503, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
                      "<Message>Please reduce your request rate.</Message>"
                      "<RequestId>4442587FB7D0A2F9</RequestId></Error>"),
    "503": (503, "<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code>"
                 "<Message>Service is unavailable</Message></Error></ErrorResponse>"),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        with LOCK:
            STATE["conns"] += 1
            STATE["opened"] = STATE.get("opened", 0) + 1
            STATE["max_conns"] = max(STATE["max_conns"], STATE["conns"])

    def finish(self):
        try:
            super().finish()
        finally:
            with LOCK:
                STATE["conns"] -= 1

    def send(self, status, body, ctype="application/json", headers=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", "req-%d" % STATE["total"])
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def control(self, path, body):
        if path.startswith("/__plan/"):
            with LOCK:
                PLANS[path[len("/__plan"):]] = [i.strip() for i in body.decode().split(",")
                                                if i.strip()]
            return self.send(200, "{}")
        if path == "/__reset":
            with LOCK:
                PLANS.clear()
                reset_state()
            return self.send(200, "{}")
        if path == "/__stats":
            with LOCK:
                out = json.dumps({k: v for k, v in STATE.items()})
            return self.send(200, out)
        return self.send(404, "{}")

    def record(self, path):
        h = self.headers
        with LOCK:
            STATE["total"] += 1
            STATE["paths"][path] = STATE["paths"].get(path, 0) + 1
            seen = STATE["paths"][path]
            STATE["requests"] = STATE["requests"][-499:] + [{
                "method": self.command, "path": self.path, "host": h.get("Host", ""),
                "authorization": h.get("Authorization", ""), "amz_date": h.get("X-Amz-Date", ""),
                "token": h.get("X-Amz-Security-Token", ""),
                "content_sha256": h.get("X-Amz-Content-SHA256", ""),
                "user_agent": h.get("User-Agent", "")}]
            plan = PLANS.get(path)
            item = plan.pop(0) if plan else "200"
        return item, seen

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path.split("?", 1)[0]
        if path.startswith("/__"):
            return self.control(path, body)
        item, seen = self.record(path)
        with LOCK:
            STATE["active"] += 1
            STATE["max_active"] = max(STATE["max_active"], STATE["active"])
        try:
            self.answer(item, path, seen)
        finally:
            with LOCK:
                STATE["active"] -= 1

    def answer(self, item, path, seen):
        item, _, ra = item.partition("@")
        extra = [("Retry-After", ra)] if ra else []
        name, _, arg = item.partition(":")
        if name in ("200", "ok", "slow"):
            if name == "slow":
                time.sleep((int(arg) if arg else ARGS.slow_ms) / 1000.0)
            return self.send(200, json.dumps({"ok": True, "path": path, "seen": seen}),
                             headers=extra)
        if name in JSON_ERR:
            status, etype, body = JSON_ERR[name]
            if etype:
                extra.append(("x-amzn-ErrorType", etype))
            return self.send(status, json.dumps(body), "application/x-amz-json-1.1", extra)
        if name in XML_ERR:
            status, body = XML_ERR[name]
            return self.send(status, body, "text/xml", extra)
        if name == "malformed":
            return self.send(400, "<html><body>oops {\"__type\": ", "text/html", extra)
        return self.fault(name)

    def fault(self, name):
        self.close_connection = True
        if name == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            return
        if name == "stall":
            time.sleep(ARGS.stall_s)
            return
        if name == "truncate":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b'{"ok": true, "pad')
            self.wfile.flush()
            return
        self.send(599, "unknown plan item %r" % name, "text/plain")

    do_GET = do_POST = do_PUT = do_DELETE = handle_any

    def do_HEAD(self):
        self.handle_any()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        pass  # resets and refused handshakes are the point here


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--plan", action="append", default=[])
    ap.add_argument("--stall-s", type=float, default=30)
    ap.add_argument("--slow-ms", type=int, default=200)
    ARGS = ap.parse_args()
    reset_state()
    for p in ARGS.plan:
        path, items = parse_plan(p)
        PLANS[path] = items
    srv = Server(("127.0.0.1", ARGS.port), Handler)
    scheme = "http"
    if ARGS.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(ARGS.tls[0], ARGS.tls[1])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True,
                                     do_handshake_on_connect=False)
        scheme = "https"
    print("ready %s://127.0.0.1:%d" % (scheme, srv.server_address[1]), flush=True)
    try:
        srv.serve_forever(poll_interval=0.05)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
