"""The query protocol (IAM, STS, SNS, SQS 2012-11-05, CloudWatch): a form
(Action=...&Version=...&Name.member.1=...) in, XML out."""
from . import common
from .common import ParseError


def _tree(pairs):
    """Flat "A.member.1.B" keys -> nested dicts; a node's own value is "" key."""
    root = {}
    for key, value in pairs:
        node = root
        for part in key.split("."):
            nxt = node.get(part)
            if nxt is None:
                nxt = node[part] = {}
            node = nxt
        node[""] = value
    return root


def _value(node, shape):
    t = shape.type_name
    if t == "structure":
        out = {}
        for mname, mshape in shape.members.items():
            key = common.xml_member_name(mshape, mname) if mshape.type_name == "list" \
                else mshape.serialization.get("name", mname)
            child = node.get(key)
            if child is None:
                continue
            out[mname] = _value(child, mshape)
        return out
    if t == "list":
        if shape.serialization.get("flattened"):
            items = node
        else:
            items = node.get(shape.member.serialization.get("name", "member"), {})
        return [_value(items[i], shape.member)
                for i in sorted((k for k in items if k.isdigit()), key=int)]
    if t == "map":
        entries = node if shape.serialization.get("flattened") else node.get("entry", {})
        kname = shape.key.serialization.get("name", "key")
        vname = shape.value.serialization.get("name", "value")
        out = {}
        for i in sorted((k for k in entries if k.isdigit()), key=int):
            e = entries[i]
            if kname in e:
                k = _value(e[kname], shape.key)
                out[k] = _value(e[vname], shape.value) if vname in e else None
        return out
    if "" not in node:
        raise ParseError("expected a value")
    return common.scalar_from_string(shape, node[""])


def parse(service, op_model, req, uri_params):
    shape = op_model.input_shape
    if shape is None:
        return {}
    pairs = [(k, v) for k, v in req.form if k not in ("Action", "Version")]
    return _value(_tree(pairs), shape)


def _request_id(req):
    return req.request_id


def serialize(service, op_model, result, req):
    name = op_model.name
    ns = service.xml_namespace or ""
    parts = ['<%sResponse xmlns="%s">' % (name, ns)]
    shape = op_model.output_shape
    if shape is not None:
        wrapper = op_model.output_shape.serialization.get("resultWrapper") or \
            op_model.metadata.get("resultWrapper") or ("%sResult" % name)
        parts.append("<%s>%s</%s>" % (wrapper, common.xml_members(shape, result or {}), wrapper))
    parts.append("<ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></%sResponse>"
                 % (_request_id(req), name))
    body = "".join(parts).encode()
    return 200, [("Content-Type", "text/xml")], body


def serialize_error(service, code, message, status, shape_name, extra, req):
    kind = "Receiver" if status >= 500 else "Sender"
    body = ('<ErrorResponse xmlns="%s"><Error><Type>%s</Type><Code>%s</Code>'
            '<Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>'
            % (service.xml_namespace or "", kind, common.esc(code), common.esc(message or ""),
               _request_id(req))).encode()
    return status, [("Content-Type", "text/xml")], body


def content_type():
    return "text/xml"
