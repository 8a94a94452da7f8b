"""tests/fakeaws's core, driven by botocore as the independent client
(Debian's python3-botocore: its serializers build every request and its
parsers read every answer): each protocol round-trips (query, json 1.0/1.1,
rest-json, rest-xml with path and virtual-host style), SigV4 failures get
each service's own error code and status, session tokens, pagination, each
fault kind, quotas (throttled when exceeded, not when paced), --latency-ms,
state save/load/reset, call counters, SIGTERM, and the ready line within 2 s.

The fake runs with a one-account file written here (no seeded resources),
so every resource a test reads back is one it created."""
import datetime
import hashlib
import http.client
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from cmocka_unittest import main  # noqa: E402

import botocore.auth  # noqa: E402
import botocore.awsrequest  # noqa: E402
import botocore.config  # noqa: E402
import botocore.credentials  # noqa: E402
import botocore.exceptions  # noqa: E402
import botocore.parsers  # noqa: E402
import botocore.session  # noqa: E402

FAKE = os.path.join(ROOT, "tests", "fakeaws", "fakeaws")
ACCOUNT_ID = "111122223333"
AKID = "AKIAFAKECORETEST0001"
SECRET = "fakecore/secret/for/tests/only/0123456789"
REGION = "us-east-1"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
    "Action": "sts:AssumeRole"}]})


def fake_command(*args):
    """The fake's command line. tests/fakeaws/fakeaws is the package
    directory (its __main__.py), so it runs through the interpreter."""
    if os.path.isdir(FAKE):
        return ["/usr/bin/python3", "-I", FAKE] + list(args)
    return [FAKE] + list(args)


def write_account(path):
    with open(path, "w") as f:
        json.dump({"account": {"id": ACCOUNT_ID, "alias": "core-test", "home_region": REGION,
                               "keys": [{"access_key_id": AKID, "secret": SECRET,
                                         "user_name": "tester"}]}}, f)


