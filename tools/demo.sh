#!/bin/sh
# make demo: start the simulated demo account on loopback, scan it into a
# demo cache and open the console on it; quitting the console stops the
# simulated account. Uses Debian's python3 (the fake needs python3-botocore).
set -eu
cd "$(dirname "$0")/.."
FAKE=tests/fakeaws/fakeaws
ACCT=tests/fakeaws/accounts
if [ ! -x "$FAKE" ]; then
	echo "demo: $FAKE is missing" >&2
	exit 1
fi
out=$(mktemp)
"$FAKE" --port 0 --account demo >"$out" 2>build/fakeaws-demo.log &
fake=$!
trap 'kill $fake 2>/dev/null; rm -f "$out"' EXIT INT TERM
i=0
while ! grep -q '^ready ' "$out"; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 $fake 2>/dev/null; then
		echo "demo: the simulated account did not start; see build/fakeaws-demo.log" >&2
		exit 1
	fi
	sleep 0.1
done
url=$(sed -n 's/^ready //p' "$out" | head -1)
export AWS_SHARED_CREDENTIALS_FILE="$PWD/$ACCT/demo.credentials"
export AWS_CONFIG_FILE="$PWD/$ACCT/demo.config"
export AWS_PROFILE=demo
export AWS_EC2_METADATA_DISABLED=true
CACHE=build/demo-cache.db
rm -f "$CACHE" "$CACHE-wal" "$CACHE-shm"
echo "demo: simulated account at $url"
# the OSV advisories the demo's planted dependencies match (a real review imports an OSV export)
build/shears --cache "$CACHE" advisories import tests/data/osv
build/shears --endpoint-url "$url" whoami
echo "demo: build/shears --endpoint-url $url --cache $CACHE scan --region us-east-1 --region eu-west-1"
rc=0
build/shears --endpoint-url "$url" --cache "$CACHE" scan --region us-east-1 --region eu-west-1 || rc=$?
# 3 means some part could not be read: the console shows what is missing
if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
	exit "$rc"
fi
# The demo's own config: its account (alias acme-outfitters-prod) may be acted on, so x in the
# console and shears fix work against the simulated account; a real account's config is untouched.
mkdir -p build/demo-config/shears
printf '[act]\nallow_accounts = 314159265358\n' >build/demo-config/shears/config
export XDG_CONFIG_HOME="$PWD/build/demo-config"
export XDG_DATA_HOME="$PWD/build/demo-data"
if [ -t 0 ] && [ -t 1 ]; then
	echo "demo: opening the console (q quits, ? shows the keys, x on a function fixes it)"
	build/shears --endpoint-url "$url" --cache "$CACHE"
else
	echo "demo: not on a terminal; open the console with: build/shears --cache $CACHE"
	build/shears --cache "$CACHE" ls functions | head -5
fi
