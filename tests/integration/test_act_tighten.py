"""tighten-role against the simulated demo account: applied with `shears fix`,
read back with awscli (list-role-policies, get-role-policy,
list-attached-role-policies), undone, and read back equal to the role before
(inline names and documents as JSON, attached ARNs, compared as sets); an
inline policy changed between plan and apply refuses the plan. The demo's
acme-media-processor-role grants s3:* and dynamodb:* inline and has
AWSLambdaBasicExecutionRole attached. The whole account (awsnap, through
awscli) after the fix is the baseline with exactly that role's policies
replaced (and the attachment counts of any customer managed policy it
detached), and after the undo the baseline again."""
import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "tests", "lib"))
from cmocka_unittest import main  # noqa: E402
import test_act  # noqa: E402

ROLE = "acme-media-processor-role"
REGION = "us-east-1"


class TightenRole(test_act.Act):
    # the base class's own tests run in test_act.py, not again here
    locals().update({n: None for n in dir(test_act.Act) if n.startswith("test_")})

    def role_state(self, role=ROLE):
        """{"inline": {name: document as JSON}, "attached": set of ARNs}, by awscli."""
        names = self.aws(REGION, "iam", "list-role-policies", "--role-name", role)["PolicyNames"]
        docs = {}
        for n in names:
            doc = self.aws(REGION, "iam", "get-role-policy", "--role-name", role,
                           "--policy-name", n)["PolicyDocument"]
            docs[n] = doc if isinstance(doc, dict) else json.loads(doc)
        attached = self.aws(REGION, "iam", "list-attached-role-policies", "--role-name",
                            role)["AttachedPolicies"]
        return {"inline": docs, "attached": {a["PolicyArn"] for a in attached}}

    def test_tighten_role_applies_least_privilege_and_undo_restores_every_document(self):
        before = self.role_state()
        self.assertTrue(before["inline"], before)
        self.assertTrue(any("AWSLambdaBasicExecutionRole" in a for a in before["attached"]))
        out = self.fix("tighten-role", ROLE)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("PutRolePolicy", out.stdout)
        self.assertIn("DetachRolePolicy", out.stdout)
        self.assertIn("diff:", out.stdout)
        after = self.role_state()
        self.assertEqual(set(after["inline"]), {ROLE + "-least-privilege"})
        self.assertEqual(after["attached"], set())
        text = json.dumps(after["inline"][ROLE + "-least-privilege"])
        self.assertNotIn('"s3:*"', text)
        self.assertNotIn('"dynamodb:*"', text)
        # the whole account: that role's inline documents and attachments, nothing else
        want = copy.deepcopy(self.baseline)
        role = want["iam"]["Roles"][ROLE]
        role["InlinePolicies"] = after["inline"]
        role["AttachedPolicies"] = []
        for arn in before["attached"]:
            if arn in want["iam"]["Policies"]:
                want["iam"]["Policies"][arn]["AttachmentCount"] -= 1
        self.assertAccountIs(want)
        # the backup holds every old document and ARN, and the trust policy
        entry = [a for a in self.journal() if a["target"].endswith("role/" + ROLE)][-1]
        backup = json.load(open(entry["backup"]))
        self.assertEqual({p["PolicyName"]: p["PolicyDocument"]
                          for p in backup["state"]["InlinePolicies"]}, before["inline"])
        self.assertEqual(set(backup["state"]["AttachedPolicies"]), before["attached"])
        self.assertIn("AssumeRolePolicyDocument", backup["GetRole"])
        undo = self.shears("undo", self.last_id(out), "--yes")
        self.assertEqual(undo.returncode, 0, undo.stdout + undo.stderr)
        self.assertIn("AttachRolePolicy", undo.stdout)
        self.assertIn("DeleteRolePolicy", undo.stdout)
        self.assertEqual(self.role_state(), before)
        self.assertAccountIs(self.baseline)
        states = {a["id"]: a["state"] for a in self.journal()}
        self.assertEqual(states[entry["id"]], "undone")

    def test_a_policy_changed_since_the_plan_refuses_it(self):
        plan = os.path.join(self.home, "tighten-stale.json")
        out = self.shears("plan", "tighten-role", ROLE, "--output", plan)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        name = sorted(self.role_state()["inline"])[0]
        doc = self.role_state()["inline"][name]
        changed = json.loads(json.dumps(doc))
        changed["Statement"] = (changed["Statement"] if isinstance(changed["Statement"], list)
                                else [changed["Statement"]]) + [
            {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]
        self.aws(REGION, "iam", "put-role-policy", "--role-name", ROLE, "--policy-name", name,
                 "--policy-document", json.dumps(changed))
        before = self.role_state()
        out = self.shears("apply", plan, "--yes")
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
        self.assertIn("changed since the plan", out.stderr)
        self.assertIn("InlinePolicies: plan", out.stderr)
        self.assertEqual(self.role_state(), before)
        self.assertEqual(self.journal()[-1]["state"], "refused")
        self.aws(REGION, "iam", "put-role-policy", "--role-name", ROLE, "--policy-name", name,
                 "--policy-document", json.dumps(doc))

    def test_a_role_no_function_uses_is_refused(self):
        roles = self.aws(REGION, "iam", "list-roles")["Roles"]
        out = self.shears("resources", "--json")
        used = json.dumps(out.stdout) if out.returncode == 0 else ""
        for r in roles:
            if r["RoleName"] == ROLE:
                continue
            plan = self.shears("plan", "tighten-role", r["RoleName"])
            if "no function uses the role" in plan.stderr:
                self.assertEqual(plan.returncode, 1)
                return
        self.skipTest("the demo account has no role without a function" + used[:0])


if __name__ == "__main__":
    main()
