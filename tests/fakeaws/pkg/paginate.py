"""Generic pagination from paginators-1.json: a handler returns the WHOLE
list; the core slices it and sets the output token (opaque) and the
more-results flag, with each operation's documented page sizes."""
import base64
import json

# (service_id, operation) -> (default page size, maximum page size).
# From each API reference; a service-wide entry is keyed by operation "*".
PAGE_SIZES = {
    ("lambda", "*"): (50, 50),
    ("lambda", "ListEventSourceMappings"): (100, 100),
    ("iam", "*"): (100, 1000),
    ("apigateway", "*"): (25, 500),
    ("apigatewayv2", "*"): (100, 500),
    ("cloudwatch", "*"): (50, 100),
    ("cloudwatch", "ListMetrics"): (500, 500),
    ("cloudwatch", "GetMetricData"): (100800, 100800),
    ("dynamodb", "*"): (100, 100),
    ("events", "*"): (100, 100),
    ("logs", "*"): (50, 50),
    ("logs", "FilterLogEvents"): (10000, 10000),
    ("s3", "*"): (1000, 1000),
    ("sns", "*"): (100, 100),
    ("sqs", "*"): (1000, 1000),
}
# The error a bad token gets, per service: (code, status).
BAD_TOKEN = {
    "lambda": ("InvalidParameterValueException", 400),
    "iam": ("InvalidInput", 400),
    "apigateway": ("BadRequestException", 400),
    "apigatewayv2": ("BadRequestException", 400),
    "cloudwatch": ("InvalidNextToken", 400),
    "dynamodb": ("ValidationException", 400),
    "events": ("ValidationException", 400),
    "logs": ("InvalidParameterException", 400),
    "s3": ("InvalidArgument", 400),
    "sns": ("InvalidParameter", 400),
    "sqs": ("InvalidParameterValue", 400),
}


class BadToken(Exception):
    def __init__(self, code, status, message):
        super().__init__(message)
        self.code = code
        self.status = status
        self.message = message


def _first(x):
    if isinstance(x, list):
        x = x[0]
    return x.split("||")[0].strip()


def _as_list(x):
    return x if isinstance(x, list) else [x]


def encode(op, offset):
    raw = json.dumps({"op": op, "o": offset}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(service_id, op, token):
    try:
        pad = "=" * (-len(token) % 4)
        d = json.loads(base64.urlsafe_b64decode(token + pad))
        if d.get("op") != op or not isinstance(d.get("o"), int) or d["o"] < 0:
            raise ValueError
        return d["o"]
    except (ValueError, TypeError):
        code, status = BAD_TOKEN.get(service_id, ("ValidationException", 400))
        raise BadToken(code, status, "Invalid pagination token: %s" % token[:64])


def page_sizes(service_id, op):
    return PAGE_SIZES.get((service_id, op)) or PAGE_SIZES.get((service_id, "*"), (100, 1000))


def apply(service, op_name, params, result):
    """Slices result in place per the operation's paginator; returns it."""
    cfg = service.paginators.get(op_name)
    if cfg is None or result is None:
        return result
    in_tok = _first(cfg["input_token"])
    out_tok = _first(cfg["output_token"])
    keys = [k for k in _as_list(cfg["result_key"]) if "." not in k and "[" not in k]
    default, maximum = page_sizes(service.id, op_name)
    limit = default
    lk = cfg.get("limit_key")
    if lk and params.get(lk) is not None:
        try:
            limit = int(params[lk])
        except (TypeError, ValueError):
            limit = default
    limit = max(1, min(limit, maximum))
    offset = 0
    tok = params.get(in_tok)
    if tok:
        offset = decode(service.id, op_name, str(tok))
    lists = [(k, result.get(k) or []) for k in keys]
    lists = [(k, v) for k, v in lists if isinstance(v, list)]
    total = sum(len(v) for _, v in lists)
    end = offset + limit
    pos = 0
    for k, items in lists:
        lo = max(0, min(len(items), offset - pos))
        hi = max(0, min(len(items), end - pos))
        pos += len(items)
        result[k] = items[lo:hi]
    more = end < total
    if more:
        result[out_tok] = encode(op_name, end)
    else:
        result.pop(out_tok, None)
    mr = cfg.get("more_results")
    if mr:
        result[mr] = more
    return result
