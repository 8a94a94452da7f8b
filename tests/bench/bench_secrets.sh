#!/bin/sh
# Secrets engine throughput: shears (tests/bench/bench_secrets.c) and
# secretlint with its recommended preset on the SAME generated files.
# Prints figures only; run from make bench (BUILD=build by default).
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
MB=${SECRETS_BENCH_MB:-120}
PKGS="libcjson libpcre2-8 libcrypto"
dir="$BUILD/bench-secrets/corpus"
rm -rf "$BUILD/bench-secrets"
mkdir -p "$BUILD/bench-secrets"

cc -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Isrc -I. \
	$(pkg-config --cflags $PKGS) -o "$BUILD/bench_secrets" tests/bench/bench_secrets.c \
	"$BUILD/libshears.a" $(pkg-config --libs $PKGS) -lm
"$BUILD/bench_secrets" "$dir" "$MB"

sl="$BUILD/bench-secretlint"
if [ ! -x "$sl/node_modules/.bin/secretlint" ]; then
	npm install --silent --prefix "$sl" secretlint @secretlint/secretlint-rule-preset-recommend \
		>/dev/null 2>&1 || true
fi
if [ ! -x "$sl/node_modules/.bin/secretlint" ]; then
	echo "secretlint: skipped (npm install secretlint @secretlint/secretlint-rule-preset-recommend failed)"
	exit 0
fi
cat >"$BUILD/bench-secrets/.secretlintrc.json" <<'JSON'
{ "rules": [ { "id": "@secretlint/secretlint-rule-preset-recommend" } ] }
JSON
bytes=$(find "$dir" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
start=$(date +%s.%N)
# secretlint exits 1 when it finds something: that is not a failure here
"$sl/node_modules/.bin/secretlint" --secretlintrc "$BUILD/bench-secrets/.secretlintrc.json" \
	--format compact "$dir/**/*" >"$BUILD/bench-secrets/secretlint.out" 2>&1 || true
end=$(date +%s.%N)
found=$(grep -c 'GITHUB_TOKEN' "$BUILD/bench-secrets/secretlint.out" || true)
awk -v b="$bytes" -v s="$start" -v e="$end" -v f="$found" 'BEGIN {
	printf "secretlint (preset-recommend): %.1f MB, %d GitHub tokens found, %.3f s, %.1f MB/s\n",
		b / 1e6, f, e - s, b / 1e6 / (e - s) }'
