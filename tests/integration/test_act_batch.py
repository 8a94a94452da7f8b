"""Batches against the simulated demo account: three functions quarantined by
one `shears fix quarantine A B C --yes`, read back with awscli (not shears),
undone by one `shears undo ID ID ID --yes` and read back equal to before; a
written batch applied later, a stale second plan that does not stop the
others (exit 1), a tampered file refused whole, a target that does not plan
refusing the whole batch, and the one question: the account's alias or id
typed on a terminal, a wrong word changing nothing.

The whole account (awsnap, through awscli: test_act.Act's baseline, read
after the scan) is compared too: after a batch it differs from the baseline
by exactly the reserved concurrency of each function a plan applied to (and
what the test changed itself), after the undo of the batch not at all."""
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "tests", "lib"))
from cmocka_unittest import main  # noqa: E402
import test_act  # noqa: E402

US = "us-east-1"
ACCOUNT = test_act.ACCOUNT
ALIAS = "acme-outfitters-prod"  # the demo account's alias (allowed by id in the config)
THREE = ["orders-api-create", "image-resize", "slack-bot"]  # reserved 50, none, none


class ActBatch(test_act.Act):
    # the base class's own tests run in test_act.py, not again here
    locals().update({n: None for n in dir(test_act.Act) if n.startswith("test_")})

    @classmethod
    def rescan(cls):
        scan = cls.shears("scan", "--region", US)
        assert scan.returncode == 0, scan.stderr

    @classmethod
    def shears(cls, *args, env=None, stdin=subprocess.DEVNULL):
        """shears, its stdin a terminal when a test gives one (the batch's question)."""
        return subprocess.run([test_act.SHEARS, "--cache", cls.cache, "--endpoint-url", cls.url]
                              + list(args), capture_output=True, text=True,
                              env=env or cls.env, timeout=120, stdin=stdin)

    def concurrency_lines(self, changes):
        """awsnap.diff's lines for {function: (reserved before, after)}, in path order."""
        show = {None: "null"}
        return sorted("%sConcurrency: %s -> %s" % (self.function_path(n), show.get(a, a),
                                                   show.get(b, b))
                      for n, (a, b) in changes.items())

    @staticmethod
    def ids(out):
        return [line.split()[1].rstrip(":") for line in out.stdout.splitlines()
                if line.startswith("action ")]

    def undo(self, ids):
        out = self.shears("undo", *ids, "--yes")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        return out

    def test_quarantine_three_in_one_fix_then_undo_the_three(self):
        before = [self.function_snap(self.baseline, n)["Concurrency"] for n in THREE]
        self.assertEqual(before, [50, None, None])
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
        # the whole account: the three concurrencies, nothing else
        self.assertAccountChangedBy(self.concurrency_lines(
            {n: (b, 0) for n, b in zip(THREE, before)}))
        undo = self.undo(ids)
        self.assertIn("3 plans: 3 verified", undo.stdout)
        self.assertEqual([self.concurrency(n) for n in THREE], before)
        self.assertAccountIs(self.baseline)
        states = {str(a["id"]): a["state"] for a in self.journal()}
        self.assertEqual([states[i] for i in ids], ["undone"] * 3)

    def test_a_stale_second_plan_does_not_stop_the_others_and_exits_1(self):
        names = ["cache-warmer", "deploy-hook", "promo-banner"]
        path = os.path.join(self.home, "stale.json")
        out = self.shears("plan", "quarantine", *names, "--output", path)
        self.assertEqual(out.returncode, 0, out.stderr)
        timeout = self.config(names[1])["Timeout"]
        # changed behind the plan's back: its RevisionId moves
        self.aws(US, "lambda", "update-function-configuration", "--function-name", names[1],
                 "--timeout", str(timeout + 1))
        try:
            out = self.shears("apply", path, "--yes")
            self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
            self.assertIn("3 plans: 2 verified, 1 failed, 0 skipped", out.stdout)
            self.assertRegex(out.stdout, r"plan 2 of 3: quarantine deploy-hook.*\n"
                                         r"action \d+: refused \(RevisionId")
            self.assertEqual([self.concurrency(n) for n in names], [0, None, 0])
            # the whole account: the two applied, and the timeout the test moved itself
            hook = self.function_path(names[1])
            self.assertAccountChangedBy(sorted(self.concurrency_lines(
                {names[0]: (None, 0), names[2]: (None, 0)}) + [
                "%s%sTimeout: %d -> %d" % (hook, part, timeout, timeout + 1)
                for part in ("Configuration/", "Versions/$LATEST/")]))
            ids = self.ids(out)
            self.undo([ids[0], ids[2]])
            self.assertEqual([self.concurrency(n) for n in names], [None, None, None])
        finally:
            self.aws(US, "lambda", "update-function-configuration", "--function-name", names[1],
                     "--timeout", str(timeout))
            self.rescan()
        self.assertAccountIs(self.baseline)

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
        self.assertAccountChangedBy(self.concurrency_lines({n: (None, 0) for n in names}))
        self.undo(self.ids(out))
        self.assertEqual([self.concurrency(n) for n in names], [None, None])
        self.assertAccountIs(self.baseline)

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
        # four refused words and two batches undone later (each batch compared whole
        # in the tests above): the account as it was
        self.assertAccountIs(self.baseline)

    def test_without_a_terminal_or_yes_nothing_changes(self):
        names = ["orders-authorizer", "payment-webhook"]
        before = [self.concurrency(n) for n in names]
        out = self.shears("fix", "quarantine", *names)
        self.assertEqual(out.returncode, 1)
        self.assertIn("pass --yes in scripts", out.stderr)
        self.assertEqual([self.concurrency(n) for n in names], before)


if __name__ == "__main__":
    main()
