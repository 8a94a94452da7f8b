"""shears scan's IAM part against the simulated demo account: the roles, their
trust, inline and attached policies (with the default version documents)
must be what Debian's awscli reads from the same fake with
get-account-authorization-details; the access advisor is asked once per
role a function uses, never for the others; role -> table edges come from
the policies."""
import json
import os
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


def clean_env(home, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.pop("PYTHONPATH", None)
    env.update(HOME=home, AWS_EC2_METADATA_DISABLED="true", XDG_CACHE_HOME=os.path.join(home, "cache"),
               AWS_PROFILE="demo", AWS_CONFIG_FILE=os.path.join(ACCOUNTS, "demo.config"),
               AWS_SHARED_CREDENTIALS_FILE=os.path.join(ACCOUNTS, "demo.credentials"))
    env.update(extra)
    return env


class ScanIam(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp(prefix="shears-scan-iam-")
        cls.env = clean_env(cls.home)
        cls.fake = subprocess.Popen(["/usr/bin/python3", "-I", FAKE, "--port", "0", "--account", "demo"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                    env=cls.env)
        line = cls.fake.stdout.readline().strip()
        assert line.startswith("ready "), line
        cls.url = line.split(" ", 1)[1]
        args = [SHEARS, "--endpoint-url", cls.url, "scan", "--json"]
        for r in REGIONS:
            args += ["--region", r]
        cls.scan = subprocess.run(args, capture_output=True, text=True, env=cls.env, timeout=120)
        with urllib.request.urlopen(cls.url + "/_fakeaws/calls", timeout=10) as f:
            cls.calls = json.load(f)["calls"]
        aws = subprocess.run(["/usr/bin/aws", "--endpoint-url", cls.url, "--output", "json", "iam",
                              "get-account-authorization-details", "--filter", "Role",
                              "LocalManagedPolicy", "AWSManagedPolicy"],
                             capture_output=True, text=True, env=cls.env, timeout=60)
        assert aws.returncode == 0, aws.stderr
        cls.aws = json.loads(aws.stdout)
        cls.roles = {r["arn"]: r for r in cls.ls("roles")}
        cls.functions = cls.ls("functions")
        cls.edges = cls.ls("edges")

    @classmethod
    def ls(cls, kind):
        out = subprocess.run([SHEARS, "ls", "--json", kind], capture_output=True, text=True,
                             env=cls.env, timeout=60)
        assert out.returncode == 0, out.stderr
        return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]

    @classmethod
    def tearDownClass(cls):
        cls.fake.terminate()
        cls.fake.wait(10)

    def test_scan_ran(self):
        self.assertEqual(self.scan.returncode, 0, self.scan.stderr)
        iam_gaps = [g for g in json.loads(self.scan.stdout).get("incomplete", []) if g["service"] == "iam"]
        self.assertEqual(iam_gaps, [])

    def test_roles_are_the_ones_awscli_sees(self):
        self.assertEqual(sorted(self.roles), sorted(r["Arn"] for r in self.aws["RoleDetailList"]))

    def test_trust_inline_and_attached_policies_match(self):
        defaults = {}
        for p in self.aws["Policies"]:
            for v in p["PolicyVersionList"]:
                if v["IsDefaultVersion"]:
                    defaults[p["Arn"]] = v["Document"]
        for want in self.aws["RoleDetailList"]:
            got = self.roles[want["Arn"]]["attrs"]
            self.assertEqual(got["AssumeRolePolicyDocument"], want["AssumeRolePolicyDocument"])
            self.assertEqual({p["PolicyName"]: p["PolicyDocument"] for p in got["RolePolicyList"]},
                             {p["PolicyName"]: p["PolicyDocument"] for p in want["RolePolicyList"]})
            attached = sorted(p["PolicyArn"] for p in want["AttachedManagedPolicies"])
            self.assertEqual(sorted(p["PolicyArn"] for p in got["AttachedManagedPolicies"]), attached)
            self.assertEqual(got["ManagedPolicyDocuments"], {a: defaults[a] for a in attached})
            # awscli prints dates as +00:00, IAM sends (and shears keeps) Z
            want_used = want.get("RoleLastUsed", {}).get("LastUsedDate")
            self.assertEqual(got["RoleLastUsed"].get("LastUsedDate"),
                             want_used.replace("+00:00", "Z") if want_used else None)

    def test_last_accessed_only_for_roles_functions_use(self):
        used = {f["attrs"]["Role"] for f in self.functions}
        self.assertTrue(used)
        for arn, r in self.roles.items():
            if arn in used:
                la = r["attrs"].get("LastAccessed")
                self.assertIsNotNone(la, arn)
                self.assertEqual(la["JobStatus"], "COMPLETED")
                self.assertTrue(la["ServicesLastAccessed"], arn)
            else:
                self.assertNotIn("LastAccessed", r["attrs"], arn)
        iam = self.calls["iam"]
        self.assertEqual(iam["GenerateServiceLastAccessedDetails"], len(used))
        # the fake answers IN_PROGRESS once: two polls per job, within the 3*R budget
        self.assertLessEqual(iam["GenerateServiceLastAccessedDetails"] +
                             iam["GetServiceLastAccessedDetails"], 3 * len(used))
        self.assertEqual(iam["GetAccountAuthorizationDetails"], 1)

    def test_customer_managed_policies_are_collected(self):
        got = sorted(p["arn"] for p in self.ls("policies"))
        want = sorted(p["Arn"] for p in self.aws["Policies"] if ":iam::aws:policy/" not in p["Arn"])
        self.assertEqual(got, want)

    def test_role_edges_come_from_policies(self):
        role = [a for a in self.roles if a.endswith(":role/acme-orders-api-role")][0]
        table = "arn:aws:dynamodb:us-east-1:314159265358:table/acme-orders"
        kinds = {e["kind"] for e in self.edges if e["src"] == role and e["dst"] == table}
        self.assertEqual(kinds, {"reads", "writes"})
        # acme-analytics-role has dynamodb:PutItem on "*" but no read on DynamoDB but Query
        analytics = [a for a in self.roles if a.endswith(":role/acme-analytics-role")][0]
        ev = [e for e in self.edges if e["src"] == analytics and e["dst"] == table and e["kind"] == "writes"]
        self.assertEqual(len(ev), 1)
        self.assertIn("dynamodb:PutItem", ev[0]["evidence"])


if __name__ == "__main__":
    main()
