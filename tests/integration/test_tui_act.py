"""Remediation from the console, driven in tmux at 100x30 against the
simulated demo account (tests/fakeaws): `x` on a function shows the actions
with their plans; the confirm dialog defaults to Cancel (Enter and Esc
change nothing); `y` applies; awscli (not shears) reads the account back;
:journal shows the entry verified; `u` undoes and awscli reads the old
concurrency back; --read-only and the config's read_only grey the actions
out and refuse."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from cmocka_unittest import main  # noqa: E402

SHEARS = os.path.join(os.environ.get("SHEARS_BUILD", os.path.join(ROOT, "build")), "shears")
FAKE = os.path.join(ROOT, "tests", "fakeaws", "fakeaws")
ACCOUNTS = os.path.join(ROOT, "tests", "fakeaws", "accounts")
ACCOUNT = "314159265358"
AWS = "/usr/bin/aws"
TMUX = shutil.which("tmux")
FN = "orders-api-create"  # reserved concurrency 50 in the demo account


class Console:
    """One console in its own tmux server, with env and the account's endpoint."""
    started = 0

    def __init__(self, tmp, env, args, width=100, height=30):
        Console.started += 1
        self.sock = os.path.join(tmp, "tmux-%d.sock" % Console.started)
        envs = " ".join("%s=%s" % (k, v) for k, v in env.items()
                        if k.startswith(("AWS_", "XDG_", "SHEARS_", "HOME", "ASAN_", "UBSAN_", "LSAN_")))
        cmd = ("env -i PATH=/usr/bin:/bin TERM=$TERM NO_COLOR=1 LANG=C.UTF-8 LC_ALL=C.UTF-8 "
               "%s %s %s; echo exit=$?; sleep 60" % (envs, SHEARS, " ".join(args)))
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", str(width),
                  "-y", str(height), cmd)

    def tmux(self, *args):
        return subprocess.run([TMUX, "-S", self.sock] + list(args), check=True,
                              capture_output=True, text=True).stdout

    def screen(self):
        return self.tmux("capture-pane", "-p", "-t", "t").split("\n")[:-1]

    def text(self):
        return "\n".join(self.screen())

    def wait(self, what, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if what in self.text():
                return self.text()
            time.sleep(0.05)
        raise AssertionError("never saw %r; screen:\n%s" % (what, self.text()))

    def status(self):
        return self.screen()[-1]

    def keys(self, *keys):
        self.tmux("send-keys", "-t", "t", *keys)

    def type(self, s):
        self.tmux("send-keys", "-t", "t", "-l", s)

    def close(self):
        subprocess.run([TMUX, "-S", self.sock, "kill-server"], capture_output=True)


@unittest.skipUnless(TMUX and os.access(AWS, os.X_OK), "tmux or awscli is missing")
class TuiAct(unittest.TestCase):
    @staticmethod
    def write_config(home, text):
        os.makedirs(os.path.join(home, "shears"), exist_ok=True)
        with open(os.path.join(home, "shears", "config"), "w") as f:
            f.write(text)

    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp(prefix="shears-tui-act-")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.pop("PYTHONPATH", None)
        env.pop("SHEARS_TEST_CRASH_AT", None)
        env.update(HOME=cls.home, AWS_EC2_METADATA_DISABLED="true", XDG_CACHE_HOME=cls.home,
                   XDG_CONFIG_HOME=cls.home, XDG_DATA_HOME=os.path.join(cls.home, "data"),
                   AWS_PROFILE="demo", SHEARS_NO_PACING="1",
                   AWS_CONFIG_FILE=os.path.join(ACCOUNTS, "demo.config"),
                   AWS_SHARED_CREDENTIALS_FILE=os.path.join(ACCOUNTS, "demo.credentials"))
        cls.env = env
        # the simulated account answers no alias: name it as allowed
        cls.write_config(cls.home, "[act]\nallow_accounts = %s\n" % ACCOUNT)
        cls.fake = subprocess.Popen([FAKE, "--port", "0", "--account", "demo"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    text=True, env=env)
        line = cls.fake.stdout.readline().strip()
        assert line.startswith("ready "), line
        cls.url = line.split(" ", 1)[1]
        cls.cache = os.path.join(cls.home, "cache.db")
        scan = subprocess.run([SHEARS, "--cache", cls.cache, "--endpoint-url", cls.url, "scan",
                               "--region", "us-east-1"], capture_output=True, text=True,
                              env=env, timeout=120, stdin=subprocess.DEVNULL)
        assert scan.returncode == 0, scan.stderr

    @classmethod
    def tearDownClass(cls):
        cls.fake.terminate()
        cls.fake.wait(10)
        shutil.rmtree(cls.home, ignore_errors=True)

    def setUp(self):
        self.consoles = []

    def tearDown(self):
        try:
            for c in self.consoles:  # q leaves cleanly (a sanitizer build checks leaks here)
                c.keys("Escape")
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

    def concurrency(self, name=FN):
        return self.aws("lambda", "get-function-concurrency", "--function-name",
                        name).get("ReservedConcurrentExecutions")

    def journal(self):
        out = subprocess.run([SHEARS, "--cache", self.cache, "--endpoint-url", self.url,
                              "journal", "--json"], capture_output=True, text=True,
                             env=self.env, timeout=60, stdin=subprocess.DEVNULL)
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout)

    def open_actions(self, c, name=FN):
        """The function list, filtered to name, then x."""
        c.type(":functions")
        c.keys("Enter")
        c.wait("shears > functions")
        c.keys("/")
        c.type(name)
        c.keys("Enter")
        c.keys("x")
        return c.wait("actions: " + name)

    def test_cancel_is_the_default_and_changes_nothing(self):
        c = self.console()
        before = self.concurrency()
        entries = len(self.journal())
        s = self.open_actions(c)
        self.assertIn("quarantine", s)
        self.assertIn("PutFunctionConcurrency", s)  # the plan, before anything runs
        self.assertIn("shorten-timeout", s)
        c.keys("Down", "Down", "Enter")  # onto quarantine's lines: the dialog
        c.wait("[ Cancel ]")
        self.assertIn("press y to apply", c.text())
        c.keys("Enter")  # Enter on the default cancels
        c.wait("cancelled: nothing was changed")
        c.keys("Enter")
        c.wait("[ Cancel ]")
        c.keys("Escape")
        c.wait("cancelled: nothing was changed")
        c.keys("Enter")
        c.wait("[ Cancel ]")
        c.type("d")  # the key next to details does nothing but hint
        c.wait("y applies")
        c.keys("Escape")
        c.wait("cancelled")
        self.assertEqual(self.concurrency(), before)
        self.assertEqual(len(self.journal()), entries)  # a cancel never reached the account

    def test_quarantine_confirm_verify_journal_and_undo(self):
        self.assertEqual(self.concurrency(), 50)
        c = self.console()
        self.open_actions(c)
        c.keys("Down", "Down", "Enter")
        c.wait("[ Cancel ]")
        c.type("y")
        c.wait(": verified", timeout=30)
        self.assertEqual(self.concurrency(), 0)  # read back by awscli, not shears
        entry = [a for a in self.journal() if a["action"] == "quarantine"
                 and a["target"].endswith(":" + FN)][-1]
        self.assertEqual(entry["state"], "verified")
        self.assertTrue(entry["caller"])  # confirmed by the caller identity
        c.type(":journal")
        c.keys("Enter")
        s = c.wait("shears > journal")
        row = [l for l in s.split("\n") if l.startswith("%-5s" % entry["id"])][0]
        self.assertIn("quarantine", row)
        self.assertIn("verified", row)
        # the newest entry is the first row and under the cursor: u plans the undo
        c.keys("u")
        s = c.wait("[ Cancel ]")
        self.assertIn("undo of action %d" % entry["id"], s)
        c.type("y")
        c.wait("undone", timeout=30)
        self.assertEqual(self.concurrency(), 50)
        states = {a["id"]: a["state"] for a in self.journal()}
        self.assertEqual(states[entry["id"]], "undone")
        # the undone entry (now the second row) cannot be undone again
        c.keys("Down", "u")
        c.wait("only a verified action can be undone")
        self.assertNotIn("[ Cancel ]", c.text())
        self.assertEqual(self.concurrency(), 50)

    def test_x_from_function_detail_and_from_a_finding(self):
        c = self.console()
        self.open_actions(c)
        c.keys("Escape")
        c.wait("shears > functions")
        c.keys("Enter")  # the function's detail: x acts on the function it is about
        c.wait("shears > function")
        c.keys("x")
        c.wait("actions: " + FN)
        c.keys("Escape")
        c.type(":findings")
        c.keys("Enter")
        c.wait("shears > findings")
        c.keys("/")
        c.type(FN)  # matches one finding, on the role the function uses
        c.keys("Enter")
        c.keys("x")  # a role's finding: the role's actions
        s = c.wait("actions: ")
        self.assertIn("tighten-role", s)
        self.assertNotIn("^I", s)  # the diff's indentation is shown as spaces
        c.keys("Escape")
        c.keys("/")
        c.keys("C-u")
        c.type(self.function_rule())  # a rule raised on functions only
        c.keys("Enter")
        c.keys("x")  # on a finding: the actions of its resource
        s = c.wait("actions: ")
        self.assertIn("quarantine", s)
        self.assertIn("PutFunctionConcurrency", s)

    def function_rule(self):
        out = subprocess.run([SHEARS, "--cache", self.cache, "report", "--format", "json"],
                             capture_output=True, text=True, env=self.env, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        found = json.loads(out.stdout)["findings"]
        on_fn = {f["rule"] for f in found if ":function:" in f["resource"]}
        other = {f["rule"] for f in found if ":function:" not in f["resource"]}
        return sorted(on_fn - other)[0]

    def test_read_only_greys_out_and_refuses(self):
        before = self.concurrency()
        c = self.console("--read-only")
        s = self.open_actions(c)
        self.assertIn("(read-only)", s)
        self.assertIn("actions are disabled (--read-only)", s)
        self.assertIn("PutFunctionConcurrency", s)  # the plan is still shown
        c.keys("Down", "Down", "Enter")
        c.wait("refused under --read-only")
        self.assertNotIn("[ Cancel ]", c.text())
        c.type(":journal")
        c.keys("Enter")
        c.wait("shears > journal")
        c.keys("u")
        self.assertTrue("refused under --read-only" in c.wait("refused")
                        or "journal is empty" in c.text())
        self.assertEqual(self.concurrency(), before)

    def test_config_read_only_refuses_too(self):
        self.write_config(self.home, "[act]\nallow_accounts = %s\nread_only = true\n" % ACCOUNT)
        try:
            c = self.console()
            s = self.open_actions(c)
            self.assertIn("read_only in the config", s)
            c.keys("Down", "Down", "Enter")
            c.wait("refused under read_only in the config")
        finally:
            self.write_config(self.home, "[act]\nallow_accounts = %s\n" % ACCOUNT)
        self.assertEqual(self.concurrency(), 50)


if __name__ == "__main__":
    main()