def start_fake(*args):
    """(process, url, seconds to the ready line)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.pop("PYTHONPATH", None)
    t0 = time.monotonic()
    proc = subprocess.Popen(fake_command("--port", "0", *args), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    line = proc.stdout.readline()
    took = time.monotonic() - t0
    if not re.match(r"^ready http://127\.0\.0\.1:\d+\n$", line):
        proc.kill()
        raise AssertionError("no ready line: %r %s" % (line, proc.stderr.read()[-2000:]))
    return proc, line.split()[1], took


def stop_fake(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for f in (proc.stdout, proc.stderr):
        if f:
            f.close()


def zip_bytes(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()


class Fake:
    """A running fake and botocore clients for it."""

    def __init__(self, *args):
        self.dir = tempfile.mkdtemp(prefix="fakeaws-core-")
        self.account = os.path.join(self.dir, "account.json")
        write_account(self.account)
        self.proc, self.url, self.start_seconds = start_fake("--account", self.account, *args)
        self.port = int(self.url.rsplit(":", 1)[1])
        self.session = botocore.session.Session()
        self.session.set_credentials(AKID, SECRET)

    def client(self, name, region=REGION, key=AKID, secret=SECRET, token=None, **config):
        cfg = botocore.config.Config(retries={"max_attempts": 0}, **config)
        return self.session.create_client(
            name, region_name=region, endpoint_url=self.url, aws_access_key_id=key,
            aws_secret_access_key=secret, aws_session_token=token, config=cfg)

    def admin(self, path, doc=None, method=None):
        data = None if doc is None else json.dumps(doc).encode()
        req = urllib.request.Request(self.url + "/_fakeaws/" + path, data=data,
                                     method=method or ("POST" if data is not None else "GET"))
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    def stop(self):
        stop_fake(self.proc)


def error_of(fn, *args, **kwargs):
    """(code, HTTP status) of the ClientError fn raises."""
    try:
        fn(*args, **kwargs)
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError("%s did not fail" % getattr(fn, "__name__", fn))


def raw_s3(fake, method, host, path, body=b"", unsigned_payload=False, headers=None,
           secret=SECRET, tamper_sha=False):
    """A request signed by botocore's own S3 signer, sent with http.client so
    the Host header may name a virtual-host bucket."""
    url = "http://%s%s" % (host, path)
    req = botocore.awsrequest.AWSRequest(method=method, url=url, data=body,
                                         headers=dict(headers or {}))
    if unsigned_payload:
        req.context["client_config"] = botocore.config.Config(
            s3={"payload_signing_enabled": False})
    creds = botocore.credentials.Credentials(AKID, secret)
    botocore.auth.S3SigV4Auth(creds, "s3", REGION).add_auth(req)
    hdrs = dict(req.headers.items())
    if tamper_sha:
        hdrs["X-Amz-Content-SHA256"] = hashlib.sha256(b"something else").hexdigest()
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=10)
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", host)
    for k, v in hdrs.items():
        conn.putheader(k, v)
    conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body)
    r = conn.getresponse()
    out = (r.status, r.read())
    conn.close()
    return out


class FakeAwsCore(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = Fake()

    @classmethod
    def tearDownClass(cls):
        cls.fake.stop()

    def setUp(self):
        self.fake.admin("reset", {})

    # ------------------------------------------------------------ start

    def test_ready_line_fast_and_demo_starts_under_2s(self):
        self.assertLess(self.fake.start_seconds, 2.0)
        proc, url, took = start_fake("--account", "demo")
        try:
            self.assertLess(took, 2.0, "demo account took %.2fs to be ready" % took)
            with urllib.request.urlopen(url + "/_fakeaws/health", timeout=5) as r:
                self.assertEqual(json.loads(r.read()), {"ok": True})
        finally:
            stop_fake(proc)

    # ------------------------------------------------------------ query

    def test_query_sts_and_iam_round_trip(self):
        ident = self.fake.client("sts").get_caller_identity()
        self.assertEqual(ident["Account"], ACCOUNT_ID)
        self.assertEqual(ident["Arn"], "arn:aws:iam::%s:user/tester" % ACCOUNT_ID)
        iam = self.fake.client("iam")
        made = iam.create_role(RoleName="core-role", AssumeRolePolicyDocument=TRUST,
                               Tags=[{"Key": "team", "Value": "sec"}])["Role"]
        got = iam.get_role(RoleName="core-role")["Role"]
        self.assertEqual(got["Arn"], made["Arn"])
        self.assertIsInstance(got["CreateDate"], datetime.datetime)
        self.assertEqual(got["Tags"], [{"Key": "team", "Value": "sec"}])
        self.assertEqual(error_of(iam.get_role, RoleName="nope"), ("NoSuchEntity", 404))

    def test_query_sqs_maps_and_flattened_lists(self):
        sqs = self.fake.client("sqs")
        url = sqs.create_queue(QueueName="core-q", Attributes={"VisibilityTimeout": "45"},
                               tags={"k": "v"})["QueueUrl"]
        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(attrs["VisibilityTimeout"], "45")
        self.assertIn(url, sqs.list_queues()["QueueUrls"])

    def test_sqs_json_form(self):
        """Newer SDKs speak SQS's json form (X-Amz-Target AmazonSQS.*); its
        errors carry the query code in x-amzn-query-error."""
        url = self.fake.client("sqs").create_queue(QueueName="core-jq")["QueueUrl"]

        def call(op, doc):
            req = botocore.awsrequest.AWSRequest(
                method="POST", url=self.fake.url + "/", data=json.dumps(doc).encode(),
                headers={"Content-Type": "application/x-amz-json-1.0",
                         "X-Amz-Target": "AmazonSQS." + op})
            botocore.auth.SigV4Auth(botocore.credentials.Credentials(AKID, SECRET), "sqs",
                                    REGION).add_auth(req)
            conn = http.client.HTTPConnection("127.0.0.1", self.fake.port, timeout=5)
            conn.request("POST", "/", body=req.body, headers=dict(req.headers.items()))
            r = conn.getresponse()
            out = (r.status, r.getheader("Content-Type"), r.getheader("x-amzn-query-error"),
                   json.loads(r.read()))
            conn.close()
            return out

        status, ctype, _, doc = call("ListQueues", {"QueueNamePrefix": "core-j"})
        self.assertEqual((status, ctype, doc), (200, "application/x-amz-json-1.0",
                                                {"QueueUrls": [url]}))
        status, _, _, doc = call("GetQueueAttributes", {"QueueUrl": url,
                                                        "AttributeNames": ["QueueArn"]})
        self.assertEqual(doc["Attributes"]["QueueArn"],
                         "arn:aws:sqs:%s:%s:core-jq" % (REGION, ACCOUNT_ID))
        status, _, qerr, doc = call("GetQueueAttributes", {"QueueUrl": url + "-none",
                                                           "AttributeNames": ["All"]})
        self.assertEqual(status, 400)
        self.assertTrue(doc["__type"].endswith("#QueueDoesNotExist"), doc)
        self.assertEqual(qerr, "AWS.SimpleQueueService.NonExistentQueue;Sender")

    def test_query_cloudwatch_alarm_round_trip(self):
        cw = self.fake.client("cloudwatch")
        cw.put_metric_alarm(AlarmName="core-errors", Namespace="AWS/Lambda", MetricName="Errors",
                            Dimensions=[{"Name": "FunctionName", "Value": "f"}], Statistic="Sum",
                            Period=300, EvaluationPeriods=1, Threshold=1.5,
                            ComparisonOperator="GreaterThanThreshold")
        alarms = cw.describe_alarms(AlarmNames=["core-errors"])["MetricAlarms"]
        self.assertEqual(len(alarms), 1)
        self.assertEqual(alarms[0]["Threshold"], 1.5)
        self.assertEqual(alarms[0]["Dimensions"], [{"Name": "FunctionName", "Value": "f"}])

    # ------------------------------------------------------------- json

    def test_json_dynamodb_logs_events_round_trip(self):
        ddb = self.fake.client("dynamodb")
        ddb.create_table(TableName="core-t", BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
        t = ddb.describe_table(TableName="core-t")["Table"]
        self.assertEqual(t["KeySchema"], [{"AttributeName": "id", "KeyType": "HASH"}])
        self.assertIsInstance(t["CreationDateTime"], datetime.datetime)
        self.assertEqual(error_of(ddb.describe_table, TableName="none"),
                         ("ResourceNotFoundException", 400))
        logs = self.fake.client("logs")
        logs.create_log_group(logGroupName="/core/lg")
        logs.put_retention_policy(logGroupName="/core/lg", retentionInDays=14)
        groups = logs.describe_log_groups(logGroupNamePrefix="/core/")["logGroups"]
        self.assertEqual([(g["logGroupName"], g.get("retentionInDays")) for g in groups],
                         [("/core/lg", 14)])
        ev = self.fake.client("events")
        arn = ev.put_rule(Name="core-rule", ScheduleExpression="rate(5 minutes)")["RuleArn"]
        self.assertEqual(ev.describe_rule(Name="core-rule")["Arn"], arn)

    # -------------------------------------------------------- rest-json

    def make_function(self, name, region=REGION):
        iam = self.fake.client("iam")
        try:
            role = iam.create_role(RoleName="core-fn-role",
                                   AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
        except botocore.exceptions.ClientError:
            role = iam.get_role(RoleName="core-fn-role")["Role"]["Arn"]
        code = zip_bytes({"index.py": "def handler(e, c):\n    return %r\n" % name})
        lam = self.fake.client("lambda", region=region)
        fn = lam.create_function(FunctionName=name, Runtime="python3.9", Role=role,
                                 Handler="index.handler", Code={"ZipFile": code},
                                 Environment={"Variables": {"STAGE": "test"}}, Timeout=30)
        return lam, fn, code

    def test_rest_json_lambda_round_trip_and_code_download(self):
        lam, fn, code = self.make_function("core-fn")
        got = lam.get_function(FunctionName="core-fn")
        self.assertEqual(got["Configuration"]["FunctionArn"], fn["FunctionArn"])
        self.assertEqual(got["Configuration"]["Environment"]["Variables"], {"STAGE": "test"})
        with urllib.request.urlopen(got["Code"]["Location"], timeout=5) as r:
            self.assertEqual(r.read(), code)
        lam.add_permission(FunctionName="core-fn", StatementId="s1", Action="lambda:InvokeFunction",
                           Principal="s3.amazonaws.com")
        policy = lam.get_policy(FunctionName=fn["FunctionArn"])
        self.assertEqual(json.loads(policy["Policy"])["Statement"][0]["Sid"], "s1")
        self.assertEqual(error_of(lam.get_function, FunctionName="missing"),
                         ("ResourceNotFoundException", 404))
        lam.delete_function(FunctionName="core-fn")
        self.assertEqual(lam.list_functions()["Functions"], [])

    def test_rest_json_regions_are_separate(self):
        self.make_function("core-west", region="us-west-2")
        west = self.fake.client("lambda", region="us-west-2").list_functions()["Functions"]
        east = self.fake.client("lambda").list_functions()["Functions"]
        self.assertEqual([f["FunctionName"] for f in west], ["core-west"])
        self.assertEqual(east, [])
        self.assertIn(":us-west-2:", west[0]["FunctionArn"])

    def test_rest_json_apigateway_v1_and_v2(self):
        v1 = self.fake.client("apigateway")
        api = v1.create_rest_api(name="core-api")
        items = v1.get_rest_apis()["items"]
        self.assertEqual([(a["id"], a["name"]) for a in items], [(api["id"], "core-api")])
        self.assertIsInstance(items[0]["createdDate"], datetime.datetime)
        v2 = self.fake.client("apigatewayv2")
        http_api = v2.create_api(Name="core-http", ProtocolType="HTTP")
        got = v2.get_apis()["Items"]
        self.assertEqual([(a["ApiId"], a["Name"]) for a in got], [(http_api["ApiId"], "core-http")])
        self.assertEqual(error_of(v1.get_resources, restApiId="nope"), ("NotFoundException", 404))

    # --------------------------------------------------------- rest-xml

    def test_rest_xml_s3_path_style(self):
        s3 = self.fake.client("s3")
        s3.create_bucket(Bucket="core-bucket")
        self.assertIn("core-bucket", [b["Name"] for b in s3.list_buckets()["Buckets"]])
        data = os.urandom(3000)
        s3.put_object(Bucket="core-bucket", Key="dir/a b.bin", Body=data)
        self.assertEqual(s3.get_object(Bucket="core-bucket", Key="dir/a b.bin")["Body"].read(), data)
        policy = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::core-bucket/*"}]})
        # New buckets block public policies (as AWS does since 2023): lift that first.
        s3.put_public_access_block(Bucket="core-bucket", PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": False,
            "BlockPublicPolicy": False, "RestrictPublicBuckets": False})
        pab = s3.get_public_access_block(Bucket="core-bucket")["PublicAccessBlockConfiguration"]
        self.assertEqual(pab, {"BlockPublicAcls": True, "IgnorePublicAcls": False,
                               "BlockPublicPolicy": False, "RestrictPublicBuckets": False})
        s3.put_bucket_policy(Bucket="core-bucket", Policy=policy)
        self.assertEqual(json.loads(s3.get_bucket_policy(Bucket="core-bucket")["Policy"]),
                         json.loads(policy))
        grants = s3.get_bucket_acl(Bucket="core-bucket")["Grants"]
        self.assertTrue(grants and all(g["Grantee"]["Type"] for g in grants))
        self.assertEqual(error_of(s3.get_bucket_policy, Bucket="no-such-bucket-core"),
                         ("NoSuchBucket", 404))

    def test_rest_xml_s3_virtual_host_and_unsigned_payload(self):
        self.fake.client("s3").create_bucket(Bucket="core-vhost")
        host = "core-vhost.s3.localhost:%d" % self.fake.port
        status, _ = raw_s3(self.fake, "PUT", host, "/k.txt", b"hello vhost",
                           headers={"Content-Type": "text/plain"})
        self.assertEqual(status, 200)
        status, body = raw_s3(self.fake, "GET", host, "/k.txt", unsigned_payload=True)
        self.assertEqual((status, body), (200, b"hello vhost"))
        status, body = raw_s3(self.fake, "PUT", host, "/u.txt", b"unsigned body",
                              unsigned_payload=True)
        self.assertEqual(status, 200)
        got = self.fake.client("s3").get_object(Bucket="core-vhost", Key="u.txt")["Body"].read()
        self.assertEqual(got, b"unsigned body")
        # Presigned URLs: botocore's default (SigV2 query) and SigV4 query.
        for version in (None, "s3v4"):
            s3 = self.fake.client("s3", signature_version=version)
            url = s3.generate_presigned_url("get_object", ExpiresIn=60,
                                            Params={"Bucket": "core-vhost", "Key": "k.txt"})
            with urllib.request.urlopen(url, timeout=5) as r:
                self.assertEqual(r.read(), b"hello vhost")
            with self.assertRaises(urllib.error.HTTPError) as cm:
                urllib.request.urlopen(url.replace("k.txt", "u.txt"), timeout=5)
            self.assertEqual(cm.exception.code, 403)
        status, body = raw_s3(self.fake, "PUT", host, "/t.txt", b"tampered", tamper_sha=True)
        self.assertEqual(status, 400)
        self.assertIn(b"<Code>XAmzContentSHA256Mismatch</Code>", body)

    # ------------------------------------------------------------- auth

    def test_bad_signature_per_protocol(self):
        f = self.fake
        bad = dict(secret="wrong" + SECRET)
        self.assertEqual(error_of(f.client("sts", **bad).get_caller_identity),
                         ("SignatureDoesNotMatch", 403))
        self.assertEqual(error_of(f.client("iam", **bad).list_roles),
                         ("SignatureDoesNotMatch", 403))
        self.assertEqual(error_of(f.client("lambda", **bad).list_functions),
                         ("InvalidSignatureException", 403))
        self.assertEqual(error_of(f.client("apigateway", **bad).get_rest_apis),
                         ("InvalidSignatureException", 403))
        self.assertEqual(error_of(f.client("dynamodb", **bad).list_tables),
                         ("InvalidSignatureException", 400))
        self.assertEqual(error_of(f.client("s3", **bad).list_buckets),
                         ("SignatureDoesNotMatch", 403))

    def test_unknown_key_per_protocol(self):
        f = self.fake
        bad = dict(key="AKIAUNKNOWNKEY000000")
        self.assertEqual(error_of(f.client("sts", **bad).get_caller_identity),
                         ("InvalidClientTokenId", 403))
        self.assertEqual(error_of(f.client("lambda", **bad).list_functions),
                         ("UnrecognizedClientException", 403))
        self.assertEqual(error_of(f.client("logs", **bad).describe_log_groups),
                         ("UnrecognizedClientException", 400))
        self.assertEqual(error_of(f.client("s3", **bad).list_buckets),
                         ("InvalidAccessKeyId", 403))

    def test_clock_skew_per_protocol(self):
        f = self.fake
        f.admin("clock", {"offset": 16 * 60})
        try:
            self.assertEqual(error_of(f.client("sts").get_caller_identity),
                             ("SignatureDoesNotMatch", 403))
            self.assertEqual(error_of(f.client("lambda").list_functions),
                             ("InvalidSignatureException", 403))
            self.assertEqual(error_of(f.client("events").list_rules),
                             ("InvalidSignatureException", 400))
            self.assertEqual(error_of(f.client("s3").list_buckets),
                             ("RequestTimeTooSkewed", 403))
            f.admin("clock", {"offset": 14 * 60})
            f.client("sts").get_caller_identity()       # within 15 minutes: accepted
        finally:
            f.admin("clock", {"offset": 0})

    def test_unsigned_request_refused(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.fake.port, timeout=5)
        conn.request("POST", "/", body="Action=GetCallerIdentity&Version=2011-06-15",
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        r = conn.getresponse()
        body = r.read()
        conn.close()
        self.assertEqual(r.status, 403)
        self.assertIn(b"<Code>MissingAuthenticationToken</Code>", body)

    def test_assume_role_session_tokens(self):
        iam = self.fake.client("iam")
        role = iam.create_role(RoleName="core-assumable", AssumeRolePolicyDocument=TRUST)["Role"]
        sts = self.fake.client("sts")
        creds = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="audit")["Credentials"]
        self.assertTrue(creds["AccessKeyId"].startswith("ASIA"))
        self.assertGreater(creds["Expiration"], datetime.datetime.now(datetime.timezone.utc))
        temp = dict(key=creds["AccessKeyId"], secret=creds["SecretAccessKey"])
        who = self.fake.client("sts", token=creds["SessionToken"], **temp).get_caller_identity()
        self.assertEqual(who["Arn"], "arn:aws:sts::%s:assumed-role/core-assumable/audit"
                         % ACCOUNT_ID)
        self.assertTrue(who["UserId"].startswith(role["RoleId"] + ":"))
        self.assertEqual(error_of(self.fake.client("sts", **temp).get_caller_identity),
                         ("InvalidClientTokenId", 403))
        self.assertEqual(error_of(self.fake.client("lambda", token="forged", **temp)
                                  .list_functions), ("UnrecognizedClientException", 403))
        missing = "arn:aws:iam::%s:role/no-such-role" % ACCOUNT_ID
        self.assertEqual(error_of(sts.assume_role, RoleArn=missing, RoleSessionName="x1"),
                         ("AccessDenied", 403))
        self.fake.admin("reset", {})            # temporary keys do not survive a reset
        self.assertEqual(error_of(self.fake.client("sts", token=creds["SessionToken"], **temp)
                                  .get_caller_identity), ("InvalidClientTokenId", 403))

    # ------------------------------------------------------- pagination

    def test_pagination_iam_marker_and_lambda_default_page(self):
        iam = self.fake.client("iam")
        names = ["core-p%02d" % i for i in range(7)]
        for n in names:
            iam.create_role(RoleName=n, AssumeRolePolicyDocument=TRUST)
        first = iam.list_roles(MaxItems=3)
        self.assertEqual(len(first["Roles"]), 3)
        self.assertTrue(first["IsTruncated"])
        pages = list(iam.get_paginator("list_roles").paginate(PaginationConfig={"PageSize": 3}))
        self.assertEqual([len(p["Roles"]) for p in pages], [3, 3, 1])
        self.assertEqual(sorted(r["RoleName"] for p in pages for r in p["Roles"]), names)
        self.assertFalse(pages[-1]["IsTruncated"])
        self.assertNotIn("Marker", pages[-1])
        self.assertEqual(error_of(iam.list_roles, Marker="garbage"), ("InvalidInput", 400))
        lam = self.fake.client("lambda")
        for i in range(3):
            self.make_function("core-page-%d" % i)
        p1 = lam.list_functions(MaxItems=2)
        self.assertEqual(len(p1["Functions"]), 2)
        p2 = lam.list_functions(Marker=p1["NextMarker"], MaxItems=2)
        self.assertEqual(len(p2["Functions"]), 1)
        self.assertNotIn("NextMarker", p2)
        self.assertEqual(error_of(lam.list_functions, Marker="nope"),
                         ("InvalidParameterValueException", 400))

    # ----------------------------------------------------------- faults

    def test_fault_throttle_next_n(self):
        self.fake.admin("faults", {"service": "lambda", "operation": "ListFunctions",
                                   "kind": "throttle", "count": 2})
        lam = self.fake.client("lambda")
        self.assertEqual(error_of(lam.list_functions), ("TooManyRequestsException", 429))
        self.assertEqual(error_of(lam.list_functions), ("TooManyRequestsException", 429))
        lam.list_functions()
        self.fake.admin("faults", {"service": "iam", "kind": "throttle", "count": 1})
        self.assertEqual(error_of(self.fake.client("iam").list_roles), ("Throttling", 400))
        self.fake.admin("faults", {"service": "s3", "kind": "throttle", "count": 1})
        self.assertEqual(error_of(self.fake.client("s3").list_buckets), ("SlowDown", 503))

    def test_fault_500_and_503(self):
        self.fake.admin("faults", {"service": "sts", "operation": "*", "kind": "500"})
        self.assertEqual(error_of(self.fake.client("sts").get_caller_identity),
                         ("InternalFailure", 500))
        self.fake.admin("faults", {"service": "lambda", "kind": "500"})
        self.assertEqual(error_of(self.fake.client("lambda").list_functions),
                         ("ServiceException", 500))
        self.fake.admin("faults", {"service": "s3", "kind": "503"})
        self.assertEqual(error_of(self.fake.client("s3").list_buckets),
                         ("ServiceUnavailable", 503))
        self.fake.client("sts").get_caller_identity()       # each fired once only

    def test_fault_reset_connection(self):
        self.fake.admin("faults", {"service": "sts", "kind": "reset"})
        with self.assertRaises((botocore.exceptions.ConnectionClosedError,
                                botocore.exceptions.EndpointConnectionError)):
            self.fake.client("sts").get_caller_identity()
        self.fake.client("sts").get_caller_identity()

    def test_fault_stall(self):
        self.fake.admin("faults", {"service": "sts", "kind": "stall", "seconds": 1.0})
        with self.assertRaises(botocore.exceptions.ReadTimeoutError):
            self.fake.client("sts", read_timeout=0.3).get_caller_identity()
        self.fake.admin("faults", {"service": "sts", "kind": "stall", "seconds": 0.5})
        t0 = time.monotonic()
        self.fake.client("sts").get_caller_identity()
        self.assertGreaterEqual(time.monotonic() - t0, 0.5)

    def test_fault_truncate(self):
        # botocore reads a short JSON body leniently (urllib3 does not enforce
        # Content-Length) but cannot parse half an XML document.
        self.fake.admin("faults", {"service": "iam", "kind": "truncate"})
        with self.assertRaises(botocore.parsers.ResponseParserError):
            self.fake.client("iam").list_roles()
        self.fake.admin("faults", {"service": "sts", "kind": "truncate"})
        conn = http.client.HTTPConnection("127.0.0.1", self.fake.port, timeout=5)
        req = botocore.awsrequest.AWSRequest(
            method="POST", url=self.fake.url + "/", data=b"Action=GetCallerIdentity&Version=2011-06-15",
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        botocore.auth.SigV4Auth(botocore.credentials.Credentials(AKID, SECRET), "sts",
                                REGION).add_auth(req)
        conn.request("POST", "/", body=req.body, headers=dict(req.headers.items()))
        r = conn.getresponse()
        with self.assertRaises(http.client.IncompleteRead):
            r.read()
        conn.close()

    def test_fault_malformed_json_and_xml(self):
        ddb = self.fake.client("dynamodb")
        ddb.create_table(TableName="core-m", BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
        self.assertEqual(ddb.list_tables()["TableNames"], ["core-m"])
        # botocore turns a JSON body it cannot parse into {"message": body}:
        # the answer it returns has lost the table list.
        self.fake.admin("faults", {"service": "dynamodb", "kind": "malformed"})
        self.assertNotIn("TableNames", ddb.list_tables())
        self.fake.admin("faults", {"service": "iam", "operation": "ListRoles", "kind": "malformed"})
        with self.assertRaises(botocore.parsers.ResponseParserError):
            self.fake.client("iam").list_roles()
        self.fake.client("iam").list_roles()
        self.assertEqual(ddb.list_tables()["TableNames"], ["core-m"])

    def test_fault_rules_listed_and_cleared(self):
        self.fake.admin("faults", {"service": "sts", "kind": "500", "count": None})
        for _ in range(3):
            self.assertEqual(error_of(self.fake.client("sts").get_caller_identity)[1], 500)
        self.assertEqual(len(self.fake.admin("faults")["faults"]), 1)
        self.fake.admin("faults", method="DELETE")
        self.fake.client("sts").get_caller_identity()

    def test_quotas_set_at_run_time(self):
        doc = self.fake.admin("quotas", {"quotas": [{"service": "sts", "operation": "*",
                                                      "rate": 1, "burst": 2}]})
        self.assertEqual(doc["quotas"][0]["rate"], 1)
        try:
            sts = self.fake.client("sts")
            sts.get_caller_identity()
            sts.get_caller_identity()
            self.assertEqual(error_of(sts.get_caller_identity), ("Throttling", 400))
            self.assertEqual(self.fake.admin("calls")["throttled"]["sts"]["GetCallerIdentity"], 1)
        finally:
            self.assertEqual(self.fake.admin("quotas", {"mode": "off"})["quotas"], [])
        sts.get_caller_identity()

    # ------------------------------------------------- counters, state

    def test_call_counters_per_operation_and_key(self):
        self.fake.client("sts").get_caller_identity()
        for _ in range(3):
            self.fake.client("lambda").list_functions()
        calls = self.fake.admin("calls")
        self.assertEqual(calls["calls"]["lambda"]["ListFunctions"], 3)
        self.assertEqual(calls["calls"]["sts"]["GetCallerIdentity"], 1)
        self.assertEqual(calls["keys"][AKID], 4)
        self.assertEqual(calls["total"], 4)

    def test_reset_and_save_load(self):
        iam = self.fake.client("iam")
        iam.create_role(RoleName="core-saved", AssumeRolePolicyDocument=TRUST)
        path = os.path.join(self.fake.dir, "state.json")
        self.assertEqual(self.fake.admin("save", {"path": path})["saved"], path)
        self.fake.admin("reset", {})
        self.assertEqual(self.fake.admin("calls")["total"], 0)
        self.assertEqual(error_of(iam.get_role, RoleName="core-saved"), ("NoSuchEntity", 404))
        self.fake.admin("load", {"path": path})
        self.assertEqual(iam.get_role(RoleName="core-saved")["Role"]["RoleName"], "core-saved")


class FakeAwsQuotas(unittest.TestCase):
    """A second fake with --quotas aws, --latency-ms and --faults FILE."""

    @classmethod
    def setUpClass(cls):
        d = tempfile.mkdtemp(prefix="fakeaws-core-q-")
        cls.faults = os.path.join(d, "faults.json")
        with open(cls.faults, "w") as f:
            json.dump([{"service": "sns", "operation": "ListTopics", "kind": "throttle",
                        "count": 1}], f)
        cls.state_out = os.path.join(d, "out.json")
        cls.fake = Fake("--quotas", "aws", "--latency-ms", "30", "--faults", cls.faults,
                        "--state-out", cls.state_out)

    @classmethod
    def tearDownClass(cls):
        cls.fake.stop()

    def test_faults_file_applies_at_start(self):
        sns = self.fake.client("sns")
        self.assertEqual(error_of(sns.list_topics), ("Throttled", 429))
        sns.list_topics()

    def test_latency_added(self):
        sts = self.fake.client("sts")
        sts.get_caller_identity()
        t0 = time.monotonic()
        for _ in range(3):
            sts.get_caller_identity()
        self.assertGreaterEqual((time.monotonic() - t0) / 3, 0.030)

    def burst(self, fn, n, threads=6):
        """n calls from several threads at once; the error codes seen."""
        codes = []
        lock = threading.Lock()

        def run(k):
            for _ in range(k):
                try:
                    fn()
                    c = "ok"
                except botocore.exceptions.ClientError as e:
                    c = (e.response["Error"]["Code"],
                         e.response["ResponseMetadata"]["HTTPStatusCode"])
                with lock:
                    codes.append(c)
        ts = [threading.Thread(target=run, args=(n // threads,)) for _ in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        return codes

    def test_quota_exceeded_throttles_with_service_error(self):
        # 30 ms latency per call and 6 threads: ~200 calls/s, far above
        # IAM's 20/s and Lambda's 15/s control plane.
        iam = self.fake.client("iam", max_pool_connections=8)
        codes = self.burst(iam.list_roles, 60)
        self.assertIn(("Throttling", 400), codes)
        self.assertIn("ok", codes)
        lam = self.fake.client("lambda", max_pool_connections=8)
        codes = self.burst(lam.list_functions, 48)
        self.assertIn(("TooManyRequestsException", 429), codes)
        self.assertGreater(self.fake.admin("calls")["throttled"]["lambda"]["ListFunctions"], 0)

    def test_quota_paced_is_not_throttled(self):
        time.sleep(1.1)             # let the buckets refill after other tests
        lam = self.fake.client("lambda")
        codes = []
        t0 = time.monotonic()
        for i in range(20):         # 10/s, below Lambda's 15/s
            while time.monotonic() < t0 + i * 0.1:
                time.sleep(0.005)
            try:
                lam.list_functions()
                codes.append("ok")
            except botocore.exceptions.ClientError as e:
                codes.append(e.response["Error"]["Code"])
        self.assertEqual(codes, ["ok"] * 20)

    def test_z_sigterm_stops_cleanly_and_saves_state(self):
        self.fake.client("iam")                # nothing to create: a save of the seed is enough
        t0 = time.monotonic()
        self.fake.proc.send_signal(signal.SIGTERM)
        rc = self.fake.proc.wait(5)
        self.assertEqual(rc, 0)
        self.assertLess(time.monotonic() - t0, 2.0)
        with open(self.state_out) as f:
            saved = json.load(f)
        self.assertIn(ACCOUNT_ID, saved["accounts"])
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", self.fake.port), timeout=1).close()


if __name__ == "__main__":
    main()
