"""Batches from the console, in tmux at 100x30 against the simulated demo
account: Space marks two functions, x offers the actions that fit both as a
batch, the dialog shows the count and wants the account's alias or id typed
(a wrong word changes nothing, the right one applies both: awscli reads them
back), the result shows per plan; x on a finding offers its rule's remedy,
on a role's finding tighten-role; --read-only greys every action (dim) and
refuses."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
sys.path.insert(0, HERE)
from cmocka_unittest import main  # noqa: E402
from test_tui_act import Console  # noqa: E402  (one console per tmux server)

SHEARS = os.path.join(os.environ.get("SHEARS_BUILD", os.path.join(ROOT, "build")), "shears")
FAKE = os.path.join(ROOT, "tests", "fakeaws", "fakeaws")
ACCOUNTS = os.path.join(ROOT, "tests", "fakeaws", "accounts")
ACCOUNT = "314159265358"
ALIAS = "acme-outfitters-prod"
AWS = "/usr/bin/aws"
TMUX = shutil.which("tmux")
A, B = "orders-api-create", "image-resize"  # reserved concurrency 50, none


@unittest.skipUnless(TMUX and os.access(AWS, os.X_OK), "tmux or awscli is missing")
class TuiBatch(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp(prefix="shears-tui-batch-")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.pop("PYTHONPATH", None)
        env.pop("SHEARS_TEST_CRASH_AT", None)
        env.update(HOME=cls.home, AWS_EC2_METADATA_DISABLED="true", XDG_CACHE_HOME=cls.home,
                   XDG_CONFIG_HOME=cls.home, XDG_DATA_HOME=os.path.join(cls.home, "data"),
                   AWS_PROFILE="demo", SHEARS_NO_PACING="1",
                   AWS_CONFIG_FILE=os.path.join(ACCOUNTS, "demo.config"),
                   AWS_SHARED_CREDENTIALS_FILE=os.path.join(ACCOUNTS, "demo.credentials"))
        cls.env = env
        os.makedirs(os.path.join(cls.home, "shears"))
        with open(os.path.join(cls.home, "shears", "config"), "w") as f:
            f.write("[act]\nallow_accounts = %s\n" % ACCOUNT)
        cls.fake = subprocess.Popen([FAKE, "--port", "0", "--account", "demo"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    text=True, env=env)
        line = cls.fake.stdout.readline().strip()
        assert line.startswith("ready "), line
        cls.url = line.split(" ", 1)[1]
        cls.cache = os.path.join(cls.home, "cache.db")
        scan = cls.shears("scan", "--region", "us-east-1")
        assert scan.returncode == 0, scan.stderr

    @classmethod
    def tearDownClass(cls):
        cls.fake.terminate()
        cls.fake.wait(10)
        shutil.rmtree(cls.home, ignore_errors=True)

    @classmethod
    def shears(cls, *args):
        return subprocess.run([SHEARS, "--cache", cls.cache, "--endpoint-url", cls.url]
                              + list(args), capture_output=True, text=True, env=cls.env,
                              timeout=120, stdin=subprocess.DEVNULL)

    def setUp(self):
        self.consoles = []

    def tearDown(self):
        try:
            for c in self.consoles:  # q leaves cleanly (a sanitizer build checks leaks here)
                c.keys("Escape", "Escape", "Escape")
                c.type("q")
                c.wait("exit=")
                self.assertIn("exit=0", c.text())
        finally:
            for c in self.consoles:
                c.close()

    def console(self, *extra):
        c = Console(self.home, self.env, ["--cache", self.cache, "--endpoint-url", self.url]
                    + list(extra))
        self.consoles.append(c)
        c.wait("Resources")
        return c

    def aws(self, *args):
        out = subprocess.run([AWS, "--endpoint-url", self.url, "--region", "us-east-1",
                              "--output", "json"] + list(args), capture_output=True,
                             text=True, env=self.env, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout) if out.stdout.strip() else {}

    def concurrency(self, name):
        return self.aws("lambda", "get-function-concurrency", "--function-name",
                        name).get("ReservedConcurrentExecutions")

    def journal(self):
        out = self.shears("journal", "--json")
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout)

    @staticmethod
    def mark(c, *names):
        """Each name: filtered to it, then Space (a mark stays when the filter changes)."""
        for name in names:
            c.keys("/")
            c.keys("C-u")
            c.type(name)
            c.keys("Enter")
            c.keys("Space")
        c.wait("%d marked" % len(names))

    def mark_two_functions(self, c):
        c.type(":functions")
        c.keys("Enter")
        c.wait("shears > functions")
        self.mark(c, A, B)
        s = c.text()
        self.assertIn("2 marked", c.status())
        self.assertTrue(any(l.startswith("* ") and B in l for l in s.split("\n")), s)
        c.keys("x")
        return c.wait("actions: 2 functions")

    def test_two_marked_functions_one_batch_wrong_word_then_right_word(self):
        before = [self.concurrency(A), self.concurrency(B)]
        self.assertEqual(before, [50, None])
        entries = len(self.journal())
        c = self.console()
        s = self.mark_two_functions(c)
        self.assertIn("quarantine - ", s)
        self.assertIn("on 2 of the 2 marked", s)
        self.assertIn("batch: 2 plans on account " + ACCOUNT, s)
        # in the list's order (by name): image-resize, then orders-api-create
        self.assertIn("2. quarantine %s (function): ReservedConcurrentExecutions: 50 -> 0" % A, s)
        c.keys("Down", "Down", "Enter")
        s = c.wait("[ Cancel ]")
        self.assertIn("confirm quarantine on 2 functions (a batch)", s)
        self.assertIn("2 plans: type '%s' or %s, then Enter" % (ALIAS, ACCOUNT), s)
        self.assertIn("To apply these 2 plans type the account's alias '%s' or its id %s"
                      % (ALIAS, ACCOUNT), s)
        c.type("y")  # y is no account: it is typed, and Enter then cancels
        c.keys("Enter")
        c.wait("cancelled: nothing was changed")
        c.keys("Enter")
        c.wait("[ Cancel ]")
        c.type(A)  # a target's name is not the word either
        c.keys("Enter")
        c.wait("cancelled: nothing was changed")
        self.assertEqual([self.concurrency(A), self.concurrency(B)], before)
        self.assertEqual(len(self.journal()), entries)  # a cancel never reached the journal
        c.keys("Enter")
        c.wait("[ Cancel ]")
        c.type(ACCOUNT)
        c.keys("Enter")
        s = c.wait("batch of 2: 2 verified, 0 failed, 0 skipped", timeout=60)
        self.assertIn("shears > batch result", s)
        self.assertRegex(s, r"1\. verified, action \d+: quarantine %s " % B)
        self.assertRegex(s, r"2\. verified, action \d+: quarantine %s " % A)
        self.assertEqual([self.concurrency(A), self.concurrency(B)], [0, 0])  # awscli
        added = self.journal()[entries:]
        self.assertEqual([a["state"] for a in added], ["verified", "verified"])
        self.assertEqual(len({a["plan"]["batch"]["id"] for a in added}), 1)
        undo = self.shears("undo", *[str(a["id"]) for a in added], "--yes")
        self.assertEqual(undo.returncode, 0, undo.stdout + undo.stderr)
        self.assertEqual([self.concurrency(A), self.concurrency(B)], before)

    def test_the_alias_applies_too(self):
        c = self.console()
        self.mark_two_functions(c)
        c.keys("Down", "Down", "Enter")
        c.wait("[ Cancel ]")
        entries = len(self.journal())
        c.type(ALIAS)
        c.keys("Enter")
        c.wait("batch of 2: 2 verified", timeout=60)
        self.assertEqual([self.concurrency(A), self.concurrency(B)], [0, 0])
        added = self.journal()[entries:]
        undo = self.shears("undo", *[str(a["id"]) for a in added], "--yes")
        self.assertEqual(undo.returncode, 0, undo.stdout + undo.stderr)
        self.assertEqual([self.concurrency(A), self.concurrency(B)], [50, None])

    def test_prune_with_its_orphans_is_one_batch_wanting_the_account_typed(self):
        dead = "old-promo-2022"  # its role is shared: only its log group goes with it
        c = self.console()
        c.type(":functions")
        c.keys("Enter")
        c.wait("shears > functions")
        c.keys("/")
        c.keys("C-u")
        c.type(dead)
        c.keys("Enter")
        c.keys("x")
        c.wait("actions: " + dead)
        c.keys("/")
        c.type("orphans")
        c.keys("Enter")
        c.keys("Down", "Enter")
        s = c.wait("(a batch of 2 plans)")
        self.assertIn("prune-log-group /aws/lambda/" + dead, s)
        self.assertIn("note: kept ", s)
        entries = len(self.journal())
        c.type("y")  # not the account: nothing happens
        c.keys("Enter")
        c.wait("cancelled")
        self.assertEqual(len(self.journal()), entries)
        self.aws("lambda", "get-function", "--function-name", dead)  # still there
        c.keys("Enter")
        c.wait("[ Cancel ]")
        c.type(ACCOUNT)
        c.keys("Enter")
        c.wait("batch of 2: 2 verified", timeout=60)
        gone = subprocess.run([AWS, "--endpoint-url", self.url, "--region", "us-east-1",
                               "lambda", "get-function", "--function-name", dead],
                              capture_output=True, text=True, env=self.env)
        self.assertIn("ResourceNotFoundException", gone.stderr)
        added = self.journal()[entries:]
        undo = self.shears("undo", *[str(a["id"]) for a in added], "--yes")
        self.assertEqual(undo.returncode, 0, undo.stdout + undo.stderr)
        self.aws("lambda", "get-function", "--function-name", dead)

    def test_read_only_greys_every_action_and_refuses(self):
        c = self.console("--read-only")
        s = self.mark_two_functions(c)
        self.assertIn("(read-only)", s)
        self.assertIn("actions are disabled (--read-only)", s)
        self.assertIn("PutFunctionConcurrency", s)  # the plans are still shown
        styled = c.tmux("capture-pane", "-p", "-e", "-t", "t")
        # the first action's title and its batch lines (the others are further down):
        # the last attribute set before each is dim (tmux repeats none while it holds)
        for text in ("quarantine - ", "batch: 2 plans", "PutFunctionConcurrency"):
            self.assertTrue(self.dim_at(styled, styled.index(text)), "not dim: %r" % text)
        c.keys("Down", "Down", "Enter")
        c.wait("refused under --read-only")
        self.assertNotIn("[ Cancel ]", c.text())
        self.assertEqual([self.concurrency(A), self.concurrency(B)], [50, None])

    @staticmethod
    def dim_at(styled, pos):
        """Is the text at pos drawn dim? (SGR 2 on, 0 or 22 off, as tmux writes them)"""
        dim = False
        for params in re.findall(r"\x1b\[([\d;]*)m", styled[:pos]):
            for p in params.split(";"):
                if p in ("", "0", "22"):
                    dim = False
                elif p == "2":
                    dim = True
        return dim

    def findings(self, c, needle):
        c.type(":findings")
        c.keys("Enter")
        c.wait("shears > findings")
        c.keys("/")
        c.keys("C-u")
        c.type(needle)
        c.keys("Enter")

    def test_x_on_a_finding_offers_its_remedy_and_marked_findings_a_batch(self):
        rep = json.loads(self.shears("report", "--format", "json").stdout)
        dead = sorted({f["resource_name"] for f in rep["findings"] if f["rule"] == "SHR-HYG-001"})
        self.assertGreaterEqual(len(dead), 2)
        c = self.console()
        self.findings(c, "SHR-HYG-001")  # dead: prune is its remedy
        c.keys("x")
        s = c.wait("actions: ")
        self.assertIn("prune - ", s)
        self.assertNotIn("quarantine - ", s)
        self.assertNotIn("shorten-timeout - ", s)  # only the rule's remedy
        c.keys("Escape")
        c.keys("Space", "Space")  # the first two dead functions' findings
        c.wait("2 marked")
        c.keys("x")
        s = c.wait("actions: 2 functions")
        self.assertIn("batch: 2 plans", s)  # prune's summary is too long to show "on 2 of 2"
        self.assertNotIn("shorten-timeout - ", s)
        c.keys("Escape")
        c.keys("/")
        c.keys("C-u")
        c.type(A)  # one finding, on the role the function uses
        c.keys("Enter")
        c.keys("u")  # clear the marks: x then acts on the selected finding
        c.wait("shears > findings")
        c.keys("x")
        s = c.wait("actions: ")
        self.assertIn("tighten-role", s)


if __name__ == "__main__":
    main()
