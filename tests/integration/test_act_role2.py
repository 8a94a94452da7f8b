"""tighten-role on a customer-managed policy, split-role and shorten-timeout
--with alarm against the simulated demo account: applied with `shears fix`,
read back with awscli (policy versions and the default one, each function's
role and the roles that exist, the alarm), undone, and read back equal to
the account before. The demo's acme-reporting-role has the customer-managed
acme-reporting-access (3 versions, v3 default, attached to it alone) and
AWSLambdaBasicExecutionRole; acme-storefront-role is shared by three
functions.

The whole account (awsnap, through awscli) is compared too: after each
action it differs from the baseline read after the scan by exactly the
paths the action changes, and after its undo not at all (none of these
actions deletes what AWS would give a new id when recreated)."""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "tests", "lib"))
from cmocka_unittest import main  # noqa: E402
import awsnap  # noqa: E402
import test_act  # noqa: E402

REGION = "us-east-1"
ACCOUNT = test_act.ACCOUNT
REPORTING = "acme-reporting-role"
POLICY = "arn:aws:iam::%s:policy/acme-reporting-access" % ACCOUNT
SHARED = "acme-storefront-role"
STOREFRONT = ["storefront-cart", "storefront-catalog", "storefront-checkout"]


class Role2(test_act.Act):
    # the base class's own tests run in test_act.py, not again here
    locals().update({n: None for n in dir(test_act.Act) if n.startswith("test_")})

    def policy_state(self):
        """The policy's versions (id -> document, default marked) and the role's attachments."""
        vs = self.aws(REGION, "iam", "list-policy-versions", "--policy-arn", POLICY)["Versions"]
        docs = {}
        for v in vs:
            d = self.aws(REGION, "iam", "get-policy-version", "--policy-arn", POLICY,
                         "--version-id", v["VersionId"])["PolicyVersion"]["Document"]
            docs[v["VersionId"]] = {"default": v["IsDefaultVersion"],
                                    "doc": d if isinstance(d, dict) else json.loads(d)}
        att = self.aws(REGION, "iam", "list-attached-role-policies", "--role-name",
                       REPORTING)["AttachedPolicies"]
        inline = self.aws(REGION, "iam", "list-role-policies", "--role-name",
                          REPORTING)["PolicyNames"]
        return {"versions": docs, "attached": sorted(a["PolicyArn"] for a in att),
                "inline": sorted(inline)}

    def roles_state(self):
        roles = self.aws(REGION, "iam", "list-roles")["Roles"]
        fns = {f: self.config(f)["Role"] for f in STOREFRONT}
        return {"roles": sorted(r["RoleName"] for r in roles if r["RoleName"].startswith(SHARED)),
                "functions": fns}

    def alarms(self, name):
        return self.aws(REGION, "cloudwatch", "describe-alarms", "--alarm-names",
                        "shears-timeout-" + name)["MetricAlarms"]

    def test_customer_managed_policy_gets_a_new_default_version_and_undo_restores_it(self):
        before = self.policy_state()
        self.assertEqual([v for v, d in before["versions"].items() if d["default"]], ["v3"])
        out = self.fix("tighten-role", REPORTING)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("CreatePolicyVersion", out.stdout)
        after = self.policy_state()
        new = [v for v, d in after["versions"].items() if d["default"]]
        self.assertEqual(len(new), 1)
        self.assertNotIn(new[0], before["versions"])
        self.assertEqual(after["attached"], [POLICY])     # the AWS-managed one detached
        self.assertEqual(after["inline"], [])             # the policy is in the version
        self.assertNotEqual(after["versions"][new[0]]["doc"], before["versions"]["v3"]["doc"])
        entry = [a for a in self.journal() if a["target"].endswith("role/" + REPORTING)][-1]
        backup = json.load(open(entry["backup"]))
        self.assertEqual(backup["state"]["DefaultVersions"]["0"], "v3")
        # the whole account: a new default version of that policy, the role's attachments
        pol = "iam/Policies/%s/" % POLICY
        self.assertEqual(awsnap.changed_paths(self.baseline, self.account()), [
            pol + "DefaultVersionId", pol + "Versions/v3/IsDefaultVersion",
            pol + "Versions/" + new[0], "iam/Roles/%s/AttachedPolicies" % REPORTING])
        undo = self.shears("undo", self.last_id(out), "--yes")
        self.assertEqual(undo.returncode, 0, undo.stdout + undo.stderr)
        self.assertIn("SetDefaultPolicyVersion", undo.stdout)
        self.assertIn("DeletePolicyVersion", undo.stdout)
        self.assertEqual(self.policy_state(), before)
        self.assertAccountIs(self.baseline)

    def test_a_new_default_version_since_the_plan_refuses_it(self):
        plan = os.path.join(self.home, "managed-stale.json")
        out = self.shears("plan", "tighten-role", REPORTING, "--output", plan)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        v2 = self.policy_state()["versions"]["v2"]["doc"]
        self.aws(REGION, "iam", "set-default-policy-version", "--policy-arn", POLICY,
                 "--version-id", "v2")
        try:
            out = self.shears("apply", plan, "--yes")
            self.assertNotEqual(out.returncode, 0, out.stdout)
            self.assertIn("RevisionId", out.stdout + out.stderr)
            self.assertEqual(self.policy_state()["versions"]["v2"]["doc"], v2)
            self.assertEqual(len(self.policy_state()["versions"]), 3)
        finally:
            self.aws(REGION, "iam", "set-default-policy-version", "--policy-arn", POLICY,
                     "--version-id", "v3")

    def test_split_role_gives_each_function_its_role_and_undo_removes_them(self):
        before = self.roles_state()
        self.assertEqual(before["roles"], [SHARED])
        out = self.fix("split-role", SHARED)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        after = self.roles_state()
        self.assertEqual(after["roles"], sorted([SHARED] + ["%s-%s" % (SHARED, f)
                                                            for f in STOREFRONT]))
        for f in STOREFRONT:
            self.assertTrue(after["functions"][f].endswith(":role/%s-%s" % (SHARED, f)))
            doc = self.aws(REGION, "iam", "get-role-policy", "--role-name",
                           "%s-%s" % (SHARED, f), "--policy-name", "least-privilege")
            self.assertIn("Statement", json.dumps(doc["PolicyDocument"]))
        # the whole account: three new roles, each function's Role ($LATEST), nothing else
        fns = [self.function_path(f) + part + "Role" for f in STOREFRONT
               for part in ("Configuration/", "Versions/$LATEST/")]
        self.assertEqual(awsnap.changed_paths(self.baseline, self.account()),
                         ["iam/Roles/%s-%s" % (SHARED, f) for f in STOREFRONT] + fns)
        undo = self.shears("undo", self.last_id(out), "--yes")
        self.assertEqual(undo.returncode, 0, undo.stdout + undo.stderr)
        self.assertEqual(self.roles_state(), before)
        self.assertAccountIs(self.baseline)

    def test_timeout_alarm_is_put_and_undo_deletes_it(self):
        name = "cache-warmer"
        before = self.config(name)["Timeout"]
        self.assertEqual(self.alarms(name), [])
        out = self.fix("shorten-timeout", name, "--with", "alarm")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        timeout = self.config(name)["Timeout"]
        self.assertLess(timeout, before)
        alarm = self.alarms(name)
        self.assertEqual(len(alarm), 1)
        self.assertEqual(alarm[0]["MetricName"], "Duration")
        self.assertEqual(alarm[0]["Statistic"], "Maximum")
        self.assertEqual(alarm[0]["Dimensions"], [{"Name": "FunctionName", "Value": name}])
        self.assertEqual(alarm[0]["Threshold"], timeout * 1000 * 0.8)
        # the whole account: the alarm and the timeout ($LATEST), nothing else
        fn = self.function_path(name)
        self.assertEqual(awsnap.changed_paths(self.baseline, self.account()), [
            "regions/%s/Alarms/Metric/shears-timeout-%s" % (REGION, name),
            fn + "Configuration/Timeout", fn + "Versions/$LATEST/Timeout"])
        undo = self.shears("undo", self.last_id(out), "--yes")
        self.assertEqual(undo.returncode, 0, undo.stdout + undo.stderr)
        self.assertEqual(self.alarms(name), [])
        self.assertEqual(self.config(name)["Timeout"], before)
        self.assertAccountIs(self.baseline)


if __name__ == "__main__":
    main()
