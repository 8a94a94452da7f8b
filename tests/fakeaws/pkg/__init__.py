"""fakeaws: a simulated AWS account for shears's tests, driven by
botocore's service models. See tests/fakeaws/README.md."""
