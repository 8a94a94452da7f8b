"""The risk engine on the simulated demo account: a full scan (with the OSV
advisories of tests/data/osv imported) raises exactly the findings that
tests/fakeaws/accounts/demo.md lists under "Expected findings", every one
and nothing else; accepting a finding survives a rescan and takes it out of
the score; secrets never reach the cache or the report whole."""
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from cmocka_unittest import main  # noqa: E402

SHEARS = os.path.join(os.environ.get("SHEARS_BUILD", os.path.join(ROOT, "build")), "shears")
FAKE = os.path.join(ROOT, "tests", "fakeaws", "fakeaws")
ACCOUNTS = os.path.join(ROOT, "tests", "fakeaws", "accounts")
DEMO_MD = os.path.join(ACCOUNTS, "demo.md")


def expected():
    text = open(DEMO_MD).read()
    block = re.search(r"```findings\n(.*?)```", text, re.S).group(1)
    pairs = set()
    for line in block.strip().splitlines():
        rule, *names = line.split()
        pairs |= {(rule, n) for n in names}
    return pairs


class FindingsDemo(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp(prefix="shears-findings-")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.pop("PYTHONPATH", None)
        env.update(HOME=cls.home, AWS_EC2_METADATA_DISABLED="true", XDG_CACHE_HOME=cls.home,
                   XDG_CONFIG_HOME=cls.home, AWS_PROFILE="demo",
                   AWS_CONFIG_FILE=os.path.join(ACCOUNTS, "demo.config"),
                   AWS_SHARED_CREDENTIALS_FILE=os.path.join(ACCOUNTS, "demo.credentials"))
        cls.env = env
        cls.fake = subprocess.Popen([FAKE, "--port", "0", "--account", "demo"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    text=True, env=env)
        line = cls.fake.stdout.readline().strip()
        assert line.startswith("ready "), line
        cls.url = line.split(" ", 1)[1]
        cls.cache = os.path.join(cls.home, "cache.db")
        out = cls.shears("advisories", "import", os.path.join(ROOT, "tests", "data", "osv"))
        assert out.returncode == 0, out.stderr
        cls.scan = cls.shears("--endpoint-url", cls.url, "scan", "--json",
                              "--region", "us-east-1", "--region", "eu-west-1")
        assert cls.scan.returncode == 0, cls.scan.stderr

    @classmethod
    def tearDownClass(cls):
        cls.fake.terminate()
        cls.fake.wait(10)

    @classmethod
    def shears(cls, *args):
        return subprocess.run([SHEARS, "--cache", cls.cache] + list(args), capture_output=True,
                              text=True, env=cls.env, timeout=300)

    def report(self, *extra):
        out = self.shears("report", "--format", "json", *extra)
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout)

    def test_report_is_exactly_the_expected_list(self):
        got = {(f["rule"], f["resource_name"] or f["resource"]) for f in self.report()["findings"]}
        want = expected()
        self.assertEqual(sorted(want - got), [], "expected but not raised")
        self.assertEqual(sorted(got - want), [], "raised but not expected")

    def test_scan_summary_counts_the_findings(self):
        summary = json.loads(self.scan.stdout.strip().splitlines()[-1])
        self.assertGreater(summary["findings"]["open"], 0)
        self.assertGreater(summary["findings"]["critical"], 0)

    def test_secrets_are_redacted_in_cache_and_report(self):
        text = json.dumps(self.report())
        db = sqlite3.connect(self.cache)
        dump = "\n".join(str(r) for r in db.execute("SELECT * FROM finding")) + "\n".join(
            str(r) for r in db.execute("SELECT secrets FROM package"))
        db.close()
        for whole in (r"sk_live_[A-Za-z0-9]{20,}", r"ghp_[A-Za-z0-9]{30,}", r"xoxb-[0-9]+-",
                      r"SG\.[A-Za-z0-9_-]{20,}\.", r"AKIA[A-Z2-7]{16}"):
            self.assertIsNone(re.search(whole, text), whole)
            self.assertIsNone(re.search(whole, dump), whole)

    def test_zz_acceptance_survives_a_rescan_and_leaves_the_score(self):
        before = {s["name"]: s["score"] for s in self.report()["scores"]}
        out = self.shears("accept", "SHR-SEC-017", "email-sender", "--reason",
                          "rotated, removal in the next deploy", "--until", "2099-01-01")
        self.assertEqual(out.returncode, 0, out.stderr)
        again = self.shears("--endpoint-url", self.url, "scan", "--region", "us-east-1",
                            "--region", "eu-west-1")
        self.assertEqual(again.returncode, 0, again.stderr)
        rep = self.report()
        acc = [f for f in rep["findings"] if f["rule"] == "SHR-SEC-017"]
        self.assertEqual([f["status"] for f in acc], ["accepted"])
        self.assertEqual(acc[0]["reason"], "rotated, removal in the next deploy")
        after = {s["name"]: s["score"] for s in rep["scores"]}
        self.assertLess(after["email-sender"], before["email-sender"])
        bad = self.shears("accept", "SHR-NOPE-001", "email-sender", "--reason", "x")
        self.assertEqual(bad.returncode, 2)

    def test_zzz_code_changed_since_review(self):
        out = self.shears("reviewed", "cache-warmer")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.shears("analyze")
        rules = {f["rule"] for f in self.report()["findings"] if f["resource_name"] == "cache-warmer"}
        self.assertNotIn("SHR-BEH-005", rules)
        import botocore.session
        import configparser
        import io
        import zipfile
        cp = configparser.ConfigParser()
        cp.read(os.path.join(ACCOUNTS, "demo.credentials"))
        lam = botocore.session.get_session().create_client(
            "lambda", region_name="us-east-1", endpoint_url=self.url,
            aws_access_key_id=cp["demo"]["aws_access_key_id"],
            aws_secret_access_key=cp["demo"]["aws_secret_access_key"])
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("index.js", "exports.handler = async () => 'changed';\n")
        lam.update_function_code(FunctionName="cache-warmer", ZipFile=buf.getvalue())
        again = self.shears("--endpoint-url", self.url, "scan", "--region", "us-east-1",
                            "--region", "eu-west-1")
        self.assertEqual(again.returncode, 0, again.stderr)
        rules = {f["rule"] for f in self.report()["findings"] if f["resource_name"] == "cache-warmer"}
        self.assertIn("SHR-BEH-005", rules)


if __name__ == "__main__":
    main()
