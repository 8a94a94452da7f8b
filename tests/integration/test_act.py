"""Remediation against the simulated demo account: each action applied with
`shears fix`, read back with awscli (the independent client, not shears),
undone, and read back equal to the account before; the refusals (stale
revision, read-only, another account or region, protected account, no
confirmation); and the crash matrix: shears killed at each step
(SHEARS_TEST_CRASH_AT), then `shears journal` settles the entry by reading
the target, which awscli confirms.

The account is read back whole (awsnap: every function, role, policy,
queue, topic, bucket, bus and alarm, through awscli) once after the scan:
that baseline is what every test leaves behind. An action's test asserts
that the account after the action differs from it by exactly the expected
change, and after the undo not at all."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
sys.path.insert(0, HERE)
from cmocka_unittest import main  # noqa: E402
import awsnap  # noqa: E402

SHEARS = os.path.join(os.environ.get("SHEARS_BUILD", os.path.join(ROOT, "build")), "shears")
FAKE = os.path.join(ROOT, "tests", "fakeaws", "fakeaws")
ACCOUNTS = os.path.join(ROOT, "tests", "fakeaws", "accounts")
ACCOUNT = "314159265358"
REGIONS = ["us-east-1", "eu-west-1"]
# for the files that read targets themselves (test_act_prune.py, ...)
AWS = "/usr/bin/aws"
# what a change of configuration moves by itself: not part of "the same state"
VOLATILE = {"RevisionId", "LastModified", "LastUpdateStatus", "LastUpdateStatusReason",
            "LastUpdateStatusReasonCode", "State", "StateReason", "StateReasonCode"}


class Act(unittest.TestCase):
    # the baseline (awsnap, ~5 s of CPU): off in a file that compares only what it touches
    WHOLE_ACCOUNT = True

    @staticmethod
    def write_config(env, text, where=None):
        """Writes the config file under env's XDG_CONFIG_HOME (or a new one at where)."""
        if where:
            env["XDG_CONFIG_HOME"] = where
        os.makedirs(os.path.join(env["XDG_CONFIG_HOME"], "shears"), exist_ok=True)
        with open(os.path.join(env["XDG_CONFIG_HOME"], "shears", "config"), "w") as f:
            f.write(text)
        return env

    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp(prefix="shears-act-")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.pop("PYTHONPATH", None)
        env.update(HOME=cls.home, AWS_EC2_METADATA_DISABLED="true", XDG_CACHE_HOME=cls.home,
                   XDG_CONFIG_HOME=cls.home, XDG_DATA_HOME=os.path.join(cls.home, "data"),
                   AWS_PROFILE="demo", SHEARS_NO_PACING="1",
                   AWS_CONFIG_FILE=os.path.join(ACCOUNTS, "demo.config"),
                   AWS_SHARED_CREDENTIALS_FILE=os.path.join(ACCOUNTS, "demo.credentials"))
        env.pop("SHEARS_TEST_CRASH_AT", None)
        cls.env = env
        # the simulated account answers no alias: name it as allowed in the config
        cls.write_config(env, "[act]\nallow_accounts = %s\n" % ACCOUNT)
        cls.fake = subprocess.Popen([FAKE, "--port", "0", "--account", "demo"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    text=True, env=env)
        line = cls.fake.stdout.readline().strip()
        assert line.startswith("ready "), line
        cls.url = line.split(" ", 1)[1]
        cls.cache = os.path.join(cls.home, "cache.db")
        scan = cls.shears("scan", "--region", "us-east-1", "--region", "eu-west-1")
        assert scan.returncode == 0, scan.stderr
        # awscli, kept warm (awsnap's workers): the tests' read-backs and snapshots
        cls.reader = awsnap.Reader(cls.url, env)
        cls.baseline = cls.account() if cls.WHOLE_ACCOUNT else None

    @classmethod
    def tearDownClass(cls):
        cls.fake.terminate()
        cls.fake.wait(10)
        shutil.rmtree(cls.home, ignore_errors=True)

    @classmethod
    def shears(cls, *args, env=None):
        return subprocess.run([SHEARS, "--cache", cls.cache, "--endpoint-url", cls.url]
                              + list(args), capture_output=True, text=True,
                              env=env or cls.env, timeout=120, stdin=subprocess.DEVNULL)

    @classmethod
    def account(cls):
        """The whole account as awscli reads it (awsnap.snapshot)."""
        return awsnap.snapshot(cls.url, cls.env, REGIONS)

    def assertAccountIs(self, expected):
        """The account read now equals expected (a snapshot), diff shown if not."""
        self.assertEqual([], awsnap.diff(expected, self.account()))

    def assertAccountChangedBy(self, lines):
        """The account differs from the baseline by exactly these diff lines."""
        self.assertEqual(lines, awsnap.diff(self.baseline, self.account()))

    def function_path(self, name, region="us-east-1"):
        return "regions/%s/Functions/%s/" % (region, name)

    def function_snap(self, snap, name, region="us-east-1"):
        return snap["regions"][region]["Functions"][name]

    @staticmethod
    def print_matrix(action, rows):
        """The crash matrix, for the closing note: step -> journal state, account."""
        print("\ncrash matrix: %s" % action, file=sys.stderr)
        print("  %-14s %-13s %s" % ("killed at", "journal", "account (awscli)"), file=sys.stderr)
        for step, state, seen in rows:
            print("  %-14s %-13s %s" % (step, state, seen), file=sys.stderr)
        sys.stderr.flush()

    def aws(self, region, *args):
        """awscli's JSON answer (awscli's entry point, run by awsnap's warm workers)."""
        rc, out, err = self.reader.raw(region, *args)
        self.assertEqual(rc, 0, err)
        return json.loads(out) if out.strip() else {}

    def concurrency(self, name, region="us-east-1"):
        return self.aws(region, "lambda", "get-function-concurrency", "--function-name",
                        name).get("ReservedConcurrentExecutions")

    def config(self, name, region="us-east-1"):
        return self.aws(region, "lambda", "get-function-configuration", "--function-name", name)

    def journal(self):
        out = self.shears("journal", "--json")
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout)

    def fix(self, *args, env=None):
        return self.shears("fix", *args, "--yes", env=env)

    def last_id(self, out):
        for line in out.stdout.splitlines():
            if line.startswith("action "):
                return line.split()[1].rstrip(":")
        self.fail("no action line in: " + out.stdout + out.stderr)

    def test_plan_by_rule_by_finding_id_and_by_resource(self):
        out = self.shears("plan", "SHR-HYG-002", "eu-sitemap-builder")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("plan: shorten-timeout eu-sitemap-builder", out.stdout)
        rep = json.loads(self.shears("report", "--format", "json").stdout)
        dead = [f for f in rep["findings"] if f["rule"] == "SHR-HYG-001"][0]
        out = self.shears("plan", dead["id"])
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("plan: prune " + dead["resource_name"], out.stdout)
        out = self.shears("plan", "eu-sitemap-builder")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("shorten-timeout", out.stdout)
        out = self.shears("plan", "SHR-SEC-017", "email-sender")
        self.assertEqual(out.returncode, 1)
        self.assertIn("fixed by hand", out.stderr)

    def test_quarantine_applies_reads_back_zero_and_undo_restores_50(self):
        fn = self.function_path("orders-api-create")
        self.assertEqual(self.function_snap(self.baseline, "orders-api-create")["Concurrency"], 50)
        out = self.fix("quarantine", "orders-api-create")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("PutFunctionConcurrency", out.stdout)
        # the reserved concurrency of that function, and nothing else in the account
        self.assertAccountChangedBy([fn + "Concurrency: 50 -> 0"])
        aid = self.last_id(out)
        undo = self.shears("undo", aid, "--yes")
        self.assertEqual(undo.returncode, 0, undo.stderr)
        self.assertAccountIs(self.baseline)
        states = {str(a["id"]): a["state"] for a in self.journal()}
        self.assertEqual(states[aid], "undone")
        # undo after undo: quarantined again, through the same protocol
        undo_id = self.last_id(undo)
        again = self.shears("undo", undo_id, "--yes")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(self.concurrency("orders-api-create"), 0)
        self.assertEqual(self.shears("undo", self.last_id(again), "--yes").returncode, 0)
        self.assertEqual(self.concurrency("orders-api-create"), 50)

    def test_quarantine_of_unreserved_function_undoes_by_deleting(self):
        fn = self.function_path("promo-banner")
        self.assertIsNone(self.function_snap(self.baseline, "promo-banner")["Concurrency"])
        out = self.fix("quarantine", "promo-banner")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertAccountChangedBy([fn + "Concurrency: null -> 0"])
        undo = self.shears("undo", self.last_id(out), "--yes")
        self.assertEqual(undo.returncode, 0, undo.stderr)
        self.assertIn("DeleteFunctionConcurrency", undo.stdout)
        self.assertAccountIs(self.baseline)

    def test_shorten_timeout_applies_the_recommendation_and_undo_restores_900(self):
        fn = self.function_path("cache-warmer")
        self.assertEqual(self.function_snap(self.baseline, "cache-warmer")["Configuration"]
                         ["Timeout"], 900)
        out = self.fix("shorten-timeout", "cache-warmer")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("longest run", out.stdout)
        new = self.config("cache-warmer")["Timeout"]
        self.assertLess(new, 900)
        self.assertGreaterEqual(new, 3)
        # the timeout ($LATEST, as GetFunction and the versions listing show it), nothing else
        self.assertAccountChangedBy([fn + "Configuration/Timeout: 900 -> %d" % new,
                                     fn + "Versions/$LATEST/Timeout: 900 -> %d" % new])
        backups = [a["backup"] for a in self.journal() if a["target"].endswith(":cache-warmer")]
        self.assertEqual(os.stat(backups[-1]).st_mode & 0o777, 0o600)
        self.assertEqual(os.stat(os.path.dirname(backups[-1])).st_mode & 0o777, 0o700)
        undo = self.shears("undo", self.last_id(out), "--yes")
        self.assertEqual(undo.returncode, 0, undo.stderr)
        self.assertEqual(self.config("cache-warmer")["Timeout"], 900)
        self.assertAccountIs(self.baseline)

    def test_stale_revision_between_plan_and_apply_is_refused(self):
        plan = os.path.join(self.home, "stale.json")
        out = self.shears("plan", "shorten-timeout", "eu-sitemap-builder", "--output", plan)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.aws("eu-west-1", "lambda", "update-function-configuration", "--function-name",
                 "eu-sitemap-builder", "--description", "changed by someone else")
        before = self.config("eu-sitemap-builder", "eu-west-1")
        out = self.shears("apply", plan, "--yes")
        self.assertEqual(out.returncode, 1)
        self.assertIn("changed since the plan", out.stderr)
        self.assertIn("RevisionId: plan", out.stderr)
        self.assertEqual(self.config("eu-sitemap-builder", "eu-west-1"), before)
        self.assertEqual(self.journal()[-1]["state"], "refused")
        # put the description back: the other tests compare the account with the baseline
        self.aws("eu-west-1", "lambda", "update-function-configuration", "--function-name",
                 "eu-sitemap-builder", "--description",
                 self.function_snap(self.baseline, "eu-sitemap-builder", "eu-west-1")
                 ["Configuration"]["Description"])

    def test_read_only_refuses_fix_apply_and_undo_but_plans(self):
        for args in (["fix", "quarantine", "payment-webhook", "--yes"],
                     ["apply", "/nonexistent.json", "--yes"], ["undo", "1", "--yes"]):
            out = self.shears("--read-only", *args)
            self.assertEqual(out.returncode, 1, args)
            self.assertIn("--read-only", out.stderr)
        self.assertIsNone(self.concurrency("payment-webhook"))
        self.assertEqual(self.shears("--read-only", "plan", "quarantine",
                                     "payment-webhook").returncode, 0)

    def test_plan_for_another_account_or_region_is_refused(self):
        path = os.path.join(self.home, "other.json")
        self.assertEqual(self.shears("plan", "quarantine", "partner-webhook", "--output",
                                     path).returncode, 0)
        plan = json.load(open(path))
        self.assertEqual(plan["region"], "eu-west-1")
        out = self.shears("--region", "us-east-1", "apply", path, "--yes")
        self.assertEqual(out.returncode, 1)
        self.assertIn("region eu-west-1", out.stderr)
        plan["account"] = "111122223333"
        json.dump(plan, open(path, "w"))
        env = self.write_config(dict(self.env), "[act]\nallow_accounts = 111122223333, %s\n" % ACCOUNT,
                          os.path.join(self.home, "xdg-other"))
        out = self.shears("apply", path, "--yes", env=env)
        self.assertEqual(out.returncode, 1)
        self.assertIn("the plan is for account 111122223333", out.stderr)
        self.assertIsNone(self.concurrency("partner-webhook", "eu-west-1"))

    def test_account_that_may_be_production_is_refused_unless_allowed(self):
        env = self.write_config(dict(self.env), "", os.path.join(self.home, "xdg-none"))
        out = self.fix("quarantine", "order-fulfillment", env=env)
        self.assertEqual(out.returncode, 1)
        self.assertIn("refused", out.stderr)
        # the simulated account answers ListAccountAliases with the demo's alias
        self.assertIn("acme-outfitters-prod", out.stderr)
        self.assertIsNone(self.concurrency("order-fulfillment"))

    def test_protected_function_is_refused_at_plan_and_fix(self):
        env = self.write_config(dict(self.env), "[act]\nallow_accounts = %s\nprotect = payment-*\n"
                          % ACCOUNT, os.path.join(self.home, "xdg-protect"))
        out = self.shears("plan", "quarantine", "payment-webhook", env=env)
        self.assertEqual(out.returncode, 1)
        self.assertIn("pattern 'payment-*'", out.stderr)
        out = self.fix("quarantine", "payment-webhook", env=env)
        self.assertEqual(out.returncode, 1)
        self.assertIn("protected", out.stderr)
        self.assertIsNone(self.concurrency("payment-webhook"))
        # a tag pattern: the demo's functions carry team tags
        env = self.write_config(dict(self.env), "[act]\nallow_accounts = %s\nprotect = tag:team=pay*\n"
                          % ACCOUNT, os.path.join(self.home, "xdg-tag"))
        out = self.shears("plan", "quarantine", "payment-webhook", env=env)
        self.assertEqual(out.returncode, 1)
        self.assertIn("tags match", out.stderr)
        out = self.shears("plan", "quarantine", "email-sender", env=env)
        self.assertEqual(out.returncode, 0, out.stderr)

    def test_config_read_only_removes_actions(self):
        env = self.write_config(dict(self.env), "[act]\nread_only = true\nallow_accounts = %s\n"
                          % ACCOUNT, os.path.join(self.home, "xdg-ro"))
        out = self.fix("quarantine", "session-cleanup", env=env)
        self.assertEqual(out.returncode, 1)
        self.assertIn("read_only in the config", out.stderr)
        self.assertIsNone(self.concurrency("session-cleanup"))

    def test_no_confirmation_without_a_terminal_changes_nothing(self):
        out = self.shears("fix", "quarantine", "storefront-cart")
        self.assertEqual(out.returncode, 1)
        self.assertIn("--yes", out.stderr)
        self.assertIsNone(self.concurrency("storefront-cart"))
        self.assertEqual(self.journal()[-1]["state"], "cancelled")

    def test_crash_at_each_step_is_reconciled_by_reading_the_target(self):
        want = {"confirmed": "not-applied", "backed-up": "not-applied",
                "applying": "not-applied", "applied": "verified", "verify": "verified"}
        rows = []
        for step, state in want.items():
            env = dict(self.env, SHEARS_TEST_CRASH_AT=step)
            out = self.fix("quarantine", "storefront-catalog", env=env)
            self.assertEqual(out.returncode, 137, step + out.stderr)
            db = sqlite3.connect(self.cache)
            (left,) = db.execute("SELECT state FROM action ORDER BY id DESC LIMIT 1").fetchone()
            db.close()
            self.assertNotIn(left, ("verified", "not-applied"), step)
            entry = self.journal()[-1]
            self.assertEqual(entry["state"], state, step)
            self.assertIn("reconciled", entry["steps"][-1]["detail"])
            read = self.concurrency("storefront-catalog")
            self.assertEqual(read, 0 if state == "verified" else None, step)
            rows.append((step, entry["state"], "ReservedConcurrentExecutions %s" % read))
            self.aws("us-east-1", "lambda", "delete-function-concurrency", "--function-name",
                     "storefront-catalog")
        self.print_matrix("quarantine storefront-catalog", rows)
        self.assertAccountIs(self.baseline)


if __name__ == "__main__":
    main()
