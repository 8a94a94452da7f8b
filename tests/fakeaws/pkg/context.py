"""The per-request context handed to every operation handler."""
import datetime
import hashlib


class Context:
    """What a handler may know about the request it serves.

    world, account (the caller's Account), region (from the SigV4 scope),
    service, operation, caller (keys.Key), base_url, headers, now().
    headers are the request's, keyed by lower-case name. A handler that
    pages its own answer sets paginated = True. (No __slots__: a handler
    may hang its own notes on the context.)"""

    def __init__(self, world, account, region, service="", operation="",
                 caller=None, base_url="http://127.0.0.1", headers=None,
                 now=None):
        self.world = world
        self.account = account
        self.region = region
        self.service = service
        self.operation = operation
        self.caller = caller
        self.base_url = base_url
        self.headers = headers if headers is not None else {}
        self.paginated = False
        self.request = None
        self.keystore = None
        self._now = now

    def now(self):
        """Aware UTC datetime (fixed when the context was made with now=)."""
        if self._now is not None:
            return self._now
        return datetime.datetime.now(datetime.timezone.utc)

    def blob_url(self, data):
        """Stores data in world.blobs; returns an unsigned download URL for
        it, like a presigned S3 URL."""
        token = hashlib.sha256(data).hexdigest()[:32]
        self.world.blobs[token] = bytes(data)
        return "%s/_fakeaws/blob/%s" % (self.base_url, token)
