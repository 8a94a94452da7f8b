"""Operation handlers, registered by the service modules at import time.

OPERATIONS maps (service_id, "OperationName") to handler(ctx, params) -> dict.
service_id is botocore's model directory name ("lambda", "iam", ...)."""

OPERATIONS = {}


def op(service_id, name=None):
    def deco(fn):
        OPERATIONS[(service_id, name or fn.__name__)] = fn
        return fn
    return deco


def lookup(service_id, name):
    return OPERATIONS.get((service_id, name))
