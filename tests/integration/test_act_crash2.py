"""The crash matrix for the newer actions, as test_act_crash.py has it for
shorten-timeout, close-public (function) and tighten-role: `shears fix ...
--yes` killed at a step (SHEARS_TEST_CRASH_AT, src/act/run.h), then
`shears journal` settles the entry by reading the target. Each case asserts
the journal's state and the whole account as awscli reads it (awsnap): equal
to the baseline while no call was sent, changed by exactly the action's
paths once the calls succeeded; a verified case is undone (the account equal
to the baseline again) and the cache scanned again (the undo moved the
revisions the next plan is built from), so every case starts from the same
account.

Steps run: prune all five (confirmed, backed-up, applying, applied,
verify); the others applying and applied only, the two that decide between
"nothing sent" and "everything sent" (confirmed and backed-up journal
before any call exactly as applying does, and verify after the calls
exactly as applied does: the protocol is generic, prune's five show it).

A batch (`fix quarantine A B --yes`) killed at applying or applied: the
first plan's entry settles (not-applied, verified) and the second was never
journaled: plans run one after the other, each journaled when it starts.

A kill in the middle of a plan (SHEARS_TEST_CRASH_AT=call:2: prune's
mapping disabled and deleted, nothing else sent): reconcile reads neither
the before nor the after and says "mismatch", and a second start sends
nothing again. What the user can do next is asserted too: undo is refused
(the entry is not verified), a new scan and plan prunes what is left.

What AWS cannot keep across a delete and a recreate is compared apart (the
mapping's UUID and the subscription's ARN, a recreated role's RoleId, a
republished layer version's number); awsnap already drops timestamps.
Each matrix is printed to stderr (action x step -> journal state, what
awscli read) for the issue's closing note."""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "tests", "lib"))
from cmocka_unittest import main  # noqa: E402
import awsnap  # noqa: E402
import test_act  # noqa: E402
import test_act_crash  # noqa: E402
import test_act_prune  # noqa: E402

US = "us-east-1"
ACCOUNT = test_act.ACCOUNT
WANT = test_act_crash.WANT
BOTH = ("applying", "applied")
DEAD = "customer-export-csv"
ETL_ROLE = "acme-old-etl-role"
LOG_GROUP = "/aws/lambda/old-checkout-v1"
LAYER = "acme-node-utils"
BUCKET = "acme-public-assets"
SHARED = "acme-storefront-role"
STOREFRONT = ["storefront-cart", "storefront-catalog", "storefront-checkout"]
WARMER = "cache-warmer"


def kept(snap):
    """snap as a delete and a recreate keep it: mappings and subscriptions
    named by what they join (test_act_prune.as_kept), roles without their
    RoleId, a layer's versions without their numbers."""
    snap = test_act_prune.Prune.as_kept(snap)
    for role in snap["iam"]["Roles"].values():
        role.pop("RoleId", None)
    for r in snap["regions"].values():
        r["Layers"] = {name: sorted(({k: x for k, x in v.items()
                                      if k not in ("Version", "LayerVersionArn")}
                                     for v in versions.values()),
                                    key=lambda v: json.dumps(v, sort_keys=True))
                       for name, versions in r["Layers"].items()}
    return snap


def fn_path(name, *rest):
    return "/".join(("regions", US, "Functions", name) + rest)


