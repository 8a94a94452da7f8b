"""prune --with orphans against the simulated demo account: one batch of the
prune and what it leaves orphaned (its role when no other function runs as
it, its log group), each planned as if the function were gone; a role still
used is kept and named. Read with awscli before, after and after the undo
of the three (newest first: the role is back before the function that runs
as it), and the whole account compared (awsnap) with what AWS cannot keep
named: the recreated role's id and dates, the log group's creation time and
bytes (its events are gone)."""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "tests", "lib"))
from cmocka_unittest import main  # noqa: E402
import awsnap  # noqa: E402
import test_act  # noqa: E402

US = "us-east-1"
FN = "legacy-report-generator"
ROLE = "acme-legacy-admin-role"
GROUP = "/aws/lambda/" + FN
# what a recreate cannot keep, by the last part of its snapshot path
NOT_KEPT = re.compile(r"/(RoleId|CreateDate|RoleLastUsed|creationTime|storedBytes)(/|$)")


class PruneOrphans(test_act.Act):
    locals().update({n: None for n in dir(test_act.Act) if n.startswith("test_")})

    def exists(self, *args):
        out = self.aws_raw(US, *args)
        return out.returncode == 0

    def aws_raw(self, region, *args):
        import subprocess
        return subprocess.run([test_act.AWS, "--endpoint-url", self.url, "--region", region]
                              + list(args), capture_output=True, text=True, env=self.env,
                              timeout=120)

    def test_a_shared_role_is_kept_and_named(self):
        out = self.shears("plan", "prune", "customer-export-csv", "--with", "orphans")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("batch: 2 plans", out.stdout)
        self.assertIn("prune-log-group /aws/lambda/customer-export-csv", out.stdout)
        self.assertRegex(out.stdout, r"note: kept arn:aws:iam::\d+:role/acme-reporting-role: "
                                     r".*nightly-report runs as it")
        self.assertNotIn("prune-role", out.stdout)
        bad = self.shears("plan", "quarantine", "customer-export-csv", "--with", "orphans")
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("takes no option 'orphans'", bad.stderr)

    def test_prune_with_orphans_then_undo_of_the_three(self):
        self.assertTrue(self.exists("lambda", "get-function", "--function-name", FN))
        out = self.fix("prune", FN, "--with", "orphans")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("3 plans: 3 verified", out.stdout)
        ids = re.findall(r"^action (\d+): verified", out.stdout, re.M)
        self.assertEqual(len(ids), 3, out.stdout)
        self.assertFalse(self.exists("lambda", "get-function", "--function-name", FN))
        self.assertFalse(self.exists("iam", "get-role", "--role-name", ROLE))
        groups = self.aws(US, "logs", "describe-log-groups", "--log-group-name-prefix", GROUP)
        self.assertEqual([g for g in groups["logGroups"] if g["logGroupName"] == GROUP], [])
        # the whole account: only the function, its rule's target, its role and its log group
        changed = awsnap.changed_paths(self.baseline, self.account())
        self.assertTrue(changed)
        for path in changed:
            self.assertTrue(FN in path or ROLE in path or "legacy-monthly-report" in path, path)
        undo = self.shears("undo", *ids, "--yes")  # given oldest first, run newest first
        self.assertEqual(undo.returncode, 0, undo.stdout + undo.stderr)
        order = re.findall(r"^plan \d of 3: (\S+)", undo.stdout, re.M)
        self.assertEqual(order, ["prune-log-group", "prune-role", "prune"])
        role = self.aws(US, "lambda", "get-function-configuration", "--function-name", FN)
        self.assertTrue(role["Role"].endswith(":role/" + ROLE))
        self.assertTrue(self.exists("iam", "get-role", "--role-name", ROLE))
        left = [line for line in awsnap.diff(self.baseline, self.account())
                if not NOT_KEPT.search(line.split(":")[0])]
        self.assertEqual([], left)


if __name__ == "__main__":
    main()
