"""shears scan of the demo account, checked against independent clients:
for buckets, queues, topics, rules, tables and APIs, `shears ls KIND --json`
lists what Debian's /usr/bin/aws lists from the same fake (details read
with botocore, the library under it, which starts faster); the trigger
edges from S3 notifications, SNS subscriptions, EventBridge targets and API
routes are the ones botocore (the library under awscli) reads there; and a
scan of one region reads only that region's buckets in full."""
import json
import os
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

SHEARS = os.path.join(os.environ.get("SHEARS_BUILD", os.path.join(ROOT, "build")), "shears")
FAKE = os.path.join(ROOT, "tests", "fakeaws", "fakeaws")
ACCOUNTS = os.path.join(ROOT, "tests", "fakeaws", "accounts")
REGIONS = ("us-east-1", "eu-west-1")


def clean_env(home, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.pop("PYTHONPATH", None)
    env.update(HOME=home, AWS_EC2_METADATA_DISABLED="true", AWS_PROFILE="demo",
               AWS_CONFIG_FILE=os.path.join(ACCOUNTS, "demo.config"),
               AWS_SHARED_CREDENTIALS_FILE=os.path.join(ACCOUNTS, "demo.credentials"),
               XDG_CACHE_HOME=os.path.join(home, "cache"))
    env.update(extra)
    return env


class ScanServices(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp(prefix="shears-scan-services-")
        cls.env = clean_env(cls.home)
        cls.fake = subprocess.Popen([FAKE, "--port", "0",
                                     "--account", "demo"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    text=True, env=cls.env)
        line = cls.fake.stdout.readline().strip()
        assert line.startswith("ready "), line
        cls.url = line.split(" ", 1)[1]
        cls.cache = os.path.join(cls.home, "full.db")
        args = ["--endpoint-url", cls.url, "--cache", cls.cache]
        for r in REGIONS:
            args += ["--region", r]
        cls.scan = subprocess.run([SHEARS, *args, "scan", "--json"], capture_output=True,
                                  text=True, env=cls.env, timeout=120)
        sys.path.insert(0, "/usr/lib/python3/dist-packages")
        import botocore.session
        cls.session = botocore.session.Session()
        cls.session.set_config_variable("config_file", cls.env["AWS_CONFIG_FILE"])
        cls.session.set_config_variable("credentials_file",
                                        cls.env["AWS_SHARED_CREDENTIALS_FILE"])
        cls.session.set_config_variable("profile", "demo")

    @classmethod
    def tearDownClass(cls):
        cls.fake.terminate()
        cls.fake.wait(10)

    def client(self, service, region):
        return self.session.create_client(service, region_name=region, endpoint_url=self.url)

    def aws(self, region, *args):
        r = subprocess.run(["/usr/bin/aws", "--endpoint-url", self.url, "--region", region,
                            "--output", "json", *args], capture_output=True, text=True,
                           env=self.env, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout) if r.stdout.strip() else {}

    def ls(self, kind, cache=None):
        r = subprocess.run([SHEARS, "--cache", cache or self.cache, "ls", "--json", kind],
                           capture_output=True, text=True, env=self.env, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return [json.loads(line) for line in r.stdout.splitlines() if line.strip()]

    def test_scan_completes_without_gaps(self):
        self.assertEqual(self.scan.returncode, 0, self.scan.stderr)
        summary = json.loads(self.scan.stdout.strip().splitlines()[-1])
        self.assertEqual(summary["incomplete"], [])
        for svc in ("s3", "sqs", "sns", "events", "dynamodb", "apigateway", "apigatewayv2"):
            self.assertIn(svc, summary["calls"])

    def test_buckets_match_awscli_with_their_regions(self):
        listed = self.aws("us-east-1", "s3api", "list-buckets")["Buckets"]
        s3 = self.client("s3", "us-east-1")
        want = {}
        for b in listed:
            loc = s3.get_bucket_location(Bucket=b["Name"])
            want[b["Name"]] = loc.get("LocationConstraint") or "us-east-1"
        got = {b["name"]: b["region"] for b in self.ls("buckets")}
        self.assertEqual(got, want)
        for b in self.ls("buckets"):
            self.assertEqual(b["arn"], "arn:aws:s3:::" + b["name"])
            self.assertIn("Acl", b["attrs"])
            self.assertIn("PublicAccessBlockConfiguration", b["attrs"])

    def test_public_bucket_carries_its_policy_and_status(self):
        b = {x["name"]: x["attrs"] for x in self.ls("buckets")}["acme-public-assets"]
        s3 = self.client("s3", "us-east-1")
        status = s3.get_bucket_policy_status(Bucket="acme-public-assets")["PolicyStatus"]
        self.assertTrue(status["IsPublic"])
        self.assertEqual(b["PolicyStatus"]["IsPublic"], status["IsPublic"])
        policy = json.loads(s3.get_bucket_policy(Bucket="acme-public-assets")["Policy"])
        self.assertEqual(b["Policy"], policy)

    def test_queues_match_awscli(self):
        want = set()
        for r in REGIONS:
            want |= set(self.aws(r, "sqs", "list-queues").get("QueueUrls", []))
        queues = self.ls("queues")
        self.assertEqual({q["attrs"]["QueueUrl"] for q in queues}, want)
        for q in queues:
            self.assertEqual(q["arn"], q["attrs"]["Attributes"]["QueueArn"])

    def test_topics_match_awscli(self):
        want = set()
        for r in REGIONS:
            want |= {t["TopicArn"] for t in self.aws(r, "sns", "list-topics")["Topics"]}
        self.assertEqual({t["arn"] for t in self.ls("topics")}, want)

    def test_rules_match_awscli(self):
        want = set()
        for r in REGIONS:
            want |= {x["Arn"] for x in self.aws(r, "events", "list-rules")["Rules"]}
        self.assertEqual({x["arn"] for x in self.ls("rules")}, want)

    def test_tables_match_awscli(self):
        want = set()
        for r in REGIONS:
            want |= {(r, n) for n in self.aws(r, "dynamodb", "list-tables")["TableNames"]}
        self.assertEqual({(t["region"], t["name"]) for t in self.ls("tables")}, want)

    def test_apis_match_awscli(self):
        want = set()
        for r in REGIONS:
            for a in self.aws(r, "apigateway", "get-rest-apis").get("items", []):
                want.add("arn:aws:apigateway:%s::/restapis/%s" % (r, a["id"]))
            for a in self.aws(r, "apigatewayv2", "get-apis").get("Items", []):
                want.add("arn:aws:apigateway:%s::/apis/%s" % (r, a["ApiId"]))
        apis = self.ls("apis")
        self.assertEqual({a["arn"] for a in apis}, want)
        for a in apis:
            if a["kind"] == "http-api":
                self.assertIn("ProtocolType", a["attrs"])

    def expected_triggers(self):
        """Trigger edges (src, dst) read with botocore from the same fake."""
        want = set()
        s3 = self.client("s3", "us-east-1")
        for b in s3.list_buckets()["Buckets"]:
            conf = s3.get_bucket_notification_configuration(Bucket=b["Name"])
            for f in conf.get("LambdaFunctionConfigurations", []):
                want.add(("arn:aws:s3:::" + b["Name"], f["LambdaFunctionArn"]))
        for r in REGIONS:
            sns = self.client("sns", r)
            for t in sns.list_topics()["Topics"]:
                for s in sns.list_subscriptions_by_topic(TopicArn=t["TopicArn"])["Subscriptions"]:
                    if s["Protocol"] == "lambda":
                        want.add((t["TopicArn"], s["Endpoint"]))
            ev = self.client("events", r)
            for rule in ev.list_rules()["Rules"]:
                for t in ev.list_targets_by_rule(Rule=rule["Name"])["Targets"]:
                    if ":function:" in t["Arn"]:
                        want.add((rule["Arn"], t["Arn"]))
            gw = self.client("apigateway", r)
            for api in gw.get_rest_apis()["items"]:
                src = "arn:aws:apigateway:%s::/restapis/%s" % (r, api["id"])
                for res in gw.get_resources(restApiId=api["id"], embed=["methods"])["items"]:
                    for m in res.get("resourceMethods", {}).values():
                        uri = m.get("methodIntegration", {}).get("uri", "")
                        if "/functions/" in uri:
                            want.add((src, uri.split("/functions/")[1].split("/invocations")[0]))
            gw2 = self.client("apigatewayv2", r)
            for api in gw2.get_apis()["Items"]:
                src = "arn:aws:apigateway:%s::/apis/%s" % (r, api["ApiId"])
                integ = {i["IntegrationId"]: i.get("IntegrationUri", "")
                         for i in gw2.get_integrations(ApiId=api["ApiId"])["Items"]}
                for route in gw2.get_routes(ApiId=api["ApiId"])["Items"]:
                    uri = integ.get(route.get("Target", "").replace("integrations/", ""), "")
                    if ":function:" in uri:
                        want.add((src, uri))
        return want

    def test_trigger_edges_match_what_botocore_reads(self):
        want = self.expected_triggers()
        self.assertGreaterEqual(len(want), 10)
        mine = ("arn:aws:s3:::", "arn:aws:sns:", "arn:aws:events:", "arn:aws:apigateway:")
        got = {(e["src"], e["dst"]) for e in self.ls("edges")
               if e["kind"] == "triggers" and e["src"].startswith(mine)}
        self.assertEqual(got, want)

    def test_unauthenticated_routes_say_so_in_evidence(self):
        ev = {e["dst"].rsplit(":", 1)[1]: e["evidence"] for e in self.ls("edges")
              if e["kind"] == "triggers" and e["src"].startswith("arn:aws:apigateway:")}
        self.assertIn("DELETE /orders/{orderId} auth NONE", ev["orders-api-cancel"])
        self.assertIn("GET /catalog auth NONE", ev["storefront-catalog"])
        self.assertNotIn("auth NONE", ev["orders-api-get"])

    def calls(self, method="GET"):
        req = urllib.request.Request(self.url + "/_fakeaws/calls", method=method)
        with urllib.request.urlopen(req, timeout=30) as f:
            return json.loads(f.read())

    def faults(self, method, rules=None):
        data = json.dumps(rules).encode() if rules is not None else None
        req = urllib.request.Request(self.url + "/_fakeaws/faults", data=data, method=method)
        with urllib.request.urlopen(req, timeout=30) as f:
            return json.loads(f.read())

    def test_zz_rules_on_custom_event_buses_are_read(self):
        region = "us-west-2"
        events = self.client("events", region)
        events.create_event_bus(Name="orders-bus")
        events.put_rule(Name="on-order", EventBusName="orders-bus",
                        EventPattern=json.dumps({"source": ["acme.orders"]}))
        events.put_rule(Name="nightly", ScheduleExpression="rate(1 day)")
        cache = os.path.join(self.home, "buses.db")
        r = subprocess.run([SHEARS, "--endpoint-url", self.url, "--cache", cache, "--region",
                            region, "scan", "--json"], capture_output=True, text=True,
                           env=dict(self.env, SHEARS_NO_PACING="1"), timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        rules = {x["name"]: x for x in self.ls("rules", cache) if x["region"] == region}
        self.assertEqual(sorted(rules), ["nightly", "on-order"])
        self.assertEqual(rules["on-order"]["attrs"]["EventBusName"], "orders-bus")
        self.assertIn(":rule/orders-bus/on-order", rules["on-order"]["arn"])
        self.assertEqual(rules["on-order"]["attrs"]["Targets"], [])

    def test_zz_rest_apis_keys_and_plans_follow_every_page(self):
        """API Gateway answers at most 500 items a page (position): a region with
        more REST APIs and keys than that is read whole."""
        region = "ap-southeast-2"
        apigw = self.client("apigateway", region)
        for i in range(503):
            apigw.create_rest_api(name="paging-api-%03d" % i)
        for i in range(502):
            apigw.create_api_key(name="paging-key-%03d" % i)
        cache = os.path.join(self.home, "paging.db")
        self.calls("DELETE")
        r = subprocess.run([SHEARS, "--endpoint-url", self.url, "--cache", cache, "--region",
                            region, "scan", "--json"], capture_output=True, text=True,
                           env=dict(self.env, SHEARS_NO_PACING="1"), timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        calls = self.calls()["calls"]["apigateway"]
        self.assertGreaterEqual(calls["GetRestApis"], 2)
        self.assertGreaterEqual(calls["GetApiKeys"], 2)
        apis = [a for a in self.ls("apis", cache) if a["region"] == region]
        self.assertEqual(len(apis), 503)
        keys = apis[0]["attrs"].get("ApiKeys", [])
        self.assertEqual(len(keys), 502)

    def test_one_region_scan_with_broken_answers(self):
        """A scan of us-east-1 only, with some answers broken: the failures are
        gaps and the rest is read; buckets elsewhere are listed, not read."""
        broken = [("sqs", "GetQueueAttributes"), ("s3", "GetBucketAcl"),
                  ("apigatewayv2", "GetRoutes"), ("events", "ListTargetsByRule"),
                  ("dynamodb", "DescribeTable")]
        cache = os.path.join(self.home, "faults.db")
        self.calls("DELETE")
        self.faults("POST", [{"service": s, "operation": o, "kind": "malformed", "count": -1}
                             for s, o in broken])
        try:
            r = subprocess.run([SHEARS, "--endpoint-url", self.url, "--cache", cache,
                                "--region", "us-east-1", "scan", "--json"],
                               capture_output=True, text=True, env=self.env, timeout=120)
        finally:
            self.faults("DELETE")
        s3 = self.calls()["calls"]["s3"]
        summary = json.loads(r.stdout.strip().splitlines()[-1])
        gaps = {(g["service"], g["operation"]) for g in summary["incomplete"]}
        self.assertEqual(gaps, set(broken))
        self.assertFalse(summary["complete"])
        # what did not fail is all there: buckets with their other parts, topics, tables
        buckets = self.ls("buckets", cache)
        east = [b for b in buckets if b["region"] == "us-east-1"]
        other = [b for b in buckets if b["region"] != "us-east-1"]
        self.assertTrue(east and other)
        self.assertEqual(s3["GetBucketLocation"], len(buckets))
        self.assertEqual(s3["GetBucketAcl"], len(east))
        self.assertEqual(s3["GetPublicAccessBlock"], len(east))
        for b in east:
            self.assertNotIn("Acl", b["attrs"])
            self.assertIn("PublicAccessBlockConfiguration", b["attrs"])
        for b in other:
            self.assertNotIn("PublicAccessBlockConfiguration", b["attrs"])
        # a queue or table that could not be read is still listed, under its ARN
        east = lambda kind: {x["arn"] for x in self.ls(kind) if x["region"] == "us-east-1"}
        self.assertEqual({q["arn"] for q in self.ls("queues", cache)}, east("queues"))
        self.assertEqual({t["arn"] for t in self.ls("tables", cache)}, east("tables"))
        for q in self.ls("queues", cache):
            self.assertNotIn("Attributes", q["attrs"])
        self.assertEqual(len(self.ls("topics", cache)),
                         len([t for t in self.ls("topics") if t["region"] == "us-east-1"]))
        self.assertTrue(self.ls("rules", cache))

    def test_rescans_skip_what_cannot_have_changed(self):
        cache = os.path.join(self.home, "quick.db")
        args = [SHEARS, "--endpoint-url", self.url, "--cache", cache]
        for r in REGIONS:
            args += ["--region", r]
        # the first scan is setUpClass's: a copy of its cache
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(self.cache + suffix):
                shutil.copyfile(self.cache + suffix, cache + suffix)
        kinds = ("buckets", "queues", "topics", "rules", "tables", "apis")
        before = {k: self.ls(k, cache) for k in kinds}
        edges = [e for e in self.ls("edges", cache) if e["kind"] == "triggers"]
        # a plain rescan reads everything again but the regions of known buckets
        self.calls("DELETE")
        r = subprocess.run(args + ["scan"], capture_output=True, text=True, env=self.env,
                           timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        s3 = self.calls()["calls"]["s3"]
        self.assertNotIn("GetBucketLocation", s3)
        self.assertEqual(s3["GetBucketAcl"], len(before["buckets"]))
        self.assertEqual({b["arn"]: b["region"] for b in self.ls("buckets", cache)},
                         {b["arn"]: b["region"] for b in before["buckets"]})
        self.calls("DELETE")
        r = subprocess.run(args + ["scan", "--quick"], capture_output=True, text=True,
                           env=self.env, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        calls = self.calls()["calls"]
        lists = {"s3": {"ListBuckets"}, "sqs": {"ListQueues"}, "sns": {"ListTopics"},
                 "events": {"ListEventBuses", "ListRules"}, "dynamodb": {"ListTables"},
                 "apigateway": {"GetRestApis"}, "apigatewayv2": {"GetApis"}}
        for svc, ops in lists.items():
            self.assertEqual(set(calls.get(svc, {})), ops, svc)
        for k in kinds:
            self.assertEqual(self.ls(k, cache), before[k], k)
        self.assertEqual([e for e in self.ls("edges", cache) if e["kind"] == "triggers"],
                         edges)


class ScanServicesSecrets(unittest.TestCase):
    """Values that may be secrets, planted where the service collectors read
    them, never reach the cache: stage variables, a webhook subscription's
    URL, a rule target's constant input, an API key's value."""
    SECRETS = ("stagevar-SECRET-5f1e", "webhookTOKEN9d2c", "input-SECRET-77aa",
               "apikey-SECRET-0b3f4c5d6e7f80912345")

    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp(prefix="shears-scan-secrets-")
        cls.env = clean_env(cls.home)
        cls.fake = subprocess.Popen([FAKE, "--port", "0", "--account", "demo"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    text=True, env=cls.env)
        line = cls.fake.stdout.readline().strip()
        assert line.startswith("ready "), line
        cls.url = line.split(" ", 1)[1]

    @classmethod
    def tearDownClass(cls):
        cls.fake.terminate()
        cls.fake.wait(10)

    def test_secret_values_are_redacted_in_the_cache(self):
        sys.path.insert(0, "/usr/lib/python3/dist-packages")
        import botocore.session
        session = botocore.session.Session()
        session.set_config_variable("config_file", self.env["AWS_CONFIG_FILE"])
        session.set_config_variable("credentials_file", self.env["AWS_SHARED_CREDENTIALS_FILE"])
        session.set_config_variable("profile", "demo")
        new = lambda svc: session.create_client(svc, region_name="us-east-1",
                                                endpoint_url=self.url)
        gw = new("apigateway")
        api = gw.get_rest_apis()["items"][0]["id"]
        dep = gw.create_deployment(restApiId=api)["id"]
        gw.create_stage(restApiId=api, stageName="canary", deploymentId=dep,
                        variables={"backendKey": self.SECRETS[0]})
        gw.create_api_key(name="partner", enabled=True, value=self.SECRETS[3])
        sns = new("sns")
        topic = [t["TopicArn"] for t in sns.list_topics()["Topics"]
                 if t["TopicArn"].endswith(":acme-order-events")][0]
        sns.subscribe(TopicArn=topic, Protocol="https",
                      Endpoint="https://hooks.example.com/services/" + self.SECRETS[1])
        ev = new("events")
        rule = ev.list_rules()["Rules"][0]
        target = ev.list_targets_by_rule(Rule=rule["Name"])["Targets"][0]
        ev.put_targets(Rule=rule["Name"], Targets=[
            {"Id": target["Id"], "Arn": target["Arn"],
             "Input": json.dumps({"token": self.SECRETS[2]})}])

        cache = os.path.join(self.home, "secrets.db")
        r = subprocess.run([SHEARS, "--endpoint-url", self.url, "--cache", cache,
                            "--region", "us-east-1", "scan"], capture_output=True, text=True,
                           env=self.env, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        out = ""
        for kind in ("apis", "topics", "rules"):
            ls = subprocess.run([SHEARS, "--cache", cache, "ls", "--json", kind],
                                capture_output=True, text=True, env=self.env, timeout=60)
            self.assertEqual(ls.returncode, 0, ls.stderr)
            out += ls.stdout
        # what was planted was read (its redacted form is there) ...
        self.assertIn("hooks.example.com/", out)
        self.assertIn('"backendKey":"stag', out.replace(" ", ""))
        self.assertIn('"partner"', out)
        self.assertGreaterEqual(out.count("\\u2026sha256:") + out.count("\u2026sha256:"), 3)
        # ... and no secret is in the listing or anywhere in the cache's files
        raw = b""
        for f in os.listdir(self.home):
            if f.startswith("secrets.db"):
                with open(os.path.join(self.home, f), "rb") as fh:
                    raw += fh.read()
        for secret in self.SECRETS:
            self.assertNotIn(secret, out)
            self.assertNotIn(secret.encode(), raw)


if __name__ == "__main__":
    main()
