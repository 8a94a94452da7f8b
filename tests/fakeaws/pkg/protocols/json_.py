"""The json protocol 1.0/1.1 (DynamoDB, Logs, EventBridge, and SQS's json
form): POST / with X-Amz-Target: Prefix.Operation and a JSON body; JSON
out, errors as {"__type": code, "message": ...}.

SQS's json form (newer SDKs: X-Amz-Target AmazonSQS.Op) is served from the
2012-11-05 query model: member names without the query locationNames, and
errors typed by shape name with the query code in x-amzn-query-error."""
import json

from . import common
from .common import ParseError


def parse(service, op_model, req, uri_params):
    shape = op_model.input_shape
    body = req.body
    if not body or not body.strip():
        doc = {}
    else:
        try:
            doc = json.loads(body)
        except ValueError as e:
            raise ParseError("malformed JSON: %s" % e)
    if shape is None:
        return {}
    return common.json_in(shape, doc, names=service.protocol == "json")


def content_type(service):
    return "application/x-amz-json-%s" % service.json_version


def serialize(service, op_model, result, req):
    shape = op_model.output_shape
    doc = common.json_out(shape, result or {}, names=service.protocol == "json") \
        if shape is not None else {}
    body = json.dumps(doc, separators=(",", ":")).encode()
    return 200, [("Content-Type", content_type(service))], body


def serialize_error(service, code, message, status, shape_name, extra, req):
    headers = [("Content-Type", content_type(service))]
    if service.protocol == "query":
        headers.append(("x-amzn-query-error", "%s;%s" % (code, "Receiver" if status >= 500
                                                           else "Sender")))
        code = "com.amazonaws.%s#%s" % (service.id, shape_name or code)
    doc = {"__type": code, "message": message or ""}
    for k, v in extra.items():
        if k != "headers":
            doc[k] = v
    body = json.dumps(doc, separators=(",", ":"), default=str).encode()
    return status, headers, body