class Crash2(test_act_crash.Crash):
    # the base classes' own tests run in their files, not again here
    locals().update({n: None for n in dir(test_act_crash.Crash) if n.startswith("test_")})
    # what prune touches, read with awscli (test_act_prune.py): cheaper than a snapshot
    maybe = test_act_prune.Prune.maybe
    prune_read = test_act_prune.Prune.read

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.base = kept(cls.baseline)

    def now(self):
        return kept(self.account())

    def entries(self):
        return {a["id"]: a for a in self.journal()}

    def layer_version(self):
        """The target of prune-layer-version: acme-node-utils' one version now
        (an undo publishes it again under a new number)."""
        vs = self.aws(US, "lambda", "list-layer-versions", "--layer-name",
                      LAYER)["LayerVersions"]
        self.assertEqual(len(vs), 1, vs)
        return vs[0]["LayerVersionArn"]

    # ------------------------------------------------------------ the matrix

    def case(self, label, args, steps, changed, show, target=None):
        """Kills `shears fix ARGS --yes` at each step; changed are the paths
        (awsnap.changed_paths of kept snapshots) the action moves;
        show(snap) a line for the table; target() the last argument, when
        it moves from case to case. Prints the matrix."""
        rows = []
        for step in steps:
            full = list(args) + ([target()] if target else [])
            entry = self.crash(step, "fix", *full, "--yes")
            self.assertEqual(entry["state"], WANT[step], (label, step, entry["steps"][-1]))
            now = self.now()
            if entry["state"] == "verified":
                self.assertEqual(sorted(changed), awsnap.changed_paths(self.base, now),
                                 (label, step))
            else:
                self.assertEqual([], awsnap.diff(self.base, now), (label, step))
            rows.append((step, entry["state"], show(now)))
            if entry["state"] == "verified":
                self.undo(entry["id"])
                self.assertEqual([], awsnap.diff(self.base, self.now()), (label, step, "undone"))
                self.assertEqual(self.entries()[entry["id"]]["state"], "undone")
                self.rescan()
        self.print_matrix(label, rows)

    # ------------------------------------------------------------ the actions

    def test_prune_killed_at_each_step(self):
        gone = test_act_prune.Prune.pointing_at(self.base, DEAD)
        # the function, its mapping, rule target, subscription (and the topic's count), bucket entry
        self.assertEqual(len(gone), 6, gone)

        def show(s):
            r = s["regions"][US]
            maps = [k for k in r["EventSourceMappings"] if k.endswith(":" + DEAD)]
            # pointing_at always lists the function's own path: the others name it
            return "function %s, mappings %d, other paths naming it %d" % (
                "present" if DEAD in r["Functions"] else "gone", len(maps),
                len(test_act_prune.Prune.pointing_at(s, DEAD)) - 1)
        self.case("prune " + DEAD, ["prune", DEAD], test_act_crash.STEPS, gone, show)

    def test_prune_role_killed_at_applying_and_applied(self):
        self.case("prune-role " + ETL_ROLE, ["prune-role", ETL_ROLE], BOTH,
                  ["iam/Roles/" + ETL_ROLE],
                  lambda s: "role %s" % ("present" if ETL_ROLE in s["iam"]["Roles"] else "gone"))

    def test_prune_log_group_killed_at_applying_and_applied(self):
        path = "/".join(("regions", US, "LogGroups", LOG_GROUP))
        self.case("prune-log-group " + LOG_GROUP, ["prune-log-group", LOG_GROUP], BOTH, [path],
                  lambda s: "log group %s" % ("present" if LOG_GROUP in s["regions"][US]
                                              ["LogGroups"] else "gone"))

    def test_prune_layer_version_killed_at_applying_and_applied(self):
        self.case("prune-layer-version %s:N" % LAYER, ["prune-layer-version"], BOTH,
                  ["/".join(("regions", US, "Layers", LAYER))],
                  lambda s: "%s versions %d" % (LAYER, len(s["regions"][US]["Layers"]
                                                            .get(LAYER, []))),
                  target=self.layer_version)

    def test_close_public_bucket_killed_at_applying_and_applied(self):
        pab = self.base["s3"][BUCKET]["PublicAccessBlock"]
        self.assertFalse(pab and all(pab.values()), pab)
        self.case("close-public " + BUCKET, ["close-public", BUCKET], BOTH,
                  ["s3/%s/PublicAccessBlock/%s" % (BUCKET, k)
                   for k in ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls",
                             "RestrictPublicBuckets")],
                  lambda s: "PublicAccessBlock %s" % json.dumps(
                      s["s3"][BUCKET]["PublicAccessBlock"], sort_keys=True))

    def test_split_role_killed_at_applying_and_applied(self):
        roles = ["iam/Roles/%s-%s" % (SHARED, f) for f in STOREFRONT]
        fns = [fn_path(f, *p) for f in STOREFRONT
               for p in (("Configuration", "Role"), ("Versions", "$LATEST", "Role"))]

        def show(s):
            split = sorted(r for r in s["iam"]["Roles"] if r.startswith(SHARED + "-"))
            on = sorted(set(s["regions"][US]["Functions"][f]["Configuration"]["Role"]
                            .rsplit("/", 1)[1] for f in STOREFRONT))
            return "split roles %d, functions run as %s" % (len(split), ", ".join(on))
        self.case("split-role " + SHARED, ["split-role", SHARED], BOTH, roles + fns, show)

    def test_shorten_timeout_with_alarm_killed_at_applying_and_applied(self):
        alarm = "/".join(("regions", US, "Alarms", "Metric", "shears-timeout-" + WARMER))

        def show(s):
            a = s["regions"][US]["Alarms"]["Metric"].get("shears-timeout-" + WARMER)
            return "Timeout %d, alarm %s" % (
                s["regions"][US]["Functions"][WARMER]["Configuration"]["Timeout"],
                "Duration >= %g" % a["Threshold"] if a else "none")
        self.case("shorten-timeout %s --with alarm" % WARMER,
                  ["shorten-timeout", WARMER, "--with", "alarm"], BOTH,
                  [fn_path(WARMER, "Configuration", "Timeout"),
                   fn_path(WARMER, "Versions", "$LATEST", "Timeout"), alarm], show)

    # ------------------------------------------------------------ a batch

    def test_batch_killed_at_applying_and_applied_settles_the_first_plan_only(self):
        first, second = "storefront-cart", "storefront-checkout"
        rows = []
        for step in BOTH:
            known = set(self.entries())
            entry = self.crash(step, "fix", "quarantine", first, second, "--yes")
            new = [a for i, a in self.entries().items() if i not in known]
            # the second plan never started: no entry of its own, planned or otherwise
            self.assertEqual([entry["id"]], [a["id"] for a in new], (step, new))
            self.assertTrue(entry["target"].endswith(":function:" + first))
            self.assertEqual(entry["plan"]["batch"]["index"], 1)
            self.assertEqual(entry["plan"]["batch"]["of"], 2)
            self.assertEqual(entry["state"], WANT[step], step)
            now = self.now()
            conc = [now["regions"][US]["Functions"][f]["Concurrency"] for f in (first, second)]
            want = [0 if WANT[step] == "verified" else None, None]
            self.assertEqual(want, conc, step)
            if WANT[step] == "verified":
                self.assertEqual([fn_path(first, "Concurrency")],
                                 awsnap.changed_paths(self.base, now))
            else:
                self.assertEqual([], awsnap.diff(self.base, now))
            rows.append(("batch " + step, entry["state"],
                         "%s %s, %s %s, %s never journaled" % (first, conc[0], second, conc[1],
                                                               second)))
            if entry["state"] == "verified":
                self.undo(entry["id"])
                self.assertEqual([], awsnap.diff(self.base, self.now()))
                self.rescan()
        self.print_matrix("fix quarantine %s %s (batch)" % (first, second), rows)

    # ------------------------------------------------------------ a kill mid-plan

    def test_prune_killed_after_its_second_call_is_a_mismatch_never_sent_again(self):
        out = self.shears("plan", "prune", DEAD)
        self.assertEqual(out.returncode, 0, out.stderr)
        calls = [line.split()[:2] for line in out.stdout.split("  calls:\n")[1]
                 .split("  undo:\n")[0].splitlines()]
        # calls 1 and 2 disable and delete the mapping; 3 on reach the rule, bucket, topic, function
        self.assertEqual(calls[:3], [["lambda", "UpdateEventSourceMapping"],
                                     ["lambda", "DeleteEventSourceMapping"],
                                     ["events", "RemoveTargets"]])
        self.assertEqual(calls[-1], ["lambda", "DeleteFunction"])
        entry = self.crash("call:2", "fix", "prune", DEAD, "--yes")
        self.assertEqual(self.raw_state(), "mismatch")
        steps = [s["state"] for s in entry["steps"]]
        self.assertEqual(steps[-3:], ["backed-up", "applying", "mismatch"], steps)
        self.assertEqual(entry["state"], "mismatch")
        detail = entry["steps"][-1]["detail"]
        self.assertIn("reconciled after 'applying': neither before nor after", detail)
        self.assertIn("EventSourceMappings", detail)
        mapping = [p for p in test_act_prune.Prune.pointing_at(self.base, DEAD)
                   if "/EventSourceMappings/" in p]
        self.assertEqual(len(mapping), 1)
        # awscli: the mapping is gone, everything else that pointed at the function stays
        now = self.now()
        self.assertEqual(mapping, awsnap.changed_paths(self.base, now))
        self.assertEqual([], self.aws(US, "lambda", "list-event-source-mappings",
                                      "--function-name", DEAD)["EventSourceMappings"])
        self.assertIsNotNone(self.aws(US, "lambda", "get-function", "--function-name", DEAD))
        touched = self.prune_read()
        # a second start reads it settled: nothing re-sent, the entry as it was
        again = self.journal()
        self.assertEqual([a for a in again if a["id"] == entry["id"]], [entry])
        self.assertEqual(touched, self.prune_read())
        # what the user can do next: undo is refused (only a verified entry has an undo) ...
        undo = self.shears("undo", str(entry["id"]), "--yes")
        self.assertEqual(undo.returncode, 1, undo.stdout + undo.stderr)
        self.assertIn("verified", undo.stderr)
        self.assertEqual(touched, self.prune_read())
        # ... the backup written before any call holds the mapping as it was ...
        backup = json.load(open(entry["backup"]))
        self.assertEqual([m["EventSourceArn"] for m in backup["EventSourceMappings"]],
                         [mapping[0].split("/EventSourceMappings/")[1].split(" -> ")[0]])
        # ... a plan from the stale cache is refused (the mapping it names is gone) ...
        stale = self.shears("fix", "prune", DEAD, "--yes")
        self.assertEqual(stale.returncode, 1, stale.stdout)
        self.assertIn("changed since the plan", stale.stderr)
        self.assertEqual(touched, self.prune_read())
        # ... and a new scan plans the prune of what is left, without the mapping
        self.rescan()
        out = self.shears("plan", "prune", DEAD)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertNotIn("EventSourceMapping", out.stdout.split("  undo:\n")[0])
        self.assertIn("events RemoveTargets", out.stdout)
        self.print_matrix("prune %s killed mid-plan" % DEAD,
                          [("call:2", entry["state"], "mapping gone; function, rule target, "
                            "bucket entry, subscription kept")])
        print("  detail: %s\n  undo: %s  stale fix: %s" % (
            detail, undo.stderr.strip(), stale.stderr.strip()), file=sys.stderr)
        # the account back as it was, by hand from the backup (what a user would do too)
        m = backup["EventSourceMappings"][0]
        self.aws(US, "lambda", "create-event-source-mapping", "--function-name", DEAD,
                 "--event-source-arn", m["EventSourceArn"], "--batch-size", str(m["BatchSize"]),
                 "--maximum-batching-window-in-seconds",
                 str(m.get("MaximumBatchingWindowInSeconds", 0)))
        self.assertEqual([], awsnap.diff(self.base, self.now()))
        self.rescan()


if __name__ == "__main__":
    main()
