"""Batches against the simulated demo account: three functions quarantined by
one `shears fix quarantine A B C --yes`, read back with awscli (not shears),
undone by one `shears undo ID ID ID --yes` and read back equal to before; a
written batch applied later, a stale second plan that does not stop the
others (exit 1), a tampered file refused whole, a target that does not plan
refusing the whole batch, and the one question: the account's alias or id
typed on a terminal, a wrong word changing nothing.

The whole-account snapshot helper (tests/integration/awsnap.py) is not on
main yet: the reads compared are every function's configuration
(list-functions, less what a write moves by itself) and the concurrency of
the functions the batch touches."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from cmocka_unittest import main  # noqa: E402

SHEARS = os.path.join(os.environ.get("SHEARS_BUILD", os.path.join(ROOT, "build")), "shears")
FAKE = os.path.join(ROOT, "tests", "fakeaws", "fakeaws")
ACCOUNTS = os.path.join(ROOT, "tests", "fakeaws", "accounts")
ACCOUNT = "314159265358"
ALIAS = "acme-outfitters-prod"  # the demo account's alias (allowed by id in the config)
AWS = "/usr/bin/aws"
VOLATILE = {"RevisionId", "LastModified", "LastUpdateStatus", "LastUpdateStatusReason",
            "LastUpdateStatusReasonCode", "State", "StateReason", "StateReasonCode"}
THREE = ["orders-api-create", "image-resize", "slack-bot"]  # reserved 50, none, none


@unittest.skipUnless(os.access(AWS, os.X_OK), "awscli is missing")
class ActBatch(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp(prefix="shears-act-batch-")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.pop("PYTHONPATH", None)
        env.pop("SHEARS_TEST_CRASH_AT", None)
        env.update(HOME=cls.home, AWS_EC2_METADATA_DISABLED="true", XDG_CACHE_HOME=cls.home,
                   XDG_CONFIG_HOME=cls.home, XDG_DATA_HOME=os.path.join(cls.home, "data"),
                   AWS_PROFILE="demo", SHEARS_NO_PACING="1",
                   AWS_CONFIG_FILE=os.path.join(ACCOUNTS, "demo.config"),
                   AWS_SHARED_CREDENTIALS_FILE=os.path.join(ACCOUNTS, "demo.credentials"))
        cls.env = env
        os.makedirs(os.path.join(cls.home, "shears"))
        with open(os.path.join(cls.home, "shears", "config"), "w") as f:
            f.write("[act]\nallow_accounts = %s\n" % ACCOUNT)
        cls.fake = subprocess.Popen([FAKE, "--port", "0", "--account", "demo"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    text=True, env=env)
        line = cls.fake.stdout.readline().strip()
        assert line.startswith("ready "), line
        cls.url = line.split(" ", 1)[1]
        cls.cache = os.path.join(cls.home, "cache.db")
        cls.rescan()

    @classmethod
    def rescan(cls):
        scan = cls.shears("scan", "--region", "us-east-1")
        assert scan.returncode == 0, scan.stderr

    @classmethod
    def tearDownClass(cls):
        cls.fake.terminate()
        cls.fake.wait(10)
        shutil.rmtree(cls.home, ignore_errors=True)

    @classmethod
    def shears(cls, *args, stdin=subprocess.DEVNULL):
        return subprocess.run([SHEARS, "--cache", cls.cache, "--endpoint-url", cls.url]
                              + list(args), capture_output=True, text=True, env=cls.env,
                              timeout=120, stdin=stdin)

    def aws(self, *args):
        out = subprocess.run([AWS, "--endpoint-url", self.url, "--region", "us-east-1",
                              "--output", "json"] + list(args), capture_output=True,
                             text=True, env=self.env, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout) if out.stdout.strip() else {}

    def concurrency(self, name):
        return self.aws("lambda", "get-function-concurrency", "--function-name",
                        name).get("ReservedConcurrentExecutions")

    def snapshot(self, names):
        fns = self.aws("lambda", "list-functions")["Functions"]
        snap = {f["FunctionName"]: {k: v for k, v in f.items() if k not in VOLATILE}
                for f in fns}
        for n in names:
            snap[n]["Concurrency"] = self.concurrency(n)
        return snap

    def journal(self):
        out = self.shears("journal", "--json")
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout)

    @staticmethod
    def ids(out):
        return [line.split()[1].rstrip(":") for line in out.stdout.splitlines()
                if line.startswith("action ")]

    def undo(self, ids):
        out = self.shears("undo", *ids, "--yes")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        return out

    def test_quarantine_three_in_one_fix_then_undo_the_three(self):
        before = self.snapshot(THREE)
        self.assertEqual([before[n]["Concurrency"] for n in THREE], [50, None, None])
        entries = len(self.journal())
        out = self.shears("fix", "quarantine", *THREE, "--yes")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("batch: 3 plans on account %s" % ACCOUNT, out.stdout)
        self.assertIn("1. quarantine orders-api-create (function): "
                      "ReservedConcurrentExecutions: 50 -> 0", out.stdout)
        self.assertIn("3 plans: 3 verified, 0 failed, 0 skipped", out.stdout)
        self.assertEqual([self.concurrency(n) for n in THREE], [0, 0, 0])  # awscli
        ids = self.ids(out)
        self.assertEqual(len(ids), 3)
        added = self.journal()[entries:]
        self.assertEqual([a["state"] for a in added], ["verified"] * 3)
        self.assertEqual([a["target"].rsplit(":", 1)[1] for a in added], THREE)
        batch_ids = {a["plan"]["batch"]["id"] for a in added}
        self.assertEqual(len(batch_ids), 1)  # one batch, each plan its own entry
        self.assertEqual([a["plan"]["batch"]["index"] for a in added], [1, 2, 3])
        self.assertTrue(all(a["caller"] for a in added))
        undo = self.undo(ids)
        self.assertIn("3 plans: 3 verified", undo.stdout)
        self.assertEqual(self.snapshot(THREE), before)
        states = {str(a["id"]): a["state"] for a in self.journal()}
        self.assertEqual([states[i] for i in ids], ["undone"] * 3)

    def test_a_stale_second_plan_does_not_stop_the_others_and_exits_1(self):
        names = ["cache-warmer", "deploy-hook", "promo-banner"]
        path = os.path.join(self.home, "stale.json")
        out = self.shears("plan", "quarantine", *names, "--output", path)
        self.assertEqual(out.returncode, 0, out.stderr)
        timeout = self.aws("lambda", "get-function-configuration", "--function-name",
                           names[1])["Timeout"]
        # changed behind the plan's back: its RevisionId moves
        self.aws("lambda", "update-function-configuration", "--function-name", names[1],
                 "--timeout", str(timeout + 1))
        try:
            out = self.shears("apply", path, "--yes")
            self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
            self.assertIn("3 plans: 2 verified, 1 failed, 0 skipped", out.stdout)
            self.assertRegex(out.stdout, r"plan 2 of 3: quarantine deploy-hook.*\n"
                                         r"action \d+: refused \(RevisionId")
            self.assertEqual([self.concurrency(n) for n in names], [0, None, 0])
            ids = self.ids(out)
            self.undo([ids[0], ids[2]])
            self.assertEqual([self.concurrency(n) for n in names], [None, None, None])
        finally:
            self.aws("lambda", "update-function-configuration", "--function-name", names[1],
                     "--timeout", str(timeout))
            self.rescan()

    def test_a_written_batch_is_applied_later_and_a_tampered_one_refused(self):
        names = ["nightly-report", "session-cleanup"]
        path = os.path.join(self.home, "later.json")
        out = self.shears("plan", "quarantine", *names, "--output", path)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("written to " + path, out.stdout)
        self.assertEqual(oct(os.stat(path).st_mode & 0o777), "0o600")
        with open(path) as f:
            doc = json.load(f)
        self.assertEqual(doc["shears_batch"], 1)
        self.assertEqual(doc["account"], ACCOUNT)
        self.assertEqual(doc["region"], "us-east-1")
        self.assertEqual([p["target"]["name"] for p in doc["plans"]], names)
        self.assertEqual([self.concurrency(n) for n in names], [None, None])  # a dry run
        tampered = dict(doc, plans=[doc["plans"][0], dict(doc["plans"][1], account="1")])
        bad = os.path.join(self.home, "tampered.json")
        with open(bad, "w") as f:
            json.dump(tampered, f)
        entries = len(self.journal())
        out = self.shears("apply", bad, "--yes")
        self.assertEqual(out.returncode, 1)
        self.assertIn("plan 2 is for account 1", out.stderr)
        self.assertEqual(len(self.journal()), entries)  # refused before anything ran
        self.assertEqual([self.concurrency(n) for n in names], [None, None])
        time.sleep(1)  # "later"
        out = self.shears("apply", path, "--yes")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertEqual([self.concurrency(n) for n in names], [0, 0])
        self.undo(self.ids(out))
        self.assertEqual([self.concurrency(n) for n in names], [None, None])

    def test_a_target_that_does_not_plan_refuses_the_whole_batch(self):
        entries = len(self.journal())
        out = self.shears("fix", "quarantine", "storefront-cart", "no-such-function", "--yes")
        self.assertEqual(out.returncode, 1)
        self.assertIn("'no-such-function'", out.stderr)
        out = self.shears("fix", "quarantine", "storefront-cart", "storefront-cart", "--yes")
        self.assertEqual(out.returncode, 1)
        self.assertIn("repeats plan 1", out.stderr)
        self.assertEqual(len(self.journal()), entries)
        self.assertIsNone(self.concurrency("storefront-cart"))

    def fix_on_a_terminal(self, names, typed):
        """fix on a pty (the question is asked only on a terminal), typed then Enter."""
        master, slave = os.openpty()
        try:
            os.write(master, (typed + "\n").encode())
            out = self.shears("fix", "quarantine", *names, stdin=slave)
        finally:
            os.close(master)
            os.close(slave)
        return out

    def test_the_question_wants_the_alias_or_the_id_and_a_wrong_word_changes_nothing(self):
        names = ["orders-api-list", "orders-api-get"]
        before = [self.concurrency(n) for n in names]
        for wrong in ["y", "orders-api-list", ALIAS[:-1], ""]:
            out = self.fix_on_a_terminal(names, wrong)
            self.assertEqual(out.returncode, 1, out.stdout)
            self.assertIn("apply these 2 plans? type the account's alias '%s' (or its id %s)"
                          % (ALIAS, ACCOUNT), out.stdout)
            self.assertIn("not confirmed: nothing was changed", out.stderr)
            self.assertEqual([self.concurrency(n) for n in names], before)
        cancelled = [a for a in self.journal()[-2:]]
        self.assertEqual([a["state"] for a in cancelled], ["cancelled", "cancelled"])
        for word in [ALIAS, ACCOUNT]:
            out = self.fix_on_a_terminal(names, word)
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
            self.assertEqual([self.concurrency(n) for n in names], [0, 0])
            self.undo(self.ids(out))
            self.assertEqual([self.concurrency(n) for n in names], before)

    def test_without_a_terminal_or_yes_nothing_changes(self):
        names = ["orders-authorizer", "payment-webhook"]
        before = [self.concurrency(n) for n in names]
        out = self.shears("fix", "quarantine", *names)
        self.assertEqual(out.returncode, 1)
        self.assertIn("pass --yes in scripts", out.stderr)
        self.assertEqual([self.concurrency(n) for n in names], before)


if __name__ == "__main__":
    main()
