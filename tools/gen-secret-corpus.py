#!/usr/bin/python3
"""Writes tests/data/secrets/: the secrets engine's precision/recall corpus.

Every value is random, drawn in the provider's documented format (prefix,
length, alphabet) with a fixed seed: none is a real credential. Layout:
  true/NNNN.SHR-SEC-xxx/<path>   one file that must raise exactly that rule once
  false/NNNN/<path>              one file that must raise nothing
A file named env.json is a function's environment ({"NAME": "value"}) and is
scanned with secrets_scan_env; any other file with secrets_scan_file under its
path relative to the case directory. The test scans with exclusion globs
"*fixtures/*" and "*.sample.*".
Run: /usr/bin/python3 tools/gen-secret-corpus.py
"""
import base64, json, os, random, re, shutil, string, uuid

R = random.Random(20240607)
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "secrets")
UP, LO, DG = string.ascii_uppercase, string.ascii_lowercase, string.digits
AN = UP + LO + DG
B64 = AN + "+/"
URL = AN + "_-"
HEX = "0123456789abcdef"
# the engine's placeholder markers: a random draw that spells one is redrawn
MARKS = re.compile(r"test|fake|mock|todo|null|asdf|xxxx|qwerty|lorem|secret|passw|here|sample|"
                   r"dummy|example|insert|change|replace|your|redact|fixme|undefined|notreal", re.I)


def shaped(s):
    for i in range(len(s) - 5):
        w = [ord(c) for c in s[i:i + 6]]
        d = {w[k + 1] - w[k] for k in range(5)}
        if d in ({0}, {1}, {-1}):
            return True
    return (len(s) >= 6 and len(set(s)) <= 3) or bool(MARKS.search(s))


def rnd(alpha, n, need=()):
    while True:
        s = "".join(R.choice(alpha) for _ in range(n))
        if not shaped(s) and all(any(c in cls for c in s) for cls in need):
            return s


def digits(n):
    return str(R.randint(1, 9)) + rnd(DG, n - 1)


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def rbytes(n):
    return bytes(R.randrange(256) for _ in range(n))


# ---- provider formats ----
def aws_id(p="AKIA"): return p + rnd(UP + "234567", 16)
def aws_secret(): return rnd(B64, 40, (UP, LO, DG))
def session_token(): return R.choice(["IQoJb3JpZ2luX2Vj", "FwoGZXIvYXdzE"]) + rnd(B64, 300) + "=="
def ghp(p="ghp_"): return p + rnd(AN, 36)
def github_pat(): return "github_pat_" + rnd(AN, 22) + "_" + rnd(AN, 59)
def glpat(): return "glpat-" + rnd(URL, 20)
def xoxb(): return "xoxb-%s-%s-%s" % (digits(12), digits(13), rnd(AN, 24))
def xoxp(): return "xoxp-%s-%s-%s-%s" % (digits(12), digits(12), digits(13), rnd(HEX, 32))
def slack_hook(): return "https://hooks.slack.com/services/T%s/B%s/%s" % (rnd(UP + DG, 10), rnd(UP + DG, 10), rnd(AN, 24))
def stripe(p="sk_live_"): return p + rnd(AN, R.choice([24, 34, 99]))
def google(): return "AIza" + rnd(URL, 35)
def azure_conn():
    return "DefaultEndpointsProtocol=https;AccountName=acme%s;AccountKey=%s==;EndpointSuffix=core.windows.net" % (
        rnd(LO + DG, 6), rnd(B64, 86))
def servicebus():
    return "Endpoint=sb://acme-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=%s=" % rnd(B64, 43)
