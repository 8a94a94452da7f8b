"""The one exception a handler raises to answer with an AWS error.

The core serialises it in the service's protocol (query XML, json
__type, rest-json x-amzn-ErrorType, rest-xml <Error>)."""


class AwsError(Exception):
    def __init__(self, code, message="", status=None, sender=True, extra=None):
        # status None: the core takes the error shape's httpStatusCode from
        # the model when the code names an error shape, else 400.
        super().__init__("%s: %s" % (code, message))
        self.code = code
        self.message = message
        self.status = status
        self.sender = sender
        # extra: more members of the error shape (e.g. {"Type": "User"}), or
        # headers to add ({"headers": {...}}).
        self.extra = dict(extra or {})
