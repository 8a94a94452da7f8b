"""The console, driven in tmux at 80x24 with NO_COLOR=1: open each view,
filter, sort, drill into a function and back, walk connections, resize, and
check that hostile names are shown (^[, <U+202E>, \\xFF) and never obeyed.

The cache is written through the store API by tests/tui/tui_tool.c (built by
make into $SHEARS_BUILD/tests/tui/); the console is the real binary,
`$SHEARS_BUILD/shears --cache CACHE`.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SRC, "tests", "lib"))
from cmocka_unittest import main  # noqa: E402

BUILD = os.environ.get("SHEARS_BUILD") or os.path.join(SRC, "build")
TMUX = shutil.which("tmux")


def build_tool(outdir):
    """The seeding tool built by make with this build's compiler and flags."""
    tool = os.path.join(BUILD, "tests", "tui", "tui_tool")
    if not os.access(tool, os.X_OK):
        raise RuntimeError("%s is missing: run make tests-bin" % tool)
    return tool


SHEARS = os.path.join(BUILD, "shears")


class Console:
    """One console in its own tmux server."""
    started = 0

    def __init__(self, tool, cache, tmp, width=80, height=24):
        Console.started += 1
        self.sock = os.path.join(tmp, "tmux-%d.sock" % Console.started)
        # the real binary: shears with no command opens the console on --cache
        cmd = ("env NO_COLOR=1 LANG=C.UTF-8 LC_ALL=C.UTF-8 %s --cache %s; echo exit=$?; sleep 60"
               % (SHEARS, cache))
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", str(width),
                  "-y", str(height), cmd)

    def tmux(self, *args):
        return subprocess.run([TMUX, "-S", self.sock] + list(args), check=True,
                              capture_output=True, text=True).stdout

    def screen(self):
        return self.tmux("capture-pane", "-p", "-t", "t").split("\n")[:-1]

    def text(self):
        return "\n".join(self.screen())

    def wait(self, what, timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if what in self.text():
                return self.screen()
            time.sleep(0.03)
        raise AssertionError("never saw %r; screen:\n%s" % (what, self.text()))

    def keys(self, *keys):
        self.tmux("send-keys", "-t", "t", *keys)

    def type(self, s):
        self.tmux("send-keys", "-t", "t", "-l", s)

    def close(self):
        subprocess.run([TMUX, "-S", self.sock, "kill-server"], capture_output=True)


@unittest.skipUnless(TMUX, "tmux is not installed")
class TestFindingsConsole(unittest.TestCase):
    """The risk views on a seeded cache after `shears analyze`."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="shears-tui-risk-")
        cls.tool = build_tool(cls.tmp)
        cls.cache = os.path.join(cls.tmp, "cache.db")
        subprocess.run([cls.tool, "seed", cls.cache], check=True)
        env = dict(os.environ, XDG_CONFIG_HOME=cls.tmp, HOME=cls.tmp)
        out = subprocess.run([SHEARS, "--cache", cls.cache, "analyze"], capture_output=True,
                             text=True, env=env)
        assert out.returncode == 0, out.stderr
        rep = json.loads(subprocess.run([SHEARS, "--cache", cls.cache, "report", "--format",
                                         "json"], capture_output=True, text=True, env=env).stdout)
        # a rule raised on functions only, to filter by and open
        on_fn = {f["rule"] for f in rep["findings"] if ":function:" in f["resource"]}
        other = {f["rule"] for f in rep["findings"] if ":function:" not in f["resource"]}
        cls.rule = sorted(on_fn - other)[0]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.c = Console(self.tool, self.cache, self.tmp)
        self.c.wait("Resources")

    def tearDown(self):
        self.c.close()

    def test_overview_shows_findings_and_top_risks(self):
        s = self.c.text()
        self.assertIn("Findings ", s)
        self.assertIn("Top risks", s)

    def test_findings_view_filters_sorts_and_opens(self):
        self.c.type(":findings")
        self.c.keys("Enter")
        screen = self.c.wait("shears > findings")
        self.assertIn("SEV", screen[1])
        self.assertIn("RULE", screen[1])
        self.assertTrue(screen[2].split()[0] in ("critical", "high", "medium", "low", "info"))
        self.c.keys("/")
        self.c.type(self.rule)
        self.c.keys("Enter")
        rows = [l for l in self.c.screen()[2:-1] if l.strip()]
        self.assertTrue(rows)
        self.assertTrue(all(self.rule in l for l in rows), rows)
        self.c.keys("Enter")
        s = "\n".join(self.c.wait("shears > function"))
        self.assertIn("Risk", s)
        self.assertIn("Score", s)
        self.assertIn(self.rule, s)
        self.c.keys("Escape")
        self.c.wait("shears > findings")

    def test_function_list_has_the_score_column(self):
        self.c.type(":functions")
        self.c.keys("Enter")
        screen = self.c.wait("shears > functions")
        self.assertIn("SCORE", screen[1])


@unittest.skipUnless(TMUX, "tmux is not installed")
class TestConsole(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="shears-tui-")
        cls.tool = build_tool(cls.tmp)
        cls.cache = os.path.join(cls.tmp, "cache.db")
        subprocess.run([cls.tool, "seed", cls.cache], check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.c = Console(self.tool, self.cache, self.tmp)
        self.c.wait("Resources")

    def tearDown(self):
        self.c.close()

    def go(self, view):
        self.c.type(":" + view)
        self.c.keys("Enter")
        return self.c.wait("shears > " + view)

    def assert_frame(self, screen, width=80, height=24):
        """The frame is intact: title first, status last, nothing wider than the pane."""
        self.assertEqual(len(screen), height)
        self.assertTrue(screen[0].startswith(" shears > "), screen[0])
        self.assertTrue(screen[-1].strip(), "status line is empty")
        for line in screen:
            self.assertLessEqual(len(line), width, line)

    def test_overview_shows_counts_last_scan_and_gaps(self):
        s = self.c.text()
        self.assertIn("87 calls", s)
        self.assertIn("INCOMPLETE", s)
        self.assertIn("Missed by the last scan (1)", s)
        self.assertIn("lambda eu-west-1 GetPolicy: AccessDeniedException", s)
        row = [l for l in self.c.screen() if l.strip().startswith("functions")][0]
        self.assertEqual(row.split()[1:4], ["12", "7", "5"])
        self.assert_frame(self.c.screen())

    def test_each_view_opens_by_name(self):
        expect = {"functions": "orders-api", "roles": "orders-api-role",
                  "apis": "orders-public", "buckets": "acme-uploads", "tables": "orders",
                  "queues": "payments", "topics": "alerts", "rules": "cron(0 2",
                  "log-groups": "/aws/lambda/orders-api"}
        for view, row in expect.items():
            screen = self.go(view)
            self.c.wait(row)
            self.assert_frame(self.c.screen())
            self.c.keys("Escape")
            self.c.wait("shears > overview")
        self.c.keys("Enter")  # the cursor's line in the overview is not a kind: nothing opens
        self.assertIn("shears > overview", self.c.text())

    def test_enter_on_a_kind_in_the_overview_opens_its_list(self):
        screen = self.c.screen()
        target = next(i for i, l in enumerate(screen) if l.strip().startswith("functions"))
        self.c.keys("g")
        for _ in range(target - 2):
            self.c.keys("j")
        self.c.keys("Enter")
        self.c.wait("shears > functions")

    def test_filter_narrows_as_you_type_and_esc_clears_it(self):
        self.go("functions")
        self.c.keys("/")
        self.c.type("pay")
        screen = self.c.wait("1 of 12")  # before Enter: filtering as we type
        body = "\n".join(screen[2:-1])
        self.assertIn("payments-worker", body)
        self.assertNotIn("orders-api", body)
        self.assertEqual(screen[-1], "/pay")
        self.c.keys("BSpace", "BSpace", "BSpace")
        self.c.type("ORD")  # any case
        self.c.wait("orders-api")
        self.c.keys("Enter")
        self.assertIn("/ORD", self.c.wait("sort:NAME+")[-1])
        self.c.keys("Escape")
        screen = self.c.wait("8/12  sort:NAME+")  # the cursor stays on orders-api
        self.assertIn("payments-worker", "\n".join(screen))

    def test_sort_cycles_columns_and_reverses(self):
        self.go("functions")
        self.c.keys("s")
        self.c.wait("sorted by SCORE, ascending")
        self.c.keys("s")
        self.c.wait("sorted by RUNTIME, ascending")
        self.assertIn("long-", self.c.screen()[2])  # go1.x sorts first
        self.c.keys("s")
        self.c.wait("sorted by MEM")
        self.c.keys("S")
        screen = self.c.wait("sorted by MEM, descending")
        self.assertIn("nightly-report", screen[2])  # 3008 MB, as a number
        self.assertIn("MEM-", screen[1])

    def test_drill_into_a_function_and_back(self):
        self.go("functions")
        self.c.keys("/")
        self.c.type("orders")
        self.c.keys("Enter", "Enter")
        s = "\n".join(self.c.wait("shears > function orders-api"))
        self.assertIn("Runtime       python3.12", s)
        self.assertIn("Timeout       30 s", s)
        self.assertIn("Triggers (1)", s)
        self.assertIn("orders-public  GET /orders integration", s)
        self.assertIn("orders-api-role", s)
        self.c.keys("G")
        s = "\n".join(self.c.wait("Longest run vs timeout"))
        self.assertIn("1690 ms of 30 s", s)
        spark = [l for l in self.c.screen() if "\u2588" in l]
        self.assertEqual(len(spark), 1, s)  # the spike 10 days ago is the one full block
        self.assertIn("API_KEY", s)  # environment: names only
        self.assertNotIn("[redacted]", s)
        self.c.keys("Escape")
        self.assertIn("/orders", self.c.wait("shears > functions")[-1])
        self.c.keys("Escape", "Escape")
        self.c.wait("shears > overview")

    def test_connections_walk_the_edges(self):
        self.go("functions")
        self.c.keys("/")
        self.c.type("orders-api")
        self.c.keys("Enter", "c")
        s = "\n".join(self.c.wait("connections of function orders-api"))
        self.assertIn("<- triggers rest-api  orders-public", s)
        self.assertIn("-> writes   table     orders", s)
        # lines: heading, trigger, blank, heading, assumes
        self.c.keys("j", "j", "j", "j", "Enter")
        s = "\n".join(self.c.wait("connections of role orders-api-role"))
        self.assertIn("<- assumes  function  orders-api", s)
        self.assertIn("-> reads    table     orders", s)
        self.c.keys("Escape")
        self.c.wait("connections of function orders-api")

    def test_raw_view_shows_pretty_attrs(self):
        self.go("buckets")
        self.c.keys("/")
        self.c.type("uploads")
        self.c.keys("Enter", "r")
        s = "\n".join(self.c.wait("shears > raw bucket"))
        self.assertIn('"IsPublic": true', s)

    def test_hostile_names_are_shown_never_obeyed(self):
        screen = self.go("functions")
        s = "\n".join(screen)
        self.assertIn("evil^[[2J^[[31mred", s)
        self.assertIn("<U+202E>gnp.exe", s)
        self.assertIn("bad\\xFFname", s)
        self.assertIn("c1<U+009B>31mcsi", s)
        self.assertIn("forged^JFAKE ROW", s)
        self.assertFalse([l for l in screen if l.lstrip().startswith("FAKE ROW")])
        self.assert_frame(screen)
        long_row = [l for l in screen if "long-xxx" in l][0]
        self.assertIn("x~ ", long_row)  # cut, marked, columns still aligned
        self.assertIn("go1.x", long_row)
        wide = [l for l in screen if "\u95a2\u6570" in l][0]
        self.assertIn("~", wide)
        # columns after the double-width name line up with the others
        self.assertEqual(wide.split("~")[1].strip().split()[0], "python3.12")
        # into the function: its hostile tag value is shown too
        self.c.keys("/")
        self.c.type("evil")
        self.c.keys("Enter", "Enter")
        s = "\n".join(self.c.wait("note = ^[[2Jtag"))
        self.assertIn("shears > function evil^[[2J^[[31mred", s)
        self.assert_frame(self.c.screen())

    def resize(self, width, height):
        """Resizes the pane and waits for a whole frame of the new size."""
        self.c.tmux("resize-window", "-t", "t", "-x", str(width), "-y", str(height))
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            screen = self.c.screen()
            if (len(screen) == height and screen[0].startswith(" shears > ")
                    and "?:help" in screen[-1]):
                return screen
            time.sleep(0.05)
        raise AssertionError("no %dx%d frame; screen:\n%s" % (width, height, self.c.text()))

    def test_resize_redraws_at_the_new_size(self):
        self.go("functions")
        screen = self.resize(100, 30)
        self.assert_frame(screen, 100, 30)
        self.assertIn("CODE", screen[1])  # a wider screen shows more columns
        self.assertIn("thumbnail-resizer", "\n".join(screen))
        screen = self.resize(50, 12)
        self.assert_frame(screen, 50, 12)
        self.assertIn("NAME+", screen[1])
        self.assertNotIn("MODIFIED", screen[1])
        self.c.keys("j")  # still alive and drawing
        self.c.wait("2/12")

    def test_help_is_generated_from_the_keymap(self):
        self.go("functions")
        self.c.keys("?")
        s = "\n".join(self.c.wait("Keys of the list views"))
        self.assertIn("Esc                  back", s)
        self.c.keys("/")
        self.c.type("sort")  # help is a view like any other: it filters
        s = "\n".join(self.c.wait("sort-reverse"))
        self.assertIn("s                    sort", s)
        self.assertIn("S                    sort-reverse", s)
        self.assertNotIn("page-down", s)

    def test_command_line_completes_and_reports_unknown(self):
        self.c.type(":tab")
        self.c.keys("Tab", "Enter")
        self.c.wait("shears > tables")
        self.c.type(":nonsense")
        self.c.keys("Enter")
        self.c.wait("unknown command 'nonsense'")

    def test_q_quits(self):
        self.c.keys("q")
        self.c.wait("exit=0")


@unittest.skipUnless(TMUX, "tmux is not installed")
class TestNoCache(unittest.TestCase):
    def test_missing_cache_says_to_run_scan(self):
        tmp = tempfile.mkdtemp(prefix="shears-tui-")
        try:
            tool = build_tool(tmp)
            missing = os.path.join(tmp, "nope", "cache.db")
            c = Console(tool, missing, tmp)
            try:
                s = "\n".join(c.wait("No inventory to show"))
                self.assertIn("Run 'shears scan'", s)
                self.assertIn("no cache at", s)
                c.type(":functions")
                c.keys("Enter")
                c.wait("(nothing here)")
                c.keys("q")
                c.wait("exit=0")
                self.assertFalse(os.path.exists(missing))  # looking creates nothing
            finally:
                c.close()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