def azure_client_secret(): return rnd(AN, 3) + R.choice(DG) + "Q~" + rnd(AN + "_~.-", 34)
def twilio_sk(): return "SK" + rnd(HEX, 32)
def twilio_ac(): return "AC" + rnd(HEX, 32)
def sendgrid(): return "SG." + rnd(URL, 22) + "." + rnd(URL, 43)
def npm(): return "npm_" + rnd(AN, 36)
def pypi(): return "pypi-AgEIcHlwaS5vcmc" + rnd(URL, 120)
def jwt():
    h = b64url(json.dumps({"alg": R.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"}).encode())
    p = b64url(json.dumps({"sub": rnd(AN, 12), "iat": R.randint(1.6e9, 1.7e9), "role": "service"}).encode())
    return "%s.%s.%s" % (h, p, b64url(rbytes(32)))
def mailgun(): return "key-" + rnd(HEX, 32)
def shopify(): return R.choice(["shpat_", "shpca_", "shppa_", "shpss_"]) + rnd(HEX, 32)
def openai(): return R.choice(["sk-proj-" + rnd(URL, 120), "sk-" + rnd(AN, 20) + "T3BlbkFJ" + rnd(AN, 20)])
def anthropic(): return "sk-ant-api03-" + rnd(URL, 93) + "AA"
def heroku(): return "HRKU-AA" + rnd(URL, 58)
def square(): return R.choice(["sq0atp-" + rnd(URL, 22), "sq0csp-" + rnd(URL, 43)])
def discord_hook(): return "https://discord.com/api/webhooks/%s/%s" % (digits(18), rnd(URL, 68))
def discord_bot(): return R.choice("MNO") + rnd(AN, 25) + "." + rnd(URL, 6) + "." + rnd(URL, 38)
def telegram(): return "%s:AA%s" % (digits(10), rnd(URL, 33))
def password(n=None): return rnd(AN + "!#%^*-_+=", n or R.randint(14, 28), (UP, LO, DG))


def pem(kind):
    body = base64.b64encode(rbytes(R.choice([600, 900, 1200]))).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    label = {"rsa": "RSA PRIVATE KEY", "ec": "EC PRIVATE KEY", "openssh": "OPENSSH PRIVATE KEY",
             "pkcs8": "PRIVATE KEY", "enc": "ENCRYPTED PRIVATE KEY", "pgp": "PGP PRIVATE KEY BLOCK",
             "dsa": "DSA PRIVATE KEY"}[kind]
    head = ["-----BEGIN %s-----" % label]
    if kind == "pgp":
        head += ["Version: GnuPG v2", ""]
    return "\n".join(head + lines + ["-----END %s-----" % label]) + "\n"


def db_url():
    scheme = R.choice(["postgres", "postgresql", "mysql", "mongodb", "mongodb+srv", "redis", "amqps", "mariadb"])
    user = "" if scheme == "redis" else R.choice(["app", "svc_orders", "reporting", "admin_rw"])
    host = R.choice(["db.internal", "orders.cluster-c9xk.eu-west-1.rds.amazonaws.com", "10.0.3.17", "cache.acme.io"])
    return "%s://%s:%s@%s/%s" % (scheme, user, password(18).replace("#", "x").replace("%", "y"), host, "app")


# ---- contexts ----
JS_FILLER = ["import express from 'express';", "const app = express();",
             "function handler(event, context) {", "  const body = JSON.parse(event.body || '{}');",
             "  return { statusCode: 200, body: JSON.stringify({ ok: true, items: body.items }) };", "}",
             "const keys = Object.keys(config);", "for (const key of keys) console.log(key);",
             "// tokenize the input before parsing", "const timeoutMs = 3000;"]
PY_FILLER = ["import os", "import json", "import boto3", "", "s3 = boto3.client('s3')",
             "def handler(event, context):", "    key = event['Records'][0]['s3']['object']['key']",
             "    return {'statusCode': 200, 'body': json.dumps({'key': key})}", "TIMEOUT = 30"]


def around(filler, line):
    k = R.randint(0, len(filler))
    return "\n".join(filler[:k] + [line] + filler[k:]) + "\n"


def in_file(token, name="SECRET"):
    """A provider token in one of several files: (path, text)."""
    lname = name.lower()
    c = R.randrange(6)
    if c == 0:
        return "src/config.js", around(JS_FILLER, "const %s = '%s';" % (lname, token))
    if c == 1:
        return "app/settings.py", around(PY_FILLER, '%s = "%s"' % (name, token))
    if c == 2:
        return ".env", "NODE_ENV=production\nLOG_LEVEL=info\n%s=%s\n" % (name, token)
    if c == 3:
        return "config/app.yaml", "service:\n  name: orders\n  %s: \"%s\"\n  region: eu-west-1\n" % (lname, token)
    if c == 4:
        return "config.json", json.dumps({"service": "orders", lname: token, "retries": 3}, indent=2) + "\n"
    return "lib/client.js", around(JS_FILLER, "module.exports = new Client('%s', { retries: 3 });" % token)


def env(**kv):
    base = {"NODE_ENV": "production", "LOG_LEVEL": "info", "TABLE_NAME": "orders-prod"}
    base.update(kv)
    return "env.json", json.dumps(base, indent=2) + "\n"


TRUE, FALSE = [], []


def t(rule, path_text):
    TRUE.append((rule, path_text))


def f(path_text):
    FALSE.append(path_text)


def gen_true():
    for _ in range(8):
        t("SHR-SEC-002", in_file(aws_id(), "AWS_ACCESS_KEY_ID"))
    t("SHR-SEC-002", env(AWS_ACCESS_KEY_ID=aws_id("ASIA")))
    t("SHR-SEC-002", ("bin/bootstrap", "\x7fELF\x02\x01\x01\x00\x00\x00" + "\x00" * 40 + aws_id() + "\x00" * 30))
    for _ in range(4):
        t("SHR-SEC-001", ("app/settings.py", around(PY_FILLER, "AWS_ACCESS_KEY_ID = '%s'\nAWS_SECRET_ACCESS_KEY = '%s'" % (aws_id(), aws_secret()))))
        t("SHR-SEC-001", env(AWS_ACCESS_KEY_ID=aws_id(), AWS_SECRET_ACCESS_KEY=aws_secret()))
    t("SHR-SEC-001", (".aws/credentials", "[default]\naws_secret_access_key = %s\naws_access_key_id = %s\n" % (aws_secret(), aws_id())))
    for _ in range(4):
        t("SHR-SEC-003", ("config/credentials.ini", "[deploy]\nregion = eu-west-1\naws_secret_access_key = %s\n" % aws_secret()))
        t("SHR-SEC-003", env(AWS_SECRET_ACCESS_KEY=aws_secret()))
    for _ in range(3):
        t("SHR-SEC-004", env(AWS_SESSION_TOKEN=session_token()))
        t("SHR-SEC-004", in_file(session_token(), "AWS_SESSION_TOKEN"))
    for p in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "ghp_", "ghp_"]:
        t("SHR-SEC-005", in_file(ghp(p), "GITHUB_TOKEN"))
    for _ in range(3):
        t("SHR-SEC-005", in_file(github_pat(), "GH_PAT"))
    t("SHR-SEC-005", env(GITHUB_TOKEN=ghp()))
    for _ in range(5):
        t("SHR-SEC-006", in_file(glpat(), "GITLAB_TOKEN"))
    for _ in range(4):
        t("SHR-SEC-007", in_file(xoxb(), "SLACK_BOT_TOKEN"))
        t("SHR-SEC-007", in_file(xoxp(), "SLACK_USER_TOKEN"))
    t("SHR-SEC-007", env(SLACK_BOT_TOKEN=xoxb()))
    for _ in range(5):
        t("SHR-SEC-008", in_file(slack_hook(), "SLACK_WEBHOOK_URL"))
    t("SHR-SEC-008", env(SLACK_WEBHOOK=slack_hook()))
    for p in ["sk_live_"] * 5 + ["rk_live_"] * 2:
        t("SHR-SEC-009", in_file(stripe(p), "STRIPE_SECRET_KEY"))
    t("SHR-SEC-009", env(STRIPE_KEY=stripe()))
    for _ in range(4):
        t("SHR-SEC-010", in_file(stripe("sk_test_"), "STRIPE_SECRET_KEY"))
    for _ in range(5):
        t("SHR-SEC-011", in_file(google(), "GOOGLE_MAPS_KEY"))
    for _ in range(4):
        sa = {"type": "service_account", "project_id": "acme-%s" % rnd(LO + DG, 6),
              "private_key_id": rnd(HEX, 40), "private_key": pem("pkcs8"),
              "client_email": "svc@acme.iam.gserviceaccount.com", "client_id": digits(21)}
        t("SHR-SEC-012", ("credentials/gcp-sa.json", json.dumps(sa, indent=2) + "\n"))
    t("SHR-SEC-012", env(GOOGLE_CREDENTIALS=json.dumps({"type": "service_account", "private_key": pem("pkcs8")})))
    for _ in range(4):
        t("SHR-SEC-013", in_file(azure_conn(), "AZURE_STORAGE_CONNECTION_STRING"))
    t("SHR-SEC-013", env(SERVICEBUS_CONNECTION=servicebus()))
    t("SHR-SEC-013", in_file(servicebus(), "BUS_CONNECTION"))
    for _ in range(4):
        t("SHR-SEC-014", in_file(azure_client_secret(), "AZURE_CLIENT_SECRET"))
    t("SHR-SEC-014", env(AZURE_CLIENT_SECRET=rnd(AN + "_-", 40, (UP, LO, DG))))
    for _ in range(4):
        t("SHR-SEC-015", in_file(twilio_sk(), "TWILIO_API_KEY"))
    for _ in range(3):
        t("SHR-SEC-016", ("src/sms.py", around(PY_FILLER, "account_sid = '%s'\nauth_token = '%s'" % (twilio_ac(), rnd(HEX, 32)))))
        t("SHR-SEC-016", env(TWILIO_ACCOUNT_SID=twilio_ac(), TWILIO_AUTH_TOKEN=rnd(HEX, 32)))
    t("SHR-SEC-016", env(TWILIO_AUTH_TOKEN=rnd(HEX, 32)))
    for _ in range(5):
        t("SHR-SEC-017", in_file(sendgrid(), "SENDGRID_API_KEY"))
    for _ in range(4):
        t("SHR-SEC-018", in_file(npm(), "NPM_TOKEN"))
    t("SHR-SEC-018", (".npmrc", "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=%s\n" % npm()))
    for _ in range(4):
        t("SHR-SEC-019", in_file(pypi(), "PYPI_TOKEN"))
    t("SHR-SEC-019", (".pypirc", "[pypi]\nusername = __token__\npassword = %s\n" % pypi()))
    for kind in ["rsa", "ec", "openssh", "pkcs8", "enc", "pgp", "dsa", "rsa", "openssh"]:
        t("SHR-SEC-020", ("keys/deploy_key", pem(kind)))
    t("SHR-SEC-020", ("src/sign.js", around(JS_FILLER, "const privateKey = %s;" % json.dumps(pem("rsa")))))
    t("SHR-SEC-020", env(SIGNING_KEY=pem("ec")))
    for _ in range(6):
        t("SHR-SEC-021", in_file(jwt(), "SERVICE_JWT"))
    t("SHR-SEC-021", env(API_BEARER=jwt()))
    for _ in range(8):
        t("SHR-SEC-022", in_file(db_url(), "DATABASE_URL"))
    t("SHR-SEC-022", env(DATABASE_URL=db_url()))
    for _ in range(4):
        t("SHR-SEC-023", in_file(mailgun(), "MAILGUN_KEY"))
    t("SHR-SEC-023", env(MAILGUN_API_KEY="%s-%s-%s" % (rnd(HEX, 32), rnd(HEX, 8), rnd(HEX, 8))))
    for _ in range(4):
        t("SHR-SEC-024", in_file(shopify(), "SHOPIFY_TOKEN"))
    for _ in range(5):
        t("SHR-SEC-025", in_file(openai(), "OPENAI_API_KEY"))
    for _ in range(4):
        t("SHR-SEC-026", in_file(anthropic(), "ANTHROPIC_API_KEY"))
    for _ in range(3):
        t("SHR-SEC-027", in_file(heroku(), "HEROKU_TOKEN"))
    t("SHR-SEC-027", env(HEROKU_API_KEY=str(uuid.UUID(int=R.getrandbits(128), version=4))))
    for _ in range(4):
        t("SHR-SEC-028", in_file(square(), "SQUARE_TOKEN"))
    for _ in range(3):
        t("SHR-SEC-029", in_file(discord_hook(), "DISCORD_WEBHOOK"))
    t("SHR-SEC-029", env(DISCORD_BOT_TOKEN=discord_bot()))
    for _ in range(4):
        t("SHR-SEC-030", in_file(telegram(), "TELEGRAM_BOT_TOKEN"))
    for _ in range(3):
        t("SHR-SEC-031", env(DD_API_KEY=rnd(HEX, 32)))
    t("SHR-SEC-031", env(DATADOG_APP_KEY=rnd(HEX, 40)))
    t("SHR-SEC-031", (".env", "DD_SITE=datadoghq.eu\nDD_API_KEY=%s\n" % rnd(HEX, 32)))
    # the generic rule: random values under secret names, in code and in env
    names = ["DB_PASSWORD", "API_KEY", "apiKey", "client_secret", "SECRET_TOKEN", "authToken",
             "ENCRYPTION_KEY", "jwtSecret", "SIGNING_SECRET", "webhookSecret", "REDIS_PASSWORD",
             "accessToken", "PRIVATE_KEY_PASSPHRASE", "SMTP_PASS", "x-api-key", "refresh_token",
             "SERVICE_CREDENTIALS", "adminPwd", "LICENSE_KEY", "basicAuth"]
    for n in names:
        v = R.choice([password(), rnd(HEX, 32), rnd(AN, 24, (UP, LO, DG)),
                      str(uuid.UUID(int=R.getrandbits(128), version=4))])
        c = R.randrange(5)
        if c == 0:
            t("SHR-SEC-080", env(**{n: v}))
        elif c == 1:
            t("SHR-SEC-080", ("src/index.js", around(JS_FILLER, "const config = { %s: '%s' };" % (n if "-" not in n else "'%s'" % n, v))))
        elif c == 2:
            t("SHR-SEC-080", ("app/settings.py", around(PY_FILLER, "%s = \"%s\"" % (n.replace("-", "_"), v))))
        elif c == 3:
            t("SHR-SEC-080", ("config/app.yml", "app:\n  name: orders\n  %s: %s\n" % (n, v)))
        else:
            t("SHR-SEC-080", ("appsettings.json", json.dumps({"Logging": {"Level": "Info"}, n: v}, indent=2) + "\n"))
    for _ in range(12):
        n = R.choice(["DB_PASSWORD", "API_KEY", "AUTH_TOKEN", "APP_SECRET", "SESSION_SECRET", "MASTER_KEY"])
        t("SHR-SEC-080", env(**{n: password()}))


def gen_false():
    arn = "arn:aws:secretsmanager:eu-west-1:%s:secret:prod/db/password-%s" % (digits(12), rnd(AN, 6))
    refs = [arn, "arn:aws:ssm:eu-west-1:%s:parameter/prod/api/token" % digits(12),
            "/prod/db/password", "/acme/orders/STRIPE_KEY",
            "{{resolve:secretsmanager:prod/db:SecretString:password}}",
            "{{resolve:ssm-secure:/prod/api/token:3}}", "{{resolve:ssm:/prod/api/key}}",
            "AQICAH" + rnd(B64, 180) + "==", "AQECAH" + rnd(B64, 240) + "=",
            "@Microsoft.KeyVault(SecretUri=https://acme.vault.azure.net/secrets/db/)",
            "prod/orders/DbPassword", "projects/acme/secrets/api-key/versions/3"]
    for n, v in zip(["DB_PASSWORD", "API_TOKEN", "DB_PASSWORD", "STRIPE_SECRET_KEY", "DB_PASSWORD",
                     "API_TOKEN", "API_KEY", "DB_PASSWORD", "SECRET_KEY", "DB_PASSWORD",
                     "DB_SECRET", "API_KEY"], refs):
        f(env(**{n: v}))
        f(("config/app.yaml", "service:\n  %s: %s\n" % (n.lower(), v)))
    flags = {"MYSQL_ALLOW_EMPTY_PASSWORD": "yes", "AUTH_ENABLED": "true", "TOKEN_TTL": "3600",
             "PASSWORD_MIN_LENGTH": "12", "KEY_PREFIX": "app/uploads/", "PUBLIC_KEY_ID": "K2JQ8Z7XWP4R",
             "SECRET_NAME": "prod/orders/db", "AUTH_MODE": "cognito", "API_KEY_REQUIRED": "false",
             "TOKEN_EXPIRY_SECONDS": "86400", "PASSWORD_POLICY": "strict", "USE_AUTH": "1",
             "KMS_KEY_ID": str(uuid.UUID(int=R.getrandbits(128), version=4)), "SECRETS_EXTENSION_HTTP_PORT": "2773",
             "AUTH_TYPE": "AWS_IAM", "JWT_ALGORITHM": "RS256", "TOKEN_ISSUER": "https://auth.acme.io/",
             "PASSWORD_RESET_URL": "https://acme.io/reset", "API_KEY_HEADER": "x-api-key",
             "DISABLE_AUTH": "off", "CACHE_KEY": "orders-v2-%s" % digits(4), "SORT_KEY": "createdAt",
             "S3_KEY": "uploads/2024/report.csv", "PARTITION_KEY": "tenantId", "AUTH_DOMAIN": "auth.acme.io",
             "SECRET_ARN": arn, "TOKEN_AUDIENCE": "orders-api", "DB_PASSWORD": "changeme",
             "ENCRYPTION_ALGORITHM": "AES256", "AUTH_LEVEL": "admin"}
    for k, v in flags.items():
        f(env(**{k: v}))
    holders = ["changeme", "xxxxxxxxxxxxxxxxxxxx", "<your-key>", "your_api_key_here", "${DB_PASSWORD}",
               "$(API_TOKEN)", "%(api_key)s", "{{ api_key }}", "REPLACE_ME", "dummy-token-value-1234",
               "example-secret-key-1234", "test-api-key-9f8e7d6c", "fake_token_ABC123xyz789",
               "sample-password-2024", "aaaaaaaaaaaaaaaaaaaaaaaa", "1234567890abcdef1234", "abcdefghijklmnop12",
               "0000000000000000", "<insert-token>", "${env:API_KEY}", "%API_KEY%", "$API_KEY",
               "your-secret-here", "********", "TODO_set_me_later9", "null", "{{.Values.apiKey}}",
               "#{ApiKey}", "<%= ENV['API_KEY'] %>", "MySecretPassword1"]
    for v in holders:
        n = R.choice(["API_KEY", "DB_PASSWORD", "AUTH_TOKEN", "CLIENT_SECRET"])
        f(env(**{n: v}))
        f(("src/config.js", around(JS_FILLER, "const %s = '%s';" % (n.lower(), v))))
    # provider formats filled with placeholders, and AWS's own examples
    for tok in ["AKIAIOSFODNN7EXAMPLE", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
                "sk_live_" + "1234567890" * 3, "xoxb-123456789012-1234567890123-abcdefghijABCDEFGHIJklmn",
                "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
                "SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "npm_" + "0" * 36, "AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "glpat-xxxxxxxxxxxxxxxxxxxx",
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
                "sk-proj-your-openai-api-key-goes-in-this-spot-ok", "key-" + "0123456789abcdef" * 2,
                "postgres://app:${DB_PASSWORD}@db.internal:5432/app", "mysql://root:password@localhost/app",
                "postgres://postgres:postgres@localhost:5432/test", "redis://:$(REDIS_PASS)@cache:6379",
                "mongodb+srv://app:<password>@cluster0.mongodb.net/app", "amqp://guest:guest@rabbit:5672",
                "postgres://app@db.internal/app", "https://user:pw@example.org/path",
                "mongodb://admin:{{ mongo_password }}@mongo:27017"]:
        f(in_file(tok, "CONFIG_VALUE"))
    f(("app/settings.py", around(PY_FILLER, "AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'\nAWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'")))
    f(env(AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
    f(("src/sms.py", around(PY_FILLER, "account_sid = '%s'" % twilio_ac())))
    f(("keys/example.pem", "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n"))
    f(("keys/pub.pem", "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n" % base64.b64encode(rbytes(270)).decode()))
    f(("certs/ca.crt", "-----BEGIN CERTIFICATE-----\n%s\n-----END CERTIFICATE-----\n" % base64.b64encode(rbytes(700)).decode()))
    # generated files: hashes everywhere, names with "key" and "token" in them
    def integ(): return "sha512-" + base64.b64encode(rbytes(64)).decode()
    lock = {"name": "orders", "lockfileVersion": 3, "packages": {
        "node_modules/js-tokens": {"version": "4.0.0", "resolved": "https://registry.npmjs.org/js-tokens/-/js-tokens-4.0.0.tgz", "integrity": integ()},
        "node_modules/keygrip": {"version": "1.1.0", "integrity": integ()},
        "node_modules/passport": {"version": "0.7.0", "integrity": integ()}}}
    f(("package-lock.json", json.dumps(lock, indent=2)))
    f(("yarn.lock", 'js-tokens@^4.0.0:\n  version "4.0.0"\n  resolved "https://registry.yarnpkg.com/js-tokens/-/js-tokens-4.0.0.tgz#%s"\n  integrity %s\n' % (rnd(HEX, 40), integ())))
    f(("pnpm-lock.yaml", "packages:\n  /jsonwebtoken@9.0.2:\n    resolution: {integrity: %s}\n    secretKey: %s\n" % (integ(), rnd(AN, 32, (UP, LO, DG)))))
    f(("go.sum", "github.com/golang-jwt/jwt/v5 v5.2.1 h1:%s=\ngithub.com/aws/smithy-go v1.20.2/go.mod h1:%s=\n" % (rnd(B64, 43), rnd(B64, 43))))
    f(("Orders.deps.json", json.dumps({"libraries": {"Newtonsoft.Json/13.0.3": {"type": "package", "sha512": integ(), "apiKey": rnd(AN, 30, (UP, LO, DG))}}}, indent=2)))
    f(("dist/app.js.map", json.dumps({"version": 3, "sources": ["src/auth.ts"], "mappings": rnd(AN + ";,", 400), "sourcesContent": ["const token = '%s';" % rnd(AN, 30, (UP, LO, DG))]})))
    f(("Pipfile.lock", json.dumps({"default": {"pyjwt": {"hashes": ["sha256:" + rnd(HEX, 64)], "version": "==2.8.0"}}, "_meta": {"hash": {"sha256": rnd(HEX, 64)}}}, indent=4)))
    f(("poetry.lock", '[[package]]\nname = "cryptography"\nversion = "42.0.5"\nfiles = [\n    {file = "cryptography-42.0.5.tar.gz", hash = "sha256:%s"},\n]\n[metadata]\ncontent-hash = "%s"\n' % (rnd(HEX, 64), rnd(HEX, 64))))
    f(("composer.lock", json.dumps({"content-hash": rnd(HEX, 32), "packages": [{"name": "firebase/php-jwt", "dist": {"reference": rnd(HEX, 40), "shasum": ""}, "secret_key": rnd(AN, 30, (UP, LO, DG))}]}, indent=4)))
    f(("Gemfile.lock", "GEM\n  remote: https://rubygems.org/\n  specs:\n    jwt (2.8.1)\n      base64\nCHECKSUMS\n  jwt (2.8.1) sha256=%s\n  api_token = %s\n" % (rnd(HEX, 64), rnd(AN, 30, (UP, LO, DG)))))
    f(("dist/vendor.min.js", 'var a={"integrity":"%s","key":"%s"};function t(e){return e.token||e.key}' % (integ(), rnd(AN, 20))))
    # excluded by the test's globs
    f(("tests/fixtures/keys.js", "const t = '%s';\n" % ghp()))
    f(("config/prod.sample.env", "STRIPE_KEY=%s\n" % stripe()))
    # code that mentions secrets without holding one
    code = [
        "const password = process.env.DB_PASSWORD;",
        "password = os.environ['DB_PASSWORD']",
        "const apiKey = config.get('apiKey');",
        "token = request.headers.get('Authorization')",
        "items.map(item => <Row key={item.id} />);",
        "const keys = Object.keys(secretsByName);",
        "if (password === confirmPassword) { submit(); }",
        "const TOKEN_URL = 'https://auth.acme.io/oauth2/token';",
        "labels = {'password_label': 'Enter your password', 'token_hint': 'Paste the token you received'}",
        "PASSWORD_HASH = '$2b$12$%s'" % rnd(AN + "./", 53),
        "checksum = '%s'" % rnd(HEX, 64),
        "request_id = '%s'" % uuid.UUID(int=R.getrandbits(128), version=4),
        "cacheKey = 'user:%s:profile'" % digits(5),
        "const s3Key = `uploads/${userId}/avatar.png`;",
        "const nextToken = response.NextToken;",
        "commit = '%s'  # release" % rnd(HEX, 40),
        "const publicKey = '%s';" % rnd(AN, 40, (UP, LO, DG)),
        "const stripePublishableKey = 'pk_live_%s';" % rnd(AN, 24),
        "secret_name = 'prod/orders/db-credentials'",
        "auth = HTTPBasicAuth(user, get_password())",
        "key: 'orders-table-partition-2024',",
        "const tokenizer = new Tokenizer({ keyField: 'id' });",
        "def get_secret(name): return client.get_secret_value(SecretId=name)['SecretString']",
        "api_key = None",
        "password = ''",
        "SECRET_KEY = get_random_secret_key()",
        "const authHeader = 'Bearer ' + token;",
        "token_type = 'Bearer'",
        "password_regex = '^(?=.*[A-Z])(?=.*[0-9]).{12,}$'",
        "const keyboardShortcuts = { save: 'ctrl+s' };",
        "mockApiKey = '%s'" % rnd(AN, 24, (UP, LO, DG)),
        "auth_url = 'https://login.acme.io/authorize?client_id=abc'",
        "api_version = '2023-10-16'",
        "const primaryKey = 'OrderId';",
        "self.secret = secret",
        "session_token_header = 'X-Amz-Security-Token'",
        "idempotencyKey = '%s'" % uuid.UUID(int=R.getrandbits(128), version=4),
        "const credentials = fromNodeProviderChain();",
        "PASSWORD = 'hunter2'",
        "const authorName = 'Ada Lovelace';",
    ]
    for line in code:
        path = "src/handler.js" if line.rstrip().endswith((";", ",")) or line.startswith(("const", "items", "if")) else "app/handler.py"
        f((path, around(JS_FILLER if path.endswith(".js") else PY_FILLER, line)))
    # near misses of the provider formats: wrong length, wrong alphabet, inside a longer word
    for tok in ["AKIA" + rnd(UP + "234567", 15), "AKIA" + rnd(UP + "234567", 16) + "X", "ghp_" + rnd(AN, 20),
                "mysk_live_" + rnd(AN, 30), "AIza" + rnd(URL, 20), "xoxb-not-a-token", "SG." + rnd(URL, 10),
                "npm_" + rnd(AN, 20), "glpat-" + rnd(URL, 10), "SK" + rnd(HEX, 31), "key-" + rnd(HEX, 31),
                "eyJ" + rnd(URL, 30), "eyJ%s.%s" % (rnd(URL, 20), rnd(URL, 30)), "shpat_" + rnd(HEX, 20),
                "sk-" + rnd(AN, 30), "HRKU-" + rnd(URL, 20), "sq0atp-" + rnd(URL, 10),
                "%s:AB%s" % (digits(10), rnd(URL, 33)), "AccountKey=" + rnd(B64, 40)]:
        f(in_file(tok, "BUILD_ID"))
    f(("README.md", "Set `DB_PASSWORD` in Secrets Manager; the key is read at start.\nThe token expires after one hour.\n"))
    f(("assets/logo.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + "password=%s\n" % password()))


def write():
    if os.path.isdir(ROOT):
        shutil.rmtree(ROOT)
    for i, (rule, (path, text)) in enumerate(TRUE, 1):
        p = os.path.join(ROOT, "true", "%04d.%s" % (i, rule), path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="latin-1", newline="") as fh:
            fh.write(text)
    for i, (path, text) in enumerate(FALSE, 1):
        p = os.path.join(ROOT, "false", "%04d" % i, path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="latin-1", newline="") as fh:
            fh.write(text)
    print("%d true, %d false" % (len(TRUE), len(FALSE)))


gen_true()
gen_false()
write()
