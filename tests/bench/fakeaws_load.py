#!/usr/bin/python3 -I
"""Requests per second of tests/fakeaws for simple signed requests.

Starts the fake on a one-account file (nothing seeded), pinned to one CPU,
and drives it from this process (pinned to another CPU when there is one)
over C keep-alive connections, one request outstanding on each, each
request signed by botocore's SigV4 signer once and re-sent (the signature
stays valid for 15 minutes). Prints one line per request kind:

  fakeaws_load: sts GetCallerIdentity: 12345 requests in 3.00 s = 4115 req/s (errors 0)

Usage: /usr/bin/python3 -I tests/bench/fakeaws_load.py [--seconds S]
       [--connections C] [--max-requests N] [--url URL]
With --url the running fake at URL is used (its demo keys) instead of a
fresh one. Bounded: stops after S seconds or N requests per kind.
"""
import argparse
import configparser
import json
import os
import selectors
import socket
import subprocess
import sys
import tempfile
import time

import botocore.auth
import botocore.awsrequest
import botocore.credentials

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FAKE = os.path.join(ROOT, "tests", "fakeaws", "fakeaws")
AKID = "AKIAFAKELOADBENCH001"
SECRET = "fakeaws/load/bench/secret/0123456789abc"


def signed(url, method, path, body, service, region, headers, akid, secret):
    req = botocore.awsrequest.AWSRequest(method=method, url=url + path, data=body,
                                         headers=dict(headers))
    botocore.auth.SigV4Auth(botocore.credentials.Credentials(akid, secret), service,
                            region).add_auth(req)
    host = url.split("://", 1)[1]
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: %s" % host,
             "Content-Length: %d" % len(body)]
    lines += ["%s: %s" % (k, v) for k, v in req.headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class Conn:
    def __init__(self, addr, request):
        self.sock = socket.create_connection(addr)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.setblocking(False)
        self.request = request
        self.buf = b""
        self.need = None

    def send(self):
        self.sock.sendall(self.request)

    def feed(self, data):
        """Returns (complete responses, errors) parsed from buf."""
        self.buf += data
        done = errors = 0
        while True:
            if self.need is None:
                end = self.buf.find(b"\r\n\r\n")
                if end < 0:
                    return done, errors
                head = self.buf[:end].decode("latin-1")
                status = int(head.split(" ", 2)[1])
                length = 0
                for line in head.split("\r\n")[1:]:
                    k, _, v = line.partition(":")
                    if k.strip().lower() == "content-length":
                        length = int(v)
                self.need = end + 4 + length
                self.status = status
            if len(self.buf) < self.need:
                return done, errors
            self.buf = self.buf[self.need:]
            self.need = None
            done += 1
            if self.status != 200:
                errors += 1


def run(addr, request, seconds, conns, max_requests):
    sel = selectors.DefaultSelector()
    cs = [Conn(addr, request) for _ in range(conns)]
    for c in cs:
        sel.register(c.sock, selectors.EVENT_READ, c)
    sent = done = errors = 0
    t0 = time.perf_counter()
    deadline = t0 + seconds
    for c in cs:
        c.send()
        sent += 1
    while done < sent:
        for key, _ in sel.select(timeout=5):
            c = key.data
            data = c.sock.recv(262144)
            if not data:
                raise SystemExit("fakeaws_load: connection closed by the fake")
            n, e = c.feed(data)
            done += n
            errors += e
            if n and time.perf_counter() < deadline and sent < max_requests:
                c.send()
                sent += 1
    took = time.perf_counter() - t0
    for c in cs:
        c.sock.close()
    return done, errors, took


def pin(pid, cpu):
    try:
        if len(os.sched_getaffinity(0)) > 1:
            os.sched_setaffinity(pid, {cpu})
            return True
    except (AttributeError, OSError):
        pass
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--max-requests", type=int, default=200000)
    ap.add_argument("--url", default=None)
    args = ap.parse_args()
    proc = None
    akid, secret = AKID, SECRET
    try:
        if args.url:
            url = args.url.rstrip("/")
            cp = configparser.ConfigParser()
            cp.read(os.path.join(ROOT, "tests", "fakeaws", "accounts", "demo.credentials"))
            akid = cp["demo"]["aws_access_key_id"]
            secret = cp["demo"]["aws_secret_access_key"]
        else:
            d = tempfile.mkdtemp(prefix="fakeaws-load-")
            account = os.path.join(d, "account.json")
            with open(account, "w") as f:
                json.dump({"account": {"id": "222233334444", "keys": [
                    {"access_key_id": AKID, "secret": SECRET, "user_name": "bench"}]}}, f)
            cmd = ["/usr/bin/python3", "-I", FAKE] if os.path.isdir(FAKE) else [FAKE]
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd + ["--port", "0", "--account", account],
                                    stdout=subprocess.PIPE, text=True)
            line = proc.stdout.readline().split()
            if len(line) != 2 or line[0] != "ready":
                raise SystemExit("fakeaws_load: the fake did not start")
            url = line[1]
            print("fakeaws_load: ready in %.2f s at %s" % (time.perf_counter() - t0, url))
            pinned = pin(proc.pid, 0) and pin(0, 1)
            print("fakeaws_load: fake pinned to one CPU: %s" % ("yes" if pinned else "no"))
        host, port = url.split("://", 1)[1].split(":")
        addr = (host, int(port))
        kinds = [
            ("sts GetCallerIdentity", signed(
                url, "POST", "/", b"Action=GetCallerIdentity&Version=2011-06-15", "sts",
                "us-east-1", {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
                akid, secret)),
            ("lambda ListFunctions", signed(
                url, "GET", "/2015-03-31/functions/", b"", "lambda", "us-east-1", {},
                akid, secret)),
        ]
        for name, request in kinds:
            run(addr, request, 0.3, args.connections, 2000)          # warm up
            done, errors, took = run(addr, request, args.seconds, args.connections,
                                     args.max_requests)
            print("fakeaws_load: %s: %d requests in %.2f s = %.0f req/s (errors %d)"
                  % (name, done, took, done / took, errors))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
