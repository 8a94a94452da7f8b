#!/bin/sh
# Runs every test binary under each build directory given, prints cmocka's
# output, and ends with one line "N passed, N failed". A binary that crashes
# or times out before its summary counts as one failure.
set -u
passed=0
failed=0
broken=""
TEST_TIMEOUT=${TEST_TIMEOUT:-300}
for dir in "$@"; do
	for t in "$dir"/tests/unit/test_* "$dir"/tests/integration/test_*; do
		case "$t" in *.o | *.d) continue ;; esac
		[ -x "$t" ] || continue
		echo "== $t"
		out=$(mktemp)
		timeout "$TEST_TIMEOUT" "$t" >"$out" 2>&1
		rc=$?
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
