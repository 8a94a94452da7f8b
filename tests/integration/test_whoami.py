"""shears whoami against the simulated account: the first real call, and the
errors a new user meets (no credentials, a rejected signature, no endpoint).
The expected identity comes from Debian's awscli, the independent client."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from cmocka_unittest import main  # noqa: E402

SHEARS = os.path.join(os.environ.get("SHEARS_BUILD", os.path.join(ROOT, "build")), "shears")
FAKE = os.path.join(ROOT, "tests", "fakeaws", "fakeaws")
ACCOUNTS = os.path.join(ROOT, "tests", "fakeaws", "accounts")


def clean_env(home, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.pop("PYTHONPATH", None)
    env.update(HOME=home, AWS_EC2_METADATA_DISABLED="true",
               AWS_CONFIG_FILE=os.path.join(home, "none.config"),
               AWS_SHARED_CREDENTIALS_FILE=os.path.join(home, "none.credentials"))
    env.update(extra)
    return env


class Whoami(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp(prefix="shears-whoami-")
        cls.fake = subprocess.Popen([FAKE, "--port", "0", "--account", "demo"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    text=True, env=clean_env(cls.home))
        line = cls.fake.stdout.readline().strip()
        assert line.startswith("ready "), line
        cls.url = line.split(" ", 1)[1]
        cls.env = clean_env(cls.home, AWS_PROFILE="demo",
                            AWS_CONFIG_FILE=os.path.join(ACCOUNTS, "demo.config"),
                            AWS_SHARED_CREDENTIALS_FILE=os.path.join(ACCOUNTS, "demo.credentials"))

    @classmethod
    def tearDownClass(cls):
        cls.fake.terminate()
        cls.fake.wait(10)

    def shears(self, *args, env=None):
        return subprocess.run([SHEARS, *args], capture_output=True, text=True,
                              env=env or self.env, timeout=60)

    def test_whoami_prints_what_awscli_sees(self):
        aws = subprocess.run(["/usr/bin/aws", "--endpoint-url", self.url, "--output", "json",
                              "sts", "get-caller-identity"], capture_output=True, text=True,
                             env=self.env, timeout=60)
        self.assertEqual(aws.returncode, 0, aws.stderr)
        ident = json.loads(aws.stdout)
        r = self.shears("--endpoint-url", self.url, "whoami")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("account  %s\n" % ident["Account"], r.stdout)
        self.assertIn("arn      %s\n" % ident["Arn"], r.stdout)
        self.assertIn("user id  %s\n" % ident["UserId"], r.stdout)

    def test_endpoint_from_environment(self):
        env = dict(self.env, AWS_ENDPOINT_URL_STS=self.url)
        r = self.shears("whoami", env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("account  ", r.stdout)

    def test_no_credentials_says_which_sources_were_tried(self):
        r = self.shears("--endpoint-url", self.url, "whoami", env=clean_env(self.home))
        self.assertEqual(r.returncode, 1)
        self.assertIn("no credentials", r.stderr)
        self.assertIn("environment", r.stderr)
        self.assertIn("imds", r.stderr)

    def test_rejected_signature_names_the_aws_error(self):
        creds = os.path.join(self.home, "bad.credentials")
        with open(os.path.join(ACCOUNTS, "demo.credentials")) as f:
            text = f.read()
        lines = []
        for line in text.splitlines():
            if line.replace(" ", "").startswith("aws_secret_access_key="):
                line = "aws_secret_access_key = " + "x" * 40
            lines.append(line)
        with open(creds, "w") as f:
            f.write("\n".join(lines) + "\n")
        env = dict(self.env, AWS_SHARED_CREDENTIALS_FILE=creds)
        r = self.shears("--endpoint-url", self.url, "whoami", env=env)
        self.assertEqual(r.returncode, 1)
        self.assertIn("sts GetCallerIdentity", r.stderr)
        self.assertIn("SignatureDoesNotMatch", r.stderr)
        self.assertNotIn("x" * 40, r.stderr + r.stdout)

    def test_unreachable_endpoint_is_a_clear_error(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        r = self.shears("--endpoint-url", "http://127.0.0.1:%d" % port, "whoami")
        self.assertEqual(r.returncode, 1)
        self.assertIn("sts GetCallerIdentity", r.stderr)
        self.assertRegex(r.stderr, "(?i)connect|refused|unreachable")


if __name__ == "__main__":
    main()
