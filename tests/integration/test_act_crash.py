"""The crash matrix for shorten-timeout, close-public and tighten-role, as
test_act.py has it for quarantine: `shears fix ... --yes` killed at each step
(SHEARS_TEST_CRASH_AT=confirmed|backed-up|applying|applied|verify: _exit(137)
as kill -9 would, src/act/run.h), then `shears journal` settles the entry by
reading the target. Each case asserts the journal's state (not-applied while
no call was sent; verified once the calls succeeded) and the target as
awscli reads it (as the baseline, or as the plan's after), then puts the
account back (an undo when verified, then a scan: the undo moved the
revisions the next plan is built from), so every case starts from the same
account; each matrix ends with the whole account (awsnap) equal to the
baseline. An undo killed at applying and at applied is settled the same
way (not-applied: the change stays; verified: the change is undone and the
entry it undid marked undone).

Each matrix is printed to stderr (action x step -> journal state, what
awscli read) for the issue's closing note."""
import json
import os
import sqlite3
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "tests", "lib"))
from cmocka_unittest import main  # noqa: E402
import awsnap  # noqa: E402
import test_act  # noqa: E402

STEPS = ("confirmed", "backed-up", "applying", "applied", "verify")
# no call is sent before "applying" is journaled and its crash point passed;
# "applied" is killed after the calls succeeded, "verify" before the read back
WANT = {"confirmed": "not-applied", "backed-up": "not-applied", "applying": "not-applied",
        "applied": "verified", "verify": "verified"}
US = "us-east-1"
ROLE = "acme-media-processor-role"


