"""What rest-json and rest-xml share: members bound to the URI, the query
string, headers and the status code."""
import base64
import json

from . import common


def parse_located(shape, req, uri_params):
    params = {}
    for mname, m in shape.members.items():
        loc = m.serialization.get("location")
        if not loc:
            continue
        name = m.serialization.get("name", mname)
        if loc == "uri":
            if mname in uri_params:
                params[mname] = common.scalar_from_string(m, uri_params[mname])
        elif loc == "querystring":
            if m.type_name == "map":
                taken = {mm.serialization.get("name", n) for n, mm in shape.members.items()
                         if mm.serialization.get("location") == "querystring"}
                mp = {}
                for k, vs in req.query.items():
                    if k not in taken:
                        mp[k] = vs if m.value.type_name == "list" else vs[0]
                if mp:
                    params[mname] = mp
            elif name in req.query:
                vs = req.query[name]
                if m.type_name == "list":
                    params[mname] = [common.scalar_from_string(m.member, v) for v in vs]
                else:
                    params[mname] = common.scalar_from_string(m, vs[0])
        elif loc == "header":
            v = req.headers.get(name.lower())
            if v is None:
                continue
            if m.type_name == "timestamp":
                params[mname] = common.to_datetime(v)
            elif m.type_name == "list":
                params[mname] = [x.strip() for x in v.split(",")]
            elif m.type_name == "string" and m.serialization.get("jsonvalue"):
                params[mname] = json.loads(base64.b64decode(v))
            else:
                params[mname] = common.scalar_from_string(m, v)
        elif loc == "headers":
            prefix = name.lower()
            mp = {k[len(prefix):]: v for k, v in req.headers.items() if k.startswith(prefix)}
            if mp:
                params[mname] = mp
    return params


def located_out(shape, result, headers, status):
    """Adds header-bound members to headers; returns the status code."""
    for mname, m in shape.members.items():
        loc = m.serialization.get("location")
        if not loc:
            continue
        v = result.get(mname)
        if v is None:
            continue
        if loc == "statusCode":
            status = int(v)
        elif loc == "header":
            name = m.serialization.get("name", mname)
            if m.type_name == "timestamp":
                v = common.format_timestamp(v, m.serialization.get("timestampFormat", "rfc822"))
            elif m.type_name == "list":
                v = ",".join(str(x) for x in v)
            elif m.type_name == "string" and m.serialization.get("jsonvalue"):
                v = base64.b64encode(json.dumps(v).encode()).decode()
            else:
                v = common.scalar_to_string(m, v)
            headers.append((name, str(v)))
        elif loc == "headers":
            prefix = m.serialization.get("name", mname)
            for k, x in v.items():
                headers.append((prefix + k, str(x)))
    return status
