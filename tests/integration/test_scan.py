"""shears scan against the simulated account (tests/fakeaws): what the scan
writes, what the fake saw (call counts per budget), how faults, a persistent
failure and Ctrl-C end, and that the cache holds no secret. The expected
inventory comes from Debian's awscli, the independent client."""
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from cmocka_unittest import main  # noqa: E402

SHEARS = os.path.join(os.environ.get("SHEARS_BUILD", os.path.join(ROOT, "build")), "shears")
FAKE = os.path.join(ROOT, "tests", "fakeaws", "fakeaws")
ACCOUNTS = os.path.join(ROOT, "tests", "fakeaws", "accounts")
DEMO_REGIONS = ("us-east-1", "eu-west-1")
SECRET_KEY_WORDS = ("KEY", "SECRET", "TOKEN", "WEBHOOK", "PASSWORD", "DSN")
# the services whose calls the budgets of the design count (functions and roles)
BUDGETED = ("sts", "lambda", "iam", "cloudwatch", "logs")


def clean_env(home, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.pop("PYTHONPATH", None)
    env.update(HOME=home, AWS_EC2_METADATA_DISABLED="true", XDG_CACHE_HOME=home,
               AWS_PROFILE="demo",
               AWS_CONFIG_FILE=os.path.join(ACCOUNTS, "demo.config"),
               AWS_SHARED_CREDENTIALS_FILE=os.path.join(ACCOUNTS, "demo.credentials"))
    env.update(extra)
    return env


class Fake:
    """One fakeaws process on loopback, ended by its own pid."""

    def __init__(self, home, *args):
        self.proc = subprocess.Popen([FAKE, "--port", "0", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True, env=clean_env(home))
        line = self.proc.stdout.readline().strip()
        assert line.startswith("ready "), line
        self.url = line.split(" ", 1)[1]

    def admin(self, path, method="GET", doc=None):
        data = None if doc is None else json.dumps(doc).encode()
        req = urllib.request.Request(self.url + "/_fakeaws/" + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read() or b"{}")

    def calls(self):
        return self.admin("calls")

    def clear_calls(self):
        self.admin("calls", "DELETE")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


class ScanCase(unittest.TestCase):
    ARGS = ()

    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp(prefix="shears-scan-")
        cls.fake = Fake(cls.home, *cls.ARGS)
        cls.env = clean_env(cls.home, SHEARS_NO_PACING="1")

    @classmethod
    def tearDownClass(cls):
        cls.fake.stop()

    def setUp(self):
        self.fake.admin("faults", "DELETE")

    def shears(self, cache, *args, timeout=120):
        return subprocess.run([SHEARS, "--endpoint-url", self.fake.url, "--cache", cache, *args],
                              capture_output=True, text=True, env=self.env, timeout=timeout)

    def scan(self, cache, *extra, regions=DEMO_REGIONS):
        args = ["scan", "--json"]
        for r in regions:
            args += ["--region", r]
        r = self.shears(cache, *args, *extra)
        self.assertIn(r.returncode, (0, 3), r.stderr)
        return r.returncode, json.loads(r.stdout)

    def ls(self, cache, kind, *extra):
        r = self.shears(cache, "ls", kind, "--json", *extra)
        self.assertEqual(r.returncode, 0, r.stderr)
        return [json.loads(line) for line in r.stdout.splitlines()]

    def aws(self, *args, region="us-east-1"):
        r = subprocess.run(["/usr/bin/aws", "--endpoint-url", self.fake.url, "--region", region,
                            "--output", "json", *args], capture_output=True, text=True,
                           env=clean_env(self.home), timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout or "{}")

    def aws_functions(self, regions=DEMO_REGIONS):
        fns = {}
        for region in regions:
            for f in self.aws("lambda", "list-functions", region=region)["Functions"]:
                fns[f["FunctionArn"]] = f
        return fns

    def cache_path(self, name):
        return os.path.join(self.home, name + ".db")


class ScanDemo(ScanCase):
    ARGS = ("--account", "demo")

    def test_scan_completes_and_ls_matches_awscli(self):
        cache = self.cache_path("match")
        rc, summary = self.scan(cache)
        self.assertEqual(rc, 0, summary["incomplete"])
        self.assertTrue(summary["complete"])
        self.assertEqual(summary["incomplete"], [])
        self.assertEqual(summary["account"], self.aws("sts", "get-caller-identity")["Account"])
        want = self.aws_functions()
        got = {f["arn"]: f for f in self.ls(cache, "functions")}
        self.assertEqual(set(got), set(want))
        for arn, f in want.items():
            self.assertEqual(got[arn]["kind"], "function")
            self.assertEqual(got[arn]["name"], f["FunctionName"])
            self.assertIn(got[arn]["region"], DEMO_REGIONS)
            for field in ("Runtime", "Role", "CodeSha256", "Handler"):
                self.assertEqual(got[arn]["attrs"].get(field), f.get(field), (arn, field))
        self.assertEqual(summary["counts"]["functions"], len(want))
        # the call counts shears prints are the fake's, operation by operation
        sts = self.fake.calls()["calls"]["sts"]["GetCallerIdentity"]
        self.assertGreaterEqual(sts, summary["calls"]["sts"]["GetCallerIdentity"])
        roles = self.aws("iam", "list-roles")["Roles"]
        self.assertEqual({r["arn"] for r in self.ls(cache, "roles")}, {r["Arn"] for r in roles})
        eu = self.ls(cache, "functions", "--region", "eu-west-1")
        self.assertEqual({f["arn"] for f in eu}, set(self.aws_functions(("eu-west-1",))))
        edges = self.ls(cache, "edges")
        self.assertTrue(edges)
        self.assertTrue(all(e["src"] and e["dst"] and e["kind"] for e in edges))

    def test_all_regions_scans_every_enabled_region(self):
        cache = self.cache_path("all")
        rc, summary = self.scan(cache, "--all-regions", regions=())
        self.assertEqual(rc, 0, summary["incomplete"])
        self.assertEqual(len(summary["regions"]), 17)
        self.assertTrue(set(DEMO_REGIONS) <= set(summary["regions"]))
        self.assertEqual({f["arn"] for f in self.ls(cache, "functions")}, set(self.aws_functions()))
        # a region with nothing in it was still read
        self.assertIn("ap-southeast-2", summary["regions"])
        r = self.shears(cache, "scan", "--all-regions", "--region", "us-east-1")
        self.assertEqual(r.returncode, 2)

    def test_call_counts_are_the_fakes(self):
        cache = self.cache_path("counts")
        self.fake.clear_calls()
        _, summary = self.scan(cache)
        seen = self.fake.calls()["calls"]
        mine = {(s, o): n for s, ops in summary["calls"].items() for o, n in ops.items()}
        theirs = {(s, o): n for s, ops in seen.items() for o, n in ops.items()}
        self.assertEqual(mine, theirs)
        self.assertEqual(summary["calls_total"], sum(theirs.values()))

    def test_cache_is_0600_and_holds_no_secret(self):
        cache = self.cache_path("secrets")
        self.scan(cache)
        self.assertEqual(stat.S_IMODE(os.stat(cache).st_mode), 0o600)
        secrets = set()
        for f in self.aws_functions().values():
            for k, v in f.get("Environment", {}).get("Variables", {}).items():
                if any(w in k.upper() for w in SECRET_KEY_WORDS) and len(v) >= 12:
                    secrets.add(v)
        self.assertGreaterEqual(len(secrets), 4)  # the demo account plants several
        blob = b""
        for name in os.listdir(self.home):
            if name.startswith("secrets.db"):
                with open(os.path.join(self.home, name), "rb") as fh:
                    blob += fh.read()
        self.assertGreater(len(blob), 0)
        for s in secrets:
            self.assertNotIn(s.encode(), blob, "secret of %d characters in the cache" % len(s))
            self.assertNotIn(s[4:].encode(), blob)
        # every stored variable value has the redacted form
        for f in self.ls(cache, "functions"):
            for v in (f["attrs"].get("Environment") or {}).get("Variables", {}).values():
                self.assertRegex(v, "\u2026sha256:[0-9a-f]{12}$")

    def test_faults_are_retried_and_the_scan_completes(self):
        cache = self.cache_path("faults")
        rules = [{"service": "lambda", "operation": "ListFunctions", "kind": "throttle", "count": 2},
                 {"service": "lambda", "operation": "GetFunction", "kind": "503", "count": 2},
                 {"service": "iam", "operation": "GetAccountAuthorizationDetails",
                  "kind": "reset", "count": 1},
                 {"service": "sqs", "operation": "GetQueueAttributes", "kind": "truncate",
                  "count": 1},
                 {"service": "dynamodb", "operation": "ListTables", "kind": "500", "count": 1}]
        self.fake.admin("faults", "POST", {"faults": rules})
        self.fake.clear_calls()
        rc, summary = self.scan(cache)
        self.assertEqual(rc, 0, summary["incomplete"])
        self.assertEqual(summary["incomplete"], [])
        seen = self.fake.calls()
        fired = sum(n for ops in seen["faults"].values() for n in ops.values())
        fired += sum(n for ops in seen["throttled"].values() for n in ops.values())
        self.assertEqual(fired, 7, seen)
        self.assertGreaterEqual(summary["retries"], 7)
        self.assertGreaterEqual(summary["throttled"], 2)
        self.assertEqual({f["arn"] for f in self.ls(cache, "functions")}, set(self.aws_functions()))

    def test_persistent_failure_is_incomplete_with_exit_3(self):
        cache = self.cache_path("persistent")
        self.fake.admin("faults", "POST", {"service": "sqs", "operation": "ListQueues",
                                           "kind": "500", "count": None})
        rc, summary = self.scan(cache)
        self.assertEqual(rc, 3)
        self.assertFalse(summary["complete"])
        gaps = [(g["service"], g["operation"]) for g in summary["incomplete"]]
        self.assertIn(("sqs", "ListQueues"), gaps)
        self.assertTrue(all(g[0] == "sqs" for g in gaps), gaps)
        # the rest was read
        self.assertEqual({f["arn"] for f in self.ls(cache, "functions")}, set(self.aws_functions()))
        self.assertGreater(len(self.ls(cache, "tables")), 0)
        # and the text output says so
        r = self.shears(cache, "scan", "--region", "us-east-1")
        self.assertEqual(r.returncode, 3)
        self.assertIn("INCOMPLETE", r.stdout)
        self.assertIn("sqs us-east-1 ListQueues", r.stdout)

    def test_sigint_mid_scan_keeps_the_previous_scan(self):
        cache = self.cache_path("sigint")
        rc, _ = self.scan(cache)
        self.assertEqual(rc, 0)
        before = self.ls(cache, "functions")
        n_scans = sqlite3.connect(cache).execute("SELECT count(*) FROM scan").fetchone()[0]
        self.fake.admin("faults", "POST", {"service": "lambda", "operation": "GetPolicy",
                                           "kind": "stall", "count": None, "seconds": 20})
        p = subprocess.Popen([SHEARS, "--endpoint-url", self.fake.url, "--cache", cache, "scan",
                              "--region", "us-east-1"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=self.env)
        time.sleep(1.5)
        t0 = time.monotonic()
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=15)
        self.assertLess(time.monotonic() - t0, 5)
        self.assertEqual(p.returncode, 130, err)
        self.assertIn("cancelled", err)
        self.fake.admin("faults", "DELETE")
        n_after = sqlite3.connect(cache).execute("SELECT count(*) FROM scan").fetchone()[0]
        self.assertEqual(n_after, n_scans)
        self.assertEqual(self.ls(cache, "functions"), before)

    def test_no_credentials_fail_the_scan_and_write_nothing(self):
        cache = self.cache_path("nocreds")
        env = clean_env(self.home, SHEARS_NO_PACING="1",
                        AWS_CONFIG_FILE=os.path.join(self.home, "none.config"),
                        AWS_SHARED_CREDENTIALS_FILE=os.path.join(self.home, "none.credentials"))
        env.pop("AWS_PROFILE")
        r = subprocess.run([SHEARS, "--endpoint-url", self.fake.url, "--cache", cache, "scan",
                            "--region", "us-east-1"], capture_output=True, text=True, env=env,
                           timeout=60)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("no credentials", r.stderr)
        n = sqlite3.connect(cache).execute("SELECT count(*) FROM scan").fetchone()[0]
        self.assertEqual(n, 0)

    def test_iam_policy_is_read_only_and_covers_the_calls(self):
        r = subprocess.run([SHEARS, "iam-policy"], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        doc = json.loads(r.stdout)
        actions = doc["Statement"][0]["Action"]
        self.assertEqual(doc["Statement"][0]["Effect"], "Allow")
        for a in actions:
            prefix, verb = a.split(":")
            self.assertTrue(verb == "GET" or verb.startswith(("Get", "List", "Describe",
                                                              "Generate")), a)
        prefixes = {a.split(":")[0] for a in actions}
        # every service the scan called has its actions in the policy
        cache = self.cache_path("policy")
        _, summary = self.scan(cache)
        for service in summary["calls"]:
            self.assertIn({"apigatewayv2": "apigateway"}.get(service, service), prefixes)
        # a call outside the table would have shown as a gap naming the table
        self.assertFalse([g for g in summary["incomplete"] if "iam-policy" in g["error"]])


class ScanGenerated(ScanCase):
    N, REGIONS = 200, ("us-east-1", "eu-west-1")
    ARGS = ("--account", "generated", "--functions", "200", "--regions", "2", "--seed", "11")

    def counted(self):
        seen = self.fake.calls()["calls"]
        total = sum(n for ops in seen.values() for n in ops.values())
        part = sum(n for s, ops in seen.items() if s in BUDGETED for n in ops.values())
        return total, part, seen

    def test_budgets_first_rescan_quick(self):
        cache = self.cache_path("budget")
        n = self.N
        roles = len(self.aws("iam", "list-roles")["Roles"])
        self.fake.clear_calls()
        rc, first = self.scan(cache, regions=self.REGIONS)
        self.assertEqual(rc, 0, first["incomplete"])
        self.assertEqual(first["counts"]["functions"], n)
        self.assertEqual({f["arn"] for f in self.ls(cache, "functions")},
                         set(self.aws_functions(self.REGIONS)))
        total, part, seen = self.counted()
        others = sum(v for k, v in first["counts"].items()
                     if k not in ("functions", "roles", "edges", "metrics", "log-groups",
                                  "policies", "layers"))
        budget = 4 * n + n // 25 + 3 * roles + 30
        self.assertLessEqual(part, budget, seen)
        self.assertLessEqual(total - part, 5 * others + 30, seen)

        self.fake.clear_calls()
        rc, again = self.scan(cache, regions=self.REGIONS)
        self.assertEqual(rc, 0)
        total, part, seen = self.counted()
        self.assertLessEqual(part, 2 * n + n // 25 + 30, seen)
        self.assertLessEqual(total - part, 5 * others + 30, seen)
        self.assertEqual(again["counts"]["functions"], n)

        self.fake.clear_calls()
        rc, quick = self.scan(cache, "--quick", regions=self.REGIONS)
        self.assertEqual(rc, 0)
        self.assertTrue(quick["quick"])
        total, part, seen = self.counted()
        self.assertLessEqual(total, n // 50 + roles // 100 + 30, seen)
        self.assertEqual(quick["counts"]["functions"], n)


if __name__ == "__main__":
    main()
