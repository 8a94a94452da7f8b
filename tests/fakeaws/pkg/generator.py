"""Benchmark accounts of any size, deterministic from a seed.

    tests/fakeaws/fakeaws --port 0 --account generated --functions 10000 --regions 2 --seed 7
    /usr/bin/python3 -I tests/fakeaws/pkg/generator.py --functions 10000 --regions 2 --seed 7 [--out F]

The generator writes an account description of the same shape as
accounts/demo.py and seeds it through the same handlers. Proportions follow
what real estates look like: a few roles shared by many functions, about
20% dead functions, 40% of functions behind APIs, queue/stream/S3/schedule
triggers, code packages of 0.1-4 MB with node_modules or site-packages
trees. Packages come from a pool of 24 (identical zips are stored once),
and metrics are kept as seeded models computed on demand, so 10,000
functions fit in well under a gigabyte.
"""
import os
import random
import sys

if __name__ == "__main__" and __package__ in (None, ""):
    # Run as a script: load this directory as the package "fakeaws", as __main__.py does.
    import importlib.util
    _here = os.path.dirname(os.path.abspath(__file__))
    if sys.path and os.path.abspath(sys.path[0] or ".") == _here:
        del sys.path[0]
    _spec = importlib.util.spec_from_file_location(
        "fakeaws", os.path.join(_here, "__init__.py"), submodule_search_locations=[_here])
    sys.modules["fakeaws"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["fakeaws"])
    __package__ = "fakeaws"

from . import seed as seed_mod  # noqa: E402
from .state import World  # noqa: E402

REGIONS = ["us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2", "eu-central-1", "ap-northeast-1",
           "us-east-2", "sa-east-1"]
RUNTIMES = [("nodejs18.x", 35), ("python3.9", 28), ("python3.8", 8), ("nodejs16.x", 10), ("nodejs14.x", 5),
            ("python3.7", 4), ("nodejs12.x", 3), ("java11", 4), ("go1.x", 3)]
TEAMS = ["orders", "payments", "web", "growth", "data", "platform", "sre", "security", "finance", "search"]
NOUNS = ["order", "cart", "invoice", "user", "session", "catalog", "price", "stock", "payment", "refund",
         "email", "sms", "report", "export", "import", "image", "video", "search", "index", "audit",
         "ledger", "coupon", "review", "shipment", "tracking", "webhook", "feed", "sitemap", "token", "profile"]
VERBS = ["get", "list", "create", "update", "delete", "sync", "process", "notify", "render", "resize",
         "validate", "enrich", "archive", "reconcile", "publish", "ingest", "score", "cleanup"]
NODE_DEPS = [("lodash", "4.17.15"), ("lodash", "4.17.21"), ("axios", "0.21.1"), ("axios", "1.3.4"),
             ("moment", "2.29.1"), ("uuid", "8.3.2"), ("jsonwebtoken", "8.5.1"), ("ajv", "6.12.2"),
             ("minimist", "1.2.5"), ("node-fetch", "2.6.1"), ("aws-xray-sdk-core", "3.4.1"), ("express", "4.17.1")]
PY_DEPS = [("urllib3", "1.26.4"), ("urllib3", "1.26.18"), ("requests", "2.25.1"), ("requests", "2.31.0"),
           ("pyyaml", "5.3.1"), ("jinja2", "2.11.2"), ("pydantic", "1.10.4"), ("cryptography", "3.3.2"),
           ("python_dateutil", "2.8.2"), ("six", "1.16.0"), ("idna", "2.10"), ("certifi", "2020.12.5")]
POOL = 24
TOKEN_CHARS = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
DEMO_KEY = {"access_key_id": "AKIAYTZWH2NUO6OXQBF6", "secret": "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",
            "user_name": "security-review"}


def weighted(rnd, pairs):
    total = sum(w for _, w in pairs)
    x = rnd.uniform(0, total)
    for v, w in pairs:
        x -= w
        if x <= 0:
            return v
    return pairs[-1][0]


