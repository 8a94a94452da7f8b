"""Runs Python unittest cases and reports them the way cmocka does, so that
tests/run-tests.sh counts Python and C tests alike.

Use from a test script:  from cmocka_unittest import main; main()
"""
import sys
import time
import unittest


class _Result(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.ok = 0
        self.bad = []

    def startTest(self, test):
        super().startTest(test)
        print("[ RUN      ] %s" % test.id(), flush=True)
        self._t0 = time.monotonic()

    def addSuccess(self, test):
        self.ok += 1
        print("[       OK ] %s (%.2fs)" % (test.id(), time.monotonic() - self._t0), flush=True)

    def _fail(self, test, err, kind):
        self.bad.append(test.id())
        text = self._exc_info_to_string(err, test)
        for line in text.rstrip().splitlines():
            print("[  %s   ] --- %s" % (kind, line))
        print("[  FAILED  ] %s" % test.id(), flush=True)

    def addFailure(self, test, err):
        self._fail(test, err, "ERROR")

    def addError(self, test, err):
        self._fail(test, err, "ERROR")

    def addSkip(self, test, reason):
        print("[  SKIPPED ] %s: %s" % (test.id(), reason), flush=True)


def main(module="__main__"):
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[module])
    if len(sys.argv) > 1:
        wanted = sys.argv[1:]
        flat = []

        def walk(s):
            for t in s:
                if isinstance(t, unittest.TestSuite):
                    walk(t)
                elif any(w in t.id() for w in wanted):
                    flat.append(t)
        walk(suite)
        suite = unittest.TestSuite(flat)
    n = suite.countTestCases()
    print("[==========] Running %d test(s)." % n, flush=True)
    result = _Result()
    suite.run(result)
    print("[==========] %d test(s) run." % n)
    print("[  PASSED  ] %d test(s)." % result.ok)
    if result.bad:
        print("[  FAILED  ] %d test(s), listed below:" % len(result.bad))
        for b in result.bad:
            print("[  FAILED  ] %s" % b)
    sys.exit(1 if result.bad else 0)
