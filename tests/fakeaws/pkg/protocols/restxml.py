"""The rest-xml protocol (S3): the operation from method + URI template +
literal query keys (?policy, ?list-type=2); XML payloads; errors as
<Error><Code/><Message/></Error>."""
from . import common, rest

S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"


def parse(service, op_model, req, uri_params):
    shape = op_model.input_shape
    if shape is None:
        return {}
    params = rest.parse_located(shape, req, uri_params)
    body = req.body
    payload = shape.serialization.get("payload")
    if payload:
        pshape = shape.members[payload]
        if pshape.type_name == "blob":
            params[payload] = body or b""
        elif pshape.type_name == "string":
            if body:
                params[payload] = body.decode("utf-8")
        elif body and body.strip():
            params[payload] = common.xml_to_value(common.xml_parse(body), pshape)
    elif body and body.strip():
        doc = common.xml_to_value(common.xml_parse(body), shape)
        for k, v in doc.items():
            params.setdefault(k, v)
    return params


def serialize(service, op_model, result, req):
    shape = op_model.output_shape
    result = result or {}
    status = op_model.http.get("responseCode", 200)
    headers = []
    if shape is None:
        return status, headers, b""
    status = rest.located_out(shape, result, headers, status)
    payload = shape.serialization.get("payload")
    if op_model.name == "GetBucketLocation":
        # Not modelled: the document's root element carries the region as
        # its text (botocore parses it by hand, handlers.parse_get_bucket_location).
        v = result.get("LocationConstraint") or ""
        headers.append(("Content-Type", "application/xml"))
        return status, headers, ('<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint '
                                 'xmlns="%s">%s</LocationConstraint>' % (S3_NS, common.esc(v))).encode()
    if payload:
        v = result.get(payload)
        pshape = shape.members[payload]
        if v is None:
            return status, headers, b""
        if pshape.type_name in ("blob", "string"):
            if not any(h[0].lower() == "content-type" for h in headers):
                headers.append(("Content-Type", "application/octet-stream"
                                if pshape.type_name == "blob" else "text/plain"))
            return status, headers, v.encode() if isinstance(v, str) else bytes(v)
        name = pshape.serialization.get("name", payload)
        out = []
        common.xml_value(out, name, pshape, v)
        body = out[0] if len(out) == 1 else "".join(out)
        body = _add_ns(body, name)
    else:
        if not any(not m.serialization.get("location") for m in shape.members.values()):
            return status, headers, b""
        name = shape.serialization.get("name") or (op_model.name + "Result")
        body = '<%s xmlns="%s">%s</%s>' % (name, S3_NS, common.xml_members(shape, result), name)
    headers.append(("Content-Type", "application/xml"))
    return status, headers, ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode()


def _add_ns(body, name):
    head = "<%s" % name
    if body.startswith(head) and "xmlns=" not in body[:body.find(">")]:
        return head + ' xmlns="%s"' % S3_NS + body[len(head):]
    return body


def serialize_error(service, code, message, status, shape_name, extra, req):
    parts = ["<Error><Code>%s</Code><Message>%s</Message>" % (common.esc(code),
                                                             common.esc(message or ""))]
    headers = [("Content-Type", "application/xml")]
    for k, v in extra.items():
        if k == "headers":
            headers.extend(v.items())
        else:
            parts.append("<%s>%s</%s>" % (k, common.esc(str(v)), k))
    parts.append("<RequestId>%s</RequestId><HostId>%s</HostId></Error>"
                 % (req.request_id, req.request_id))
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n' + "".join(parts)).encode()
    if req.method == "HEAD":
        body = b""
    return status, headers, body