def package_pool(rnd):
    """24 package specs: half node, half python, sizes from 100 KB to about
    4 MB once zipped, each with a dependency tree."""
    pool = []
    for i in range(POOL):
        node = i % 2 == 0
        big = rnd.random()
        kb = int(300 + 14000 * big ** 3)        # most small, a few large (uncompressed KB)
        deps = rnd.sample(NODE_DEPS if node else PY_DEPS, rnd.randint(2, 6))
        per = max(10, kb // len(deps))
        spec = {"kind": "node" if node else "python", "seed": 1000 + i, "level": 1, "code_kb": max(8, kb // 10),
                "name": "svc-%d" % i, "deps": [[n, v, per] for n, v in deps]}
        spec["files"] = ({"index.js": "exports.handler = async (event) => ({ statusCode: 200 });\n"} if node else
                         {"lambda_function.py": "def lambda_handler(event, context):\n    return {'ok': True}\n"})
        pool.append(spec)
    return pool


def describe(functions, regions, seed):
    """The account description of a generated estate."""
    rnd = random.Random(seed)
    account_id = "%012d" % (271828182845 + seed % 1000)
    regs = REGIONS[:max(1, min(regions, len(REGIONS)))]
    pool = package_pool(rnd)
    n_roles = max(3, functions // 4)
    roles = []
    role_names = []
    for i in range(n_roles):
        name = "gen-%s-%s-role-%d" % (rnd.choice(TEAMS), rnd.choice(NOUNS), i)
        kind = rnd.random()
        r = {"name": name, "managed": ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
             "age_days": rnd.randint(30, 1500), "usage": {"logs": {"days_ago": rnd.randint(0, 3)}}}
        if kind < 0.03:
            r["managed"].append("arn:aws:iam::aws:policy/AdministratorAccess")
        elif kind < 0.06:
            r["managed"].append("arn:aws:iam::aws:policy/PowerUserAccess")
        elif kind < 0.16:
            r["inline"] = {"wide": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["%s:*" % rnd.choice(["s3", "dynamodb", "sqs", "sns"])],
                 "Resource": "*"}]}}
        elif kind < 0.18:
            r["inline"] = {"deploy": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
                 "Resource": "*"}]}}
        else:
            r["inline"] = {"data": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
                 "Resource": "arn:aws:dynamodb:*:%s:table/gen-%s-%d" % (account_id, rnd.choice(NOUNS), i)}]}}
            r["usage"]["dynamodb"] = {"days_ago": rnd.randint(0, 30)}
        roles.append(r)
        role_names.append(name)
    desc = {"account": {"id": account_id, "alias": "generated-%d" % seed, "home_region": regs[0],
                        "keys": [DEMO_KEY]},
            "metrics_mode": "model", "roles": roles, "regions": {}}
    per_region = [functions // len(regs) + (1 if i < functions % len(regs) else 0) for i in range(len(regs))]
    serial = 0
    for region, count in zip(regs, per_region):
        fns, queues, topics, buckets, tables, schedules, orphans = [], [], [], [], [], [], []
        rest_routes, http_routes = [], []
        for i in range(count):
            serial += 1
            name = "%s-%s-%d" % (rnd.choice(NOUNS), rnd.choice(VERBS), serial)
            runtime = weighted(rnd, RUNTIMES)
            pkg = pool[rnd.randrange(POOL)]
            if runtime.startswith("nodejs") != (pkg["kind"] == "node"):
                pkg = pool[(pool.index(pkg) + 1) % POOL]
            # Zipf-like role sharing: a few roles serve many functions.
            role = role_names[min(int((rnd.paretovariate(1.2) - 1) * 3), n_roles - 1)] if rnd.random() < 0.5 \
                else rnd.choice(role_names)
            dead = rnd.random() < 0.2
            base = int(rnd.lognormvariate(5, 2)) + 1
            dur = round(rnd.lognormvariate(5.3, 1.0), 1)
            metrics = {"base": 0, "dur_ms": 0, "dead": True} if dead else \
                {"base": base, "dur_ms": dur, "err_rate": round(rnd.uniform(0, 0.01), 4)}
            if not dead and rnd.random() < 0.02:
                metrics.update({"jump_at": rnd.randint(70, 85), "jump_rate": round(rnd.uniform(0.1, 0.4), 2)})
            timeout = rnd.choice([3, 6, 10, 15, 30, 30, 60, 60, 120, 300])
            if rnd.random() < 0.05:
                timeout = 900
                if not dead:
                    metrics["dmax_cap"] = 2000
            f = {"name": name, "runtime": runtime, "role": role, "package": pkg,
                 "handler": ("index.handler" if runtime.startswith("nodejs") else
                             "lambda_function.lambda_handler" if runtime.startswith("python") else
                             "bootstrap" if runtime == "go1.x" else "com.example.Handler::handleRequest"),
                 "timeout": timeout, "memory": rnd.choice([128, 256, 256, 512, 1024, 1536, 2048]),
                 "metrics": metrics, "age_days": rnd.randint(10, 1400),
                 "log_retention": rnd.choice([None, None, None, 7, 14, 30, 90, 365]),
                 "tags": {"team": rnd.choice(TEAMS), "env": "prod"}}
            if rnd.random() < 0.02:
                # A FAKE Stripe-format key (secret in an environment variable).
                f["env"] = {"API_TOKEN": "sk_live_" + "".join(rnd.choice(TOKEN_CHARS) for _ in range(24))}
            else:
                f["env"] = {"LOG_LEVEL": rnd.choice(["info", "warn", "debug"]), "STAGE": "prod"}
            if rnd.random() < 0.03:
                f["url"] = "NONE" if rnd.random() < 0.6 else "AWS_IAM"
            fns.append(f)
            t = rnd.random()
            if t < 0.25:
                rest_routes.append({"method": rnd.choice(["GET", "POST", "PUT", "DELETE"]),
                                    "path": "/%s/%d" % (rnd.choice(NOUNS), serial), "function": name,
                                    "auth": rnd.random() < 0.85})
            elif t < 0.40:
                http_routes.append({"key": "%s /%s/%d" % (rnd.choice(["GET", "POST"]), rnd.choice(NOUNS), serial),
                                    "function": name, "auth": rnd.random() < 0.85})
            elif t < 0.55:
                queues.append({"name": "gen-q-%d" % serial, "consumers": [name]})
            elif t < 0.62:
                topics.append({"name": "gen-t-%d" % serial, "subscribers": [name]})
            elif t < 0.70:
                buckets.append({"name": "gen-%s-%d-%s" % (account_id, serial, region), "notify": [{"function": name}],
                                "public": rnd.random() < 0.05})
            elif t < 0.80:
                schedules.append({"name": "gen-s-%d" % serial, "expr": rnd.choice(
                    ["rate(5 minutes)", "rate(1 hour)", "cron(0 3 * * ? *)"]), "function": name})
            elif t < 0.84:
                tables.append({"name": "gen-table-%d" % serial, "stream": True, "stream_to": [name]})
        for j in range(max(1, count // 20)):
            orphans.append({"name": "/aws/lambda/deleted-fn-%s-%d" % (region, j), "bytes": rnd.randint(0, 1 << 30),
                            "age_days": rnd.randint(100, 1500)})
        rest_apis = []
        for j in range(0, len(rest_routes), 25):
            rest_apis.append({"name": "gen-rest-%s-%d" % (region, j // 25), "routes": rest_routes[j:j + 25]})
        http_apis = []
        for j in range(0, len(http_routes), 25):
            http_apis.append({"name": "gen-http-%s-%d" % (region, j // 25), "routes": http_routes[j:j + 25],
                              "jwt_issuer": "https://auth.example.com/"})
        desc["regions"][region] = {"functions": fns, "queues": queues, "topics": topics, "buckets": buckets,
                                   "tables": tables, "schedules": schedules, "orphan_log_groups": orphans,
                                   "rest_apis": rest_apis, "http_apis": http_apis}
    return desc


def generate(functions=100, regions=2, seed=1):
    world = World()
    seed_mod.seed_account(world, describe(functions, regions, seed))
    return world


def main(argv):
    import argparse
    import resource
    import time
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--functions", type=int, default=100)
    ap.add_argument("--regions", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="save the world as JSON (loadable with --account FILE)")
    a = ap.parse_args(argv)
    t0 = time.time()
    w = generate(a.functions, a.regions, a.seed)
    n = sum(len(r.svc.get("lambda", {}).get("functions", {})) for acct in w.accounts.values()
            for r in acct.regions.values())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("generated %d functions in %.1f s, %d distinct packages (%.1f MB), max RSS %.0f MB"
          % (n, time.time() - t0, len(w.code), sum(map(len, w.code.values())) / 1e6, rss))
    if a.out:
        w.save(a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
