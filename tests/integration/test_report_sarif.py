"""The report writers' JSON and SARIF against their schemas: SARIF 2.1.0
(OASIS, tests/data/sarif/, from @microsoft/jest-sarif) and shears-report v1
(tests/data/report-schema.json, what man/shears-report.5 documents), plus the
rules GitHub code scanning adds on top of SARIF. The samples come from the
unit test binary (build/tests/unit/test_report with SHEARS_REPORT_OUT), so
these are the writers' real outputs on hostile strings."""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from cmocka_unittest import main  # noqa: E402

import jsonschema  # noqa: E402  Debian's python3-jsonschema (tools/deps.sh)

BUILD = os.environ.get("SHEARS_BUILD", os.path.join(ROOT, "build"))
TEST_REPORT = os.path.join(BUILD, "tests", "unit", "test_report")
SARIF_SCHEMA = os.path.join(ROOT, "tests", "data", "sarif", "sarif-2.1.0-rtm.5.json")
REPORT_SCHEMA = os.path.join(ROOT, "tests", "data", "report-schema.json")
SECURITY_SEVERITY = {"9.5", "7.5", "5.0", "2.0", "0.0"}


def load(path):
    with open(path, encoding="utf-8") as f:  # strict: invalid UTF-8 raises
        return json.load(f)


class ReportSchemas(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = tempfile.mkdtemp(prefix="shears-report-")
        env = dict(os.environ, SHEARS_REPORT_OUT=cls.out)
        r = subprocess.run([TEST_REPORT], env=env,
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stdout + r.stderr
        cls.sarif = jsonschema.Draft4Validator(load(SARIF_SCHEMA))
        cls.report = jsonschema.Draft7Validator(load(REPORT_SCHEMA))

    def sample(self, name):
        path = os.path.join(self.out, name)
        self.assertTrue(os.path.exists(path), "the unit test did not write " + name)
        return load(path)

    def assert_valid(self, validator, doc):
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        self.assertEqual([], ["%s: %s" % (list(e.path), e.message) for e in errors])

    def test_sarif_samples_match_the_sarif_schema(self):
        for name in ("cloud.sarif", "check.sarif", "empty.sarif"):
            with self.subTest(name):
                self.assert_valid(self.sarif, self.sample(name))

    def test_json_samples_match_the_report_schema(self):
        for name in ("cloud.json", "check.json", "empty.json"):
            with self.subTest(name):
                self.assert_valid(self.report, self.sample(name))

    def test_the_report_schema_rejects_what_v1_does_not_allow(self):
        doc = self.sample("cloud.json")
        doc["version"] = 2
        self.assertFalse(self.report.is_valid(doc))
        doc = self.sample("cloud.json")
        doc["findings"][0]["id"] = "not-hex"
        self.assertFalse(self.report.is_valid(doc))
        doc = self.sample("cloud.sarif")
        doc["version"] = "2.0.0"
        self.assertFalse(self.sarif.is_valid(doc))

    def test_sarif_follows_github_code_scanning(self):
        for name in ("cloud.sarif", "check.sarif"):
            doc = self.sample(name)
            self.assertEqual(doc["$schema"], "https://json.schemastore.org/sarif-2.1.0.json")
            run = doc["runs"][0]
            rules = run["tool"]["driver"]["rules"]
            self.assertLessEqual(len(run["results"]), 25000)
            self.assertEqual(len({r["id"] for r in rules}), len(rules))
            for rule in rules:
                props = rule["properties"]
                self.assertIn("security", props["tags"])
                self.assertIn(props["security-severity"], SECURITY_SEVERITY)
                self.assertLessEqual(len(props["tags"]), 20)
            for res in run["results"]:
                self.assertEqual(rules[res["ruleIndex"]]["id"], res["ruleId"])
                self.assertRegex(res["partialFingerprints"]["shearsFindingId/v1"],
                                 r"^[0-9a-f]{16}$")
                self.assertGreaterEqual(len(res["locations"]), 1)
                phys = res["locations"][0]["physicalLocation"]
                uri = phys["artifactLocation"]["uri"]
                # a relative reference GitHub can show: no scheme, spaces or dot segments
                self.assertRegex(uri, r"^[A-Za-z0-9._~%/-]+$")
                self.assertNotIn("..", uri.split("/"))
                if "region" in phys:
                    self.assertGreaterEqual(phys["region"]["startLine"], 1)
                self.assertTrue(res["message"]["text"])

    def test_cloud_and_json_agree_on_ids(self):
        sarif = self.sample("cloud.sarif")["runs"][0]["results"]
        report = self.sample("cloud.json")["findings"]
        self.assertEqual([r["partialFingerprints"]["shearsFindingId/v1"] for r in sarif],
                         [f["id"] for f in report])
        owned = {i for s in self.sample("cloud.json")["scores"] for i in s["findings"]}
        self.assertLessEqual(owned, {f["id"] for f in report})

    def test_csv_reads_back_with_pythons_csv_module(self):
        with open(os.path.join(self.out, "cloud.csv"), encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f, strict=True))
        findings = self.sample("cloud.json")["findings"]
        self.assertEqual(len(rows), 1 + len(findings))
        self.assertEqual(rows[0][:3], ["id", "rule", "family"])
        for row, finding in zip(rows[1:], findings):
            self.assertEqual(len(row), len(rows[0]))
            self.assertEqual(row[0], finding["id"])
            for cell in row:
                self.assertNotIn(cell[:1], ("=", "+", "-", "@", "\t", "\r"))
        with open(os.path.join(self.out, "empty.csv"), "rb") as f:
            self.assertTrue(f.read().endswith(b"reference\r\n"))


if __name__ == "__main__":
    main()
