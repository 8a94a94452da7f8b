#!/bin/sh
# make demo: start the simulated demo account on loopback and point shears at
# it. Uses Debian's python3 (the simulated account needs python3-botocore).
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
echo "demo: simulated account at $url"
echo "demo: build/shears --endpoint-url $url whoami"
build/shears --endpoint-url "$url" whoami
