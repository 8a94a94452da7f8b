"""Debian's awscli against tests/fakeaws for S3, API Gateway v1 and v2,
DynamoDB, SQS, SNS and EventBridge: every operation of those services the
fake serves is called through awscli (botocore parses every answer),
shapes are created with write calls and read back, lists are paged with
--page-size/--max-items, errors carry the service's own codes, and one
fault per protocol (rest-xml, rest-json, json, query) shows awscli
retrying a throttle and giving up on a 500 burst.

/usr/bin/aws is `awscli.clidriver.main()`; starting it costs half a second
of CPU, so most calls run that same driver inside this process (a fresh
driver and session per call, real HTTP to the fake) and the fault tests
and a smoke check run the /usr/bin/aws binary itself."""
import concurrent.futures
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from cmocka_unittest import main  # noqa: E402

FAKE = os.path.join(ROOT, "tests", "fakeaws", "fakeaws")
ACCOUNTS = os.path.join(ROOT, "tests", "fakeaws", "accounts")
AWS = "/usr/bin/aws"
P = "clib"          # prefix of every resource this test creates
LAMBDA_ARN = "arn:aws:lambda:%s:%s:function:%s-handler"


def awscli_driver():
    """awscli's own driver module, from the package /usr/bin/aws runs
    (Debian's awscli bundles its botocore, found through its import hook)."""
    import awscli.clidriver
    return awscli.clidriver


class Result:
    def __init__(self, rc, out, err):
        self.rc = rc
        self.out = out
        self.err = err

    def json(self):
        return json.loads(self.out) if self.out.strip() else {}


