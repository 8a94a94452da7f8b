"""The rest-json protocol (Lambda, API Gateway v1 and v2): the operation
from method + URI template, members in the path, query string, headers and
a JSON body (or a raw payload); answers likewise, errors with
x-amzn-ErrorType and a JSON body."""
import json

from . import common, rest
from .common import ParseError


def parse(service, op_model, req, uri_params):
    shape = op_model.input_shape
    if shape is None:
        return {}
    params = rest.parse_located(shape, req, uri_params)
    payload = shape.serialization.get("payload")
    body = req.body
    if payload:
        pshape = shape.members[payload]
        if pshape.type_name in ("blob", "string"):
            if body:
                params[payload] = body if pshape.type_name == "blob" else body.decode("utf-8")
        elif body and body.strip():
            params[payload] = common.json_in(pshape, _load(body))
        return params
    if body and body.strip():
        doc = _load(body)
        body_params = common.json_in(shape, doc)
        for k, v in body_params.items():
            if not shape.members[k].serialization.get("location"):
                params[k] = v
    return params


def _load(body):
    try:
        return json.loads(body)
    except ValueError as e:
        raise ParseError("malformed JSON: %s" % e)


def serialize(service, op_model, result, req):
    shape = op_model.output_shape
    result = result or {}
    status = op_model.http.get("responseCode", 200)
    headers = [("Content-Type", "application/json")]
    if shape is None:
        return status, headers, b""
    status = rest.located_out(shape, result, headers, status)
    payload = shape.serialization.get("payload")
    if payload:
        v = result.get(payload)
        pshape = shape.members[payload]
        if v is None:
            return status, headers, b""
        if pshape.type_name == "blob":
            return status, headers, bytes(v)
        if pshape.type_name == "string":
            return status, headers, v.encode() if isinstance(v, str) else bytes(v)
        return status, headers, json.dumps(common.json_out(pshape, v),
                                           separators=(",", ":")).encode()
    if not any(not m.serialization.get("location") for m in shape.members.values()):
        return status, headers, b""
    doc = common.json_out(shape, result)
    return status, headers, json.dumps(doc, separators=(",", ":")).encode()


def serialize_error(service, code, message, status, shape_name, extra, req):
    headers = [("Content-Type", "application/json"), ("x-amzn-ErrorType", code)]
    doc = {}
    members = {}
    if shape_name:
        members = service.model.shape_for(shape_name).members
    if "Message" in members and "message" not in members:
        doc["Message"] = message or ""
    else:
        doc["message"] = message or ""
    if "Type" in members:
        doc["Type"] = "Service" if status >= 500 else "User"
    for k, v in extra.items():
        if k == "headers":
            headers.extend(v.items())
            continue
        m = members.get(k)
        if m is not None and m.serialization.get("location") == "header":
            headers.append((m.serialization.get("locationName", k), str(v)))
        else:
            doc[k] = v
    body = json.dumps(doc, separators=(",", ":"), default=str).encode()
    return status, headers, body
