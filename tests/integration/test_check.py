"""shears check, the CI gate: a package, a folder, a policy document and a
hostile zip, with no AWS access; exit 0 clean, 1 at or above --fail-on, 2 for
bad input; every output format parses; no secret is ever printed whole."""
import json
import os
import random
import string
import subprocess
import sys
import tempfile
import unittest
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from cmocka_unittest import main  # noqa: E402

SHEARS = os.path.join(os.environ.get("SHEARS_BUILD", os.path.join(ROOT, "build")), "shears")
OSV = os.path.join(ROOT, "tests", "data", "osv")
POLICIES = os.path.join(ROOT, "tests", "data", "policies", "aws-managed")


def token(n, alphabet=string.ascii_letters + string.digits):
    r = random.Random(n)
    return "".join(r.choice(alphabet) for _ in range(n))


STRIPE = "sk_live_" + token(24)
GITHUB = "ghp_" + token(36)


class Check(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="shears-check-")
        cls.env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        cls.env.pop("PYTHONPATH", None)
        cls.env.update(HOME=cls.tmp, XDG_CACHE_HOME=cls.tmp, XDG_CONFIG_HOME=cls.tmp)
        cls.pkg = os.path.join(cls.tmp, "function.zip")
        with zipfile.ZipFile(cls.pkg, "w") as z:
            z.writestr("config.js", "module.exports = { stripe: '%s' };\n" % STRIPE)
            z.writestr("settings.py", "# deploy\nGITHUB_TOKEN = '%s'\n" % GITHUB)
            z.writestr("node_modules/lodash/package.json",
                       '{"name": "lodash", "version": "4.17.15"}')
            z.writestr("README.md", "AKIAIOSFODNN7EXAMPLE is AWS's documented example key\n")
        cls.clean = os.path.join(cls.tmp, "clean.zip")
        with zipfile.ZipFile(cls.clean, "w") as z:
            z.writestr("index.js", "exports.handler = async () => ({ statusCode: 200 });\n")
            z.writestr("node_modules/lodash/package.json",
                       '{"name": "lodash", "version": "4.17.21"}')
        cls.hostile = os.path.join(cls.tmp, "hostile.zip")
        with zipfile.ZipFile(cls.hostile, "w") as z:
            z.writestr("../../etc/cron.d/evil", "* * * * * root id\n")
            z.writestr("ok.txt", "fine\n")

    def run_check(self, *args):
        out = subprocess.run([SHEARS, "check"] + list(args), capture_output=True, text=True,
                             env=self.env, timeout=60)
        self.assertNotIn(STRIPE, out.stdout + out.stderr)
        self.assertNotIn(GITHUB, out.stdout + out.stderr)
        return out

    def test_package_secrets_and_dependencies(self):
        out = self.run_check(self.pkg, "--advisories", OSV)
        self.assertEqual(out.returncode, 1, out.stderr)
        self.assertIn("SHR-SEC-009", out.stdout)
        self.assertIn("config.js:1", out.stdout)
        self.assertIn("SHR-SEC-005", out.stdout)
        self.assertIn("settings.py:2", out.stdout)
        self.assertIn("GHSA-p6mc-m468-83gw", out.stdout)
        self.assertNotIn("README.md", out.stdout)  # the documented example key is no finding

    def test_clean_package_passes(self):
        out = self.run_check(self.clean, "--advisories", OSV)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("0 findings", out.stdout)

    def test_fail_on_sets_the_threshold(self):
        out = self.run_check(self.pkg, "--fail-on", "critical")
        self.assertEqual(out.returncode, 1)  # the Stripe live key is critical
        folder = os.path.join(self.tmp, "folder")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "app.py"), "w") as f:
            f.write("SLACK = 'https://hooks.slack.com/services/T%s/B%s/%s'\n"
                    % (token(8).upper(), token(9).upper(), token(24)))
        self.assertEqual(self.run_check(folder, "--fail-on", "critical").returncode, 0)
        self.assertEqual(self.run_check(folder, "--fail-on", "medium").returncode, 1)

    def test_policy_document(self):
        out = self.run_check(os.path.join(POLICIES, "AdministratorAccess.json"))
        self.assertEqual(out.returncode, 1)
        self.assertIn("SHR-PERM-001", out.stdout)
        out = self.run_check(os.path.join(POLICIES, "AWSLambdaBasicExecutionRole.json"))
        self.assertEqual(out.returncode, 0, out.stdout)

    def test_hostile_zip_is_a_finding_and_nothing_is_written(self):
        out = self.run_check(self.hostile, "--format", "json")
        self.assertEqual(out.returncode, 1, out.stderr)
        doc = json.loads(out.stdout)
        rules = {f["rule"] for f in doc["findings"]}
        self.assertIn("SHR-DEP-002", rules)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "..", "etc", "cron.d", "evil")))

    def test_every_format_parses(self):
        for fmt in ("json", "sarif"):
            out = self.run_check(self.pkg, "--format", fmt)
            self.assertEqual(out.returncode, 1)
            json.loads(out.stdout)
        out = self.run_check(self.pkg, "--format", "csv")
        self.assertTrue(out.stdout.startswith("id,") or "," in out.stdout.splitlines()[0])
        out = self.run_check(self.pkg, "--format", "md", "--output",
                             os.path.join(self.tmp, "r.md"))
        self.assertEqual(out.returncode, 1)
        with open(os.path.join(self.tmp, "r.md")) as f:
            self.assertIn("SHR-SEC-009", f.read())

    def test_config_exclusions_apply(self):
        conf = os.path.join(self.tmp, "xdg", "shears")
        os.makedirs(conf, exist_ok=True)
        with open(os.path.join(conf, "config"), "w") as f:
            f.write("[secrets]\nexclude = settings.py\n")
        env = dict(self.env, XDG_CONFIG_HOME=os.path.join(self.tmp, "xdg"))
        out = subprocess.run([SHEARS, "check", self.pkg], capture_output=True, text=True,
                             env=env, timeout=60)
        self.assertIn("SHR-SEC-009", out.stdout)
        self.assertNotIn("SHR-SEC-005", out.stdout)
        with open(os.path.join(conf, "config"), "w") as f:
            f.write("[secrets]\nexlude = settings.py\n")
        out = subprocess.run([SHEARS, "check", self.pkg], capture_output=True, text=True,
                             env=env, timeout=60)
        self.assertEqual(out.returncode, 2)
        self.assertIn("line 2", out.stderr)

    def test_bad_input_exits_2(self):
        self.assertEqual(self.run_check(os.path.join(self.tmp, "missing.zip")).returncode, 2)
        self.assertEqual(self.run_check(self.pkg, "--fail-on", "severe").returncode, 2)
        self.assertEqual(self.run_check().returncode, 2)
        broken = os.path.join(self.tmp, "broken.zip")
        with open(broken, "wb") as f:
            f.write(b"PK\x03\x04" + os.urandom(200))
        out = self.run_check(broken)
        self.assertIn(out.returncode, (1, 2), out.stdout + out.stderr)


if __name__ == "__main__":
    main()