class AwscliB(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp(prefix="fakeaws-awscli-b-")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.pop("PYTHONPATH", None)
        env.update(HOME=cls.home, AWS_EC2_METADATA_DISABLED="true", AWS_PAGER="",
                   AWS_PROFILE="demo", AWS_RETRY_MODE="standard", AWS_MAX_ATTEMPTS="3",
                   AWS_CONFIG_FILE=os.path.join(ACCOUNTS, "demo.config"),
                   AWS_SHARED_CREDENTIALS_FILE=os.path.join(ACCOUNTS, "demo.credentials"))
        cls.env = env
        cls.fake = subprocess.Popen(["/usr/bin/python3", "-I", FAKE, "--port", "0", "--account", "demo"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    text=True, env=env)
        # Class cleanups run even when setUpClass fails half-way.
        cls.addClassCleanup(shutil.rmtree, cls.home, ignore_errors=True)
        cls.addClassCleanup(cls.fake.wait, 10)
        cls.addClassCleanup(cls.fake.terminate)
        line = cls.fake.stdout.readline().strip()
        assert line.startswith("ready "), "fake did not start: %r" % line
        cls.url = line.split(" ", 1)[1]
        with open(os.path.join(ACCOUNTS, "demo.config")) as f:
            m = re.search(r"^\s*region\s*=\s*(\S+)", f.read(), re.M)
        cls.region = m.group(1) if m else "us-east-1"
        cls.r2 = "eu-west-1" if cls.region != "eu-west-1" else "us-west-2"
        # The in-process driver reads the same environment as the binary.
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(env)
        cls.addClassCleanup(os.environ.update, saved)
        cls.addClassCleanup(os.environ.clear)
        cls.driver = awscli_driver()
        cls.pool = concurrent.futures.ThreadPoolExecutor(max_workers=8)
        cls.addClassCleanup(cls.pool.shutdown)
        ident = cls.aws_bin_cls("sts", "get-caller-identity")
        assert ident.rc == 0, ident.err
        cls.account = ident.json()["Account"]

    # -- helpers --------------------------------------------------------------

    @classmethod
    def argv(cls, args, region):
        return ["--endpoint-url", cls.url, "--output", "json",
                "--region", region or cls.region, *args]

    @classmethod
    def aws_bin_cls(cls, *args, region=None):
        proc = subprocess.run([AWS, *cls.argv(args, region)], capture_output=True, text=True,
                              env=cls.env, timeout=60, cwd=cls.home)
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def aws_bin(self, *args, region=None):
        """The /usr/bin/aws binary in its own process."""
        return self.aws_bin_cls(*args, region=region)

    def aws(self, *args, region=None):
        """awscli's driver in this process: what /usr/bin/aws runs, minus
        the interpreter start."""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = self.driver.create_clidriver().main(self.argv(args, region))
            except SystemExit as e:
                rc = e.code if isinstance(e.code, int) else 1
        return Result(rc, out.getvalue(), err.getvalue())

    def ok(self, *args, region=None):
        res = self.aws(*args, region=region)
        self.assertEqual(res.rc, 0, "aws %s: %s" % (" ".join(args), res.err))
        return res.json()

    def run_all(self, calls):
        """Runs a batch of aws calls in turn (the in-process driver owns
        stdout): calls is a dict name -> args tuple (or (args, region));
        returns name -> Result."""
        out = {}
        for name, spec in calls.items():
            args, region = (spec[0], spec[1]) if isinstance(spec[0], tuple) else (spec, None)
            out[name] = self.aws(*args, region=region)
        return out

    def ok_all(self, calls):
        out = {}
        for name, res in self.run_all(calls).items():
            self.assertEqual(res.rc, 0, "%s: %s" % (name, res.err))
            out[name] = res.json()
        return out

    def assert_error(self, res, code):
        """awscli failed with the service's error code."""
        self.assertNotEqual(res.rc, 0, res.out)
        self.assertIn("(%s)" % code, res.err)

    def admin(self, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + "/_fakeaws/" + path, data=data,
                                     method="POST" if data is not None else "GET",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            text = resp.read().decode()
        return json.loads(text) if text.strip() else {}

    def paged(self, args, key, region=None, page=1, first=2):
        """Checks a paginated list three ways: whole (awscli pages with
        --page-size, the fake cuts the pages), the first --max-items, then
        the rest from the returned NextToken; returns the whole list."""
        before = self.admin("calls")["total"]
        whole = self.ok(*args, "--page-size", str(page), region=region)[key]
        # The fake cut the list: one request per page (maybe one more,
        # empty, when the list is a whole number of pages).
        pages = self.admin("calls")["total"] - before
        need = max(1, -(-len(whole) // page))
        self.assertIn(pages, (need, need + 1), "%d items in %d requests" % (len(whole), pages))
        head = self.ok(*args, "--max-items", str(first), region=region)
        self.assertEqual(len(head[key]), first)
        self.assertIn("NextToken", head)
        tail = self.ok(*args, "--starting-token", head["NextToken"], region=region)[key]
        self.assertEqual(head[key] + tail, whole)
        return whole

    def make_bucket(self, name, *args, region=None):
        region = region or self.region
        if region != "us-east-1":
            args += ("--create-bucket-configuration", "LocationConstraint=" + region)
        return self.ok("s3api", "create-bucket", "--bucket", name, *args, region=region)

    def lambda_arn(self, region=None):
        return LAMBDA_ARN % (region or self.region, self.account, P)

    # -- S3 (rest-xml) --------------------------------------------------------

    def test_s3_buckets_policies_acls_and_errors(self):
        pub, eu, acl = P + "-public-site", P + "-eu-archive", P + "-acl-bucket"
        R2 = self.r2
        self.make_bucket(pub)
        self.make_bucket(eu, region=R2)
        self.make_bucket(acl, "--object-ownership", "ObjectWriter")
        policy = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::%s/*" % pub}]})
        scoped = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::%s/*" % eu,
            "Condition": {"StringEquals": {"aws:SourceAccount": self.account}}}]})
        # New buckets block public policies, as AWS's do since 2023.
        self.assert_error(self.aws("s3api", "put-bucket-policy", "--bucket", pub,
                                   "--policy", policy), "AccessDenied")
        off = "BlockPublicAcls=false,IgnorePublicAcls=false,BlockPublicPolicy=false,RestrictPublicBuckets=false"
        self.ok("s3api", "put-public-access-block", "--bucket", pub,
                "--public-access-block-configuration", off)
        self.ok("s3api", "put-public-access-block", "--bucket", acl,
                "--public-access-block-configuration", off)
        notif = {"LambdaFunctionConfigurations": [{
            "Id": "on-upload", "LambdaFunctionArn": self.lambda_arn(),
            "Events": ["s3:ObjectCreated:*"],
            "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "uploads/"}]}}}],
            "QueueConfigurations": [{"QueueArn": "arn:aws:sqs:%s:%s:%s-q" % (self.region, self.account, P),
                                     "Events": ["s3:ObjectRemoved:*"]}],
            "TopicConfigurations": [{"TopicArn": "arn:aws:sns:%s:%s:%s-t" % (self.region, self.account, P),
                                     "Events": ["s3:ObjectCreated:Put", "s3:ObjectCreated:Post"]}]}
        self.ok_all({
            "policy": ("s3api", "put-bucket-policy", "--bucket", pub, "--policy", policy),
            "scoped": (("s3api", "put-bucket-policy", "--bucket", eu, "--policy", scoped), R2),
            "acl": ("s3api", "put-bucket-acl", "--bucket", acl, "--grant-read",
                    'uri="http://acs.amazonaws.com/groups/global/AllUsers"'),
            "notif": ("s3api", "put-bucket-notification-configuration", "--bucket", pub,
                      "--notification-configuration", json.dumps(notif)),
            "tags": ("s3api", "put-bucket-tagging", "--bucket", pub, "--tagging",
                     "TagSet=[{Key=team,Value=web},{Key=env,Value=prod}]"),
            "noenc": ("s3api", "delete-bucket-encryption", "--bucket", acl),
        })
        r = self.ok_all({
            "list": ("s3api", "list-buckets"),
            "loc_us": ("s3api", "get-bucket-location", "--bucket", pub),
            "loc_eu": (("s3api", "get-bucket-location", "--bucket", eu), R2),
            "policy": ("s3api", "get-bucket-policy", "--bucket", pub),
            "status": ("s3api", "get-bucket-policy-status", "--bucket", pub),
            "status_eu": (("s3api", "get-bucket-policy-status", "--bucket", eu), R2),
            "pab": ("s3api", "get-public-access-block", "--bucket", pub),
            "pab_new": (("s3api", "get-public-access-block", "--bucket", eu), R2),
            "acl": ("s3api", "get-bucket-acl", "--bucket", acl),
            "acl_private": ("s3api", "get-bucket-acl", "--bucket", pub),
            "notif": ("s3api", "get-bucket-notification-configuration", "--bucket", pub),
            "notif_none": (("s3api", "get-bucket-notification-configuration", "--bucket", eu), R2),
            "tags": ("s3api", "get-bucket-tagging", "--bucket", pub),
            "enc": ("s3api", "get-bucket-encryption", "--bucket", pub),
        })
        names = [b["Name"] for b in r["list"]["Buckets"]]
        self.assertEqual(names, sorted(names))
        mine = [b for b in r["list"]["Buckets"] if b["Name"] in (pub, eu, acl)]
        self.assertEqual([b["Name"] for b in mine], sorted([pub, eu, acl]))
        self.assertRegex(mine[0]["CreationDate"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
        self.assertRegex(r["list"]["Owner"]["ID"], r"^[0-9a-f]{64}$")
        # S3 answers an empty LocationConstraint for us-east-1.
        self.assertEqual(r["loc_us"]["LocationConstraint"],
                         None if self.region == "us-east-1" else self.region)
        self.assertEqual(r["loc_eu"]["LocationConstraint"], R2)
        self.assertEqual(json.loads(r["policy"]["Policy"]), json.loads(policy))
        self.assertIs(r["status"]["PolicyStatus"]["IsPublic"], True)
        self.assertIs(r["status_eu"]["PolicyStatus"]["IsPublic"], False)
        self.assertEqual(r["pab"]["PublicAccessBlockConfiguration"],
                         {"BlockPublicAcls": False, "IgnorePublicAcls": False,
                          "BlockPublicPolicy": False, "RestrictPublicBuckets": False})
        self.assertIs(r["pab_new"]["PublicAccessBlockConfiguration"]["BlockPublicPolicy"], True)
        self.assertEqual(r["acl"]["Grants"], [{"Grantee": {
            "Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
            "Permission": "READ"}])
        owner_grant = r["acl_private"]["Grants"]
        self.assertEqual(len(owner_grant), 1)
        self.assertEqual(owner_grant[0]["Grantee"]["Type"], "CanonicalUser")
        self.assertEqual(owner_grant[0]["Grantee"]["ID"], r["acl_private"]["Owner"]["ID"])
        self.assertEqual(owner_grant[0]["Permission"], "FULL_CONTROL")
        got = r["notif"]
        self.assertEqual(got["LambdaFunctionConfigurations"], notif["LambdaFunctionConfigurations"])
        self.assertEqual(got["QueueConfigurations"][0]["QueueArn"], notif["QueueConfigurations"][0]["QueueArn"])
        self.assertTrue(got["QueueConfigurations"][0]["Id"])
        self.assertEqual(got["TopicConfigurations"][0]["Events"], ["s3:ObjectCreated:Put", "s3:ObjectCreated:Post"])
        self.assertNotIn("LambdaFunctionConfigurations", r["notif_none"])
        self.assertEqual(r["tags"]["TagSet"], [{"Key": "team", "Value": "web"},
                                               {"Key": "env", "Value": "prod"}])
        rule = r["enc"]["ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"], "AES256")
        self.assertIs(rule["BucketKeyEnabled"], False)

        self.ok("s3api", "delete-bucket-policy", "--bucket", pub)
        errs = self.run_all({
            "no_bucket": ("s3api", "get-bucket-location", "--bucket", P + "-missing"),
            "no_policy": ("s3api", "get-bucket-policy", "--bucket", pub),
            "no_status": ("s3api", "get-bucket-policy-status", "--bucket", pub),
            "no_tags": ("s3api", "get-bucket-tagging", "--bucket", acl),
            "no_enc": ("s3api", "get-bucket-encryption", "--bucket", acl),
            "owned": ("s3api", "create-bucket", "--bucket", pub),
            "bad_name": ("s3api", "create-bucket", "--bucket", "Not_A_Bucket"),
            "wrong_region": (("s3api", "create-bucket", "--bucket", P + "-nowhere"), R2),
        })
        self.assert_error(errs["no_bucket"], "NoSuchBucket")
        self.assert_error(errs["no_policy"], "NoSuchBucketPolicy")
        self.assert_error(errs["no_status"], "NoSuchBucketPolicy")
        self.assert_error(errs["no_tags"], "NoSuchTagSet")
        self.assert_error(errs["no_enc"], "ServerSideEncryptionConfigurationNotFoundError")
        self.assert_error(errs["owned"], "BucketAlreadyOwnedByYou")
        self.assert_error(errs["bad_name"], "InvalidBucketName")
        self.assert_error(errs["wrong_region"], "IllegalLocationConstraintException")
        self.ok("s3api", "put-bucket-encryption", "--bucket", acl,
                "--server-side-encryption-configuration", json.dumps({"Rules": [{
                    "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                                           "KMSMasterKeyID": "alias/backups"},
                    "BucketKeyEnabled": True}]}))
        rule = self.ok("s3api", "get-bucket-encryption", "--bucket", acl)[
            "ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"],
                         {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/backups"})
        self.assertIs(rule["BucketKeyEnabled"], True)
        self.ok("s3api", "delete-public-access-block", "--bucket", acl)
        self.assert_error(self.aws("s3api", "get-public-access-block", "--bucket", acl),
                          "NoSuchPublicAccessBlockConfiguration")

    def test_s3_objects_round_trip_and_page(self):
        bucket = P + "-backups"
        self.make_bucket(bucket)
        blob = os.path.join(self.home, "backup.bin")
        data = bytes(range(256)) * 64 + b"\x00end"
        with open(blob, "wb") as f:
            f.write(data)
        keys = ["state/2026-11-%02d.json" % d for d in range(1, 5)] + ["logs/a b+c.txt", "top.bin"]
        puts = {k: ("s3api", "put-object", "--bucket", bucket, "--key", k, "--body", blob,
                    "--content-type", "application/octet-stream", "--metadata", "origin=shears")
                for k in keys}
        put = self.ok_all(puts)
        self.assertTrue(all(re.match(r'^"[0-9a-f]{32}"$', p["ETag"]) for p in put.values()))
        out = os.path.join(self.home, "got.bin")
        got = self.ok("s3api", "get-object", "--bucket", bucket, "--key", "top.bin", out)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), data)
        self.assertEqual(got["ContentLength"], len(data))
        self.assertEqual(got["ContentType"], "application/octet-stream")
        self.assertEqual(got["Metadata"], {"origin": "shears"})
        self.assertEqual(got["ETag"], put["top.bin"]["ETag"])
        listed = self.paged(("s3api", "list-objects-v2", "--bucket", bucket), "Contents", page=2)
        self.assertEqual([o["Key"] for o in listed], sorted(keys))
        self.assertTrue(all(o["Size"] == len(data) and isinstance(o["Size"], int) for o in listed))
        rolled = self.ok("s3api", "list-objects-v2", "--bucket", bucket, "--delimiter", "/",
                         "--page-size", "1")
        self.assertEqual([p["Prefix"] for p in rolled["CommonPrefixes"]], ["logs/", "state/"])
        self.assertEqual([o["Key"] for o in rolled["Contents"]], ["top.bin"])
        self.assert_error(self.aws("s3api", "get-object", "--bucket", bucket, "--key", "nope", out),
                          "NoSuchKey")

    # -- API Gateway v1 (rest-json) -------------------------------------------

    def test_apigateway_rest_api_tree(self):
        api = self.ok("apigateway", "create-rest-api", "--name", P + "-orders",
                      "--endpoint-configuration", "types=REGIONAL", "--tags", "team=orders")
        self.assertRegex(api["id"], r"^[a-z0-9]{10}$")
        self.assertEqual(api["endpointConfiguration"]["types"], ["REGIONAL"])
        api_id = api["id"]
        root = self.ok("apigateway", "get-resources", "--rest-api-id", api_id)["items"]
        self.assertEqual([r["path"] for r in root], ["/"])
        base = ("--rest-api-id", api_id)
        res = {}
        parent = root[0]["id"]
        for part in ("orders", "{id}", "items"):
            made = self.ok("apigateway", "create-resource", *base, "--parent-id", parent,
                           "--path-part", part)
            res[part] = made["id"]
            parent = made["id"]
        self.assertEqual(made["path"], "/orders/{id}/items")
        uri = "arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations" % (
            self.region, self.lambda_arn())
        auths = self.ok_all({
            "token": ("apigateway", "create-authorizer", *base, "--name", "tok", "--type", "TOKEN",
                      "--authorizer-uri", uri, "--identity-source", "method.request.header.Authorization"),
            "pool": ("apigateway", "create-authorizer", *base, "--name", "pool",
                     "--type", "COGNITO_USER_POOLS", "--provider-arns",
                     "arn:aws:cognito-idp:%s:%s:userpool/%s_pool" % (self.region, self.account, self.region),
                     "--identity-source", "method.request.header.Authorization"),
        })
        self.assertEqual(auths["token"]["authorizerResultTtlInSeconds"], 300)
        methods = {
            ("orders", "GET"): ["--authorization-type", "NONE"],
            ("orders", "POST"): ["--authorization-type", "AWS_IAM"],
            ("{id}", "GET"): ["--authorization-type", "CUSTOM", "--authorizer-id",
                              auths["token"]["id"], "--api-key-required"],
            ("items", "PUT"): ["--authorization-type", "COGNITO_USER_POOLS", "--authorizer-id",
                               auths["pool"]["id"]],
        }
        put = self.ok_all({"%s %s" % k: ("apigateway", "put-method", *base, "--resource-id", res[k[0]],
                                          "--http-method", k[1], *v) for k, v in methods.items()})
        self.assertIs(put["{id} GET"]["apiKeyRequired"], True)
        self.assertIs(put["orders GET"]["apiKeyRequired"], False)
        self.ok_all({"%s %s" % k: ("apigateway", "put-integration", *base, "--resource-id", res[k[0]],
                                    "--http-method", k[1], "--type", "AWS_PROXY",
                                    "--integration-http-method", "POST", "--uri", uri)
                     for k in methods})
        dep = self.ok("apigateway", "create-deployment", *base, "--stage-name", "prod",
                      "--description", "first")
        self.assertRegex(dep["createdDate"], r"^\d{4}-")
        stage = self.ok("apigateway", "create-stage", *base, "--stage-name", "dev",
                        "--deployment-id", dep["id"], "--variables", "fn=orders")
        self.assertEqual(stage["variables"], {"fn": "orders"})
        key = self.ok("apigateway", "create-api-key", "--name", P + "-partner", "--enabled",
                      "--stage-keys", "restApiId=%s,stageName=prod" % api_id)
        plan = self.ok("apigateway", "create-usage-plan", "--name", P + "-basic", "--api-stages",
                       "apiId=%s,stage=prod" % api_id, "--throttle", "burstLimit=20,rateLimit=10",
                       "--quota", "limit=5000,period=MONTH")
        self.assertEqual(plan["quota"]["limit"], 5000)
        self.assertEqual(plan["throttle"]["rateLimit"], 10.0)
        pk = self.ok("apigateway", "create-usage-plan-key", "--usage-plan-id", plan["id"],
                     "--key-id", key["id"], "--key-type", "API_KEY")
        self.assertEqual((pk["id"], pk["type"], pk["name"]), (key["id"], "API_KEY", key["name"]))
        g = ("--resource-id", res["{id}"], "--http-method", "GET")
        r = self.ok_all({
            "apis": ("apigateway", "get-rest-apis"),
            "tree": ("apigateway", "get-resources", *base, "--embed", "methods"),
            "plain": ("apigateway", "get-resources", *base),
            "method": ("apigateway", "get-method", *base, *g),
            "integ": ("apigateway", "get-integration", *base, *g),
            "auths": ("apigateway", "get-authorizers", *base),
            "stages": ("apigateway", "get-stages", *base),
            "keys": ("apigateway", "get-api-keys", "--include-values", "--name-query", P + "-partner"),
            "plans": ("apigateway", "get-usage-plans"),
            "key_plans": ("apigateway", "get-usage-plans", "--key-id", key["id"]),
        })
        mine = [a for a in r["apis"]["items"] if a["id"] == api_id]
        self.assertEqual(mine[0]["tags"], {"team": "orders"})
        by_path = {i["path"]: i for i in r["tree"]["items"]}
        self.assertEqual(sorted(by_path), ["/", "/orders", "/orders/{id}", "/orders/{id}/items"])
        get_id = by_path["/orders/{id}"]["resourceMethods"]["GET"]
        self.assertEqual(get_id["authorizationType"], "CUSTOM")
        self.assertEqual(get_id["authorizerId"], auths["token"]["id"])
        self.assertIs(get_id["apiKeyRequired"], True)
        self.assertEqual(get_id["methodIntegration"]["uri"], uri)
        self.assertEqual(by_path["/orders"]["resourceMethods"]["POST"]["authorizationType"], "AWS_IAM")
        plain = {i["path"]: i for i in r["plain"]["items"]}
        self.assertEqual(plain["/orders"]["resourceMethods"], {"GET": {}, "POST": {}})
        self.assertEqual(r["method"]["httpMethod"], "GET")
        self.assertEqual(r["method"]["methodIntegration"]["type"], "AWS_PROXY")
        self.assertEqual(r["integ"]["type"], "AWS_PROXY")
        self.assertEqual(r["integ"]["httpMethod"], "POST")
        self.assertEqual(r["integ"]["timeoutInMillis"], 29000)
        self.assertEqual(sorted(a["type"] for a in r["auths"]["items"]), ["COGNITO_USER_POOLS", "TOKEN"])
        stages = {s["stageName"]: s for s in r["stages"]["item"]}
        self.assertEqual(sorted(stages), ["dev", "prod"])
        self.assertEqual(stages["prod"]["deploymentId"], dep["id"])
        self.assertIs(stages["prod"]["tracingEnabled"], False)
        self.assertEqual(r["keys"]["items"], [dict(key)])
        self.assertIs(r["keys"]["items"][0]["enabled"], True)
        self.assertEqual(r["keys"]["items"][0]["stageKeys"], ["%s/prod" % api_id])
        self.assertIn(plan["id"], [p["id"] for p in r["plans"]["items"]])
        self.assertEqual([p["id"] for p in r["key_plans"]["items"]], [plan["id"]])
        self.assertEqual(r["key_plans"]["items"][0]["apiStages"], [{"apiId": api_id, "stage": "prod"}])
        whole = self.paged(("apigateway", "get-resources", *base), "items")
        self.assertEqual(len(whole), 4)
        errs = self.run_all({
            "no_api": ("apigateway", "get-resources", "--rest-api-id", "nosuchapi1"),
            "dup": ("apigateway", "create-resource", *base, "--parent-id", root[0]["id"],
                    "--path-part", "orders"),
            "twice": ("apigateway", "put-method", *base, *g, "--authorization-type", "NONE"),
            "bad_auth": ("apigateway", "put-method", *base, "--resource-id", res["items"],
                         "--http-method", "GET", "--authorization-type", "CUSTOM",
                         "--authorizer-id", "nope00"),
            "bare_arn": ("apigateway", "put-integration", *base, "--resource-id", res["orders"],
                         "--http-method", "GET", "--type", "AWS_PROXY",
                         "--integration-http-method", "POST", "--uri", self.lambda_arn()),
            "no_method": ("apigateway", "get-method", *base, "--resource-id", res["items"],
                          "--http-method", "DELETE"),
        })
        self.assert_error(errs["no_api"], "NotFoundException")
        self.assert_error(errs["dup"], "ConflictException")
        self.assert_error(errs["twice"], "ConflictException")
        self.assert_error(errs["bad_auth"], "BadRequestException")
        self.assert_error(errs["bare_arn"], "BadRequestException")
        self.assert_error(errs["no_method"], "NotFoundException")

    def test_apigateway_lists_page(self):
        made = self.ok_all({i: ("apigateway", "create-rest-api", "--name", "%s-page-%d" % (P, i))
                            for i in range(3)})
        whole = self.paged(("apigateway", "get-rest-apis"), "items")
        ids = [a["id"] for a in whole]
        self.assertEqual(len(ids), len(set(ids)))
        self.assertTrue({m["id"] for m in made.values()} <= set(ids))
        self.ok_all({i: ("apigateway", "create-api-key", "--name", "%s-pk-%d" % (P, i))
                     for i in range(3)})
        keys = self.paged(("apigateway", "get-api-keys", "--name-query", P + "-pk-"), "items")
        self.assertEqual(sorted(k["name"] for k in keys), ["%s-pk-%d" % (P, i) for i in range(3)])
        self.assertTrue(all("value" not in k and k["enabled"] is False for k in keys))
        self.ok_all({i: ("apigateway", "create-usage-plan", "--name", "%s-up-%d" % (P, i))
                     for i in range(3)})
        plans = self.paged(("apigateway", "get-usage-plans"), "items")
        self.assertTrue({"%s-up-%d" % (P, i) for i in range(3)} <= {p["name"] for p in plans})
        api = made[0]["id"]
        self.ok_all({n: ("apigateway", "create-authorizer", "--rest-api-id", api, "--name", n,
                         "--type", "REQUEST", "--authorizer-uri",
                         "arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations"
                         % (self.region, self.lambda_arn()))
                     for n in ("a1", "a2", "a3")})
        auths = self.paged(("apigateway", "get-authorizers", "--rest-api-id", api), "items")
        self.assertEqual(sorted(a["name"] for a in auths), ["a1", "a2", "a3"])

    # -- API Gateway v2 (rest-json) -------------------------------------------

    def test_apigatewayv2_http_api(self):
        api = self.ok("apigatewayv2", "create-api", "--name", P + "-http", "--protocol-type", "HTTP",
                      "--tags", "team=web")
        api_id = api["ApiId"]
        self.assertEqual(api["RouteSelectionExpression"], "${request.method} ${request.path}")
        self.assertEqual(api["ApiEndpoint"], "https://%s.execute-api.%s.amazonaws.com" % (api_id, self.region))
        base = ("--api-id", api_id)
        integ = self.ok("apigatewayv2", "create-integration", *base, "--integration-type", "AWS_PROXY",
                        "--integration-uri", self.lambda_arn(), "--payload-format-version", "2.0")
        made = self.ok_all({
            "jwt": ("apigatewayv2", "create-authorizer", *base, "--name", "jwt", "--authorizer-type", "JWT",
                    "--identity-source", "$request.header.Authorization", "--jwt-configuration",
                    "Audience=client1,Issuer=https://cognito-idp.%s.amazonaws.com/pool" % self.region),
            "lam": ("apigatewayv2", "create-authorizer", *base, "--name", "lam", "--authorizer-type",
                    "REQUEST", "--authorizer-uri",
                    "arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations"
                    % (self.region, self.lambda_arn()),
                    "--authorizer-payload-format-version", "2.0", "--identity-source",
                    "$request.header.X-Key", "--enable-simple-responses"),
            "stage": ("apigatewayv2", "create-stage", *base, "--stage-name", "prod", "--auto-deploy"),
        })
        target = "integrations/" + integ["IntegrationId"]
        routes = {"GET /public": ["--authorization-type", "NONE"],
                  "POST /orders": ["--authorization-type", "JWT", "--authorizer-id",
                                   made["jwt"]["AuthorizerId"], "--authorization-scopes", "orders/write"],
                  "GET /admin": ["--authorization-type", "AWS_IAM"],
                  "DELETE /orders/{id}": ["--authorization-type", "CUSTOM", "--authorizer-id",
                                          made["lam"]["AuthorizerId"]],
                  "$default": []}
        self.ok_all({k: ("apigatewayv2", "create-route", *base, "--route-key", k, "--target", target, *v)
                     for k, v in routes.items()})
        r = self.ok_all({
            "apis": ("apigatewayv2", "get-apis"),
            "integ": ("apigatewayv2", "get-integrations", *base),
            "auths": ("apigatewayv2", "get-authorizers", *base),
            "stages": ("apigatewayv2", "get-stages", *base),
        })
        mine = [a for a in r["apis"]["Items"] if a["ApiId"] == api_id][0]
        self.assertEqual(mine["Tags"], {"team": "web"})
        self.assertEqual(mine["ProtocolType"], "HTTP")
        self.assertEqual(r["integ"]["Items"][0]["IntegrationUri"], self.lambda_arn())
        self.assertEqual(r["integ"]["Items"][0]["PayloadFormatVersion"], "2.0")
        self.assertEqual(r["integ"]["Items"][0]["TimeoutInMillis"], 30000)
        auths = {a["Name"]: a for a in r["auths"]["Items"]}
        self.assertEqual(auths["jwt"]["JwtConfiguration"]["Audience"], ["client1"])
        self.assertEqual(auths["jwt"]["IdentitySource"], ["$request.header.Authorization"])
        self.assertIs(auths["lam"]["EnableSimpleResponses"], True)
        self.assertIs(r["stages"]["Items"][0]["AutoDeploy"], True)
        self.assertRegex(r["stages"]["Items"][0]["CreatedDate"], r"^\d{4}-")
        listed = self.paged(("apigatewayv2", "get-routes", *base), "Items")
        by_key = {x["RouteKey"]: x for x in listed}
        self.assertEqual(sorted(by_key), sorted(routes))
        self.assertEqual(by_key["$default"]["AuthorizationType"], "NONE")
        self.assertEqual(by_key["POST /orders"]["AuthorizationType"], "JWT")
        self.assertEqual(by_key["POST /orders"]["AuthorizationScopes"], ["orders/write"])
        self.assertEqual(by_key["DELETE /orders/{id}"]["AuthorizerId"], made["lam"]["AuthorizerId"])
        self.assertIs(by_key["GET /admin"]["ApiKeyRequired"], False)
        self.assertTrue(all(x["Target"] == target for x in listed))
        quick = self.ok("apigatewayv2", "create-api", "--name", P + "-quick", "--protocol-type", "HTTP",
                        "--target", self.lambda_arn())
        apis = self.paged(("apigatewayv2", "get-apis"), "Items", first=1)
        self.assertTrue({api_id, quick["ApiId"]} <= {a["ApiId"] for a in apis})
        q = self.ok_all({
            "routes": ("apigatewayv2", "get-routes", "--api-id", quick["ApiId"]),
            "stages": ("apigatewayv2", "get-stages", "--api-id", quick["ApiId"]),
        })
        self.assertEqual([x["RouteKey"] for x in q["routes"]["Items"]], ["$default"])
        self.assertEqual([s["StageName"] for s in q["stages"]["Items"]], ["$default"])
        errs = self.run_all({
            "no_api": ("apigatewayv2", "get-routes", "--api-id", "nosuchapi"),
            "dup": ("apigatewayv2", "create-route", *base, "--route-key", "GET /public"),
            "bad_key": ("apigatewayv2", "create-route", *base, "--route-key", "/nomethod"),
            "bad_auth": ("apigatewayv2", "create-route", *base, "--route-key", "GET /x",
                         "--authorization-type", "JWT", "--authorizer-id", "missing"),
        })
        self.assert_error(errs["no_api"], "NotFoundException")
        self.assert_error(errs["dup"], "ConflictException")
        self.assert_error(errs["bad_key"], "BadRequestException")
        self.assert_error(errs["bad_auth"], "BadRequestException")

    # -- DynamoDB (json 1.0) --------------------------------------------------

    def test_dynamodb_tables(self):
        def spec(name, **extra):
            d = {"TableName": name, "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                 "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}
            d.update(extra)
            return ("dynamodb", "create-table", "--cli-input-json", json.dumps(d))
        names = ["%s-t%d" % (P, i) for i in range(3)]
        made = self.ok_all({
            names[0]: spec(names[0], StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
                           Tags=[{"Key": "team", "Value": "orders"}]),
            names[1]: spec(names[1], BillingMode="PROVISIONED",
                           ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 3}),
            names[2]: spec(names[2], SSESpecification={"Enabled": True}),
        })
        self.assertEqual(made[names[0]]["TableDescription"]["TableStatus"], "CREATING")
        arn = made[names[0]]["TableDescription"]["TableArn"]
        self.assertEqual(arn, "arn:aws:dynamodb:%s:%s:table/%s" % (self.region, self.account, names[0]))
        r = self.ok_all({
            "t0": ("dynamodb", "describe-table", "--table-name", names[0]),
            "t1": ("dynamodb", "describe-table", "--table-name", names[1]),
            "t2": ("dynamodb", "describe-table", "--table-name", names[2]),
            "tags": ("dynamodb", "list-tags-of-resource", "--resource-arn", arn),
        })
        t0 = r["t0"]["Table"]
        self.assertEqual(t0["TableStatus"], "ACTIVE")
        self.assertEqual(t0["StreamSpecification"], {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        self.assertEqual(t0["LatestStreamArn"], "%s/stream/%s" % (arn, t0["LatestStreamLabel"]))
        self.assertEqual(t0["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
        self.assertIsInstance(t0["ItemCount"], int)
        self.assertRegex(t0["CreationDateTime"], r"^\d{4}-")
        self.assertNotIn("StreamSpecification", r["t1"]["Table"])
        self.assertEqual(r["t1"]["Table"]["ProvisionedThroughput"]["ReadCapacityUnits"], 5)
        self.assertEqual(r["t2"]["Table"]["SSEDescription"]["Status"], "ENABLED")
        self.assertEqual(r["tags"]["Tags"], [{"Key": "team", "Value": "orders"}])
        self.ok("dynamodb", "tag-resource", "--resource-arn", arn, "--tags", "Key=owner,Value=ops",
                "Key=team,Value=payments")
        self.assertEqual(self.ok("dynamodb", "list-tags-of-resource", "--resource-arn", arn)["Tags"],
                         [{"Key": "team", "Value": "payments"}, {"Key": "owner", "Value": "ops"}])
        tables = self.paged(("dynamodb", "list-tables"), "TableNames")
        self.assertTrue(set(names) <= set(tables))
        self.assertEqual(tables, sorted(tables))
        errs = self.run_all({
            "missing": ("dynamodb", "describe-table", "--table-name", P + "-none"),
            "dup": spec(names[1]),
            "no_pt": spec(P + "-bad", BillingMode="PROVISIONED"),
        })
        self.assert_error(errs["missing"], "ResourceNotFoundException")
        self.assert_error(errs["dup"], "ResourceInUseException")
        self.assert_error(errs["no_pt"], "ValidationException")

    # -- SQS (query) ----------------------------------------------------------

    def test_sqs_queues(self):
        dlq = self.ok("sqs", "create-queue", "--queue-name", P + "-orders-dlq")["QueueUrl"]
        self.assertEqual(dlq, "https://sqs.%s.amazonaws.com/%s/%s-orders-dlq" % (self.region, self.account, P))
        redrive = json.dumps({"deadLetterTargetArn": "arn:aws:sqs:%s:%s:%s-orders-dlq" % (self.region, self.account, P),
                              "maxReceiveCount": 5})
        made = self.ok_all({
            "main": ("sqs", "create-queue", "--queue-name", P + "-orders", "--attributes",
                     json.dumps({"VisibilityTimeout": "120", "RedrivePolicy": redrive}),
                     "--tags", "team=orders,tier=gold"),
            "other": ("sqs", "create-queue", "--queue-name", P + "-other"),
        })
        url = made["main"]["QueueUrl"]
        policy = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*"}]})
        self.ok("sqs", "set-queue-attributes", "--queue-url", url, "--attributes",
                json.dumps({"Policy": policy}))
        r = self.ok_all({
            "all": ("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names", "All"),
            "some": ("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names",
                     "Policy", "RedrivePolicy", "QueueArn"),
            "none": ("sqs", "get-queue-attributes", "--queue-url", dlq, "--attribute-names", "Policy"),
            "tags": ("sqs", "list-queue-tags", "--queue-url", url),
        })
        attrs = r["all"]["Attributes"]
        self.assertEqual(attrs["VisibilityTimeout"], "120")
        self.assertEqual(json.loads(attrs["RedrivePolicy"]), json.loads(redrive))
        self.assertEqual(attrs["QueueArn"], "arn:aws:sqs:%s:%s:%s-orders" % (self.region, self.account, P))
        self.assertRegex(attrs["CreatedTimestamp"], r"^\d{10}$")
        self.assertEqual(sorted(r["some"]["Attributes"]), ["Policy", "QueueArn", "RedrivePolicy"])
        self.assertEqual(json.loads(r["some"]["Attributes"]["Policy"]), json.loads(policy))
        self.assertNotIn("Attributes", r["none"])
        self.assertEqual(r["tags"]["Tags"], {"team": "orders", "tier": "gold"})
        self.ok("sqs", "tag-queue", "--queue-url", dlq, "--tags", "owner=ops")
        self.assertEqual(self.ok("sqs", "list-queue-tags", "--queue-url", dlq)["Tags"], {"owner": "ops"})
        urls = self.paged(("sqs", "list-queues", "--queue-name-prefix", P + "-"), "QueueUrls")
        self.assertEqual(urls, sorted([dlq, url, made["other"]["QueueUrl"]]))
        errs = self.run_all({
            "missing": ("sqs", "get-queue-attributes", "--queue-url",
                        "https://sqs.%s.amazonaws.com/%s/%s-none" % (self.region, self.account, P)),
            "attr": ("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names", "Bogus"),
            "exists": ("sqs", "create-queue", "--queue-name", P + "-orders", "--attributes",
                       json.dumps({"VisibilityTimeout": "5"})),
            "bad_dlq": ("sqs", "set-queue-attributes", "--queue-url", url, "--attributes", json.dumps(
                {"RedrivePolicy": json.dumps({"deadLetterTargetArn": "arn:aws:sqs:%s:%s:none" % (
                    self.region, self.account), "maxReceiveCount": 3})})),
        })
        self.assert_error(errs["missing"], "AWS.SimpleQueueService.NonExistentQueue")
        self.assert_error(errs["attr"], "InvalidAttributeName")
        self.assert_error(errs["exists"], "QueueAlreadyExists")
        self.assert_error(errs["bad_dlq"], "AWS.SimpleQueueService.NonExistentQueue")

    # -- SNS (query) ----------------------------------------------------------

    def test_sns_topics_and_subscriptions(self):
        made = self.ok_all({i: ("sns", "create-topic", "--name", "%s-topic-%d" % (P, i),
                                "--tags", "Key=n,Value=%d" % i) for i in range(3)})
        arn = made[0]["TopicArn"]
        self.assertEqual(arn, "arn:aws:sns:%s:%s:%s-topic-0" % (self.region, self.account, P))
        policy = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "SNS:Publish", "Resource": arn}]})
        r = self.ok_all({
            "sub": ("sns", "subscribe", "--topic-arn", arn, "--protocol", "lambda",
                    "--notification-endpoint", self.lambda_arn()),
            "mail": ("sns", "subscribe", "--topic-arn", arn, "--protocol", "email",
                     "--notification-endpoint", "ops@example.com"),
            "policy": ("sns", "set-topic-attributes", "--topic-arn", arn, "--attribute-name", "Policy",
                       "--attribute-value", policy),
        })
        self.assertTrue(r["sub"]["SubscriptionArn"].startswith(arn + ":"))
        self.assertEqual(r["mail"]["SubscriptionArn"], "pending confirmation")
        g = self.ok_all({
            "attrs": ("sns", "get-topic-attributes", "--topic-arn", arn),
            "subs": ("sns", "list-subscriptions-by-topic", "--topic-arn", arn),
            "fresh": ("sns", "get-topic-attributes", "--topic-arn", made[1]["TopicArn"]),
            "tags": ("sns", "list-tags-for-resource", "--resource-arn", made[2]["TopicArn"]),
        })
        self.assertEqual(g["tags"]["Tags"], [{"Key": "n", "Value": "2"}])
        attrs = g["attrs"]["Attributes"]
        self.assertEqual(json.loads(attrs["Policy"]), json.loads(policy))
        self.assertEqual(attrs["Owner"], self.account)
        self.assertEqual(attrs["SubscriptionsConfirmed"], "1")
        self.assertEqual(attrs["SubscriptionsPending"], "1")
        default = json.loads(g["fresh"]["Attributes"]["Policy"])
        self.assertEqual(default["Statement"][0]["Condition"]["StringEquals"]["AWS:SourceOwner"], self.account)
        subs = {s["Protocol"]: s for s in g["subs"]["Subscriptions"]}
        self.assertEqual(subs["lambda"]["Endpoint"], self.lambda_arn())
        self.assertEqual(subs["lambda"]["SubscriptionArn"], r["sub"]["SubscriptionArn"])
        self.assertEqual(subs["lambda"]["Owner"], self.account)
        self.assertEqual(subs["email"]["SubscriptionArn"], "PendingConfirmation")
        # SNS pages ListTopics itself (100 a page, no limit parameter).
        topics = self.ok("sns", "list-topics")["Topics"]
        arns = [t["TopicArn"] for t in topics]
        self.assertTrue({m["TopicArn"] for m in made.values()} <= set(arns))
        head = self.ok("sns", "list-topics", "--max-items", "2")
        self.assertEqual(len(head["Topics"]), 2)
        errs = self.run_all({
            "missing": ("sns", "get-topic-attributes", "--topic-arn",
                        "arn:aws:sns:%s:%s:%s-none" % (self.region, self.account, P)),
            "bad_attr": ("sns", "set-topic-attributes", "--topic-arn", arn, "--attribute-name",
                         "Bogus", "--attribute-value", "x"),
            "bad_ep": ("sns", "subscribe", "--topic-arn", arn, "--protocol", "lambda",
                       "--notification-endpoint", "not-an-arn"),
        })
        self.assert_error(errs["missing"], "NotFound")
        self.assert_error(errs["bad_attr"], "InvalidParameter")
        self.assert_error(errs["bad_ep"], "InvalidParameter")

    # -- EventBridge (json 1.1) -----------------------------------------------

    def test_events_rules_and_targets(self):
        rules = {"%s-nightly" % P: ["--schedule-expression", "cron(0 3 * * ? *)"],
                 "%s-hourly" % P: ["--schedule-expression", "rate(1 hour)", "--state", "DISABLED"],
                 "%s-uploads" % P: ["--event-pattern", json.dumps({"source": ["aws.s3"],
                                                                   "detail-type": ["Object Created"]}),
                                    "--description", "new uploads"]}
        made = self.ok_all({n: ("events", "put-rule", "--name", n, *a) for n, a in rules.items()})
        self.assertEqual(made[P + "-nightly"]["RuleArn"],
                         "arn:aws:events:%s:%s:rule/%s-nightly" % (self.region, self.account, P))
        tgt = self.ok("events", "put-targets", "--rule", P + "-nightly", "--targets", json.dumps([
            {"Id": "fn", "Arn": self.lambda_arn()},
            {"Id": "fn2", "Arn": self.lambda_arn(), "Input": json.dumps({"job": "compact"})}]))
        self.assertEqual(tgt["FailedEntryCount"], 0)
        r = self.ok_all({
            "desc": ("events", "describe-rule", "--name", P + "-uploads"),
            "sched": ("events", "describe-rule", "--name", P + "-hourly"),
            "targets": ("events", "list-targets-by-rule", "--rule", P + "-nightly"),
        })
        self.assertEqual(json.loads(r["desc"]["EventPattern"])["source"], ["aws.s3"])
        self.assertEqual(r["desc"]["Description"], "new uploads")
        self.assertEqual(r["desc"]["EventBusName"], "default")
        self.assertEqual(r["sched"]["State"], "DISABLED")
        self.assertEqual(r["sched"]["ScheduleExpression"], "rate(1 hour)")
        self.assertEqual([(t["Id"], t["Arn"]) for t in r["targets"]["Targets"]],
                         [("fn", self.lambda_arn()), ("fn2", self.lambda_arn())])
        listed = self.paged(("events", "list-rules", "--name-prefix", P + "-"), "Rules")
        self.assertEqual([x["Name"] for x in listed], sorted(rules))
        targets = self.paged(("events", "list-targets-by-rule", "--rule", P + "-nightly"), "Targets", first=1)
        self.assertEqual(len(targets), 2)
        self.assert_error(self.aws("events", "delete-rule", "--name", P + "-nightly"), "ValidationException")
        rm = self.ok("events", "remove-targets", "--rule", P + "-nightly", "--ids", "fn", "fn2")
        self.assertEqual(rm["FailedEntryCount"], 0)
        self.ok("events", "delete-rule", "--name", P + "-nightly")
        errs = self.run_all({
            "gone": ("events", "describe-rule", "--name", P + "-nightly"),
            "no_rule": ("events", "list-targets-by-rule", "--rule", P + "-nightly"),
            "bad_sched": ("events", "put-rule", "--name", P + "-bad", "--schedule-expression", "every day"),
            "bad_pat": ("events", "put-rule", "--name", P + "-bad", "--event-pattern", "{not json"),
        })
        self.assert_error(errs["gone"], "ResourceNotFoundException")
        self.assert_error(errs["no_rule"], "ResourceNotFoundException")
        self.assert_error(errs["bad_sched"], "ValidationException")
        self.assert_error(errs["bad_pat"], "InvalidEventPatternException")

    # -- faults, one per protocol ---------------------------------------------

    # Per protocol, an operation to throttle and one to fail with a 500
    # burst (different operations, so both run at once).
    FAULTS = {
        "rest-xml": (("s3", "ListBuckets", ("s3api", "list-buckets")),
                     ("s3", "GetBucketLocation", ("s3api", "get-bucket-location", "--bucket", P + "-faults"))),
        "rest-json": (("apigateway", "GetRestApis", ("apigateway", "get-rest-apis")),
                      ("apigatewayv2", "GetApis", ("apigatewayv2", "get-apis"))),
        "json": (("dynamodb", "ListTables", ("dynamodb", "list-tables")),
                 ("events", "ListRules", ("events", "list-rules"))),
        "query": (("sqs", "ListQueues", ("sqs", "list-queues")),
                  ("sns", "ListTopics", ("sns", "list-topics"))),
    }

    def counts(self):
        """(requests, faulted) per (service, operation) of FAULTS, from the
        admin endpoint's counters."""
        doc = self.admin("calls")
        return {(svc, op): (doc["calls"].get(svc, {}).get(op, 0), doc["faults"].get(svc, {}).get(op, 0))
                for pair in self.FAULTS.values() for svc, op, _ in pair}

    def bin_all(self, calls):
        """The /usr/bin/aws binary, one process per call, in parallel."""
        futures = {n: self.pool.submit(self.aws_bin, *a) for n, a in calls.items()}
        return {n: f.result() for n, f in futures.items()}

    def test_faults_throttle_retried_500_burst_fails(self):
        self.make_bucket(P + "-faults")
        calls = {}
        for proto, ((t_svc, t_op, t_args), (e_svc, e_op, e_args)) in self.FAULTS.items():
            self.admin("faults", {"service": t_svc, "operation": t_op, "kind": "throttle", "count": 2})
            # AWS_MAX_ATTEMPTS=3: a burst of 3 errors exhausts awscli's
            # retries and leaves no fault behind for the other tests.
            self.admin("faults", {"service": e_svc, "operation": e_op, "kind": "500", "count": 3})
            calls[(proto, "throttle")] = t_args
            calls[(proto, "500")] = e_args
        before = self.counts()
        r = self.bin_all(calls)
        after = self.counts()
        for proto, ((t_svc, t_op, _), (e_svc, e_op, _)) in self.FAULTS.items():
            ok, bad = r[(proto, "throttle")], r[(proto, "500")]
            self.assertEqual(ok.rc, 0, "%s: throttled twice, awscli should retry: %s" % (proto, ok.err))
            self.assertIsInstance(ok.json(), dict)
            # Two throttled answers, then the one that succeeded.
            self.assertEqual(after[(t_svc, t_op)][0] - before[(t_svc, t_op)][0], 3, proto)
            self.assertEqual(after[(t_svc, t_op)][1] - before[(t_svc, t_op)][1], 2, proto)
            self.assertNotEqual(bad.rc, 0, "%s: a 500 burst beyond retries must fail" % proto)
            self.assertIn("reached max retries: 2", bad.err, proto)
            self.assertEqual(after[(e_svc, e_op)][1] - before[(e_svc, e_op)][1], 3, proto)
        again = self.run_all({p: c[1][2] for p, c in self.FAULTS.items()})
        for proto, res in again.items():
            self.assertEqual(res.rc, 0, "%s: the burst should be spent: %s" % (proto, res.err))

if __name__ == "__main__":
    main()
