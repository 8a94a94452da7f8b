"""The rule catalog: `shears rules` lists every family, each rule documents a
true and a false example, and man/shears-rules.7 is exactly what
`shears rules --man` prints (regenerate with `make man-rules`)."""
import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from cmocka_unittest import main  # noqa: E402

SHEARS = os.path.join(os.environ.get("SHEARS_BUILD", os.path.join(ROOT, "build")), "shears")
FAMILIES = ("secrets", "dependencies", "permissions", "exposure", "hygiene", "behaviour")


def run(*args):
    out = subprocess.run([SHEARS] + list(args), capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return out.stdout


class Rules(unittest.TestCase):
    def test_every_family_has_documented_rules(self):
        rules = [json.loads(l) for l in run("rules", "--json").splitlines()]
        ids = [r["id"] for r in rules]
        self.assertEqual(len(ids), len(set(ids)))
        for fam in FAMILIES:
            self.assertTrue([r for r in rules if r["family"] == fam], fam)
        for r in rules:
            for key in ("title", "evidence", "fix", "why"):
                self.assertTrue(r[key].strip(), (r["id"], key))
            self.assertIn(r["severity"], ("critical", "high", "medium", "low", "info"))

    def test_man_page_is_the_catalog(self):
        with open(os.path.join(ROOT, "man", "shears-rules.7")) as f:
            self.assertEqual(f.read(), run("rules", "--man"),
                             "man/shears-rules.7 is stale: run make man-rules")
        man = run("rules", "--man")
        self.assertEqual(man.count("Raised on"), len(run("rules", "--json").splitlines()))

    def test_family_filter_and_bad_family(self):
        self.assertTrue(all("secrets" in l for l in run("rules", "--family", "secrets").splitlines()[1:]))
        out = subprocess.run([SHEARS, "rules", "--family", "nope"], capture_output=True, text=True)
        self.assertEqual(out.returncode, 2)


if __name__ == "__main__":
    main()
