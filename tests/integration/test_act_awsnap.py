"""awsnap's normalising and comparing, without an account: what moves by
itself is dropped (and CodeSha256 kept), policy documents compare as JSON
(IAM's URL-encoded ones too), a Lambda policy's statements are keyed by Sid,
and diff names each difference by its path. Against the simulated account:
a change made with awscli in each service the snapshot reads (a queue, a
topic, a log group, a rule's targets, an alarm, a bucket's public access
block, a role's inline policy, a managed policy, a function's tags) is seen,
each as exactly its own path, and undoing them gives the baseline back."""
import json
import os
import sys
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "tests", "lib"))
from cmocka_unittest import main  # noqa: E402
import awsnap  # noqa: E402
import test_act  # noqa: E402

DOC = {"Version": "2012-10-17",
       "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}


class Normalise(unittest.TestCase):
    def test_documents_compare_as_json_whatever_their_encoding(self):
        reordered = '{"Statement": [{"Resource": "arn:aws:s3:::b/*", "Action": "s3:GetObject", ' \
                    '"Effect": "Allow"}], "Version": "2012-10-17"}'
        encoded = urllib.parse.quote(json.dumps(DOC), safe="")
        self.assertEqual(awsnap.document(reordered), DOC)
        self.assertEqual(awsnap.document(encoded), DOC)
        self.assertEqual(awsnap.document(DOC), DOC)
        self.assertIsNone(awsnap.document(None))
        # the order of statements in an IAM document is kept: undo puts it back as it was
        two = {"Statement": [{"Sid": "a"}, {"Sid": "b"}]}
        self.assertNotEqual(awsnap.document(json.dumps(two)),
                            {"Statement": [{"Sid": "b"}, {"Sid": "a"}]})

    def test_a_function_configuration_loses_what_an_update_moves_but_not_its_code_hash(self):
        cfg = {"FunctionName": "f", "Timeout": 3, "Runtime": "python3.12",
               "CodeSha256": "abc=", "RevisionId": "r1",
               "LastModified": "2024-01-01T00:00:00.000+0000",
               "State": "Active", "LastUpdateStatus": "Successful", "StateReasonCode": "Idle",
               "Layers": [{"Arn": "arn:l:2", "CodeSize": 1}, {"Arn": "arn:l:1", "CodeSize": 2}]}
        out = awsnap.function_config(cfg)
        self.assertEqual(out, {"FunctionName": "f", "Timeout": 3, "Runtime": "python3.12",
                               "CodeSha256": "abc=", "Layers": cfg["Layers"]})
        # timestamps anywhere (Date, Time, Timestamp), not words that merely end so
        self.assertEqual(awsnap.clean({"CreateDate": 1, "CreationTime": 2, "Runtime": "x",
                                       "StateUpdatedTimestamp": 3, "Timeout": 4,
                                       "nested": [{"UpdateDate": 5, "Keep": 6}]}),
                         {"Runtime": "x", "Timeout": 4, "nested": [{"Keep": 6}]})

    def test_lambda_policy_statements_are_keyed_by_sid_so_their_order_does_not_count(self):
        a = {"Version": "2012-10-17", "Id": "default",
             "Statement": [{"Sid": "one", "Principal": "*"}, {"Sid": "two", "Principal": "x"}]}
        b = dict(a, Statement=list(reversed(a["Statement"])))
        pa = awsnap.lambda_policy({"Policy": json.dumps(a), "RevisionId": "1"})
        pb = awsnap.lambda_policy({"Policy": json.dumps(b), "RevisionId": "2"})
        self.assertEqual(pa, pb)
        self.assertEqual(sorted(pa["Statement"]), ["one", "two"])
        self.assertIsNone(awsnap.lambda_policy(None))

    def test_tags_in_either_form_are_one_dict(self):
        self.assertEqual(awsnap.tags_of([{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "1"}]),
                         {"a": "1", "b": "2"})
        self.assertEqual(awsnap.tags_of({"a": "1"}), {"a": "1"})
        self.assertEqual(awsnap.tags_of(None), {})


class Diff(unittest.TestCase):
    def test_equal_snapshots_have_no_difference(self):
        s = {"regions": {"us-east-1": {"Functions": {"f": {"Concurrency": None}}}}}
        self.assertEqual([], awsnap.diff(s, json.loads(json.dumps(s))))

    def test_each_difference_is_one_line_with_its_path(self):
        a = {"regions": {"r": {"Functions": {"f": {"Concurrency": 50, "Tags": {"t": "1"}},
                                             "gone": {"Timeout": 3}}}},
             "iam": {"Roles": {"x": {"AttachedPolicies": ["a", "b"]}}}}
        b = {"regions": {"r": {"Functions": {"f": {"Concurrency": 0, "Tags": {"t": "1"}},
                                             "new": {"Timeout": 4}}}},
             "iam": {"Roles": {"x": {"AttachedPolicies": ["a"]}}}}
        self.assertEqual(awsnap.diff(a, b), [
            'iam/Roles/x/AttachedPolicies: ["a","b"] -> ["a"]',
            "regions/r/Functions/f/Concurrency: 50 -> 0",
            'regions/r/Functions/gone: {"Timeout":3} -> (absent)',
            'regions/r/Functions/new: (absent) -> {"Timeout":4}'])

    def test_an_object_replaced_by_null_is_one_line(self):
        a = {"Policy": {"Statement": {"s": {"Principal": "*"}}}}
        self.assertEqual(awsnap.diff(a, {"Policy": None}),
                         ['Policy: {"Statement":{"s":{"Principal":"*"}}} -> null'])

    def test_long_values_are_shortened(self):
        line = awsnap.diff({"k": "x" * 1000}, {"k": "y"})[0]
        self.assertLess(len(line), 300)
        self.assertTrue(line.startswith('k: "xxx'))
        self.assertIn('... -> "y"', line)


US = "us-east-1"
ACCOUNT = test_act.ACCOUNT
PROBE_DOC = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]})


