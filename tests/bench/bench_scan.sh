#!/bin/sh
# make bench: a first and a second `shears scan` of a simulated account with
# AWS's rate quotas and 40 ms of latency per call (tests/fakeaws:
# --quotas aws --latency-ms 40 --functions 1000 --regions 1). Prints the
# scan time, the floor the quotas put under the calls that scan made
# (per quota bucket: calls / rate; the largest bucket wins) and the ratio.
# A ratio near 1 means the scan is as fast as the quotas allow.
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
FUNCTIONS=${FUNCTIONS:-1000}
tmp=$(mktemp -d)
trap 'kill "$fake" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT INT TERM
[ -n "${KEEP:-}" ] && echo "keeping $tmp"
env -u PYTHONPATH tests/fakeaws/fakeaws --port 0 --account generated \
	--functions "$FUNCTIONS" --regions 1 --seed 1 --quotas aws --latency-ms 40 \
	>"$tmp/fake.out" 2>"$tmp/fake.err" &
fake=$!
i=0
until grep -q '^ready ' "$tmp/fake.out" 2>/dev/null; do
	i=$((i + 1))
	[ "$i" -lt 600 ] || { echo "fakeaws did not start" >&2; cat "$tmp/fake.err" >&2; exit 1; }
	sleep 0.1
done
url=$(sed -n 's/^ready //p' "$tmp/fake.out")
export AWS_PROFILE=demo AWS_CONFIG_FILE=tests/fakeaws/accounts/demo.config
export AWS_SHARED_CREDENTIALS_FILE=tests/fakeaws/accounts/demo.credentials
export AWS_EC2_METADATA_DISABLED=true

for run in first rescan; do
	curl -s -X DELETE "$url/_fakeaws/calls" >/dev/null
	"$BUILD/shears" --endpoint-url "$url" --cache "$tmp/cache.db" scan --json \
		--region us-east-1 >"$tmp/$run.json" || [ $? -eq 3 ]
	curl -s "$url/_fakeaws/calls" >"$tmp/$run.calls"
	curl -s "$url/_fakeaws/quotas" >"$tmp/quotas.json"
	env -u PYTHONPATH /usr/bin/python3 -I - "$run" "$tmp/$run.json" "$tmp/$run.calls" \
		"$tmp/quotas.json" "$FUNCTIONS" <<'PY'
import json, sys
run, summary, calls, quotas, n = sys.argv[1:6]
s = json.load(open(summary))
seen = json.load(open(calls))
q = json.load(open(quotas))["quotas"]
rules = {(r["service"], r["operation"]): r for r in q}
buckets = {}
for svc, ops in seen["calls"].items():
    for op, count in ops.items():
        r = rules.get((svc, op)) or rules.get((svc, "*"))
        if r:
            b = buckets.setdefault(r["bucket"], [0, r["rate"]])
            b[0] += count
floor_name, (floor_calls, floor_rate) = max(buckets.items(), key=lambda kv: kv[1][0] / kv[1][1])
floor = floor_calls / floor_rate
el = s["elapsed_s"]
throttled = sum(v for ops in seen["throttled"].values() for v in ops.values())
print("%-6s scan of %s functions: %.1f s, %d calls (%d retries, %d throttled by the fake), "
      "%s" % (run, n, el, s["calls_total"], s["retries"], throttled,
              "complete" if s["complete"] else "INCOMPLETE %d gaps" % len(s["incomplete"])))
print("       quota floor %.1f s (bucket %s: %d calls at %g/s); scan/floor %.2f"
      % (floor, floor_name, floor_calls, floor_rate, el / floor if floor else 0))
PY
done
