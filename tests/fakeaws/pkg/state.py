"""The simulated cloud's state: a World of Accounts, each with global
(per-account) service state and Regions holding per-region service state.

Every service module owns the layout of its own state dict, reached through
`ctx.account.svc(service_id, ctx.region)` (regional) or
`ctx.account.svc(service_id)` (global, e.g. IAM, S3's bucket list). State is
plain data (dict, list, str, int, float, bool, None, bytes, datetime) so the
whole world round-trips through JSON: bytes and datetimes are tagged on the
way out and restored on the way in.

Function code packages are large and often identical between functions, so
they live once in `World.code` (CodeSha256 -> zip bytes), shared by every
function and layer version that carries the same package.
"""
import base64
import copy
import datetime
import hashlib
import json


class Region:
    """One region of one account: service_id -> that service's state."""

    def __init__(self, name):
        self.name = name
        self.svc = {}

    def to_json(self):
        return {"name": self.name, "svc": self.svc}

    @classmethod
    def from_json(cls, d):
        r = cls(d["name"])
        r.svc = d.get("svc", {})
        return r


class Account:
    """One AWS account: its id, alias, long-term keys, global service state
    (glob) and regions (created on first use)."""

    def __init__(self, account_id, alias="", home_region="us-east-1"):
        self.id = account_id
        self.alias = alias
        self.home_region = home_region
        # [{"access_key_id", "secret", "user_name", "user_id"}]
        self.keys = []
        self.glob = {}
        self.regions = {}

    def region(self, name):
        r = self.regions.get(name)
        if r is None:
            r = self.regions.setdefault(name, Region(name))
        return r

    def svc(self, service_id, region=None, factory=dict):
        """The state holder of service_id: global when region is None,
        else that region's. factory() makes it on first use."""
        holder = self.glob if region is None else self.region(region).svc
        st = holder.get(service_id)
        if st is None:
            st = holder.setdefault(service_id, factory())
        return st

    def add_key(self, access_key_id, secret, user_name="admin", user_id=None):
        if user_id is None:
            digest = hashlib.sha256((self.id + user_name).encode()).digest()
            user_id = "AIDA" + base64.b32encode(digest).decode()[:17]
        self.keys.append({"access_key_id": access_key_id, "secret": secret,
                          "user_name": user_name, "user_id": user_id})

    def to_json(self):
        return {"id": self.id, "alias": self.alias, "home_region": self.home_region,
                "keys": self.keys, "glob": self.glob,
                "regions": {n: r.to_json() for n, r in self.regions.items()}}

    @classmethod
    def from_json(cls, d):
        a = cls(d["id"], d.get("alias", ""), d.get("home_region", "us-east-1"))
        a.keys = d.get("keys", [])
        a.glob = d.get("glob", {})
        a.regions = {n: Region.from_json(r) for n, r in d.get("regions", {}).items()}
        return a


class World:
    """All accounts, plus the blobs served at /_fakeaws/blob/<token> and
    the shared code store."""

    def __init__(self):
        self.accounts = {}
        self.blobs = {}
        self.code = {}      # CodeSha256 (base64) -> zip bytes
        # id(bytes) -> (bytes, sha): seeding hands the same package object to
        # thousands of functions; hash it once. Holding the object keeps the id valid.
        self._sha_memo = {}

    def account(self, account_id):
        return self.accounts[account_id]

    def add_account(self, account_id, alias="", home_region="us-east-1"):
        a = self.accounts.get(account_id)
        if a is None:
            a = self.accounts[account_id] = Account(account_id, alias, home_region)
        return a

    def long_term_keys(self):
        out = []
        for a in self.accounts.values():
            for k in a.keys:
                out.append((k["access_key_id"], k["secret"], a.id,
                            "arn:aws:iam::%s:user/%s" % (a.id, k["user_name"]),
                            k["user_id"]))
        return out

    def put_code(self, data):
        """Stores a package once; returns its CodeSha256 (base64 sha256)."""
        memo = self._sha_memo.get(id(data))
        if memo is not None and memo[0] is data:
            return memo[1]
        sha = base64.b64encode(hashlib.sha256(data).digest()).decode()
        self._sha_memo[id(data)] = (data, sha)
        self.code.setdefault(sha, data)
        return sha

    def to_json(self):
        return _tag({"accounts": {i: a.to_json() for i, a in self.accounts.items()},
                     "code": self.code})

    @classmethod
    def from_json(cls, d):
        d = _untag(d)
        w = cls()
        w.accounts = {i: Account.from_json(a) for i, a in d.get("accounts", {}).items()}
        w.code = d.get("code", {})
        return w

    def copy(self):
        """A deep copy (for reset-to-seed); code bytes are immutable and shared."""
        w = World()
        w.code = dict(self.code)
        w.accounts = copy.deepcopy(self.accounts)
        return w

    def save(self, path):
        with open(path, "w") as f:
            json.dump(self.to_json(), f, separators=(",", ":"))

    @classmethod
    def load(cls, path):
        with open(path) as f:
            return cls.from_json(json.load(f))


def _tag(v):
    """bytes -> {"$b64": ...}, datetime -> {"$dt": iso}, recursively."""
    if isinstance(v, dict):
        return {k: _tag(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_tag(x) for x in v]
    if isinstance(v, (bytes, bytearray)):
        return {"$b64": base64.b64encode(v).decode()}
    if isinstance(v, datetime.datetime):
        return {"$dt": v.isoformat()}
    return v


def _untag(v):
    if isinstance(v, dict):
        if len(v) == 1:
            if "$b64" in v:
                return base64.b64decode(v["$b64"])
            if "$dt" in v:
                return datetime.datetime.fromisoformat(v["$dt"])
        return {k: _untag(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_untag(x) for x in v]
    return v


def build_world(spec, functions=None, regions=None, seed=None):
    """spec: "demo" | "generated" (with functions/regions/seed) | a path to
    a saved world (JSON from World.save) or an account description file."""
    from . import seed as seed_mod
    return seed_mod.build_world(spec, functions=functions, regions=regions, seed=seed)
