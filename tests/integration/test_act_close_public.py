"""close-public against the simulated demo account: applied with `shears fix`,
read back with awscli (get-policy, get-function-url-config), undone, and read
back equal to the account before (statement set and URL config); a permission
added between plan and apply refuses the plan; a function with nothing public
is refused. The demo's payment-webhook, promo-banner (us-east-1) and
partner-webhook (eu-west-1) have a URL with AuthType NONE and Principal "*".
The whole account (awsnap, through awscli) after the fix is the baseline
with exactly those statements gone and AuthType AWS_IAM, and after the undo
the baseline again."""
import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "tests", "lib"))
from cmocka_unittest import main  # noqa: E402
import test_act  # noqa: E402

# what a write moves by itself: not part of "the same URL"
URL_VOLATILE = {"LastModifiedTime"}


class ClosePublic(test_act.Act):
    # the base class's own tests run in test_act.py, not again here
    locals().update({n: None for n in dir(test_act.Act) if n.startswith("test_")})

    def policy(self, name, region="us-east-1"):
        """The statements by Sid (awscli), {} when there is no policy."""
        out = subprocess_aws(self, region, "lambda", "get-policy", "--function-name", name)
        if out is None:
            return {}
        return {s["Sid"]: s for s in json.loads(out["Policy"])["Statement"]}

    def url_config(self, name, region="us-east-1"):
        cfg = self.aws(region, "lambda", "get-function-url-config", "--function-name", name)
        return {k: v for k, v in cfg.items() if k not in URL_VOLATILE}

    @staticmethod
    def open_statement(stmt):
        return stmt["Principal"] in ("*", {"AWS": "*"})

    def expected_after(self, name, region):
        """The baseline with the function's open statements removed (the
        policy gone when nothing else is left: GetPolicy then answers
        ResourceNotFound) and its URL's AuthType AWS_IAM."""
        want = copy.deepcopy(self.baseline)
        fn = self.function_snap(want, name, region)
        kept = {sid: s for sid, s in fn["Policy"]["Statement"].items()
                if not self.open_statement(s)}
        fn["Policy"] = dict(fn["Policy"], Statement=kept) if kept else None
        fn["UrlConfig"]["AuthType"] = "AWS_IAM"
        return want

    def close_and_undo(self, name, region):
        before_policy, before_url = self.policy(name, region), self.url_config(name, region)
        raw_before = subprocess_aws(self, region, "lambda", "get-policy", "--function-name",
                                    name)["Policy"]
        self.assertEqual(before_url["AuthType"], "NONE")
        self.assertTrue(any(s["Principal"] == "*" for s in before_policy.values()))
        out = self.fix("close-public", name)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("RemovePermission", out.stdout)
        self.assertIn("lose access", out.stdout)
        # the whole account: only this function's open statements and URL AuthType changed
        self.assertAccountIs(self.expected_after(name, region))
        after_policy = self.policy(name, region)
        self.assertFalse(any(s["Principal"] in ("*", {"AWS": "*"})
                             for s in after_policy.values()), after_policy)
        # only the open statements went: every other one is still there, as it was
        for sid, stmt in before_policy.items():
            if stmt["Principal"] != "*":
                self.assertEqual(after_policy.get(sid), stmt)
        after_url = self.url_config(name, region)
        self.assertEqual(after_url["AuthType"], "AWS_IAM")
        self.assertEqual({k: v for k, v in after_url.items() if k != "AuthType"},
                         {k: v for k, v in before_url.items() if k != "AuthType"})
        # the backup holds the policy verbatim, as GetPolicy answered it, and the URL config
        entry = [a for a in self.journal() if a["target"].endswith(":" + name)][-1]
        backup = json.load(open(entry["backup"]))
        self.assertEqual(backup["state"]["Policy"], raw_before)
        self.assertEqual(backup["state"]["UrlConfig"]["AuthType"], "NONE")
        self.assertEqual(backup["state"]["UrlConfig"]["FunctionUrl"], before_url["FunctionUrl"])
        undo = self.shears("undo", self.last_id(out), "--yes")
        self.assertEqual(undo.returncode, 0, undo.stderr)
        self.assertIn("AddPermission", undo.stdout)
        self.assertEqual(self.policy(name, region), before_policy)
        self.assertEqual(self.url_config(name, region), before_url)
        self.assertAccountIs(self.baseline)
        return entry

    def test_close_public_payment_webhook_and_undo(self):
        entry = self.close_and_undo("payment-webhook", "us-east-1")
        states = {a["id"]: a["state"] for a in self.journal()}
        self.assertEqual(states[entry["id"]], "undone")

    def test_close_public_partner_webhook_in_eu_west_1_and_undo(self):
        self.close_and_undo("partner-webhook", "eu-west-1")

    def test_a_permission_added_since_the_plan_refuses_it(self):
        plan = os.path.join(self.home, "close-stale.json")
        out = self.shears("plan", "close-public", "promo-banner", "--output", plan)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.aws("us-east-1", "lambda", "add-permission", "--function-name", "promo-banner",
                 "--statement-id", "added-later", "--action", "lambda:InvokeFunction",
                 "--principal", "events.amazonaws.com", "--source-arn",
                 "arn:aws:events:us-east-1:314159265358:rule/later")
        before_policy, before_url = self.policy("promo-banner"), self.url_config("promo-banner")
        out = self.shears("apply", plan, "--yes")
        self.assertEqual(out.returncode, 1)
        self.assertIn("changed since the plan", out.stderr)
        self.assertIn("PolicyStatements: plan", out.stderr)
        self.assertEqual(self.policy("promo-banner"), before_policy)
        self.assertEqual(self.url_config("promo-banner"), before_url)
        self.assertEqual(self.journal()[-1]["state"], "refused")
        self.aws("us-east-1", "lambda", "remove-permission", "--function-name", "promo-banner",
                 "--statement-id", "added-later")

    def test_a_policy_rewritten_to_the_same_statements_since_the_plan_refuses_it(self):
        """The statements read alike but the policy's own revision moved: refused at the
        re-read, naming it, rather than failing on RemovePermission's revision guard."""
        plan = os.path.join(self.home, "close-rev.json")
        out = self.shears("plan", "close-public", "promo-banner", "--output", plan)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.aws("us-east-1", "lambda", "add-permission", "--function-name", "promo-banner",
                 "--statement-id", "gone-again", "--action", "lambda:InvokeFunction",
                 "--principal", "events.amazonaws.com")
        self.aws("us-east-1", "lambda", "remove-permission", "--function-name", "promo-banner",
                 "--statement-id", "gone-again")
        out = self.shears("apply", plan, "--yes")
        self.assertEqual(out.returncode, 1)
        self.assertIn("PolicyRevisionId: plan", out.stderr)
        self.assertEqual(self.journal()[-1]["state"], "refused")

    def test_nothing_public_is_refused(self):
        out = self.shears("plan", "close-public", "email-sender")
        self.assertEqual(out.returncode, 1)
        self.assertIn("nothing public to close", out.stderr)
        out = self.fix("close-public", "email-sender")
        self.assertEqual(out.returncode, 1)
        self.assertIn("nothing public to close", out.stderr)


def subprocess_aws(test, region, *args):
    """awscli's JSON answer, or None when the resource does not exist."""
    rc, out, err = test.reader.raw(region, *args)
    if rc and "ResourceNotFoundException" in err:
        return None
    test.assertEqual(rc, 0, err)
    return json.loads(out)


if __name__ == "__main__":
    main()