class SeesTheAccount(test_act.Act):
    # the base class's own tests run in test_act.py, not again here
    locals().update({n: None for n in dir(test_act.Act) if n.startswith("test_")})

    def change_every_service(self):
        """One change a service, by awscli; returns the calls that undo them."""
        queue = [q for q in self.aws(US, "sqs", "list-queues")["QueueUrls"]
                 if q.endswith("/acme-email-queue")][0]
        topic = "arn:aws:sns:%s:%s:acme-alerts" % (US, ACCOUNT)
        fn = "arn:aws:lambda:%s:%s:function:cache-warmer" % (US, ACCOUNT)
        base = self.baseline
        pab = base["s3"]["acme-uploads"]["PublicAccessBlock"]
        changes = [
            ("sqs", "set-queue-attributes", "--queue-url", queue, "--attributes",
             "VisibilityTimeout=31"),
            ("sns", "set-topic-attributes", "--topic-arn", topic, "--attribute-name",
             "DisplayName", "--attribute-value", "probe"),
            ("logs", "put-retention-policy", "--log-group-name", "/aws/lambda/cache-warmer",
             "--retention-in-days", "7"),
            ("events", "put-targets", "--rule", "cache-warmer", "--targets",
             json.dumps([{"Id": "probe", "Arn": fn}])),
            ("cloudwatch", "put-metric-alarm", "--alarm-name", "probe", "--namespace", "AWS/Lambda",
             "--metric-name", "Errors", "--statistic", "Sum", "--period", "60",
             "--evaluation-periods", "1", "--threshold", "1", "--comparison-operator",
             "GreaterThanThreshold"),
            ("s3api", "put-public-access-block", "--bucket", "acme-uploads",
             "--public-access-block-configuration", json.dumps(dict(pab, BlockPublicAcls=False))),
            ("iam", "put-role-policy", "--role-name", "acme-media-processor-role",
             "--policy-name", "probe", "--policy-document", PROBE_DOC),
            ("iam", "create-policy", "--policy-name", "acme-probe", "--policy-document", PROBE_DOC),
            ("lambda", "tag-resource", "--resource", fn, "--tags", "probe=1"),
        ]
        for c in changes:
            self.aws(US, *c)
        topic_name = base["regions"][US]["Topics"]["acme-alerts"]["Attributes"]["DisplayName"]
        return [
            ("sqs", "set-queue-attributes", "--queue-url", queue, "--attributes",
             "VisibilityTimeout=%s" % base["regions"][US]["Queues"]["acme-email-queue"]
             ["VisibilityTimeout"]),
            ("sns", "set-topic-attributes", "--topic-arn", topic, "--attribute-name",
             "DisplayName", "--attribute-value", topic_name),
            ("logs", "delete-retention-policy", "--log-group-name", "/aws/lambda/cache-warmer"),
            ("events", "remove-targets", "--rule", "cache-warmer", "--ids", "probe"),
            ("cloudwatch", "delete-alarms", "--alarm-names", "probe"),
            ("s3api", "put-public-access-block", "--bucket", "acme-uploads",
             "--public-access-block-configuration", json.dumps(pab)),
            ("iam", "delete-role-policy", "--role-name", "acme-media-processor-role",
             "--policy-name", "probe"),
            ("iam", "delete-policy", "--policy-arn",
             "arn:aws:iam::%s:policy/acme-probe" % ACCOUNT),
            ("lambda", "untag-resource", "--resource", fn, "--tag-keys", "probe"),
        ]

    def test_a_change_in_each_service_is_seen_at_its_path_and_undone(self):
        base = self.baseline
        self.assertIsNone(base["regions"][US]["LogGroups"]["/aws/lambda/cache-warmer"]
                          .get("retentionInDays"))
        undo = self.change_every_service()
        try:
            paths = awsnap.changed_paths(base, self.account())
        finally:
            for c in undo:
                self.aws(US, *c)
        self.assertEqual(paths, [
            "iam/Policies/arn:aws:iam::%s:policy/acme-probe" % ACCOUNT,
            "iam/Roles/acme-media-processor-role/InlinePolicies/probe",
            "regions/us-east-1/Alarms/Metric/probe",
            "regions/us-east-1/EventBuses/default/Rules/cache-warmer/Targets/probe",
            "regions/us-east-1/Functions/cache-warmer/Tags/probe",
            "regions/us-east-1/LogGroups//aws/lambda/cache-warmer/retentionInDays",
            "regions/us-east-1/Queues/acme-email-queue/VisibilityTimeout",
            "regions/us-east-1/Topics/acme-alerts/Attributes/DisplayName",
            "s3/acme-uploads/PublicAccessBlock/BlockPublicAcls"])
        self.assertAccountIs(self.baseline)


if __name__ == "__main__":
    main()
