"""close-public for queues, topics and buckets against the simulated demo
account: each fixed through its exposure finding (`shears fix FINDING-ID`),
read back with awscli (get-queue-attributes, get-topic-attributes,
get-public-access-block, get-bucket-policy), undone, and read back equal to
the account before, byte for byte; refused when nothing is public; a
policy changed since the plan refuses it; shears killed while applying is
reconciled by reading the target.

The demo plants its public buckets (acme-public-assets, acme-eu-public-feeds:
SHR-EXP-006) but no public queue or topic: the set-up opens acme-email-queue
and acme-alerts with awscli, as a careless deploy would, and scans again, so
that SHR-EXP-007 and SHR-EXP-008 are raised on them.

The whole account (awsnap, through awscli) is read once after that set-up:
after each fix it differs from that baseline by exactly the queue's or the
topic's policy statements or the bucket's public access block (and policy),
and after the undo not at all: nothing here is deleted and recreated."""
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

US, EU = "us-east-1", "eu-west-1"
ACCOUNT = test_act.ACCOUNT
QUEUE = "acme-email-queue"
QUEUE_URL = "https://sqs.%s.amazonaws.com/%s/%s" % (US, ACCOUNT, QUEUE)
QUEUE_ARN = "arn:aws:sqs:%s:%s:%s" % (US, ACCOUNT, QUEUE)
TOPIC_ARN = "arn:aws:sns:%s:%s:acme-alerts" % (US, ACCOUNT)
# what a careless deploy leaves: anyone may send; the alerts topic may deliver (limited)
QUEUE_POLICY = json.dumps({
    "Version": "2012-10-17", "Id": "email-queue-policy", "Statement": [
        {"Sid": "AnyoneSends", "Effect": "Allow", "Principal": "*",
         "Action": ["sqs:SendMessage", "sqs:GetQueueAttributes"], "Resource": QUEUE_ARN},
        {"Sid": "FromAlerts", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
         "Action": "sqs:SendMessage", "Resource": QUEUE_ARN,
         "Condition": {"ArnEquals": {"aws:SourceArn": TOPIC_ARN}}}]}, indent=2)
# SNS's default statement (limited by AWS:SourceOwner), and "*" beside a partner account
TOPIC_POLICY = json.dumps({
    "Version": "2008-10-17", "Id": "__default_policy_ID", "Statement": [
        {"Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"},
         "Action": ["SNS:GetTopicAttributes", "SNS:Subscribe", "SNS:Publish"],
         "Resource": TOPIC_ARN, "Condition": {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}},
        {"Sid": "PartnerAndAnyone", "Effect": "Allow",
         "Principal": {"AWS": ["*", "arn:aws:iam::210987654321:root"]},
         "Action": "SNS:Publish", "Resource": TOPIC_ARN}]})
# the demo's public buckets: a public access block, every setting off
ALL_OFF = {k: False for k in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy",
                              "RestrictPublicBuckets")}


