"""prune-role, prune-log-group and prune-layer-version against the simulated
demo account (its expected findings list the orphans: SHR-HYG-007/008/009 in
tests/fakeaws/accounts/demo.md): each pruned with `shears fix ... --yes`,
read back with awscli (gone), undone, and read back equal to before except
what AWS cannot keep (named per action below); refusals for a role, a log
group and a layer version still in use; undo after undo; and a crash at
applying, reconciled by reading the target.

Before the scan, awscli gives acme-old-etl-role an instance profile, a
permissions boundary and tags, and /aws/lambda/old-checkout-v1 tags and a
retention, so that every piece the backup keeps is exercised.

The whole account (awsnap, through awscli) is read once after that set-up:
after each prune it differs from that baseline by exactly the pruned role,
group or layer, and after the undo by nothing but what AWS cannot keep,
named per action (ROLE_NEW, GROUP_NEW, LAYER_NEW). What the undo could
not keep stays so: the account read after it is the next test's baseline."""
import copy
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

US = "us-east-1"
ACCOUNT = test_act.ACCOUNT
# What AWS cannot keep across a delete and a recreate (compared apart, or not at all).
# In the whole account: a role's RoleId is the one difference left after its
# undo (awsnap drops every CreateDate and RoleLastUsed, which move by themselves);
# a group's creationTime and storedBytes are dropped by awsnap too, so nothing
# is left (the tests read storedBytes 0 apart); a layer version's number (its
# key), Version and LayerVersionArn are renumbered before the comparison.
ROLE_NEW = {"RoleId", "CreateDate", "RoleLastUsed"}   # IAM assigns them anew
GROUP_NEW = {"creationTime", "storedBytes"}           # a new, empty group: the events are gone
LAYER_NEW = {"Version", "LayerVersionArn", "CreatedDate"}   # Lambda never reuses a number
LAYER_NAME = "acme-node-utils"
LAYER = "arn:aws:lambda:us-east-1:%s:layer:%s" % (ACCOUNT, LAYER_NAME)
ROLE_PATH = "iam/Roles/acme-old-etl-role"


