#!/usr/bin/python3 -I
"""Loopback IAM for tests/integration/test_collect_iam_pages.c: answers
GetAccountAuthorizationDetails in two pages (a role on page 1 attaches a
policy listed on page 2), and an access advisor job that stays IN_PROGRESS
for --polls answers, then completes in two Marker pages. A job for a role
named "stuck" never completes. GET /__log: the requests seen, as JSON.
Standard library only; prints "ready http://127.0.0.1:PORT"."""
import argparse
import json
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ACCT = "123456789012"
NS = 'xmlns="https://iam.amazonaws.com/doc/2010-05-08/"'


def enc(doc):
    return urllib.parse.quote(json.dumps(doc), safe="")


TRUST = enc({"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                            "Action": "sts:AssumeRole"}]})
JOBS = {"Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage",
                       "Resource": "arn:aws:sqs:us-east-1:%s:jobs" % ACCT}]}


def role(name, attached):
    pols = "".join("<member><PolicyName>%s</PolicyName><PolicyArn>%s</PolicyArn></member>"
                   % (a.rsplit("/", 1)[1], a) for a in attached)
    return ("<member><Path>/</Path><RoleName>%s</RoleName><RoleId>AROA%s</RoleId>"
            "<Arn>arn:aws:iam::%s:role/%s</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate>"
            "<AssumeRolePolicyDocument>%s</AssumeRolePolicyDocument><InstanceProfileList/>"
            "<RolePolicyList/><AttachedManagedPolicies>%s</AttachedManagedPolicies><Tags/>"
            "<RoleLastUsed/></member>" % (name, name.upper(), ACCT, name, TRUST, pols))


def page(roles, policies, marker):
    more = "<IsTruncated>true</IsTruncated><Marker>%s</Marker>" % marker if marker else \
        "<IsTruncated>false</IsTruncated>"
    return ("<GetAccountAuthorizationDetailsResponse %s><GetAccountAuthorizationDetailsResult>"
            "%s<UserDetailList/><GroupDetailList/><RoleDetailList>%s</RoleDetailList>"
            "<Policies>%s</Policies></GetAccountAuthorizationDetailsResult>"
            "</GetAccountAuthorizationDetailsResponse>" % (NS, more, roles, policies))


POLICY = ("<member><PolicyName>jobs</PolicyName><PolicyId>ANPAJOBS</PolicyId>"
          "<Arn>arn:aws:iam::%s:policy/jobs</Arn><Path>/</Path><DefaultVersionId>v1</DefaultVersionId>"
          "<AttachmentCount>1</AttachmentCount><IsAttachable>true</IsAttachable><PolicyVersionList>"
          "<member><Document>%s</Document><VersionId>v1</VersionId><IsDefaultVersion>true"
          "</IsDefaultVersion></member></PolicyVersionList></member>" % (ACCT, enc(JOBS)))


def service(ns):
    return ("<member><ServiceName>%s</ServiceName><ServiceNamespace>%s</ServiceNamespace>"
            "<TotalAuthenticatedEntities>1</TotalAuthenticatedEntities>"
            "<LastAuthenticated>2026-01-01T00:00:00Z</LastAuthenticated></member>" % (ns, ns))


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def send(self, status, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.send(200, json.dumps(self.server.log))

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        p = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(n).decode()).items()}
        self.server.log.append(p)
        op = p.get("Action")
        if op == "GetAccountAuthorizationDetails":
            if p.get("Marker") == "page-2":
                return self.send(200, page(role("second", []), POLICY, None))
            return self.send(200, page(role("first", ["arn:aws:iam::%s:policy/jobs" % ACCT])
                                       + role("stuck", []), "", "page-2"))
        if op == "GenerateServiceLastAccessedDetails":
            job = p["Arn"].rsplit("/", 1)[1]
            self.server.polls[job] = 0
            return self.send(200, "<GenerateServiceLastAccessedDetailsResponse %s>"
                             "<GenerateServiceLastAccessedDetailsResult><JobId>%s</JobId>"
                             "</GenerateServiceLastAccessedDetailsResult>"
                             "</GenerateServiceLastAccessedDetailsResponse>" % (NS, job))
        if op == "GetServiceLastAccessedDetails":
            job = p["JobId"]
            self.server.polls[job] += 1
            if job == "stuck" or self.server.polls[job] <= self.server.in_progress:
                body = "<JobStatus>IN_PROGRESS</JobStatus><ServicesLastAccessed/>"
            elif p.get("Marker") == "svc-2":
                body = ("<JobStatus>COMPLETED</JobStatus><IsTruncated>false</IsTruncated>"
                        "<JobCompletionDate>2026-01-02T00:00:00Z</JobCompletionDate>"
                        "<ServicesLastAccessed>%s</ServicesLastAccessed>" % service("sqs"))
            else:
                body = ("<JobStatus>COMPLETED</JobStatus><IsTruncated>true</IsTruncated>"
                        "<Marker>svc-2</Marker><ServicesLastAccessed>%s</ServicesLastAccessed>"
                        % service("logs"))
            return self.send(200, "<GetServiceLastAccessedDetailsResponse %s>"
                             "<GetServiceLastAccessedDetailsResult>%s"
                             "</GetServiceLastAccessedDetailsResult>"
                             "</GetServiceLastAccessedDetailsResponse>" % (NS, body))
        self.send(400, "<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--polls", type=int, default=2, help="IN_PROGRESS answers before COMPLETED")
    args = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    srv.log, srv.polls, srv.in_progress = [], {}, args.polls
    sys.stdout.write("ready http://127.0.0.1:%d\n" % srv.server_address[1])
    sys.stdout.flush()
    srv.serve_forever()


if __name__ == "__main__":
    main()
