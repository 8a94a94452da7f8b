"""Per-account (and per-region for regional services) token buckets
modelled on AWS's documented API rate quotas (`--quotas aws`), and the
throttling error each service answers with when one is empty."""
import threading
import time

# (service_id, operation or "*") -> (bucket name, rate per second, burst).
# Operations not listed fall to the service's "*" entry; a service with no
# entry is not limited. Buckets with the same name are shared.
AWS_QUOTAS = {
    # Lambda: GetFunction 100/s, GetPolicy 15/s, the rest of the control
    # plane 15/s shared (Lambda quotas, "API requests").
    ("lambda", "GetFunction"): ("lambda:GetFunction", 100, 100),
    ("lambda", "GetPolicy"): ("lambda:GetPolicy", 15, 15),
    ("lambda", "*"): ("lambda:control", 15, 15),
    # IAM: account-wide request rate, about 20/s.
    ("iam", "*"): ("iam", 20, 20),
    # STS: 600/s per account and region.
    ("sts", "*"): ("sts", 600, 600),
    # API Gateway management API: 10/s with a burst of 40, v1 and v2 shared.
    ("apigateway", "*"): ("apigateway", 10, 40),
    ("apigatewayv2", "*"): ("apigateway", 10, 40),
    # CloudWatch: GetMetricData 50/s, DescribeAlarms 9/s, alarm writes 3/s.
    ("cloudwatch", "GetMetricData"): ("cloudwatch:GetMetricData", 50, 50),
    ("cloudwatch", "DescribeAlarms"): ("cloudwatch:DescribeAlarms", 9, 9),
    ("cloudwatch", "PutMetricAlarm"): ("cloudwatch:PutMetricAlarm", 3, 3),
    ("cloudwatch", "DeleteAlarms"): ("cloudwatch:DeleteAlarms", 3, 3),
    ("cloudwatch", "*"): ("cloudwatch", 50, 50),
    # CloudWatch Logs: DescribeLogGroups 10/s, most writes 5/s.
    ("logs", "DescribeLogGroups"): ("logs:DescribeLogGroups", 10, 10),
    ("logs", "*"): ("logs", 5, 5),
    # S3: 5,500 GET/HEAD per second per prefix (here: per account).
    ("s3", "*"): ("s3", 5500, 5500),
    # DynamoDB control plane: DescribeTable/ListTables 2,500/s.
    ("dynamodb", "*"): ("dynamodb", 2500, 2500),
    # SNS: ListTopics/ListSubscriptions 30/s, others 100/s.
    ("sns", "ListTopics"): ("sns:ListTopics", 30, 30),
    ("sns", "ListSubscriptionsByTopic"): ("sns:ListSubscriptionsByTopic", 30, 30),
    ("sns", "*"): ("sns", 100, 100),
    # EventBridge control plane: 50/s.
    ("events", "*"): ("events", 50, 50),
}

GLOBAL_SERVICES = ("iam",)

# service_id -> (code, status, message, extra members)
THROTTLE_ERRORS = {
    "lambda": ("TooManyRequestsException", 429, "Rate exceeded",
               {"Reason": "CallerRateLimitExceeded", "retryAfterSeconds": "1"}),
    "iam": ("Throttling", 400, "Rate exceeded", {}),
    "sts": ("Throttling", 400, "Rate exceeded", {}),
    "cloudwatch": ("Throttling", 400, "Rate exceeded", {}),
    "apigateway": ("TooManyRequestsException", 429, "Too Many Requests",
                   {"retryAfterSeconds": "1"}),
    "apigatewayv2": ("TooManyRequestsException", 429, "Too Many Requests",
                     {"retryAfterSeconds": "1"}),
    "s3": ("SlowDown", 503, "Please reduce your request rate.", {}),
    "dynamodb": ("ThrottlingException", 400, "Rate of requests exceeds the allowed throughput.", {}),
    "logs": ("ThrottlingException", 400, "Rate exceeded", {}),
    "events": ("ThrottlingException", 400, "Rate exceeded", {}),
    "sqs": ("RequestThrottled", 400, "Rate exceeded", {}),
    "sns": ("Throttled", 429, "Rate exceeded", {}),
}


def throttle_error(service_id):
    return THROTTLE_ERRORS.get(service_id, ("ThrottlingException", 400, "Rate exceeded", {}))


class Bucket:
    __slots__ = ("rate", "burst", "tokens", "stamp")

    def __init__(self, rate, burst):
        self.rate = float(rate)
        self.burst = float(burst)
        self.tokens = float(burst)
        self.stamp = time.monotonic()

    def take(self, now):
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class Quotas:
    def __init__(self, mode="off"):
        self._lock = threading.Lock()
        self.set_mode(mode)

    def set_mode(self, mode, table=None):
        with self._lock:
            self.mode = mode
            self.table = dict(table) if table is not None else (AWS_QUOTAS if mode == "aws" else {})
            self._buckets = {}

    def reset(self):
        with self._lock:
            self._buckets = {}

    def allow(self, service_id, operation, account_id, region):
        """True if the call may go ahead (takes a token)."""
        if not self.table:
            return True
        q = self.table.get((service_id, operation)) or self.table.get((service_id, "*"))
        if q is None:
            return True
        name, rate, burst = q
        key = (account_id, "" if service_id in GLOBAL_SERVICES else region, name)
        now = time.monotonic()
        with self._lock:
            b = self._buckets.get(key)
            if b is None:
                b = self._buckets[key] = Bucket(rate, burst)
            return b.take(now)

    def describe(self):
        return {"mode": self.mode,
                "quotas": [{"service": s, "operation": o, "bucket": n, "rate": r, "burst": b}
                           for (s, o), (n, r, b) in sorted(self.table.items())]}
