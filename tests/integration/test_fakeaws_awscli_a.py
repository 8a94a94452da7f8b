"""Debian's awscli against tests/fakeaws for Lambda, IAM, CloudWatch Logs
and CloudWatch: every operation of those services the fake serves is
called through awscli (its bundled botocore parses every answer from the
models, so a wrong field name or type fails here), shapes of the demo
account are created with write calls and read back, lists are paged with
--page-size/--max-items, errors carry each service's code and status, the
demo's planted risks are visible through the API, and each fault kind is
seen through the /usr/bin/aws binary: retried (throttle, 503) or reported.

/usr/bin/aws is `awscli.clidriver.main()` and costs half a second of CPU
to start, so most calls run that driver inside this process (a fresh
driver per call, real HTTP to the fake); the fault tests run the binary."""
import concurrent.futures
import contextlib
import datetime
import hashlib
import base64
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from cmocka_unittest import main  # noqa: E402

FAKE = os.path.join(ROOT, "tests", "fakeaws", "fakeaws")
ACCOUNTS = os.path.join(ROOT, "tests", "fakeaws", "accounts")
AWS = "/usr/bin/aws"
P = "clia"          # prefix of every resource this test creates
EU = "eu-west-1"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def fake_command():
    """The fake's start command: the package directory run by Debian's
    python (its __main__.py), as the design's entry runs it."""
    return ["/usr/bin/python3", "-I", FAKE]


