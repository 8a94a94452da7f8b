#!/bin/sh
# make check-style: the house rules that a grep can check (STYLE.md 1, 11).
# Exits non-zero listing every violation.
set -u
cd "$(dirname "$0")/.."
bad=0
report() {
	echo "check-style: $*"
	bad=1
}

code=$(find src ui store -name '*.[ch]' 2>/dev/null | sort)

# Banned calls (curl's checksrc list, STYLE.md 11).
for fn in system popen sprintf vsprintf strcpy strcat strncpy strtok atoi gets; do
	hits=$(grep -nE "(^|[^_a-zA-Z0-9.>])$fn[[:space:]]*\(" $code 2>/dev/null | grep -v '^\S*:\s*/\?\*')
	[ -n "$hits" ] && report "banned '$fn':
$hits"
done

# Only the command line (main.c, src/cli/), ui/ and report/ write to the terminal.
hits=$(grep -nE "(^|[^_a-zA-Z0-9.>])(printf|puts|fputs|putchar)[[:space:]]*\(" $code 2>/dev/null |
	grep -vE '^(src/main\.c|src/cli/|ui/|src/report/)' | grep -vE 'fputs\([^,]*, *(f|fp|file|out|log_file)\)' |
	grep -vE ':\s*/?\*')
[ -n "$hits" ] && report "terminal output outside main.c, src/cli/, ui/ and report/:
$hits"

# Who may include whom (STYLE.md 1).
check_includes() {
	dir=$1
	shift
	for pat in "$@"; do
		hits=$(grep -nE "#include [\"<]($pat)" $(find "$dir" -name '*.[ch]' 2>/dev/null) 2>/dev/null)
		[ -n "$hits" ] && report "$dir must not include $pat:
$hits"
	done
}
check_includes src/util 'aws/' 'collect/' 'analyze/' 'act/' 'report/' 'store/' 'ui/' 'sqlite3' 'curses'
check_includes src/aws 'store/' 'ui/' 'collect/' 'analyze/' 'act/' 'sqlite3' 'curses'
check_includes src/collect 'ui/' 'sqlite3' 'curses'
check_includes src/analyze 'aws/' 'collect/' 'ui/' 'sqlite3' 'curses'
check_includes src/act 'ui/' 'sqlite3' 'curses'
check_includes src/report 'aws/' 'ui/' 'sqlite3' 'curses'
check_includes store 'aws/' 'ui/' 'curses'
check_includes ui 'aws/' 'sqlite3'

# Formatting (clang-format 14, .clang-format at the root).
if command -v clang-format >/dev/null 2>&1; then
	for f in $code; do
		if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
			report "not clang-formatted: $f (clang-format -i $f)"
		fi
	done
fi

[ "$bad" -eq 0 ] && echo "check-style: clean"
exit "$bad"