class ClosePublicResources(test_act.Act):
    # the base class's own tests run in test_act.py, not again here
    locals().update({n: None for n in dir(test_act.Act) if n.startswith("test_")})
    # Act would read its baseline right after its scan, before the set-up below
    # opens the queue and the topic: this class reads the whole account after it
    WHOLE_ACCOUNT = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.aws_cls(US, "sqs", "set-queue-attributes", "--queue-url", QUEUE_URL,
                    "--attributes", json.dumps({"Policy": QUEUE_POLICY}))
        cls.aws_cls(US, "sns", "set-topic-attributes", "--topic-arn", TOPIC_ARN,
                    "--attribute-name", "Policy", "--attribute-value", TOPIC_POLICY)
        scan = cls.shears("scan", "--region", US, "--region", EU)
        assert scan.returncode == 0, scan.stderr
        cls.baseline = cls.account()

    @classmethod
    def aws_cls(cls, region, *args):
        return cls.reader.one(region, *args)

    def assertChangedExactly(self, paths):
        """The account differs from the baseline by exactly these paths."""
        self.assertEqual(awsnap.changed_paths(self.baseline, self.account()), paths)

    # ---- awscli reads

    def queue_policy(self):
        attrs = self.aws(US, "sqs", "get-queue-attributes", "--queue-url", QUEUE_URL,
                         "--attribute-names", "Policy")
        return attrs.get("Attributes", {}).get("Policy")

    def topic_policy(self):
        return self.aws(US, "sns", "get-topic-attributes", "--topic-arn",
                        TOPIC_ARN)["Attributes"]["Policy"]

    def bucket(self, name, region):
        """(public access block or None, policy text or None), read with awscli."""
        got = []
        for op, absent, key in (("get-public-access-block", "NoSuchPublicAccessBlock",
                                 "PublicAccessBlockConfiguration"),
                                ("get-bucket-policy", "NoSuchBucketPolicy", "Policy")):
            rc, out, err = self.reader.raw(region, "s3api", op, "--bucket", name)
            if rc and absent in err:
                got.append(None)
                continue
            self.assertEqual(rc, 0, err)
            got.append(json.loads(out)[key])
        return tuple(got)

    def finding(self, rule, location=None, resource=None):
        rep = json.loads(self.shears("report", "--format", "json").stdout)
        for f in rep["findings"]:
            if f["rule"] == rule and (not location or f.get("location") == location) and \
                    (not resource or f["resource_name"] == resource):
                return f["id"]
        self.fail("no %s finding at %s" % (rule, location or resource))

    @staticmethod
    def open_statements(text):
        """The Allow statements naming everyone with no condition."""
        doc = json.loads(text)
        stmts = doc["Statement"] if isinstance(doc["Statement"], list) else [doc["Statement"]]

        def anyone(p):
            aws = p.get("AWS") if isinstance(p, dict) else p
            return aws == "*" or (isinstance(aws, list) and "*" in aws)
        return [s for s in stmts if s["Effect"] == "Allow" and "Condition" not in s
                and anyone(s.get("Principal"))]

    def setUp(self):
        # each test starts from the planted policies, whatever an earlier one left
        if self.queue_policy() != QUEUE_POLICY:
            self.aws(US, "sqs", "set-queue-attributes", "--queue-url", QUEUE_URL,
                     "--attributes", json.dumps({"Policy": QUEUE_POLICY}))

    def undo(self, out):
        undo = self.shears("undo", self.last_id(out), "--yes")
        self.assertEqual(undo.returncode, 0, undo.stderr + undo.stdout)
        self.assertIn("verified", undo.stdout)
        return undo

    # ---- queue

    def test_public_queue_fixed_by_its_finding_and_undone(self):
        before = self.queue_policy()
        self.assertEqual(before, QUEUE_POLICY)
        out = self.fix(self.finding("SHR-EXP-007", resource=QUEUE))
        self.assertEqual(out.returncode, 0, out.stderr + out.stdout)
        self.assertIn("plan: close-public " + QUEUE, out.stdout)
        self.assertIn("SetQueueAttributes", out.stdout)
        self.assertIn("loses access: statement Sid AnyoneSends", out.stdout)
        self.assertIn("keeps access: function email-sender", out.stdout)
        self.assertIn("verified", out.stdout)
        after = self.queue_policy()
        self.assertEqual(self.open_statements(after), [])
        kept = json.loads(after)
        self.assertEqual([s["Sid"] for s in kept["Statement"]], ["FromAlerts"])
        self.assertEqual(kept["Id"], "email-queue-policy")
        # the backup holds every attribute, the policy verbatim
        entry = [a for a in self.journal() if a["target"] == QUEUE_ARN][-1]
        backup = json.load(open(entry["backup"]))
        self.assertEqual(backup["GetQueueAttributes"]["Policy"], QUEUE_POLICY)
        self.assertEqual(backup["state"]["Policy"], QUEUE_POLICY)
        # the whole account: that queue's statements (its Id and Version kept), nothing else
        self.assertChangedExactly(["regions/%s/Queues/%s/Policy/Statement" % (US, QUEUE)])
        self.undo(out)
        self.assertEqual(self.queue_policy(), before)
        self.assertAccountIs(self.baseline)
        states = {a["id"]: a["state"] for a in self.journal()}
        self.assertEqual(states[entry["id"]], "undone")

    def test_queue_policy_changed_since_the_plan_refuses_it(self):
        plan = os.path.join(self.home, "queue-stale.json")
        out = self.shears("plan", "close-public", QUEUE, "--output", plan)
        self.assertEqual(out.returncode, 0, out.stderr)
        changed = QUEUE_POLICY.replace("email-queue-policy", "edited-by-someone")
        self.aws(US, "sqs", "set-queue-attributes", "--queue-url", QUEUE_URL, "--attributes",
                 json.dumps({"Policy": changed}))
        try:
            out = self.shears("apply", plan, "--yes")
            self.assertEqual(out.returncode, 1)
            self.assertIn("changed since the plan", out.stderr)
            self.assertIn("Policy: plan", out.stderr)
            self.assertEqual(self.queue_policy(), changed)
            self.assertEqual(self.journal()[-1]["state"], "refused")
        finally:
            self.aws(US, "sqs", "set-queue-attributes", "--queue-url", QUEUE_URL,
                     "--attributes", json.dumps({"Policy": QUEUE_POLICY}))

    def test_crash_while_applying_is_reconciled_by_reading_the_queue(self):
        want = {"applying": "not-applied", "applied": "verified"}
        for step, state in want.items():
            env = dict(self.env, SHEARS_TEST_CRASH_AT=step)
            out = self.fix("close-public", QUEUE, env=env)
            self.assertEqual(out.returncode, 137, step + out.stderr)
            db = sqlite3.connect(self.cache)
            (left,) = db.execute("SELECT state FROM action ORDER BY id DESC LIMIT 1").fetchone()
            db.close()
            self.assertNotIn(left, ("verified", "not-applied"), step)
            entry = self.journal()[-1]
            self.assertEqual(entry["state"], state, step)
            self.assertIn("reconciled", entry["steps"][-1]["detail"])
            read = self.queue_policy()
            if state == "verified":
                self.assertEqual(self.open_statements(read), [], step)
                self.undo_entry(entry["id"])
            self.assertEqual(self.queue_policy(), QUEUE_POLICY, step)

    def undo_entry(self, aid):
        undo = self.shears("undo", str(aid), "--yes")
        self.assertEqual(undo.returncode, 0, undo.stderr + undo.stdout)

    # ---- topic

    def test_public_topic_fixed_by_its_finding_and_undone(self):
        before = self.topic_policy()
        self.assertEqual(before, TOPIC_POLICY)
        out = self.fix(self.finding("SHR-EXP-008", resource="acme-alerts"))
        self.assertEqual(out.returncode, 0, out.stderr + out.stdout)
        self.assertIn("SetTopicAttributes", out.stdout)
        self.assertIn("keeps access: function sns-alert-forwarder", out.stdout)
        after = json.loads(self.topic_policy())
        self.assertEqual(self.open_statements(self.topic_policy()), [])
        by_sid = {s["Sid"]: s for s in after["Statement"]}
        # the owner-limited default statement is untouched; the partner keeps its grant
        self.assertEqual(by_sid["__default_statement_ID"],
                         json.loads(TOPIC_POLICY)["Statement"][0])
        self.assertEqual(by_sid["PartnerAndAnyone"]["Principal"],
                         {"AWS": ["arn:aws:iam::210987654321:root"]})
        self.assertChangedExactly(["regions/%s/Topics/acme-alerts/Attributes/Policy/Statement"
                                   % US])
        self.undo(out)
        self.assertEqual(self.topic_policy(), before)
        self.assertAccountIs(self.baseline)

    # ---- buckets

    def test_public_bucket_fixed_by_its_finding_and_undone(self):
        before = self.bucket("acme-public-assets", US)
        self.assertEqual(before[0], ALL_OFF)
        # the finding sits on the function that reads the bucket; its fix closes the bucket
        fid = self.finding("SHR-EXP-006", location="bucket acme-public-assets",
                           resource="promo-banner")
        out = self.fix(fid)
        self.assertEqual(out.returncode, 0, out.stderr + out.stdout)
        self.assertIn("plan: close-public acme-public-assets", out.stdout)
        self.assertIn("PutPublicAccessBlock", out.stdout)
        self.assertIn("keeps access: function promo-banner", out.stdout)
        pab, policy = self.bucket("acme-public-assets", US)
        self.assertEqual(set(pab.values()), {True})
        self.assertEqual(policy, before[1])  # the policy is left as it was
        entry = [a for a in self.journal() if a["target"].endswith(":::acme-public-assets")][-1]
        backup = json.load(open(entry["backup"]))
        self.assertEqual(backup["GetBucketPolicy"], before[1])
        self.assertIn("<AccessControlList>", backup["GetBucketAcl"])
        self.assertEqual(backup["GetPublicAccessBlock"], before[0])
        # the whole account: the bucket's four settings, its policy and ACL untouched
        self.assertChangedExactly(["s3/acme-public-assets/PublicAccessBlock/" + k
                                   for k in sorted(ALL_OFF)])
        self.undo(out)
        self.assertEqual(self.bucket("acme-public-assets", US), before)
        self.assertAccountIs(self.baseline)

    def test_bucket_with_policy_in_its_own_region_and_undo(self):
        before = self.bucket("acme-eu-public-feeds", EU)
        self.assertEqual(before[0], ALL_OFF)
        self.assertIsNotNone(before[1])
        out = self.fix("close-public", "acme-eu-public-feeds", "--with", "policy")
        self.assertEqual(out.returncode, 0, out.stderr + out.stdout)
        self.assertIn("region eu-west-1", out.stdout)
        self.assertIn("DeleteBucketPolicy", out.stdout)
        pab, policy = self.bucket("acme-eu-public-feeds", EU)
        self.assertEqual(set(pab.values()), {True})
        self.assertIsNone(policy)
        self.assertChangedExactly(["s3/acme-eu-public-feeds/Policy"] + [
            "s3/acme-eu-public-feeds/PublicAccessBlock/" + k for k in sorted(ALL_OFF)])
        undo = self.undo(out)
        self.assertIn("PutBucketPolicy", undo.stdout)
        self.assertEqual(self.bucket("acme-eu-public-feeds", EU), before)
        self.assertAccountIs(self.baseline)

    def test_rule_and_function_plan_the_bucket_the_function_reads(self):
        # SHR-EXP-006 sits on eu-catalog-feed and names the bucket it reads: the bucket is planned
        out = self.shears("plan", "SHR-EXP-006", "eu-catalog-feed")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("plan: close-public acme-eu-public-feeds", out.stdout)
        out = self.shears("plan", "acme-public-assets")  # a bucket alone: its finding's fix
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("plan: close-public acme-public-assets", out.stdout)

    # ---- refusals

    def test_nothing_public_is_refused_for_each_kind(self):
        for target, what in (("acme-orders-queue", "queue policy"),
                             ("acme-order-events", "topic policy"),
                             ("acme-finance-reports", "already on")):
            out = self.shears("plan", "close-public", target)
            self.assertEqual(out.returncode, 1, target)
            self.assertIn("nothing public to close", out.stderr)
            self.assertIn(what, out.stderr)
            out = self.fix("close-public", target)
            self.assertEqual(out.returncode, 1, target)
        out = self.shears("plan", "close-public", QUEUE, "--with", "policy")
        self.assertEqual(out.returncode, 1)
        self.assertIn("no option 'policy'", out.stderr)


if __name__ == "__main__":
    main()
