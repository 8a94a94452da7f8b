"""Helpers shared by the protocols: timestamps, scalars, XML."""
import base64
import calendar
import datetime
import email.utils
import xml.etree.ElementTree as ET

UTC = datetime.timezone.utc


class ParseError(Exception):
    """The request does not parse against the model (answered 400)."""


def to_datetime(value):
    """A timestamp from a handler or a request: datetime, epoch number or a
    string (ISO 8601, RFC 822, or epoch) -> aware UTC datetime."""
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, UTC)
    s = str(value).strip()
    try:
        return datetime.datetime.fromtimestamp(float(s), UTC)
    except ValueError:
        pass
    try:
        iso = s[:-1] + "+00:00" if s.endswith("Z") else s
        d = datetime.datetime.fromisoformat(iso)
        return d if d.tzinfo else d.replace(tzinfo=UTC)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(s).astimezone(UTC)
    except (TypeError, ValueError):
        raise ParseError("invalid timestamp %r" % s)


def format_timestamp(value, fmt):
    """fmt: iso8601 | unixTimestamp | rfc822."""
    if isinstance(value, str) and fmt == "iso8601":
        return value if value.endswith("Z") or "+" in value else value + "Z"
    d = to_datetime(value)
    if fmt == "unixTimestamp":
        ts = calendar.timegm(d.utctimetuple()) + d.microsecond / 1e6
        return int(ts) if ts == int(ts) else round(ts, 3)
    if fmt == "rfc822":
        return email.utils.format_datetime(d.astimezone(UTC), usegmt=True)
    if d.microsecond:
        return d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (d.microsecond // 1000)
    return d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def b64(value):
    if isinstance(value, str):
        value = value.encode()
    return base64.b64encode(value).decode()


def unb64(value):
    try:
        return base64.b64decode(value)
    except (ValueError, TypeError):
        raise ParseError("invalid base64")


def scalar_from_string(shape, s, ts_default="iso8601"):
    """A scalar given as text (query string, header, XML, form) -> python."""
    t = shape.type_name
    try:
        if t in ("integer", "long"):
            return int(s)
        if t in ("float", "double"):
            return float(s)
    except ValueError:
        raise ParseError("invalid number %r" % s)
    if t == "boolean":
        return str(s).lower() == "true"
    if t == "timestamp":
        return to_datetime(s)
    if t == "blob":
        return unb64(s)
    return s


def scalar_to_string(shape, v, ts_default="iso8601"):
    t = shape.type_name
    if t == "boolean":
        return "true" if v else "false"
    if t == "timestamp":
        return str(format_timestamp(v, shape.serialization.get("timestampFormat", ts_default)))
    if t == "blob":
        return b64(v)
    if t in ("float", "double"):
        return repr(float(v))
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    return str(v)


# ------------------------------------------------------------------ XML out

_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;"})


def esc(s):
    return s.translate(_ESC)


def xml_member_name(shape, member_name):
    if shape.type_name == "list" and shape.serialization.get("flattened"):
        n = shape.member.serialization.get("name")
        if n:
            return n
    return shape.serialization.get("name", member_name)


def xml_value(out, name, shape, value, ts_default="iso8601"):
    """Appends <name>value</name> to out, by shape."""
    t = shape.type_name
    if t == "structure":
        attrs = []
        ns = shape.serialization.get("xmlNamespace")
        if isinstance(ns, dict) and ns.get("uri"):
            if ns.get("prefix"):
                attrs.append(' xmlns:%s="%s"' % (ns["prefix"], esc(ns["uri"])))
        inner = []
        for mname, mshape in shape.members.items():
            v = value.get(mname) if isinstance(value, dict) else None
            if v is None:
                continue
            if mshape.serialization.get("xmlAttribute"):
                attrs.append(' %s="%s"' % (mshape.serialization.get("name", mname),
                                           esc(scalar_to_string(mshape, v, ts_default))))
                continue
            loc = mshape.serialization.get("location")
            if loc in ("header", "headers", "statusCode"):
                continue
            xml_member(inner, mname, mshape, v, ts_default)
        out.append("<%s%s>%s</%s>" % (name, "".join(attrs), "".join(inner), name))
    elif t == "list":
        member = shape.member
        if shape.serialization.get("flattened"):
            for item in value:
                xml_value(out, name, member, item, ts_default)
        else:
            item_name = member.serialization.get("name", "member")
            out.append("<%s>" % name)
            for item in value:
                xml_value(out, item_name, member, item, ts_default)
            out.append("</%s>" % name)
    elif t == "map":
        kname = shape.key.serialization.get("name", "key")
        vname = shape.value.serialization.get("name", "value")
        if shape.serialization.get("flattened"):
            for k, v in value.items():
                out.append("<%s>" % name)
                xml_value(out, kname, shape.key, k, ts_default)
                xml_value(out, vname, shape.value, v, ts_default)
                out.append("</%s>" % name)
        else:
            out.append("<%s>" % name)
            for k, v in value.items():
                out.append("<entry>")
                xml_value(out, kname, shape.key, k, ts_default)
                xml_value(out, vname, shape.value, v, ts_default)
                out.append("</entry>")
            out.append("</%s>" % name)
    else:
        out.append("<%s>%s</%s>" % (name, esc(scalar_to_string(shape, value, ts_default)), name))


def xml_member(out, member_name, shape, value, ts_default="iso8601"):
    xml_value(out, xml_member_name(shape, member_name), shape, value, ts_default)


def xml_members(shape, value, ts_default="iso8601"):
    """The children of a structure (no enclosing element)."""
    out = []
    for mname, mshape in shape.members.items():
        v = value.get(mname)
        if v is None:
            continue
        loc = mshape.serialization.get("location")
        if loc in ("header", "headers", "statusCode") or mshape.serialization.get("xmlAttribute"):
            continue
        xml_member(out, mname, mshape, v, ts_default)
    return "".join(out)


# ------------------------------------------------------------------- XML in

def _local(tag):
    return tag.rsplit("}", 1)[-1]


def xml_parse(body):
    try:
        return ET.fromstring(body)
    except ET.ParseError as e:
        raise ParseError("malformed XML: %s" % e)


def xml_to_value(node, shape):
    """An ElementTree node (already the element for shape) -> python."""
    t = shape.type_name
    if t == "structure":
        out = {}
        children = {}
        for child in node:
            children.setdefault(_local(child.tag), []).append(child)
        for mname, mshape in shape.members.items():
            if mshape.serialization.get("xmlAttribute"):
                want = mshape.serialization.get("name", mname).split(":")[-1]
                for k, v in node.attrib.items():
                    if _local(k) == want:
                        out[mname] = scalar_from_string(mshape, v)
                continue
            if mshape.serialization.get("location"):
                continue
            key = xml_member_name(mshape, mname)
            nodes = children.get(key)
            if not nodes:
                continue
            if mshape.type_name == "list" and mshape.serialization.get("flattened"):
                out[mname] = [xml_to_value(n, mshape.member) for n in nodes]
            elif mshape.type_name == "map" and mshape.serialization.get("flattened"):
                out[mname] = _xml_map_entries(nodes, mshape)
            else:
                out[mname] = xml_to_value(nodes[0], mshape)
        return out
    if t == "list":
        item = shape.member.serialization.get("name", "member")
        return [xml_to_value(n, shape.member) for n in node if _local(n.tag) == item]
    if t == "map":
        return _xml_map_entries([n for n in node if _local(n.tag) == "entry"], shape)
    return scalar_from_string(shape, node.text or "")


def _xml_map_entries(nodes, shape):
    kname = shape.key.serialization.get("name", "key")
    vname = shape.value.serialization.get("name", "value")
    out = {}
    for n in nodes:
        k = v = None
        for c in n:
            if _local(c.tag) == kname:
                k = xml_to_value(c, shape.key)
            elif _local(c.tag) == vname:
                v = xml_to_value(c, shape.value)
        if k is not None:
            out[k] = v
    return out


# ---------------------------------------------------------------- JSON values

def json_in(shape, value, names=True):
    """A JSON-decoded request value -> python, by shape (json, rest-json).
    names=False ignores locationName (SQS's json form over its query model)."""
    if value is None:
        return None
    t = shape.type_name
    if t == "structure":
        if not isinstance(value, dict):
            raise ParseError("expected an object")
        out = {}
        for mname, mshape in shape.members.items():
            key = mshape.serialization.get("name", mname) if names else mname
            if key in value:
                out[mname] = json_in(mshape, value[key], names)
        return out
    if t == "list":
        if not isinstance(value, list):
            raise ParseError("expected a list")
        return [json_in(shape.member, v, names) for v in value]
    if t == "map":
        if not isinstance(value, dict):
            raise ParseError("expected an object")
        return {k: json_in(shape.value, v, names) for k, v in value.items()}
    if t == "timestamp":
        return to_datetime(value)
    if t == "blob":
        return unb64(value)
    if t in ("integer", "long") and isinstance(value, str):
        return scalar_from_string(shape, value)
    return value


def json_out(shape, value, ts_default="unixTimestamp", names=True):
    """A handler's python value -> JSON-encodable, by shape."""
    t = shape.type_name
    if t == "structure":
        out = {}
        for mname, mshape in shape.members.items():
            v = value.get(mname)
            if v is None:
                continue
            if mshape.serialization.get("location"):
                continue
            key = mshape.serialization.get("name", mname) if names else mname
            out[key] = json_out(mshape, v, ts_default, names)
        return out
    if t == "list":
        m = shape.member
        if m.type_name in ("string", "integer", "long", "boolean"):
            return list(value)
        return [json_out(m, v, ts_default, names) for v in value]
    if t == "map":
        vs = shape.value
        if vs.type_name in ("string", "integer", "long", "boolean"):
            return dict(value)
        return {k: json_out(vs, v, ts_default, names) for k, v in value.items()}
    if t == "timestamp":
        return format_timestamp(value, shape.serialization.get("timestampFormat", ts_default))
    if t == "blob":
        return b64(value)
    if t == "string" and isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if t in ("float", "double") and value is not None:
        return float(value)
    return value
