"""prune against the simulated demo account: the dead customer-export-csv
still has an SQS event source mapping, a (disabled) EventBridge schedule, an
S3 notification on acme-uploads (beside two other functions') and an SNS
subscription. Read with awscli (not shears) before the prune, after it (the
function gone, nothing points at it, the bucket's other notifications
intact) and after the undo (equal to before but for what AWS cannot keep:
RevisionId, LastModified, mapping UUIDs, subscription ARNs; CodeSha256
equal). `shears restore BACKUP` with the cache deleted; refusals (no typed
confirmation, protected function); crashes at applying and applied.

The prune and its undo are also compared on the whole account (awsnap,
through awscli): after the prune the account differs from the baseline by
exactly the function and what pointed at it; after the undo not at all,
once mappings and subscriptions are named by what they join rather than by
the UUID and ARN AWS gives a new one."""
import copy
import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "tests", "lib"))
from cmocka_unittest import main  # noqa: E402
import awsnap  # noqa: E402
import test_act  # noqa: E402

US = "us-east-1"
FN = "customer-export-csv"
VOLATILE = test_act.VOLATILE | {"FunctionArn"}


class Prune(test_act.Act):
    locals().update({n: None for n in dir(test_act.Act) if n.startswith("test_")})

    def maybe(self, *args):
        """awscli's answer, or None when the resource does not exist."""
        out = subprocess.run([test_act.AWS, "--endpoint-url", self.url, "--region", US,
                              "--output", "json"] + list(args), capture_output=True, text=True,
                             env=self.env, timeout=60)
        if out.returncode and ("ResourceNotFoundException" in out.stderr
                               or "NotFound" in out.stderr):
            return None
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout) if out.stdout.strip() else {}

    def read(self, name=FN):
        """What the prune touches, as awscli reads it, without what AWS cannot keep."""
        arn = "arn:aws:lambda:%s:%s:function:%s" % (US, test_act.ACCOUNT, name)
        fn = self.maybe("lambda", "get-function", "--function-name", name)
        snap = {"function": None}
        if fn:
            snap["function"] = {k: v for k, v in fn["Configuration"].items() if k not in VOLATILE}
            snap["tags"] = fn.get("Tags")
            snap["concurrency"] = fn.get("Concurrency")
            pol = self.maybe("lambda", "get-policy", "--function-name", name)
            snap["policy"] = sorted(json.loads(pol["Policy"])["Statement"],
                                    key=lambda s: s["Sid"]) if pol else None
            snap["url"] = self.maybe("lambda", "get-function-url-config", "--function-name", name)
        maps = self.aws(US, "lambda", "list-event-source-mappings", "--function-name", name)
        snap["mappings"] = sorted((m["EventSourceArn"], m["State"], m["BatchSize"])
                                  for m in maps["EventSourceMappings"])
        rules = self.aws(US, "events", "list-rule-names-by-target", "--target-arn", arn)
        snap["rules"] = {r: self.aws(US, "events", "list-targets-by-rule", "--rule", r)["Targets"]
                         for r in rules["RuleNames"]}
        # S3 gives the entries no meaningful order: compared by Id
        snap["bucket"] = self.aws(US, "s3api", "get-bucket-notification-configuration",
                                  "--bucket", "acme-uploads")
        snap["bucket"]["LambdaFunctionConfigurations"].sort(key=lambda c: c["Id"])
        topic = "arn:aws:sns:%s:%s:acme-order-events" % (US, test_act.ACCOUNT)
        subs = self.aws(US, "sns", "list-subscriptions-by-topic", "--topic-arn", topic)
        snap["subscriptions"] = sorted((s["Protocol"], s["Endpoint"]) for s in subs["Subscriptions"])
        return snap

    @staticmethod
    def as_kept(snap):
        """snap with each mapping named by its source and function, each
        subscription by its protocol and endpoint: what a recreate keeps."""
        snap = copy.deepcopy(snap)
        for r in snap["regions"].values():
            r["EventSourceMappings"] = {
                "%s -> %s" % (m["EventSourceArn"], m["FunctionArn"]):
                    {k: v for k, v in m.items() if k not in ("UUID", "FunctionArn")}
                for m in r["EventSourceMappings"].values()}
            for t in r["Topics"].values():
                t["Subscriptions"] = {
                    "%s %s" % (x["Protocol"], x["Endpoint"]):
                        {k: v for k, v in x.items() if k != "SubscriptionArn"}
                    for x in t["Subscriptions"].values()}
        return snap

    @staticmethod
    def pointing_at(snap, name):
        """The paths of snap (as_kept) that are the function or name it."""
        arn = "arn:aws:lambda:%s:%s:function:%s" % (US, test_act.ACCOUNT, name)
        r, at = snap["regions"][US], "regions/%s/" % US
        paths = [at + "Functions/" + name]
        paths += [at + "EventSourceMappings/" + k for k in r["EventSourceMappings"]
                  if k.endswith(" -> " + arn)]
        for bus, b in r["EventBuses"].items():
            for rule, ru in b["Rules"].items():
                paths += ["%sEventBuses/%s/Rules/%s/Targets/%s" % (at, bus, rule, t)
                          for t, x in ru.get("Targets", {}).items() if x["Arn"] == arn]
        for topic, t in r["Topics"].items():
            subs = [k for k, x in t["Subscriptions"].items() if x["Endpoint"] == arn]
            paths += ["%sTopics/%s/Subscriptions/%s" % (at, topic, k) for k in subs]
            if subs:
                paths.append("%sTopics/%s/Attributes/SubscriptionsConfirmed" % (at, topic))
        for bucket, b in snap["s3"].items():
            if any(c["LambdaFunctionArn"] == arn
                   for c in b["Notification"].get("LambdaFunctionConfigurations", [])):
                paths.append("s3/%s/Notification/LambdaFunctionConfigurations" % bucket)
        return sorted(paths)

    def rescan(self):
        """The cache as the account is now: a recreated function has a new RevisionId."""
        scan = self.shears("scan", "--region", US)
        self.assertEqual(scan.returncode, 0, scan.stderr)

    def points_at(self, snap, name=FN):
        """Everything of snap that still names the function."""
        text = json.dumps({k: v for k, v in snap.items() if k in ("mappings", "rules", "bucket",
                                                                  "subscriptions")})
        return ":function:%s" % name in text or ":function:%s\"" % name in text

    def test_prune_then_undo_gives_the_function_and_its_triggers_back(self):
        self.rescan()
        before = self.read()
        self.assertIsNotNone(before["function"])
        self.assertEqual(len(before["mappings"]), 1)
        self.assertIn("customer-export-weekly", before["rules"])
        self.assertEqual(len(before["bucket"]["LambdaFunctionConfigurations"]), 3)
        self.assertEqual(len(before["subscriptions"]), 1)
        out = self.fix("prune", FN)
        self.assertEqual(out.returncode, 0, out.stderr)
        for op in ("UpdateEventSourceMapping", "DeleteEventSourceMapping", "RemoveTargets",
                   "PutBucketNotificationConfiguration", "Unsubscribe", "DeleteFunction"):
            self.assertIn(op, out.stdout)
        # the whole account: the function and what pointed at it, nothing else
        base = self.as_kept(self.baseline)
        gone = self.pointing_at(base, FN)
        # the function, its mapping, rule target, subscription (and the topic's count), bucket entry
        self.assertEqual(len(gone), 6, gone)
        self.assertEqual(awsnap.changed_paths(base, self.as_kept(self.account())), gone)
        after = self.read()
        self.assertIsNone(after["function"])
        self.assertFalse(self.points_at(after), after)
        self.assertEqual(after["mappings"], [])
        self.assertEqual(after["rules"], {})
        self.assertEqual(after["subscriptions"], [])
        # the bucket's other notifications, exactly as they were
        others = [c for c in before["bucket"]["LambdaFunctionConfigurations"]
                  if not c["LambdaFunctionArn"].endswith(":" + FN)]
        self.assertEqual(after["bucket"]["LambdaFunctionConfigurations"], others)
        self.assertEqual(self.aws(US, "events", "list-targets-by-rule",
                                  "--rule", "customer-export-weekly")["Targets"], [])
        entry = [a for a in self.journal() if a["target"].endswith(":" + FN)][-1]
        self.assertEqual(entry["state"], "verified")
        backup = json.load(open(entry["backup"]))
        self.assertEqual(os.stat(entry["backup"]).st_mode & 0o777, 0o600)
        self.assertEqual(os.stat(backup["code_file"]).st_mode & 0o777, 0o600)
        self.assertIn("EventSourceMappings", backup)
        # no secret nor code in the plan or the journal: only in the backup
        self.assertNotIn("ZipFile\":\"", json.dumps(entry["plan"]))
        undo = self.shears("undo", self.last_id(out), "--yes")
        self.assertEqual(undo.returncode, 0, undo.stderr)
        self.assertIn("CreateFunction", undo.stdout)
        restored = self.read()
        self.assertEqual(restored, before)
        self.assertEqual(restored["function"]["CodeSha256"], before["function"]["CodeSha256"])
        self.assertEqual([], awsnap.diff(base, self.as_kept(self.account())))
        states = {a["id"]: a["state"] for a in self.journal()}
        self.assertEqual(states[entry["id"]], "undone")
        # undo after undo: pruned again through the same protocol, then back
        again = self.shears("undo", self.last_id(undo), "--yes")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIsNone(self.read()["function"])
        back = self.shears("undo", self.last_id(again), "--yes")
        self.assertEqual(back.returncode, 0, back.stderr)
        self.assertEqual(self.read(), before)

    def test_restore_from_the_backup_with_the_cache_deleted(self):
        self.rescan()
        before = self.read()
        out = self.fix("prune", FN)
        self.assertEqual(out.returncode, 0, out.stderr)
        backup = [a for a in self.journal() if a["target"].endswith(":" + FN)][-1]["backup"]
        cache = os.path.join(self.home, "restore-cache.db")
        self.assertFalse(os.path.exists(cache))
        res = subprocess.run([test_act.SHEARS, "--cache", cache, "--endpoint-url", self.url,
                              "restore", backup, "--yes"], capture_output=True, text=True,
                             env=self.env, timeout=120, stdin=subprocess.DEVNULL)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        self.assertIn("verified", res.stdout)
        self.assertEqual(self.read(), before)
        os.remove(cache)
        # a restore over a function that exists is refused, nothing sent
        res = subprocess.run([test_act.SHEARS, "--cache", cache, "--endpoint-url", self.url,
                              "restore", backup, "--yes"], capture_output=True, text=True,
                             env=self.env, timeout=120, stdin=subprocess.DEVNULL)
        self.assertEqual(res.returncode, 1)
        self.assertIn("exists", res.stderr)
        self.assertEqual(self.read(), before)

    def test_no_typed_confirmation_and_protected_function_change_nothing(self):
        before = self.read()
        out = self.shears("fix", "prune", FN)  # no terminal, no --yes: not confirmed
        self.assertEqual(out.returncode, 1)
        self.assertIn("not confirmed", out.stderr)
        self.assertEqual(self.journal()[-1]["state"], "cancelled")
        env = self.write_config(dict(self.env), "[act]\nallow_accounts = %s\nprotect = customer-*\n"
                                % test_act.ACCOUNT, os.path.join(self.home, "xdg-protect-prune"))
        out = self.shears("fix", "prune", FN, "--yes", env=env)
        self.assertEqual(out.returncode, 1)
        self.assertIn("protected", out.stderr)
        self.assertEqual(self.read(), before)

    def test_plan_of_the_dead_finding_is_a_prune_and_a_live_function_is_refused_nothing(self):
        out = self.shears("plan", "SHR-HYG-001", FN)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("plan: prune " + FN, out.stdout)
        self.assertIn("events RemoveTargets", out.stdout)
        out = self.shears("plan", "quarantine", FN)
        self.assertEqual(out.returncode, 0, out.stderr)

    def test_crash_at_applying_and_applied_is_reconciled_by_reading_the_account(self):
        name = "old-promo-2022"
        before = self.read(name)
        for step, settled, gone in (("applying", "not-applied", False), ("applied", "verified", True)):
            env = dict(self.env, SHEARS_TEST_CRASH_AT=step)
            out = self.shears("fix", "prune", name, "--yes", env=env)
            self.assertEqual(out.returncode, 137, out.stderr)
            entry = [a for a in self.journal() if a["target"].endswith(":" + name)][-1]
            self.assertEqual(entry["state"], settled, (step, entry))
            self.assertEqual(self.read(name)["function"] is None, gone)
        undo = self.shears("undo", str(entry["id"]), "--yes")
        self.assertEqual(undo.returncode, 0, undo.stderr)
        self.assertEqual(self.read(name), before)


if __name__ == "__main__":
    main()
