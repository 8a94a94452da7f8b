#!/bin/sh
# Runs every fuzz target in DIR for SECONDS each, starting from the seeds in
# tests/fuzz/seeds/<target>/ (copied into a scratch corpus so the seeds stay
# as committed). Prints each target's last status line; fails on a crash.
set -u
dir=$1
seconds=${2:-60}
rc=0
for t in "$dir"/fuzz_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	corpus=build/fuzz-corpus/$name
	mkdir -p "$corpus"
	[ -d "tests/fuzz/seeds/$name" ] && cp -n tests/fuzz/seeds/"$name"/* "$corpus"/ 2>/dev/null
	echo "== $name: $seconds s"
	if "$t" -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix=build/fuzz-corpus/ "$corpus" >build/fuzz-corpus/"$name".log 2>&1; then
		grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb)' \
			build/fuzz-corpus/"$name".log | tr '\n' ' '
		echo
	else
		echo "$name: FAILED, see build/fuzz-corpus/$name.log"
		tail -30 build/fuzz-corpus/"$name".log
		rc=1
	fi
done
exit $rc
