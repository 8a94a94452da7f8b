"""The admin endpoint, unsigned, under /_fakeaws/:

  GET  /_fakeaws/health            {"ok": true}
  POST /_fakeaws/faults            add rule(s): {"service", "operation" or "*",
                                   "kind": throttle|500|503|reset|stall|truncate|malformed,
                                   "count" (default 1; null = every call), "seconds"}
  GET  /_fakeaws/faults            the live rules;  DELETE /_fakeaws/faults clears them
  GET  /_fakeaws/calls             counts per service/operation, per access key,
                                   throttled, faulted and errors by code
  POST /_fakeaws/reset             state back to the seed; counters, faults,
                                   temporary keys and quota buckets cleared
  POST /_fakeaws/save              {"path": F} (default --state-out): state to F
  POST /_fakeaws/load              {"path": F}: state from F (keys reloaded)
  GET|POST /_fakeaws/quotas        {"mode": "aws"|"off"} and/or {"quotas": [{"service",
                                   "operation", "rate", "burst"}]}: read or set quotas
  POST /_fakeaws/clock             {"offset": seconds}: skews the server's clock
  GET  /_fakeaws/blob/<token>      a blob a handler published (Lambda Code.Location)
"""
import json
import traceback

from .server import Response

JSON = [("Content-Type", "application/json")]


def _ok(doc, status=200):
    return Response(status, list(JSON), json.dumps(doc, default=str).encode())


def _bad(msg, status=400):
    return _ok({"error": msg}, status)


class Admin:
    def __init__(self, app):
        self.app = app

    def handle(self, req):
        path = req.raw_path[len("/_fakeaws/"):].strip("/")
        try:
            doc = json.loads(req.body) if req.body and req.body.strip() else {}
        except ValueError:
            return _bad("body is not JSON")
        try:
            return self.dispatch(req.method, path, doc)
        except (ValueError, KeyError, TypeError, OSError) as e:
            return _bad("%s: %s" % (type(e).__name__, e))
        except Exception as e:
            traceback.print_exc()
            return _bad("%s: %s" % (type(e).__name__, e), 500)

    def dispatch(self, method, path, doc):
        app = self.app
        if path.startswith("blob/") and method in ("GET", "HEAD"):
            data = app.world.blobs.get(path[5:])
            if data is None:
                return Response(404, [("Content-Type", "application/xml")],
                                b"<Error><Code>NoSuchKey</Code></Error>")
            return Response(200, [("Content-Type", "application/zip")], data)
        if path == "health":
            return _ok({"ok": True})
        if path == "faults":
            if method == "GET":
                return _ok({"faults": app.faults.to_json()})
            if method == "DELETE":
                app.faults.clear()
                return _ok({"faults": []})
            rules = app.faults.add(doc)
            return _ok({"added": [r.to_json() for r in rules]})
        if path == "calls":
            if method == "DELETE":
                app.counters.clear()
            return _ok(app.counters.to_json())
        if path == "reset" and method == "POST":
            app.reset()
            return _ok({"reset": True})
        if path == "save" and method == "POST":
            target = doc.get("path") or app.state_out
            if not target:
                return _bad("no path given and no --state-out")
            app.world.save(target)
            return _ok({"saved": target})
        if path == "load" and method == "POST":
            app.load(doc["path"])
            return _ok({"loaded": doc["path"]})
        if path == "quotas":
            if method == "POST":
                table = None
                if "quotas" in doc:
                    table = {}
                    for q in doc["quotas"]:
                        name = q.get("bucket") or "%s:%s" % (q["service"], q.get("operation", "*"))
                        table[(q["service"], q.get("operation", "*"))] = (
                            name, float(q["rate"]), float(q.get("burst", q["rate"])))
                app.quotas.set_mode(doc.get("mode", "custom" if table else "off"), table)
            return _ok(app.quotas.describe())
        if path == "clock" and method == "POST":
            app.clock_offset = float(doc.get("offset", 0))
            return _ok({"offset": app.clock_offset})
        return _bad("no admin route %s /_fakeaws/%s" % (method, path), 404)
