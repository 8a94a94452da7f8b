#!/bin/sh
# The advisory store at export size (tests/bench/bench_osv.c): generates a
# synthetic npm + PyPI OSV export in $BUILD/bench_osv, imports it into a
# fresh cache and matches 10,000 installed packages. Prints figures, never
# asserts on time.
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
PKGS="ncursesw libcurl libcjson sqlite3 libedit expat libzip libcrypto libpcre2-8"
make --no-print-directory BUILD="$BUILD" "$BUILD/libshears.a" >/dev/null
mkdir -p "$BUILD/bench_osv"
cc -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Isrc -I. \
	$(pkg-config --cflags $PKGS) -o "$BUILD/bench_osv/bench_osv" tests/bench/bench_osv.c \
	"$BUILD/libshears.a" $(pkg-config --libs $PKGS) -lm
"$BUILD/bench_osv/bench_osv" "$BUILD/bench_osv"
