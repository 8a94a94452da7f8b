"""Faults on demand, per service/operation: throttle the next N calls,
answer 500/503, reset the connection, stall for T seconds, cut the body
short, answer malformed JSON/XML. Rules come from POST /_fakeaws/faults or
`--faults FILE` (a JSON list of rules, or {"faults": [...]})."""
import json
import threading

KINDS = ("throttle", "500", "503", "reset", "stall", "truncate", "malformed")


class Rule:
    __slots__ = ("service", "operation", "kind", "count", "seconds", "fired")

    def __init__(self, service, operation, kind, count, seconds):
        self.service = service
        self.operation = operation
        self.kind = kind
        self.count = count        # calls left; < 0: every call
        self.seconds = seconds
        self.fired = 0

    def to_json(self):
        return {"service": self.service, "operation": self.operation, "kind": self.kind,
                "count": self.count, "seconds": self.seconds, "fired": self.fired}


def rule_from_json(d):
    if not isinstance(d, dict):
        raise ValueError("a fault rule is a JSON object")
    kind = str(d.get("kind", ""))
    if kind not in KINDS:
        raise ValueError("kind must be one of %s" % ", ".join(KINDS))
    count = d.get("count", 1)
    count = -1 if count is None else int(count)
    seconds = float(d.get("seconds", 5.0 if kind == "stall" else 0))
    return Rule(str(d.get("service", "*")), str(d.get("operation", "*") or "*"), kind,
                count, seconds)


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self.rules = []

    def add(self, doc):
        items = doc.get("faults", doc) if isinstance(doc, dict) and "kind" not in doc else doc
        if isinstance(items, dict):
            items = [items]
        rules = [rule_from_json(d) for d in items]
        with self._lock:
            self.rules.extend(rules)
        return rules

    def load_file(self, path):
        with open(path) as f:
            return self.add(json.load(f))

    def clear(self):
        with self._lock:
            self.rules = []

    def take(self, service_id, operation):
        """The first live rule matching the call (consuming one use), or None."""
        if not self.rules:
            return None
        with self._lock:
            for r in self.rules:
                if r.service not in ("*", service_id) or r.operation not in ("*", operation):
                    continue
                if r.count == 0:
                    continue
                if r.count > 0:
                    r.count -= 1
                r.fired += 1
                if r.count == 0:
                    self.rules.remove(r)
                return r
        return None

    def to_json(self):
        with self._lock:
            return [r.to_json() for r in self.rules]
