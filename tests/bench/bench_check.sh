#!/bin/sh
# make bench: `shears check` on a generated 50 MB deployment package of
# 20,000 files (source, minified bundles, node_modules manifests, Python
# METADATA) on one core: the CI gate's time budget is 1 s. Prints figures only.
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
out="$BUILD/bench_check"
mkdir -p "$out"
if [ ! -f "$out/package.zip" ]; then
	env -u PYTHONPATH /usr/bin/python3 -I - "$out/package.zip" <<'PY'
import random, sys, zipfile
random.seed(7)
words = ("const let var function return if else for while await async import from export "
         "require module exports this new class extends null undefined true false try catch "
         "throw JSON parse stringify event context callback handler response body status "
         "headers request user order item price total config process env logger info error").split()
def source(n):
    lines = []
    size = 0
    while size < n:
        line = " ".join(random.choice(words) for _ in range(random.randint(3, 14)))
        line = "  " * random.randint(0, 4) + line + ";"
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines) + "\n"
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
    total = 0
    for i in range(20000):
        kind = i % 10
        if kind == 0:
            name = "node_modules/pkg%d/package.json" % i
            data = '{"name": "pkg%d", "version": "1.%d.%d", "main": "index.js"}\n' % (i, i % 50, i % 7)
        elif kind == 1:
            name = "python/pkg_%d-2.%d.0.dist-info/METADATA" % (i, i % 30)
            data = "Metadata-Version: 2.1\nName: pkg-%d\nVersion: 2.%d.0\n\n%s" % (i, i % 30, source(800))
        elif kind == 2:
            name = "dist/bundle%d.min.js" % i
            data = source(9000).replace("\n", "")
        else:
            name = "src/mod%d/file%d.%s" % (i // 100, i, "js" if i % 2 else "py")
            data = source(random.randint(800, 3200))
        z.writestr(name, data)
        total += len(data)
print("generated %s: 20,000 files, %.1f MB" % (sys.argv[1], total / 1e6))
PY
fi
best=""
for i in 1 2 3; do
	t0=$(date +%s.%N)
	taskset -c 0 "$BUILD/shears" --cache "$out/none.db" check "$out/package.zip" --fail-on critical \
		>"$out/check.out" || true
	t1=$(date +%s.%N)
	t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; fi
done
echo "shears check on $(tail -1 "$out/check.out" | sed 's/^[0-9]* findings* in //'): best of 3 $best s on one core (budget 1 s)"