class Orphans(test_act.Act):
    locals().update({n: None for n in dir(test_act.Act) if n.startswith("test_")})
    # Act would read its baseline right after its scan, before the set-up below
    # changes the account: this class reads the whole account after it instead
    WHOLE_ACCOUNT = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for args in (["iam", "create-instance-profile", "--instance-profile-name", "etl-profile"],
                     ["iam", "add-role-to-instance-profile", "--instance-profile-name",
                      "etl-profile", "--role-name", "acme-old-etl-role"],
                     ["iam", "tag-role", "--role-name", "acme-old-etl-role", "--tags",
                      "Key=team,Value=data", "Key=cost,Value=etl"],
                     ["iam", "put-role-permissions-boundary", "--role-name", "acme-old-etl-role",
                      "--permissions-boundary", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
                     ["logs", "tag-log-group", "--log-group-name", "/aws/lambda/old-checkout-v1",
                      "--tags", "owner=checkout"],
                     ["logs", "put-retention-policy", "--log-group-name",
                      "/aws/lambda/old-checkout-v1", "--retention-in-days", "30"]):
            cls.reader.one(US, *args)
        scan = cls.shears("scan", "--region", US, "--region", "eu-west-1")
        assert scan.returncode == 0, scan.stderr
        cls.baseline = cls.account()

    def try_aws(self, region, *args):
        """awscli's answer, or None when it says the resource does not exist."""
        rc, out, err = self.reader.raw(region, *args)
        if rc and ("NoSuchEntity" in err or "ResourceNotFoundException" in err):
            return None
        self.assertEqual(rc, 0, err)
        return json.loads(out) if out.strip() else {}

    # ---- the whole account (awsnap)

    def assertPrunedExactly(self, paths):
        """The account differs from the baseline by exactly these paths (what was pruned)."""
        self.assertEqual(awsnap.changed_paths(self.baseline, self.account()), paths)

    def settle(self, kept_apart):
        """After an undo: the account differs from the baseline only at the
        paths AWS cannot keep (kept_apart, exactly); what it reads now is the
        baseline of what follows."""
        now = self.account()
        self.assertEqual(awsnap.changed_paths(self.baseline, now), kept_apart)
        type(self).baseline = now
        return now

    @staticmethod
    def renumbered(snap, layer=LAYER_NAME, region=US):
        """snap with the layer's versions keyed 1, 2, ... in the order of their
        numbers, without what names the number (LAYER_NEW): a republished
        version compares equal to the one it replaces."""
        snap = copy.deepcopy(snap)
        versions = snap["regions"][region]["Layers"].get(layer, {})
        ordered = sorted(versions.values(), key=lambda v: v["Version"])
        snap["regions"][region]["Layers"][layer] = {
            str(n): {k: x for k, x in v.items() if k not in LAYER_NEW}
            for n, v in enumerate(ordered, 1)}
        return snap

    # ---- reads, with awscli only

    def role(self, name):
        """Everything IAM says about the role, or None when it is gone."""
        got = self.try_aws(US, "iam", "get-role", "--role-name", name)
        if got is None:
            return None
        r = got["Role"]
        r["Tags"] = sorted(r.get("Tags", []), key=lambda t: t["Key"])
        r["Inline"] = {}
        for p in self.aws(US, "iam", "list-role-policies", "--role-name", name)["PolicyNames"]:
            r["Inline"][p] = self.aws(US, "iam", "get-role-policy", "--role-name", name,
                                      "--policy-name", p)["PolicyDocument"]
        r["Attached"] = sorted(p["PolicyArn"] for p in self.aws(
            US, "iam", "list-attached-role-policies", "--role-name", name)["AttachedPolicies"])
        r["Profiles"] = sorted(p["InstanceProfileName"] for p in self.aws(
            US, "iam", "list-instance-profiles-for-role", "--role-name", name)["InstanceProfiles"])
        return r

    def group(self, name, region=US):
        groups = [g for g in self.aws(region, "logs", "describe-log-groups",
                                      "--log-group-name-prefix", name)["logGroups"]
                  if g["logGroupName"] == name]
        if not groups:
            return None
        g = groups[0]
        g["tags"] = self.aws(region, "logs", "list-tags-log-group", "--log-group-name",
                             name)["tags"]
        return g

    def layer_versions(self, name="acme-node-utils"):
        """Every version of the layer with its content hash, by number."""
        out = {}
        for v in self.aws(US, "lambda", "list-layer-versions", "--layer-name",
                          name)["LayerVersions"]:
            got = self.aws(US, "lambda", "get-layer-version", "--layer-name", name,
                           "--version-number", str(v["Version"]))
            v["CodeSha256"] = got["Content"]["CodeSha256"]
            v["CodeSize"] = got["Content"]["CodeSize"]
            out[v["Version"]] = v
        return out

    @staticmethod
    def without(d, keys):
        return {k: v for k, v in d.items() if k not in keys}

    # ---- prune, read back, undo, read back

    def test_prune_role_and_undo_recreate_it_with_a_new_role_id(self):
        before = self.role("acme-old-etl-role")
        self.assertEqual(before["Profiles"], ["etl-profile"])
        self.assertIn("PermissionsBoundary", before)
        out = self.fix("prune-role", "acme-old-etl-role")
        self.assertEqual(out.returncode, 0, out.stderr)
        for op in ("RemoveRoleFromInstanceProfile", "DetachRolePolicy",
                   "DeleteRolePermissionsBoundary", "DeleteRole", "CreateRole"):
            self.assertIn(op, out.stdout)
        self.assertIn("NEW RoleId", out.stdout)
        self.assertIsNone(self.role("acme-old-etl-role"))
        profile = self.aws(US, "iam", "get-instance-profile", "--instance-profile-name",
                           "etl-profile")["InstanceProfile"]
        self.assertEqual(profile["Roles"], [])
        # the whole account: the role gone (its profile membership with it), nothing else
        self.assertPrunedExactly([ROLE_PATH])
        undo = self.shears("undo", self.last_id(out), "--yes")
        self.assertEqual(undo.returncode, 0, undo.stderr)
        after = self.role("acme-old-etl-role")
        self.assertEqual(self.without(after, ROLE_NEW), self.without(before, ROLE_NEW))
        self.assertNotEqual(after["RoleId"], before["RoleId"])
        # the whole account again: only the RoleId is new (CreateDate, RoleLastUsed: dropped)
        now = self.settle([ROLE_PATH + "/RoleId"])
        self.assertEqual(now["iam"]["Roles"]["acme-old-etl-role"]["InstanceProfiles"],
                         ["etl-profile"])
        # undo after undo: deleted again, and put back again
        again = self.shears("undo", self.last_id(undo), "--yes")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIsNone(self.role("acme-old-etl-role"))
        back = self.shears("undo", self.last_id(again), "--yes")
        self.assertEqual(back.returncode, 0, back.stderr)
        last = self.role("acme-old-etl-role")
        self.assertEqual(self.without(last, ROLE_NEW), self.without(before, ROLE_NEW))
        # the account was read whole after the first undo; from here on the baseline
        # has the RoleId IAM gave this recreate
        self.baseline["iam"]["Roles"]["acme-old-etl-role"]["RoleId"] = last["RoleId"]

    def test_prune_log_group_and_undo_recreate_it_empty_with_its_settings(self):
        name = "/aws/lambda/old-checkout-v1"
        before = self.group(name)
        self.assertEqual(before["retentionInDays"], 30)
        self.assertGreater(before["storedBytes"], 0)
        out = self.fix("prune-log-group", name)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("DeleteLogGroup", out.stdout)
        self.assertIn("NOT its log events", out.stdout)
        self.assertIn("EVENTS are lost", out.stdout)
        self.assertIsNone(self.group(name))
        self.assertPrunedExactly(["regions/%s/LogGroups/%s" % (US, name)])
        undo = self.shears("undo", self.last_id(out), "--yes")
        self.assertEqual(undo.returncode, 0, undo.stderr)
        after = self.group(name)
        self.assertEqual(self.without(after, GROUP_NEW), self.without(before, GROUP_NEW))
        self.assertEqual(after["storedBytes"], 0)   # the events are gone for good
        self.assertEqual(after["tags"], {"owner": "checkout"})
        # the whole account: nothing (creationTime and storedBytes are not compared)
        self.settle([])

    def test_prune_layer_version_and_undo_publish_it_again_as_a_new_version(self):
        before, before_all = self.layer_versions(), self.baseline
        self.assertEqual(list(before), [1])
        out = self.fix("prune-layer-version", LAYER + ":1")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("DeleteLayerVersion", out.stdout)
        self.assertIn("NEW version number", out.stdout)
        self.assertEqual(self.layer_versions(), {})
        # the whole account: the layer is gone from the listing with its one version
        self.assertPrunedExactly(["regions/%s/Layers/%s" % (US, LAYER_NAME)])
        entry = [a for a in self.journal() if a["target"] == LAYER + ":1"][-1]
        backup = json.load(open(entry["backup"]))
        self.assertTrue(os.path.exists(backup["content_file"]))
        self.assertNotIn("Location", backup["GetLayerVersion"]["Content"])
        undo = self.shears("undo", self.last_id(out), "--yes")
        self.assertEqual(undo.returncode, 0, undo.stderr)
        after = self.layer_versions()
        self.assertEqual(len(after), 1)
        (number, version), = after.items()
        self.assertGreater(number, 1)                # a new number, never 1 again
        self.assertEqual(self.without(version, LAYER_NEW), self.without(before[1], LAYER_NEW))
        # the whole account: version 1 gone, version `number` there; equal once renumbered
        at = "regions/%s/Layers/%s/" % (US, LAYER_NAME)
        now = self.settle([at + "1", at + str(number)])
        self.assertEqual([], awsnap.diff(self.renumbered(before_all), self.renumbered(now)))

    # ---- refusals

    def test_in_use_is_refused_and_nothing_changes(self):
        cases = [("prune-role", "acme-eu-api-role", "runs as it"),
                 ("prune-log-group", "/aws/lambda/email-sender", "is in the cache"),
                 ("prune-layer-version",
                  "arn:aws:lambda:us-east-1:%s:layer:acme-common-py:2" % ACCOUNT, "uses it")]
        role, group = self.role("acme-eu-api-role"), self.group("/aws/lambda/email-sender")
        layers = self.layer_versions("acme-common-py")
        for action, target, why in cases:
            out = self.fix(action, target)
            self.assertEqual(out.returncode, 1, action)
            self.assertIn("refused", out.stderr)
            self.assertIn(why, out.stderr)
        self.assertEqual(self.role("acme-eu-api-role"), role)
        self.assertEqual(self.group("/aws/lambda/email-sender"), group)
        self.assertEqual(self.layer_versions("acme-common-py"), layers)

    def test_a_group_changed_since_the_plan_is_refused(self):
        name = "/aws/lambda/eu-orders-api-v0"
        plan = os.path.join(self.home, "lg.json")
        out = self.shears("plan", "prune-log-group", name, "--output", plan)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.aws("eu-west-1", "logs", "put-retention-policy", "--log-group-name", name,
                 "--retention-in-days", "7")
        try:
            out = self.shears("apply", plan, "--yes")
            self.assertEqual(out.returncode, 1)
            self.assertIn("retentionInDays: plan none, now 7", out.stderr)
            self.assertIsNotNone(self.group(name, "eu-west-1"))
        finally:
            # as the baseline has it: the tests after this one compare with it
            self.aws("eu-west-1", "logs", "delete-retention-policy", "--log-group-name", name)

    # ---- a crash while applying

    def test_crash_at_applying_and_applied_is_reconciled_by_reading_the_group(self):
        name = "/aws/lambda/tmp-migration-2023"
        before = self.group(name)
        want = {"applying": ("not-applied", True), "applied": ("verified", False)}
        for step, (state, exists) in want.items():
            env = dict(self.env, SHEARS_TEST_CRASH_AT=step)
            out = self.fix("prune-log-group", name, env=env)
            self.assertEqual(out.returncode, 137, step + out.stderr)
            db = sqlite3.connect(self.cache)
            (left,) = db.execute("SELECT state FROM action ORDER BY id DESC LIMIT 1").fetchone()
            db.close()
            self.assertEqual(left, "applying", step)  # "applied" dies before its journal line
            entry = self.journal()[-1]
            self.assertEqual(entry["state"], state, step)
            self.assertIn("reconciled", entry["steps"][-1]["detail"])
            self.assertEqual(self.group(name) is not None, exists, step)
        # the settled prune undone like any other: the group back for the tests after this
        # one, which compare the whole account with the baseline (storedBytes not compared)
        undo = self.shears("undo", str(entry["id"]), "--yes")
        self.assertEqual(undo.returncode, 0, undo.stderr)
        self.assertEqual(self.without(self.group(name), GROUP_NEW),
                         self.without(before, GROUP_NEW))


if __name__ == "__main__":
    main()
