#!/bin/sh
# make bench: prints figures, never asserts on time. Each benchmark says
# what it measured; compare runs on the same machine only.
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
PKGS="ncursesw libcurl libcjson sqlite3 libedit expat libzip libcrypto libpcre2-8"

echo "== console and store on 100,000 resources (tests/bench/bench_ui.c)"
cc -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Isrc -I. \
	$(pkg-config --cflags $PKGS) -o "$BUILD/bench_ui" tests/bench/bench_ui.c \
	"$BUILD/libshears.a" $(pkg-config --libs $PKGS) -lm
"$BUILD/bench_ui"

if [ -x tests/fakeaws/fakeaws ] && [ -f tests/bench/fakeaws_load.py ]; then
	echo "== simulated account: requests per second (tests/bench/fakeaws_load.py)"
	env -u PYTHONPATH /usr/bin/python3 -I tests/bench/fakeaws_load.py
fi

echo "== shears check: the CI gate on a 50 MB package (tests/bench/bench_check.sh)"
BUILD="$BUILD" tests/bench/bench_check.sh

if [ -x tests/bench/bench_osv.sh ]; then
	echo "== OSV advisories: import and matching (tests/bench/bench_osv.sh)"
	BUILD="$BUILD" tests/bench/bench_osv.sh
fi

if [ -x tests/bench/bench_secrets.sh ]; then
	echo "== secret scanning throughput beside secretlint (tests/bench/bench_secrets.sh)"
	BUILD="$BUILD" tests/bench/bench_secrets.sh
fi

echo "== shears scan under AWS quotas and 40 ms latency (tests/bench/bench_scan.sh)"
BUILD="$BUILD" tests/bench/bench_scan.sh
