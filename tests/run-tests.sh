#!/bin/sh
# Runs every test binary under each build directory given, prints cmocka's
# output, and ends with one line "N passed, N failed". A binary that crashes
# or times out before its summary counts as one failure.
set -u
passed=0
failed=0
broken=""
TEST_TIMEOUT=${TEST_TIMEOUT:-300}
# Python tests (tests/integration/test_*.py, Debian's python3 only) run once,
# against the first build directory's binary.
SHEARS_BUILD=$(cd "${1:-build}" && pwd)
export SHEARS_BUILD
# The Python tests mostly wait on their simulated account and awscli: when
# the first is due they all run, TEST_JOBS at a time (default 2; nothing
# else runs meanwhile), each into its own file, and are reported in order,
# exactly as if run one after the other.
TEST_JOBS=${TEST_JOBS:-2}
pydir=$(mktemp -d)
trap 'rm -rf "$pydir"' EXIT
run_python_tests() {
	ls tests/integration/test_*.py | xargs -P "$TEST_JOBS" -I{} sh -c \
		'out="$1/$(basename "$2").out"
		timeout "$3" env -u PYTHONPATH -u PYTHONHOME /usr/bin/python3 -I "$2" >"$out" 2>&1
		echo $? >"$out.rc"' sh "$pydir" {} "$TEST_TIMEOUT"
	touch "$pydir/.done"
}
first=1
for dir in "$@"; do
	list="$dir/tests/unit/test_* $dir/tests/integration/test_*"
	[ "$first" -eq 1 ] && list="$list tests/integration/test_*.py"
	first=0
	for t in $list; do
		case "$t" in *.o | *.d) continue ;; esac
		[ -x "$t" ] || [ "${t%.py}" != "$t" ] || continue
		[ -f "$t" ] || continue
		echo "== $t"
		out=$(mktemp)
		case "$t" in
		*.py)
			[ -f "$pydir/.done" ] || run_python_tests
			cp "$pydir/$(basename "$t").out" "$out"
			rc=$(cat "$pydir/$(basename "$t").out.rc" 2>/dev/null || echo 1)
			;;
		*)
			timeout "$TEST_TIMEOUT" "$t" >"$out" 2>&1
			rc=$?
			;;
		esac
		cat "$out"
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
			echo "** $t exited with status $rc before reporting a failure"
		fi
		if [ "$f" -gt 0 ]; then
			broken="$broken $t"
		fi
		passed=$((passed + p))
		failed=$((failed + f))
		rm -f "$out"
	done
done
[ -n "$broken" ] && echo "failing:$broken"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