class Crash(test_act.Act):
    # the base class's own tests run in test_act.py, not again here
    locals().update({n: None for n in dir(test_act.Act) if n.startswith("test_")})

    # ------------------------------------------------------------ reading targets

    def function_now(self, name, region=US):
        """The function as the snapshot holds it, read now (awscli)."""
        return awsnap.read_function(self.reader, region, name)

    def role_now(self, name):
        return awsnap.read_role(self.reader, name)

    def raw_state(self):
        """The last entry's state as the crash left it, before any reconcile."""
        db = sqlite3.connect(self.cache)
        (left,) = db.execute("SELECT state FROM action ORDER BY id DESC LIMIT 1").fetchone()
        db.close()
        return left

    def crash(self, step, *args):
        """Runs shears killed at step; returns the journal entry `shears journal`
        settled (it reconciles at start)."""
        env = dict(self.env, SHEARS_TEST_CRASH_AT=step)
        out = self.shears(*args, env=env)
        self.assertEqual(out.returncode, 137, "%s %s: %s%s" % (step, args, out.stdout, out.stderr))
        left = self.raw_state()
        self.assertNotIn(left, ("verified", "not-applied", "mismatch"), step)
        entry = self.journal()[-1]
        self.assertIn("reconciled after '%s'" % left, entry["steps"][-1]["detail"], step)
        return entry

    def plan_after(self, action, target):
        path = os.path.join(self.home, "%s-%s.json" % (action, target))
        out = self.shears("plan", action, target, "--output", path)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        with open(path) as f:
            return json.load(f)["after"]

    def undo(self, aid):
        out = self.shears("undo", str(aid), "--yes")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        return out

    def rescan(self):
        """A change and its undo move the function's revisions: the cache's are
        stale, and a plan built from them is refused (or fails at the
        revision-guarded call), as it should. A reviewer scans again."""
        out = self.shears("scan", "--region", "us-east-1", "--region", "eu-west-1")
        self.assertEqual(out.returncode, 0, out.stderr)

    # ------------------------------------------------------------ the matrix

    def matrix(self, action, target, read, before, after, show):
        """Kills `shears fix action target` at each step; read() is the target
        now, before/after what it must be; show(state) a line for the table."""
        rows = []
        for step in STEPS:
            entry = self.crash(step, "fix", action, target, "--yes")
            self.assertEqual(entry["state"], WANT[step], step)
            now = read()
            self.assertEqual([], awsnap.diff(after if WANT[step] == "verified" else before, now),
                             step)
            rows.append((step, entry["state"], show(now)))
            if entry["state"] == "verified":
                self.undo(entry["id"])
                self.assertEqual([], awsnap.diff(before, read()), step + " undone")
                self.rescan()
        self.print_matrix("%s %s" % (action, target), rows)
        self.assertAccountIs(self.baseline)

    def test_shorten_timeout_killed_at_each_step(self):
        name = "cache-warmer"
        before = self.function_snap(self.baseline, name)
        new = self.plan_after("shorten-timeout", name)["Timeout"]
        self.assertLess(new, before["Configuration"]["Timeout"])
        after = json.loads(json.dumps(before))
        after["Configuration"]["Timeout"] = after["Versions"]["$LATEST"]["Timeout"] = new
        self.matrix("shorten-timeout", name, lambda: self.function_now(name), before, after,
                    lambda f: "Timeout %d" % f["Configuration"]["Timeout"])

    def close_public_states(self, name):
        before = self.function_snap(self.baseline, name)
        after = json.loads(json.dumps(before))
        kept = {sid: s for sid, s in before["Policy"]["Statement"].items()
                if s["Principal"] not in ("*", {"AWS": "*"})}
        self.assertNotEqual(kept, before["Policy"]["Statement"])
        after["Policy"] = dict(before["Policy"], Statement=kept) if kept else None
        after["UrlConfig"]["AuthType"] = "AWS_IAM"
        return before, after

    @staticmethod
    def show_public(f):
        sids = sorted((f["Policy"] or {}).get("Statement", {}))
        return "AuthType %s, statements %s" % (f["UrlConfig"]["AuthType"], sids or "none")

    def test_close_public_killed_at_each_step(self):
        name = "promo-banner"
        before, after = self.close_public_states(name)
        self.matrix("close-public", name, lambda: self.function_now(name), before, after,
                    self.show_public)

    def test_tighten_role_killed_at_each_step(self):
        before = self.baseline["iam"]["Roles"][ROLE]
        self.assertTrue(before["InlinePolicies"])
        # the new document is lp's (checked in test_act_tighten.py): taken from the plan
        lp = self.plan_after("tighten-role", ROLE)["InlinePolicies"]
        after = json.loads(json.dumps(before))
        after["InlinePolicies"] = {p["PolicyName"]: awsnap.document(p["PolicyDocument"])
                                   for p in lp}
        after["AttachedPolicies"] = []
        self.matrix("tighten-role", ROLE, lambda: self.role_now(ROLE), before, after,
                    lambda r: "inline %s, attached %d" % (sorted(r["InlinePolicies"]),
                                                          len(r["AttachedPolicies"])))

    def test_undo_killed_at_applying_and_at_applied(self):
        name = "payment-webhook"
        before, after = self.close_public_states(name)
        rows = []
        for step, want in (("applying", "not-applied"), ("applied", "verified")):
            out = self.fix("close-public", name)
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
            aid = int(self.last_id(out))
            self.assertEqual([], awsnap.diff(after, self.function_now(name)))
            entry = self.crash(step, "undo", str(aid), "--yes")
            self.assertEqual(entry["state"], want, step)
            states = {a["id"]: a["state"] for a in self.journal()}
            now = self.function_now(name)
            rows.append(("undo " + step, entry["state"], self.show_public(now)))
            if want == "not-applied":
                # nothing undone: the fix stands, still verified, and may be undone again
                self.assertEqual(states[aid], "verified")
                self.assertEqual([], awsnap.diff(after, now))
                self.undo(aid)
            else:
                # the undo landed: the entry it undid is marked so, as a finished undo would
                self.assertEqual(states[aid], "undone")
                self.assertEqual([], awsnap.diff(before, now))
            self.assertEqual([], awsnap.diff(before, self.function_now(name)), step)
            self.rescan()
        self.print_matrix("undo of close-public %s" % name, rows)
        self.assertAccountIs(self.baseline)


if __name__ == "__main__":
    main()
