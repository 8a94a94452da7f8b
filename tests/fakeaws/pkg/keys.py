"""The KeyStore: every access key the fake accepts, long-term (from the
World's accounts) and temporary (from STS AssumeRole)."""
import base64
import secrets
import threading
import time


class Key:
    __slots__ = ("access_key_id", "secret", "account_id", "arn", "user_id",
                 "session_token", "expires")

    def __init__(self, access_key_id, secret, account_id, arn, user_id,
                 session_token=None, expires=None):
        self.access_key_id = access_key_id
        self.secret = secret
        self.account_id = account_id
        self.arn = arn
        self.user_id = user_id
        self.session_token = session_token
        self.expires = expires          # epoch seconds, or None (long-term)

    def expired(self, now=None):
        return self.expires is not None and (now or time.time()) >= self.expires


_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _random_id(prefix, n):
    return prefix + "".join(secrets.choice(_B32) for _ in range(n))


class KeyStore:
    def __init__(self):
        self._keys = {}
        self._lock = threading.Lock()

    def load_world(self, world):
        """Replaces the long-term keys with the World's; drops temporary ones."""
        keys = {}
        for akid, secret, account_id, arn, user_id in world.long_term_keys():
            keys[akid] = Key(akid, secret, account_id, arn, user_id)
        with self._lock:
            self._keys = keys

    def get(self, access_key_id):
        return self._keys.get(access_key_id)

    def add(self, key):
        with self._lock:
            self._keys[key.access_key_id] = key
        return key

    def issue_temporary(self, account_id, arn, user_id, seconds):
        """A new ASIA... key with a session token, valid for seconds."""
        akid = _random_id("ASIA", 16)
        secret = base64.b64encode(secrets.token_bytes(30)).decode()
        token = "FwoGZXIvYXdzE" + base64.b64encode(secrets.token_bytes(120)).decode()
        return self.add(Key(akid, secret, account_id, arn, user_id, token,
                            time.time() + seconds))
