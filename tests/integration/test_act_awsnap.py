"""awsnap's normalising and comparing, without an account: what moves by
itself is dropped (and CodeSha256 kept), policy documents compare as JSON
(IAM's URL-encoded ones too), a Lambda policy's statements are keyed by Sid,
and diff names each difference by its path."""
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
               "CodeSha256": "abc=", "RevisionId": "r1", "LastModified": "2024-01-01T00:00:00.000+0000",
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


if __name__ == "__main__":
    main()
