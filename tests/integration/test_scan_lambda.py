"""shears scan's Lambda, metrics and logs parts against the simulated demo
account, checked against what Debian's awscli reads from the same fake:
functions, tags and concurrency, the function URL and resource policy,
event source mappings drawn as trigger edges, 90 days of daily metrics,
log group retention; environment values never reach the cache; a rescan of
an unchanged account reads no function again with GetFunction."""
import datetime
import json
import os
import sqlite3
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
REGIONS = ["us-east-1", "eu-west-1"]
DAY = 86400


def clean_env(home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.pop("PYTHONPATH", None)
    env.update(HOME=home, AWS_EC2_METADATA_DISABLED="true", XDG_CACHE_HOME=os.path.join(home, "cache"),
               AWS_PROFILE="demo", AWS_CONFIG_FILE=os.path.join(ACCOUNTS, "demo.config"),
               AWS_SHARED_CREDENTIALS_FILE=os.path.join(ACCOUNTS, "demo.credentials"))
    return env


class ScanLambda(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp(prefix="shears-scan-lambda-")
        cls.env = clean_env(cls.home)
        cls.cache = os.path.join(cls.home, "cache.db")
        cls.fake = subprocess.Popen(["/usr/bin/python3", "-I", FAKE, "--port", "0", "--account", "demo"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                    env=cls.env)
        line = cls.fake.stdout.readline().strip()
        assert line.startswith("ready "), line
        cls.url = line.split(" ", 1)[1]
        cls.scan = cls.shears_scan()
        cls.calls = cls.fake_calls()
        cls.functions = {f["arn"]: f for f in cls.ls("functions")}
        cls.by_name = {(f["region"], f["name"]): f for f in cls.functions.values()}
        cls.edges = cls.ls("edges")
        cls.groups = {g["name"]: g for g in cls.ls("log-groups")}

    @classmethod
    def tearDownClass(cls):
        cls.fake.terminate()
        cls.fake.wait(10)

    @classmethod
    def shears_scan(cls, *extra):
        args = [SHEARS, "--endpoint-url", cls.url, "--cache", cls.cache, "scan", "--json"] + list(extra)
        for r in REGIONS:
            args += ["--region", r]
        return subprocess.run(args, capture_output=True, text=True, env=cls.env, timeout=120)

    @classmethod
    def fake_calls(cls, clear=True):
        with urllib.request.urlopen(cls.url + "/_fakeaws/calls", timeout=10) as f:
            calls = json.load(f)["calls"]
        if clear:  # DELETE answers with the counters already cleared
            req = urllib.request.Request(cls.url + "/_fakeaws/calls", method="DELETE")
            urllib.request.urlopen(req, timeout=10).close()
        return calls

    @classmethod
    def ls(cls, kind):
        out = subprocess.run([SHEARS, "--cache", cls.cache, "ls", "--json", kind], capture_output=True,
                             text=True, env=cls.env, timeout=60)
        assert out.returncode == 0, out.stderr
        return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]

    def aws(self, region, *args):
        out = subprocess.run(["/usr/bin/aws", "--endpoint-url", self.url, "--output", "json",
                              "--region", region] + list(args),
                             capture_output=True, text=True, env=self.env, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout) if out.stdout.strip() else {}

    def fn(self, region, name):
        return self.by_name[(region, name)]

    def test_scan_ran_without_lambda_gaps(self):
        self.assertEqual(self.scan.returncode, 0, self.scan.stderr)
        gaps = [g for g in json.loads(self.scan.stdout).get("incomplete", [])
                if g["service"] in ("lambda", "cloudwatch", "logs")]
        self.assertEqual(gaps, [])

    def test_functions_are_the_ones_awscli_lists(self):
        want = {}
        for r in REGIONS:
            for f in self.aws(r, "lambda", "list-functions")["Functions"]:
                want[f["FunctionArn"]] = f
        self.assertEqual(sorted(self.functions), sorted(want))
        for arn, f in want.items():
            got = self.functions[arn]["attrs"]
            for k in ("RevisionId", "CodeSha256", "Runtime", "Role", "Timeout", "MemorySize"):
                self.assertEqual(got.get(k), f.get(k), (arn, k))
        # one GetFunction per function on the first scan, and one ListFunctions page per region
        self.assertEqual(self.calls["lambda"]["GetFunction"], len(want))
        self.assertEqual(self.calls["lambda"]["ListFunctions"], len(REGIONS))
        self.assertEqual(self.calls["lambda"]["ListEventSourceMappings"], len(REGIONS))

    def test_tags_concurrency_versions_aliases(self):
        got = self.fn("us-east-1", "orders-api-create")["attrs"]
        want = self.aws("us-east-1", "lambda", "get-function", "--function-name", "orders-api-create")
        self.assertEqual(got["Tags"], want["Tags"])
        self.assertEqual(got["Concurrency"], want["Concurrency"])
        got = self.fn("us-east-1", "orders-api-get")["attrs"]
        want = self.aws("us-east-1", "lambda", "list-aliases", "--function-name", "orders-api-get")
        self.assertEqual(got["Aliases"], want["Aliases"])
        self.assertEqual(sorted(v["Version"] for v in got["Versions"]), ["1", "2"])

    def test_url_and_policy_match_awscli(self):
        got = self.fn("us-east-1", "payment-webhook")["attrs"]
        urls = self.aws("us-east-1", "lambda", "list-function-url-configs", "--function-name",
                        "payment-webhook")["FunctionUrlConfigs"]
        self.assertEqual(got["Url"]["FunctionUrl"], urls[0]["FunctionUrl"])
        self.assertEqual(got["Url"]["AuthType"], "NONE")
        pol = self.aws("us-east-1", "lambda", "get-policy", "--function-name", "payment-webhook")
        self.assertEqual(got["Policy"], json.loads(pol["Policy"]))
        self.assertEqual(got["PolicyRevisionId"], pol["RevisionId"])
        self.assertEqual(self.fn("us-east-1", "slack-bot")["attrs"]["Url"]["AuthType"], "AWS_IAM")
        self.assertIsNone(self.fn("us-east-1", "email-sender")["attrs"]["Url"])  # read: none
        # the URL is an entry point: a trigger edge whose evidence names its auth
        ev = [e["evidence"] for e in self.edges if e["kind"] == "triggers" and
              e["src"] == urls[0]["FunctionUrl"] and e["dst"] == self.fn("us-east-1", "payment-webhook")["arn"]]
        self.assertEqual(ev, ["function URL auth NONE"])

    def test_event_source_mappings_are_trigger_edges(self):
        tables = {t["arn"] for t in self.ls("tables")}
        triggers = {(e["src"], e["dst"]) for e in self.edges if e["kind"] == "triggers"}
        n = 0
        for r in REGIONS:
            for m in self.aws(r, "lambda", "list-event-source-mappings")["EventSourceMappings"]:
                fn = ":".join(m["FunctionArn"].split(":")[:7])
                src = m["EventSourceArn"]
                if "/stream/" in src and src.split("/stream/")[0] in tables:
                    src = src.split("/stream/")[0]
                self.assertIn((src, fn), triggers)
                uuids = [x["UUID"] for x in self.functions[fn]["attrs"]["EventSourceMappings"]]
                self.assertIn(m["UUID"], uuids)
                n += 1
        self.assertGreaterEqual(n, 4)
        # the async destination of storefront-checkout
        dlq = "arn:aws:sqs:us-east-1:314159265358:acme-checkout-dlq"
        self.assertIn(("invokes", dlq), {(e["kind"], e["dst"]) for e in self.edges
                                         if e["src"] == self.fn("us-east-1", "storefront-checkout")["arn"]})

    def test_environment_values_never_reach_the_cache(self):
        raw = self.aws("us-east-1", "lambda", "get-function-configuration", "--function-name",
                       "email-sender")["Environment"]["Variables"]["SENDGRID_API_KEY"]
        got = self.fn("us-east-1", "email-sender")["attrs"]["Environment"]["Variables"]["SENDGRID_API_KEY"]
        self.assertNotEqual(got, raw)
        self.assertTrue(got.startswith(raw[:4]))
        self.assertIn("sha256:", got)
        with open(self.cache, "rb") as f:
            self.assertNotIn(raw[8:].encode(), f.read())
        for f in self.functions.values():
            self.assertFalse([k for k in f["attrs"] if k.startswith("_")], f["arn"])

    def test_metrics_days_match_cloudwatch(self):
        arn = self.fn("us-east-1", "storefront-checkout")["arn"]
        db = sqlite3.connect("file:%s?mode=ro" % self.cache, uri=True)
        rows = db.execute("SELECT name, day, value FROM metric WHERE resource = ?", (arn,)).fetchall()
        db.close()
        got = {(n, d): v for n, d, v in rows}
        self.assertEqual({n for n, _ in got}, {"Invocations", "Errors", "Throttles", "DurationMax",
                                               "DurationP99"})
        days = {d for _, d in got}
        today = int(datetime.datetime.now(datetime.timezone.utc).timestamp()) // DAY
        self.assertTrue(days and min(days) >= today - 90 and max(days) < today, (min(days), max(days)))
        start = datetime.datetime.fromtimestamp((today - 90) * DAY, datetime.timezone.utc)
        end = datetime.datetime.fromtimestamp(today * DAY, datetime.timezone.utc)
        q = [{"Id": "inv", "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": "Invocations",
                                                     "Dimensions": [{"Name": "FunctionName",
                                                                     "Value": "storefront-checkout"}]},
                                          "Period": DAY, "Stat": "Sum"}},
             {"Id": "p99", "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": "Duration",
                                                     "Dimensions": [{"Name": "FunctionName",
                                                                     "Value": "storefront-checkout"}]},
                                          "Period": DAY, "Stat": "p99"}}]
        want = self.aws("us-east-1", "cloudwatch", "get-metric-data", "--start-time", start.isoformat(),
                        "--end-time", end.isoformat(), "--metric-data-queries", json.dumps(q))
        names = {"inv": "Invocations", "p99": "DurationP99"}
        for res in want["MetricDataResults"]:
            series = {}
            for ts, v in zip(res["Timestamps"], res["Values"]):
                t = datetime.datetime.fromisoformat(ts.replace("Z", "+00:00"))
                series[int(t.timestamp()) // DAY] = v
            self.assertTrue(series)
            mine = {d: v for (n, d), v in got.items() if n == names[res["Id"]]}
            self.assertEqual(sorted(mine), sorted(series))
            for d, v in series.items():
                self.assertAlmostEqual(mine[d], v, places=6)

    def test_log_groups_and_retention_match(self):
        n = 0
        for r in REGIONS:
            for g in self.aws(r, "logs", "describe-log-groups")["logGroups"]:
                got = self.groups[g["logGroupName"]]
                self.assertEqual(got["arn"], g["arn"][:-2] if g["arn"].endswith(":*") else g["arn"])
                self.assertEqual(got["attrs"].get("retentionInDays"), g.get("retentionInDays"))
                self.assertEqual(got["attrs"].get("storedBytes"), g.get("storedBytes"))
                n += 1
        self.assertEqual(n, len(self.groups))
        writes = {(e["src"], e["dst"]) for e in self.edges if e["kind"] == "writes"}
        for f in self.functions.values():
            group = self.groups["/aws/lambda/" + f["name"]]
            self.assertIn((f["arn"], group["arn"]), writes)

    def test_zz_rescan_reads_no_function_again(self):
        self.fake_calls()  # forget the awscli calls of the other tests
        scan = self.shears_scan()
        self.assertEqual(scan.returncode, 0, scan.stderr)
        calls = self.fake_calls()["lambda"]
        self.assertNotIn("GetFunction", calls)
        self.assertNotIn("ListFunctionUrlConfigs", calls)
        self.assertNotIn("ListFunctionEventInvokeConfigs", calls)
        self.assertEqual(calls["GetPolicy"], len(self.functions))
        quick = self.shears_scan("--quick")
        self.assertEqual(quick.returncode, 0, quick.stderr)
        every = self.fake_calls()
        calls = every["lambda"]
        self.assertEqual(sorted(calls), ["ListEventSourceMappings", "ListFunctions", "ListLayers"])
        self.assertNotIn("DescribeLogGroups", every.get("logs", {}))
        self.assertEqual(len(self.ls("functions")), len(self.functions))
        # --quick lists no log groups but keeps every one, orphaned ones included
        own = {"/aws/lambda/" + f["name"] for f in self.functions.values()}
        self.assertTrue(set(self.groups) - own, "the demo account has orphaned log groups")
        after = {g["name"]: (g["arn"], g["region"], g["attrs"].get("retentionInDays"))
                 for g in self.ls("log-groups")}
        before = {g["name"]: (g["arn"], g["region"], g["attrs"].get("retentionInDays"))
                  for g in self.groups.values()}
        self.assertEqual(after, before)

    def test_zzz_per_function_listings_follow_every_page(self):
        # Lambda answers at most 50 aliases (and URL or async configs) a page
        import botocore.session
        session = botocore.session.get_session()
        client = session.create_client("lambda", region_name="us-east-1", endpoint_url=self.url,
                                       aws_access_key_id=self.creds()[0],
                                       aws_secret_access_key=self.creds()[1])
        for i in range(57):
            client.create_alias(FunctionName="orders-api-get", Name="page-test-%02d" % i,
                                FunctionVersion="1")
        want = self.aws("us-east-1", "lambda", "list-aliases", "--function-name", "orders-api-get")
        self.assertGreater(len(want["Aliases"]), 50)
        self.fake_calls()
        scan = self.shears_scan()
        self.assertEqual(scan.returncode, 0, scan.stderr)
        self.assertGreaterEqual(self.fake_calls()["lambda"]["ListAliases"], 2)
        got = [f for f in self.ls("functions") if f["name"] == "orders-api-get"][0]["attrs"]
        self.assertEqual(sorted(a["Name"] for a in got["Aliases"]),
                         sorted(a["Name"] for a in want["Aliases"]))

    def creds(self):
        import configparser
        cp = configparser.ConfigParser()
        cp.read(os.path.join(ACCOUNTS, "demo.credentials"))
        return cp["demo"]["aws_access_key_id"], cp["demo"]["aws_secret_access_key"]

if __name__ == "__main__":
    main()