def make_zip(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()


def sha256_b64(data):
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


class Result:
    def __init__(self, rc, out, err):
        self.rc = rc
        self.out = out
        self.err = err

    def json(self):
        return json.loads(self.out) if self.out.strip() else {}


class AwscliA(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp(prefix="fakeaws-awscli-a-")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.pop("PYTHONPATH", None)
        env.update(HOME=cls.home, AWS_EC2_METADATA_DISABLED="true", AWS_PAGER="",
                   AWS_PROFILE="demo", AWS_RETRY_MODE="standard", AWS_MAX_ATTEMPTS="3",
                   AWS_CONFIG_FILE=os.path.join(ACCOUNTS, "demo.config"),
                   AWS_SHARED_CREDENTIALS_FILE=os.path.join(ACCOUNTS, "demo.credentials"))
        cls.env = env
        t0 = time.monotonic()
        cls.fake = subprocess.Popen(fake_command() + ["--port", "0", "--account", "demo"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    text=True, env=env, cwd=cls.home)
        line = cls.fake.stdout.readline().strip()
        assert line.startswith("ready "), "fake did not start: %r" % line
        print("fake (demo account) ready in %.2f s" % (time.monotonic() - t0), flush=True)
        cls.url = line.split(" ", 1)[1]
        cls.saved_env = dict(os.environ)
        os.environ.clear()
        os.environ.update(env)
        import awscli.clidriver
        cls.driver = awscli.clidriver
        with open(os.path.join(ACCOUNTS, "demo.credentials")) as f:
            cls.key_id = re.search(r"aws_access_key_id\s*=\s*(\S+)", f.read()).group(1)
        ident = cls.run_aws(["sts", "get-caller-identity"])
        assert ident.rc == 0, ident.err
        cls.account = ident.json()["Account"]
        cls.tmp = tempfile.mkdtemp(prefix="zips-", dir=cls.home)

    @classmethod
    def tearDownClass(cls):
        os.environ.clear()
        os.environ.update(cls.saved_env)
        cls.fake.terminate()
        cls.fake.wait(10)
        shutil.rmtree(cls.home, ignore_errors=True)

    # -- helpers --------------------------------------------------------------

    @classmethod
    def argv(cls, args, region):
        return ["--endpoint-url", cls.url, "--output", "json", "--region", region or "us-east-1", *args]

    @classmethod
    def run_aws(cls, args, region=None):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = cls.driver.create_clidriver().main(cls.argv(args, region))
            except SystemExit as e:
                rc = e.code if isinstance(e.code, int) else 1
        return Result(rc, out.getvalue(), err.getvalue())

    def aws(self, *args, region=None):
        """awscli's driver in this process: what /usr/bin/aws runs, minus
        the interpreter start."""
        return self.run_aws(list(args), region)

    def aws_bin(self, *args, region=None):
        """The /usr/bin/aws binary in its own process."""
        proc = subprocess.run([AWS, *self.argv(args, region)], capture_output=True, text=True,
                              env=self.env, timeout=60, cwd=self.home)
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def ok(self, *args, region=None):
        res = self.aws(*args, region=region)
        self.assertEqual(res.rc, 0, "aws %s: %s" % (" ".join(args), res.err))
        return res.json()

    def assert_error(self, res, code):
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

    def calls_of(self, service, op):
        """How many calls of service/operation the fake has served."""
        return self.admin("calls").get("calls", {}).get(service, {}).get(op, 0)

    def clear_faults(self):
        req = urllib.request.Request(self.url + "/_fakeaws/faults", method="DELETE")
        urllib.request.urlopen(req, timeout=10).read()

    def paged(self, args, key, region=None, page=2, first=3, token="NextToken"):
        """Lists three ways: whole (awscli pages with --page-size), the
        first --max-items, then the rest from the returned token."""
        whole = self.ok(*args, "--page-size", str(page), region=region)[key]
        head = self.ok(*args, "--max-items", str(first), region=region)
        self.assertEqual(len(head[key]), first)
        self.assertIn(token, head)
        tail = self.ok(*args, "--starting-token", head[token], region=region)[key]
        self.assertEqual(head[key] + tail, whole)
        return whole

    def zip_file(self, name, files):
        data = make_zip(files)
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path, data

    def role(self, name, inline=None, managed=()):
        arn = self.ok("iam", "create-role", "--role-name", name,
                      "--assume-role-policy-document", TRUST)["Role"]["Arn"]
        for pname, doc in (inline or {}).items():
            self.ok("iam", "put-role-policy", "--role-name", name, "--policy-name", pname,
                    "--policy-document", json.dumps(doc))
        for m in managed:
            self.ok("iam", "attach-role-policy", "--role-name", name, "--policy-arn", m)
        return arn

    # -- Lambda ----------------------------------------------------------------

    def test_lambda_functions_code_versions_and_revisions(self):
        role = self.role(P + "-fn-role", managed=["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"])
        path, data = self.zip_file("fn.zip", {"lambda_function.py": "def lambda_handler(e, c):\n    return 1\n"})
        name = P + "-orders"
        made = self.ok("lambda", "create-function", "--function-name", name, "--runtime", "python3.9",
                       "--role", role, "--handler", "lambda_function.lambda_handler",
                       "--zip-file", "fileb://" + path, "--timeout", "900", "--memory-size", "512",
                       "--environment", "Variables={STRIPE_KEY=sk_live_0000fake,STAGE=prod}",
                       "--tags", "team=orders,env=prod")
        self.assertEqual(made["CodeSha256"], sha256_b64(data))
        self.assertEqual(made["CodeSize"], len(data))
        self.assertIsInstance(made["CodeSize"], int)
        self.assertEqual(made["FunctionArn"], "arn:aws:lambda:us-east-1:%s:function:%s" % (self.account, name))
        self.assertEqual(made["Timeout"], 900)
        self.assertRegex(made["RevisionId"], r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
        self.assertRegex(made["LastModified"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$")
        # Names as AWS accepts them: name, ARN, partial ARN.
        partial = "%s:function:%s" % (self.account, name)
        for ref in (name, made["FunctionArn"], partial):
            got = self.ok("lambda", "get-function", "--function-name", ref)
            self.assertEqual(got["Configuration"]["FunctionName"], name)
        self.assertEqual(got["Code"]["RepositoryType"], "S3")
        self.assertEqual(got["Tags"], {"team": "orders", "env": "prod"})
        self.assertEqual(got["Configuration"]["State"], "Active")
        self.assertEqual(got["Configuration"]["Environment"]["Variables"]["STRIPE_KEY"], "sk_live_0000fake")
        with urllib.request.urlopen(got["Code"]["Location"], timeout=10) as resp:
            self.assertEqual(resp.read(), data)
        cfg = self.ok("lambda", "get-function-configuration", "--function-name", name)
        self.assertEqual(cfg["RevisionId"], made["RevisionId"])
        # A stale RevisionId is refused with 412; the current one is taken
        # and the RevisionId changes with the configuration and the code.
        stale = self.aws("lambda", "update-function-configuration", "--function-name", name,
                         "--timeout", "30", "--revision-id", "00000000-0000-4000-8000-000000000000")
        self.assert_error(stale, "PreconditionFailedException")
        upd = self.ok("lambda", "update-function-configuration", "--function-name", name, "--timeout", "30",
                      "--revision-id", cfg["RevisionId"])
        self.assertEqual(upd["Timeout"], 30)
        self.assertNotEqual(upd["RevisionId"], cfg["RevisionId"])
        self.assert_error(self.aws("lambda", "update-function-code", "--function-name", name, "--zip-file",
                                   "fileb://" + path, "--revision-id", cfg["RevisionId"]),
                          "PreconditionFailedException")
        path2, data2 = self.zip_file("fn2.zip", {"lambda_function.py": "def lambda_handler(e, c):\n    return 2\n"})
        code = self.ok("lambda", "update-function-code", "--function-name", name, "--zip-file", "fileb://" + path2,
                       "--revision-id", upd["RevisionId"])
        self.assertEqual(code["CodeSha256"], sha256_b64(data2))
        self.assertNotEqual(code["RevisionId"], upd["RevisionId"])
        # Versions and aliases; qualifiers in the name and as --qualifier.
        v1 = self.ok("lambda", "publish-version", "--function-name", name, "--description", "first")
        self.assertEqual(v1["Version"], "1")
        self.assertEqual(v1["FunctionArn"], made["FunctionArn"] + ":1")
        alias = self.ok("lambda", "create-alias", "--function-name", name, "--name", "live", "--function-version", "1")
        self.assertEqual(alias["AliasArn"], made["FunctionArn"] + ":live")
        self.assertEqual(self.ok("lambda", "get-function", "--function-name", name + ":1")
                         ["Configuration"]["Version"], "1")
        self.assertEqual(self.ok("lambda", "get-function-configuration", "--function-name", name,
                                 "--qualifier", "live")["Version"], "1")
        vers = self.ok("lambda", "list-versions-by-function", "--function-name", name)["Versions"]
        self.assertEqual([v["Version"] for v in vers], ["$LATEST", "1"])
        self.assertEqual(self.ok("lambda", "list-aliases", "--function-name", name)["Aliases"][0]["Name"], "live")
        every = self.ok("lambda", "list-functions", "--function-version", "ALL")["Functions"]
        self.assertIn(made["FunctionArn"] + ":1", [f["FunctionArn"] for f in every])
        # Errors as Lambda answers them.
        self.assert_error(self.aws("lambda", "get-function", "--function-name", P + "-nope"),
                          "ResourceNotFoundException")
        self.assert_error(self.aws("lambda", "get-function", "--function-name", name + ":7"),
                          "ResourceNotFoundException")
        self.assert_error(self.aws("lambda", "create-function", "--function-name", name, "--runtime", "python3.9",
                                   "--role", role, "--handler", "x.y", "--zip-file", "fileb://" + path),
                          "ResourceConflictException")
        self.assert_error(self.aws("lambda", "create-function", "--function-name", P + "-norole",
                                   "--runtime", "python3.9", "--handler", "x.y", "--zip-file", "fileb://" + path,
                                   "--role", "arn:aws:iam::%s:role/%s-missing" % (self.account, P)),
                          "InvalidParameterValueException")
        self.ok("lambda", "delete-function", "--function-name", name)
        self.assert_error(self.aws("lambda", "get-function-configuration", "--function-name", name),
                          "ResourceNotFoundException")

    def test_lambda_policy_url_concurrency_tags_mappings(self):
        role = self.role(P + "-pub-role")
        path, _ = self.zip_file("pub.zip", {"index.js": "exports.handler = async () => 1;\n"})
        name = P + "-webhook"
        arn = self.ok("lambda", "create-function", "--function-name", name, "--runtime", "nodejs18.x",
                      "--role", role, "--handler", "index.handler", "--zip-file", "fileb://" + path)["FunctionArn"]
        fn_rev = self.ok("lambda", "get-function", "--function-name", name)["Configuration"]["RevisionId"]
        # Resource policy with its own RevisionId.
        self.assert_error(self.aws("lambda", "get-policy", "--function-name", name), "ResourceNotFoundException")
        st = self.ok("lambda", "add-permission", "--function-name", name, "--statement-id", "public-url",
                     "--action", "lambda:InvokeFunctionUrl", "--principal", "*",
                     "--function-url-auth-type", "NONE")
        stmt = json.loads(st["Statement"])
        self.assertEqual(stmt["Principal"], "*")
        self.assertEqual(stmt["Condition"]["StringEquals"]["lambda:FunctionUrlAuthType"], "NONE")
        pol = self.ok("lambda", "get-policy", "--function-name", name)
        doc = json.loads(pol["Policy"])
        self.assertEqual([s["Sid"] for s in doc["Statement"]], ["public-url"])
        self.assertEqual(doc["Statement"][0]["Resource"], arn)
        self.assert_error(self.aws("lambda", "add-permission", "--function-name", name, "--statement-id", "s3",
                                   "--action", "lambda:InvokeFunction", "--principal", "s3.amazonaws.com",
                                   "--revision-id", "00000000-0000-4000-8000-000000000000"),
                          "PreconditionFailedException")
        self.ok("lambda", "add-permission", "--function-name", name, "--statement-id", "s3",
                "--action", "lambda:InvokeFunction", "--principal", "s3.amazonaws.com",
                "--source-arn", "arn:aws:s3:::%s-bucket" % P, "--revision-id", pol["RevisionId"])
        pol2 = self.ok("lambda", "get-policy", "--function-name", name)
        self.assertNotEqual(pol2["RevisionId"], pol["RevisionId"])
        self.assertEqual(json.loads(pol2["Policy"])["Statement"][1]["Principal"], {"Service": "s3.amazonaws.com"})
        self.assert_error(self.aws("lambda", "add-permission", "--function-name", name, "--statement-id", "s3",
                                   "--action", "lambda:InvokeFunction", "--principal", "s3.amazonaws.com"),
                          "ResourceConflictException")
        # The policy changed, the function's configuration did not.
        self.assertEqual(self.ok("lambda", "get-function-configuration", "--function-name", name)["RevisionId"],
                         fn_rev)
        self.assert_error(self.aws("lambda", "remove-permission", "--function-name", name, "--statement-id", "s3",
                                   "--revision-id", pol["RevisionId"]), "PreconditionFailedException")
        self.ok("lambda", "remove-permission", "--function-name", name, "--statement-id", "s3",
                "--revision-id", pol2["RevisionId"])
        self.assert_error(self.aws("lambda", "remove-permission", "--function-name", name, "--statement-id", "s3"),
                          "ResourceNotFoundException")
        # Function URL.
        url = self.ok("lambda", "create-function-url-config", "--function-name", name, "--auth-type", "NONE",
                      "--cors", "AllowOrigins=*,AllowMethods=POST")
        self.assertRegex(url["FunctionUrl"], r"^https://[a-z0-9]{32}\.lambda-url\.us-east-1\.on\.aws/$")
        self.assertEqual(url["AuthType"], "NONE")
        self.assert_error(self.aws("lambda", "create-function-url-config", "--function-name", name,
                                   "--auth-type", "NONE"), "ResourceConflictException")
        got = self.ok("lambda", "get-function-url-config", "--function-name", name)
        self.assertEqual(got["Cors"]["AllowOrigins"], ["*"])
        self.assertIsInstance(got["CreationTime"], str)
        self.assertEqual(self.ok("lambda", "update-function-url-config", "--function-name", name,
                                 "--auth-type", "AWS_IAM")["AuthType"], "AWS_IAM")
        urls = self.ok("lambda", "list-function-url-configs", "--function-name", name)["FunctionUrlConfigs"]
        self.assertEqual([u["AuthType"] for u in urls], ["AWS_IAM"])
        self.ok("lambda", "delete-function-url-config", "--function-name", name)
        self.assert_error(self.aws("lambda", "get-function-url-config", "--function-name", name),
                          "ResourceNotFoundException")
        # Reserved concurrency.
        self.assertEqual(self.ok("lambda", "get-function-concurrency", "--function-name", name), {})
        self.assertEqual(self.ok("lambda", "put-function-concurrency", "--function-name", name,
                                 "--reserved-concurrent-executions", "0")["ReservedConcurrentExecutions"], 0)
        self.assertEqual(self.ok("lambda", "get-function-concurrency", "--function-name", name)
                         ["ReservedConcurrentExecutions"], 0)
        self.assertEqual(self.ok("lambda", "get-function", "--function-name", name)["Concurrency"],
                         {"ReservedConcurrentExecutions": 0})
        self.assert_error(self.aws("lambda", "put-function-concurrency", "--function-name", name,
                                   "--reserved-concurrent-executions", "990"), "InvalidParameterValueException")
        self.ok("lambda", "delete-function-concurrency", "--function-name", name)
        self.assertNotIn("Concurrency", self.ok("lambda", "get-function", "--function-name", name))
        # Tags by ARN.
        self.ok("lambda", "tag-resource", "--resource", arn, "--tags", "owner=alice,cost=web")
        self.ok("lambda", "untag-resource", "--resource", arn, "--tag-keys", "cost")
        self.assertEqual(self.ok("lambda", "list-tags", "--resource", arn)["Tags"], {"owner": "alice"})
        # Async invoke configuration.
        dlq = "arn:aws:sqs:us-east-1:%s:acme-checkout-dlq" % self.account
        eic = self.ok("lambda", "put-function-event-invoke-config", "--function-name", name,
                      "--maximum-retry-attempts", "1",
                      "--destination-config", json.dumps({"OnFailure": {"Destination": dlq}}))
        self.assertEqual(eic["FunctionArn"], arn + ":$LATEST")
        eics = self.ok("lambda", "list-function-event-invoke-configs", "--function-name", name)
        self.assertEqual(eics["FunctionEventInvokeConfigs"][0]["DestinationConfig"]["OnFailure"]["Destination"], dlq)
        self.assertEqual(eics["FunctionEventInvokeConfigs"][0]["MaximumRetryAttempts"], 1)
        # Event source mappings on a demo queue.
        queue = "arn:aws:sqs:us-east-1:%s:acme-email-queue" % self.account
        esm = self.ok("lambda", "create-event-source-mapping", "--function-name", name,
                      "--event-source-arn", queue, "--batch-size", "5")
        self.assertEqual(esm["FunctionArn"], arn)
        self.assertEqual(esm["BatchSize"], 5)
        self.assertIsInstance(esm["LastModified"], str)
        self.assert_error(self.aws("lambda", "create-event-source-mapping", "--function-name", name,
                                   "--event-source-arn", queue), "ResourceConflictException")
        mine = self.ok("lambda", "list-event-source-mappings", "--function-name", name)["EventSourceMappings"]
        self.assertEqual([m["UUID"] for m in mine], [esm["UUID"]])
        by_source = self.ok("lambda", "list-event-source-mappings", "--event-source-arn", queue)
        self.assertEqual(len(by_source["EventSourceMappings"]), 2)      # the demo's email-sender and ours
        self.assertEqual(self.ok("lambda", "delete-event-source-mapping", "--uuid", esm["UUID"])["State"], "Deleting")
        self.assert_error(self.aws("lambda", "delete-event-source-mapping", "--uuid", esm["UUID"]),
                          "ResourceNotFoundException")
        self.ok("lambda", "delete-function", "--function-name", arn)

    def test_lambda_layers_and_demo_listing(self):
        path, data = self.zip_file("layer.zip", {"python/urllib3-1.26.4.dist-info/METADATA":
                                                 "Name: urllib3\nVersion: 1.26.4\n"})
        lay = self.ok("lambda", "publish-layer-version", "--layer-name", P + "-deps", "--zip-file",
                      "fileb://" + path, "--compatible-runtimes", "python3.9", "python3.8")
        self.assertEqual(lay["Version"], 1)
        self.assertEqual(lay["Content"]["CodeSha256"], sha256_b64(data))
        lay2 = self.ok("lambda", "publish-layer-version", "--layer-name", P + "-deps", "--zip-file",
                       "fileb://" + path, "--compatible-runtimes", "python3.9")
        self.assertEqual(lay2["LayerVersionArn"], lay["LayerArn"] + ":2")
        got = self.ok("lambda", "get-layer-version", "--layer-name", lay["LayerArn"], "--version-number", "1")
        with urllib.request.urlopen(got["Content"]["Location"], timeout=10) as resp:
            self.assertEqual(resp.read(), data)
        self.assertEqual(got["CompatibleRuntimes"], ["python3.9", "python3.8"])
        vers = self.ok("lambda", "list-layer-versions", "--layer-name", P + "-deps")["LayerVersions"]
        self.assertEqual([v["Version"] for v in vers], [2, 1])
        only38 = self.ok("lambda", "list-layer-versions", "--layer-name", P + "-deps",
                         "--compatible-runtime", "python3.8")["LayerVersions"]
        self.assertEqual([v["Version"] for v in only38], [1])
        self.assert_error(self.aws("lambda", "get-layer-version", "--layer-name", P + "-deps",
                                   "--version-number", "9"), "ResourceNotFoundException")
        layers = self.paged(["lambda", "list-layers"], "Layers", page=1, first=1)
        names = [x["LayerName"] for x in layers]
        self.assertIn("acme-common-py", names)
        self.assertEqual(layers[names.index("acme-common-py")]["LatestMatchingVersion"]["Version"], 2)
        # The demo's functions, paged 50 at most per call as Lambda does.
        fns = self.paged(["lambda", "list-functions"], "Functions", page=7, first=5)
        demo = {f["FunctionName"]: f for f in fns}
        self.assertGreaterEqual(len([n for n in demo if not n.startswith(P)]), 28)
        self.assertNotIn("State", demo["orders-api-get"])       # ListFunctions leaves it out
        self.assertEqual(demo["legacy-report-generator"]["Runtime"], "python3.7")
        self.assertEqual(demo["cache-warmer"]["Timeout"], 900)
        self.assertEqual(demo["orders-api-get"]["Role"], demo["orders-api-list"]["Role"])
        eu = self.ok("lambda", "list-functions", region=EU)["Functions"]
        self.assertEqual(len(eu), 12)
        self.assertTrue(all(f["FunctionArn"].startswith("arn:aws:lambda:eu-west-1:") for f in eu))
        # The planted public URL and its open policy.
        url = self.ok("lambda", "get-function-url-config", "--function-name", "payment-webhook")
        self.assertEqual(url["AuthType"], "NONE")
        pub = json.loads(self.ok("lambda", "get-policy", "--function-name", "payment-webhook")["Policy"])
        self.assertIn("*", [s["Principal"] for s in pub["Statement"]])
        # The planted vulnerable lodash inside the orders package.
        loc = self.ok("lambda", "get-function", "--function-name", "orders-api-list")["Code"]["Location"]
        with urllib.request.urlopen(loc, timeout=10) as resp:
            z = zipfile.ZipFile(io.BytesIO(resp.read()))
        self.assertEqual(json.loads(z.read("node_modules/lodash/package.json"))["version"], "4.17.15")

    # -- IAM ---------------------------------------------------------------------

    def test_iam_roles_inline_and_managed_policies(self):
        name = P + "-deployer"
        inline = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
             "Resource": "*"}]}
        made = self.ok("iam", "create-role", "--role-name", name, "--assume-role-policy-document", TRUST,
                       "--description", "deploys", "--tags", "Key=team,Value=platform")["Role"]
        self.assertRegex(made["RoleId"], r"^AROA[A-Z0-9]{17}$")
        self.assertEqual(made["Arn"], "arn:aws:iam::%s:role/%s" % (self.account, name))
        # awscli url-decodes IAM's policy documents and parses them.
        self.assertEqual(made["AssumeRolePolicyDocument"], json.loads(TRUST))
        self.assert_error(self.aws("iam", "create-role", "--role-name", name, "--assume-role-policy-document",
                                   TRUST), "EntityAlreadyExists")
        self.assert_error(self.aws("iam", "create-role", "--role-name", P + "-bad", "--assume-role-policy-document",
                                   "{not json"), "MalformedPolicyDocument")
        self.ok("iam", "put-role-policy", "--role-name", name, "--policy-name", "deploy",
                "--policy-document", json.dumps(inline))
        got = self.ok("iam", "get-role-policy", "--role-name", name, "--policy-name", "deploy")
        self.assertEqual(got["PolicyDocument"], inline)
        self.assertEqual(self.ok("iam", "list-role-policies", "--role-name", name)["PolicyNames"], ["deploy"])
        self.ok("iam", "attach-role-policy", "--role-name", name,
                "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess")
        att = self.ok("iam", "list-attached-role-policies", "--role-name", name)["AttachedPolicies"]
        self.assertEqual(att, [{"PolicyName": "AdministratorAccess",
                                "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}])
        role = self.ok("iam", "get-role", "--role-name", name)["Role"]
        self.assertEqual(role["Tags"], [{"Key": "team", "Value": "platform"}])
        self.assertEqual(role["RoleLastUsed"], {})
        self.assertIsInstance(role["MaxSessionDuration"], int)
        self.assertEqual(self.ok("iam", "list-role-tags", "--role-name", name)["Tags"],
                         [{"Key": "team", "Value": "platform"}])
        self.assert_error(self.aws("iam", "delete-role", "--role-name", name), "DeleteConflict")
        new_trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
            "Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]}, "Action": "sts:AssumeRole"}]}
        self.ok("iam", "update-assume-role-policy", "--role-name", name, "--policy-document", json.dumps(new_trust))
        self.assertEqual(self.ok("iam", "get-role", "--role-name", name)["Role"]["AssumeRolePolicyDocument"],
                         new_trust)
        self.ok("iam", "detach-role-policy", "--role-name", name,
                "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess")
        self.assert_error(self.aws("iam", "delete-role", "--role-name", name), "DeleteConflict")
        self.ok("iam", "delete-role-policy", "--role-name", name, "--policy-name", "deploy")
        self.assert_error(self.aws("iam", "get-role-policy", "--role-name", name, "--policy-name", "deploy"),
                          "NoSuchEntity")
        self.ok("iam", "delete-role", "--role-name", name)
        self.assert_error(self.aws("iam", "get-role", "--role-name", name), "NoSuchEntity")
        # Customer managed policy: versions up to five.
        doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                       "Resource": "arn:aws:s3:::acme-public-assets/*"}]}
        pol = self.ok("iam", "create-policy", "--policy-name", P + "-read", "--policy-document",
                      json.dumps(doc))["Policy"]
        self.assertEqual(pol["DefaultVersionId"], "v1")
        self.assertEqual(pol["AttachmentCount"], 0)
        for i in range(2, 6):
            doc["Statement"][0]["Action"] = ["s3:GetObject", "s3:ListBucket"][:1 + i % 2]
            v = self.ok("iam", "create-policy-version", "--policy-arn", pol["Arn"], "--policy-document",
                        json.dumps(doc), "--set-as-default")["PolicyVersion"]
            self.assertEqual(v["VersionId"], "v%d" % i)
            self.assertTrue(v["IsDefaultVersion"])
        self.assert_error(self.aws("iam", "create-policy-version", "--policy-arn", pol["Arn"],
                                   "--policy-document", json.dumps(doc)), "LimitExceeded")
        vers = self.ok("iam", "list-policy-versions", "--policy-arn", pol["Arn"])["Versions"]
        self.assertEqual([v["VersionId"] for v in vers], ["v5", "v4", "v3", "v2", "v1"])
        self.assertEqual([v["IsDefaultVersion"] for v in vers], [True, False, False, False, False])
        v5 = self.ok("iam", "get-policy-version", "--policy-arn", pol["Arn"], "--version-id", "v5")["PolicyVersion"]
        self.assertEqual(v5["Document"], doc)
        self.assertEqual(self.ok("iam", "get-policy", "--policy-arn", pol["Arn"])["Policy"]["DefaultVersionId"], "v5")
        self.assert_error(self.aws("iam", "delete-policy", "--policy-arn", pol["Arn"]), "DeleteConflict")
        one = self.ok("iam", "create-policy", "--policy-name", P + "-once", "--policy-document",
                      json.dumps(doc))["Policy"]["Arn"]
        self.ok("iam", "delete-policy", "--policy-arn", one)
        self.assert_error(self.aws("iam", "get-policy", "--policy-arn", one), "NoSuchEntity")
        # AWS managed policies carry their published documents.
        admin = self.ok("iam", "get-policy", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess")["Policy"]
        adoc = self.ok("iam", "get-policy-version", "--policy-arn", admin["Arn"], "--version-id",
                       admin["DefaultVersionId"])["PolicyVersion"]["Document"]
        self.assertEqual(adoc["Statement"], [{"Effect": "Allow", "Action": "*", "Resource": "*"}])
        vpc = self.ok("iam", "get-policy-version", "--policy-arn",
                      "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
                      "--version-id", "v2")["PolicyVersion"]["Document"]
        self.assertIn("ec2:CreateNetworkInterface", vpc["Statement"][0]["Action"])
        self.assert_error(self.aws("iam", "get-policy", "--policy-arn", "arn:aws:iam::aws:policy/NoSuchPolicy"),
                          "NoSuchEntity")

    def test_iam_listing_authorization_details_and_last_accessed(self):
        roles = self.paged(["iam", "list-roles"], "Roles", page=4, first=5)
        names = [r["RoleName"] for r in roles]
        for planted in ("acme-legacy-admin-role", "acme-deployer-role", "acme-orphaned-migration-role"):
            self.assertIn(planted, names)
        self.assertNotIn("RoleLastUsed", roles[0])       # ListRoles leaves it out, GetRole has it
        self.assertIsInstance(roles[0]["AssumeRolePolicyDocument"], dict)
        legacy = self.ok("iam", "get-role", "--role-name", "acme-legacy-admin-role")["Role"]
        last = datetime.datetime.fromisoformat(legacy["RoleLastUsed"]["LastUsedDate"].replace("Z", "+00:00"))
        self.assertGreater((datetime.datetime.now(datetime.timezone.utc) - last).days, 90)
        self.assertEqual(legacy["RoleLastUsed"]["Region"], "us-east-1")
        attached = self.paged(["iam", "list-attached-role-policies", "--role-name", "acme-web-assets-role"],
                              "AttachedPolicies", page=1, first=1)
        self.assertEqual(len(attached), 2)
        # The account in bulk, with Filter and paging.
        details = self.ok("iam", "get-account-authorization-details", "--filter", "Role",
                          "LocalManagedPolicy", "AWSManagedPolicy")
        by_name = {r["RoleName"]: r for r in details["RoleDetailList"]}
        self.assertEqual(details["UserDetailList"], [])
        media = by_name["acme-media-processor-role"]
        self.assertEqual(media["RolePolicyList"][0]["PolicyDocument"]["Statement"][0]["Action"], "s3:*")
        self.assertIsInstance(media["AssumeRolePolicyDocument"], dict)
        pols = {p["PolicyName"]: p for p in details["Policies"]}
        self.assertEqual(len(pols["acme-reporting-access"]["PolicyVersionList"]), 3)
        self.assertIn("AdministratorAccess", pols)
        self.assertNotIn("IAMFullAccess", pols)          # only AWS managed policies in use are listed
        self.assertIsInstance(pols["AdministratorAccess"]["AttachmentCount"], int)
        only_roles = self.ok("iam", "get-account-authorization-details", "--filter", "Role")
        self.assertEqual(only_roles["Policies"], [])
        self.assertEqual(len(only_roles["RoleDetailList"]), len(details["RoleDetailList"]))
        # Server-side pages of 4 (MaxItems/Marker), joined by awscli.
        before = self.calls_of("iam", "GetAccountAuthorizationDetails")
        paged = self.ok("iam", "get-account-authorization-details", "--filter", "Role", "--page-size", "4")
        self.assertEqual(self.calls_of("iam", "GetAccountAuthorizationDetails") - before,
                         -(-len(only_roles["RoleDetailList"]) // 4))
        self.assertEqual([r["RoleName"] for r in paged["RoleDetailList"]],
                         [r["RoleName"] for r in only_roles["RoleDetailList"]])
        # Access advisor: a job, first IN_PROGRESS, then the report.
        arn = "arn:aws:iam::%s:role/acme-media-processor-role" % self.account
        job = self.ok("iam", "generate-service-last-accessed-details", "--arn", arn,
                      "--granularity", "ACTION_LEVEL")["JobId"]
        first = self.ok("iam", "get-service-last-accessed-details", "--job-id", job)
        self.assertEqual(first["JobStatus"], "IN_PROGRESS")
        rep = self.ok("iam", "get-service-last-accessed-details", "--job-id", job)
        self.assertEqual(rep["JobStatus"], "COMPLETED")
        self.assertEqual(rep["JobType"], "ACTION_LEVEL")
        svc = {s["ServiceNamespace"]: s for s in rep["ServicesLastAccessed"]}
        self.assertIn("LastAuthenticated", svc["s3"])
        self.assertEqual(svc["s3"]["LastAuthenticatedEntity"], arn)
        self.assertNotIn("LastAuthenticated", svc["dynamodb"])     # granted, never used
        self.assertEqual(svc["dynamodb"]["TotalAuthenticatedEntities"], 0)
        tracked = {t["ActionName"]: t for t in svc["s3"]["TrackedActionsLastAccessed"]}
        self.assertIn("LastAccessedTime", tracked["ListAllMyBuckets"])
        self.assertNotIn("LastAccessedTime", tracked["PutBucketPolicy"])
        self.assertNotIn("TrackedActionsLastAccessed", svc["dynamodb"])   # not tracked at action level
        level = self.ok("iam", "generate-service-last-accessed-details", "--arn", arn)["JobId"]
        self.ok("iam", "get-service-last-accessed-details", "--job-id", level)
        rep2 = self.ok("iam", "get-service-last-accessed-details", "--job-id", level)
        self.assertNotIn("TrackedActionsLastAccessed", rep2["ServicesLastAccessed"][0])
        self.assert_error(self.aws("iam", "get-service-last-accessed-details", "--job-id",
                                   "00000000-0000-0000-0000-000000000000"), "NoSuchEntity")

    # -- Logs and CloudWatch ------------------------------------------------------

    def test_logs_groups_and_retention(self):
        groups = self.paged(["logs", "describe-log-groups"], "logGroups", page=7, first=4, token="NextToken")
        by = {g["logGroupName"]: g for g in groups}
        self.assertNotIn("retentionInDays", by["/aws/lambda/cache-warmer"])
        self.assertEqual(by["/aws/lambda/orders-api-get"]["retentionInDays"], 30)
        self.assertIn("/aws/lambda/old-checkout-v1", by)                  # orphaned
        self.assertIsInstance(by["/aws/lambda/old-checkout-v1"]["storedBytes"], int)
        self.assertGreater(by["/aws/lambda/old-checkout-v1"]["storedBytes"], 0)
        self.assertIsInstance(by["/aws/lambda/orders-api-get"]["creationTime"], int)
        self.assertTrue(by["/aws/lambda/orders-api-get"]["arn"].endswith(":log-group:/aws/lambda/orders-api-get:*"))
        name = "/aws/lambda/%s-logs" % P
        self.ok("logs", "create-log-group", "--log-group-name", name)
        self.assert_error(self.aws("logs", "create-log-group", "--log-group-name", name),
                          "ResourceAlreadyExistsException")
        self.assert_error(self.aws("logs", "put-retention-policy", "--log-group-name", name,
                                   "--retention-in-days", "2"), "InvalidParameterException")
        self.ok("logs", "put-retention-policy", "--log-group-name", name, "--retention-in-days", "14")
        mine = self.ok("logs", "describe-log-groups", "--log-group-name-prefix", name)["logGroups"]
        self.assertEqual([(g["logGroupName"], g["retentionInDays"], g["storedBytes"]) for g in mine],
                         [(name, 14, 0)])
        self.ok("logs", "delete-log-group", "--log-group-name", name)
        self.assert_error(self.aws("logs", "delete-log-group", "--log-group-name", name),
                          "ResourceNotFoundException")
        eu = self.ok("logs", "describe-log-groups", "--log-group-name-prefix", "/aws/lambda/eu-orders-api-v0",
                     region=EU)["logGroups"]
        self.assertEqual(len(eu), 1)

    def query(self, qid, function, metric, stat, label=None):
        q = {"Id": qid, "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": metric,
                                                  "Dimensions": [{"Name": "FunctionName", "Value": function}]},
                                       "Period": 86400, "Stat": stat}}
        if label:
            q["Label"] = label
        return q

    def metric_data(self, queries, region=None, days=91):
        end = datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
        path = os.path.join(self.tmp, "queries-%d.json" % len(queries))
        with open(path, "w") as f:
            json.dump(queries, f)
        return self.aws("cloudwatch", "get-metric-data", "--metric-data-queries", "file://" + path,
                        "--start-time", (end - datetime.timedelta(days=days)).isoformat(),
                        "--end-time", end.isoformat(), region=region)

    def test_cloudwatch_metrics_and_alarms(self):
        qs = [self.query("dead", "legacy-report-generator", "Invocations", "Sum"),
              self.query("inv", "cache-warmer", "Invocations", "Sum", "warmer calls"),
              self.query("max", "cache-warmer", "Duration", "Maximum"),
              self.query("p99", "cache-warmer", "Duration", "p99"),
              self.query("ci", "storefront-checkout", "Invocations", "Sum"),
              self.query("ce", "storefront-checkout", "Errors", "Sum"),
              {"Id": "rate", "Expression": "ce / ci * 100", "Label": "checkout error %"}]
        res = self.metric_data(qs)
        self.assertEqual(res.rc, 0, res.err)
        out = {r["Id"]: r for r in res.json()["MetricDataResults"]}
        self.assertEqual(out["dead"]["Values"], [])
        self.assertEqual(out["dead"]["StatusCode"], "Complete")
        self.assertEqual(len(out["inv"]["Values"]), 90)
        self.assertEqual(out["inv"]["Label"], "warmer calls")
        self.assertEqual(out["max"]["Label"], "Duration")
        self.assertLessEqual(max(out["max"]["Values"]), 2000.0)
        self.assertTrue(all(p <= m for p, m in zip(out["p99"]["Values"], out["max"]["Values"])))
        self.assertIsInstance(out["inv"]["Values"][0], float)
        stamps = out["inv"]["Timestamps"]
        self.assertGreater(stamps[0], stamps[-1])            # newest first by default
        rate = out["rate"]["Values"]                          # newest first
        self.assertGreater(min(rate[:5]), 5.0)                # the last days jumped
        self.assertLess(max(rate[20:]), 2.0)                  # the baseline
        # 500 queries in one call are allowed, 501 are not.
        many = [self.query("q%d" % i, "orders-api-get", "Invocations", "Sum") for i in range(500)]
        big = self.metric_data(many, days=3)
        self.assertEqual(big.rc, 0, big.err)
        self.assertEqual(len(big.json()["MetricDataResults"]), 500)
        many.append(self.query("q500", "orders-api-get", "Invocations", "Sum"))
        self.assert_error(self.metric_data(many, days=3), "ValidationError")
        eu = self.metric_data([self.query("e", "eu-invoice-pdf", "Errors", "Sum")], region=EU)
        self.assertEqual(eu.rc, 0, eu.err)
        self.assertEqual(len(eu.json()["MetricDataResults"][0]["Values"]), 90)
        # Alarms.
        name = P + "-timeout-alarm"
        self.ok("cloudwatch", "put-metric-alarm", "--alarm-name", name, "--namespace", "AWS/Lambda",
                "--metric-name", "Duration", "--dimensions", "Name=FunctionName,Value=cache-warmer",
                "--extended-statistic", "p99", "--period", "300", "--evaluation-periods", "3",
                "--threshold", "2500", "--comparison-operator", "GreaterThanThreshold",
                "--alarm-actions", "arn:aws:sns:us-east-1:%s:acme-alerts" % self.account)
        alarms = self.ok("cloudwatch", "describe-alarms", "--alarm-names", name)["MetricAlarms"]
        self.assertEqual(len(alarms), 1)
        self.assertEqual(alarms[0]["StateValue"], "INSUFFICIENT_DATA")
        self.assertEqual(alarms[0]["Threshold"], 2500.0)
        self.assertEqual(alarms[0]["Dimensions"], [{"Name": "FunctionName", "Value": "cache-warmer"}])
        every = self.paged(["cloudwatch", "describe-alarms"], "MetricAlarms", page=1, first=1)
        self.assertEqual(sorted(a["AlarmName"] for a in every), sorted(["orders-api-get-errors", name]))
        self.assert_error(self.aws("cloudwatch", "put-metric-alarm", "--alarm-name", name, "--namespace",
                                   "AWS/Lambda", "--metric-name", "Errors", "--period", "60",
                                   "--evaluation-periods", "1", "--threshold", "1",
                                   "--comparison-operator", "GreaterThanThreshold"), "MissingParameter")
        self.ok("cloudwatch", "delete-alarms", "--alarm-names", name)
        self.assertEqual(self.ok("cloudwatch", "describe-alarms", "--alarm-names", name)["MetricAlarms"], [])
        self.assert_error(self.aws("cloudwatch", "delete-alarms", "--alarm-names", name), "ResourceNotFound")

    # -- faults, through the /usr/bin/aws binary ------------------------------------

    def fault(self, service, operation, kind, count=1, seconds=None):
        rule = {"service": service, "operation": operation, "kind": kind, "count": count}
        if seconds is not None:
            rule["seconds"] = seconds
        self.admin("faults", rule)

    def test_faults_seen_by_awscli(self):
        try:
            self.faults_seen_by_awscli()
        finally:
            self.clear_faults()

    def faults_seen_by_awscli(self):
        # Each fault targets its own operation, so the binaries run at once.
        faults = [("lambda", "ListFunctions", "throttle", 2, None), ("iam", "GetRole", "503", 1, None),
                  ("logs", "DescribeLogGroups", "500", 3, None), ("cloudwatch", "DescribeAlarms", "throttle", 3, None),
                  ("iam", "ListRoleTags", "malformed", 1, None),
                  ("lambda", "GetFunctionConfiguration", "malformed", 1, None),
                  ("lambda", "GetPolicy", "reset", 1, None), ("iam", "ListRolePolicies", "truncate", 1, None),
                  ("lambda", "ListAliases", "stall", 1, 3)]
        for f in faults:
            self.fault(*f)
        before = self.calls_of("lambda", "ListFunctions")
        runs = {
            "throttle": ("lambda", "list-functions", "--max-items", "1"),
            "503": ("iam", "get-role", "--role-name", "acme-deployer-role"),
            "500": ("logs", "describe-log-groups"),
            "throttled-out": ("cloudwatch", "describe-alarms"),
            "bad-xml": ("iam", "list-role-tags", "--role-name", "acme-legacy-admin-role"),
            "bad-json": ("lambda", "get-function-configuration", "--function-name", "cache-warmer"),
            "reset": ("lambda", "get-policy", "--function-name", "payment-webhook"),
            "truncate": ("iam", "list-role-policies", "--role-name", "acme-deployer-role"),
            "stall": ("lambda", "list-aliases", "--function-name", "orders-api-get", "--cli-read-timeout", "1"),
        }
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(runs)) as pool:
            futs = {k: pool.submit(self.aws_bin, *v) for k, v in runs.items()}
            res = {k: f.result() for k, f in futs.items()}
        # Throttling: awscli (standard retry mode, 3 attempts) retries and succeeds.
        self.assertEqual(res["throttle"].rc, 0, res["throttle"].err)
        self.assertEqual(len(res["throttle"].json()["Functions"]), 1)
        self.assertEqual(self.calls_of("lambda", "ListFunctions") - before, 3)
        # 503 on IAM (query protocol), once: retried.
        self.assertEqual(res["503"].rc, 0, res["503"].err)
        self.assertEqual(res["503"].json()["Role"]["RoleName"], "acme-deployer-role")
        # 500 on every attempt: awscli gives up and reports it.
        self.assertNotEqual(res["500"].rc, 0)
        self.assertRegex(res["500"].err, r"500|InternalFailure|InternalError|ServiceUnavailable")
        # Throttling beyond the attempts: the service's own throttling code.
        self.assertNotEqual(res["throttled-out"].rc, 0)
        self.assertRegex(res["throttled-out"].err, r"\(Throttling\)")
        # Malformed XML (IAM, query): botocore cannot parse it, awscli fails.
        self.assertNotEqual(res["bad-xml"].rc, 0)
        # Malformed JSON (Lambda, rest-json): botocore keeps the text as a
        # message, so awscli "succeeds" with none of the fields.
        self.assertNotIn("FunctionName", res["bad-json"].out)
        # A connection reset is retried.
        self.assertEqual(res["reset"].rc, 0, res["reset"].err)
        self.assertIn("RevisionId", res["reset"].json())
        # A body cut short: botocore reports the short read, awscli fails.
        self.assertNotEqual(res["truncate"].rc, 0)
        # A stall longer than the read timeout: awscli times out and retries.
        self.assertEqual(res["stall"].rc, 0, res["stall"].err)
        self.assertEqual([a["Name"] for a in res["stall"].json()["Aliases"]], ["live"])
        self.assertEqual(self.calls_of("lambda", "ListAliases"), 2)
        left = [r for r in self.admin("faults")["faults"] if r["count"] > 0]
        self.assertEqual(left, [])

if __name__ == "__main__":
    main()
