"""A real S3-compatible server for the storage tests: moto's standalone server (`moto_server`, a dev
dependency), which `.ci/run` starts and names in TEST_S3_ENDPOINT_URL. Without it the tests are skipped on a
laptop, and fail when FABRIQUE_REQUIRE_SERVICES is set (the CI run).

    .venv/bin/moto_server -H 127.0.0.1 -p 5005 &
    export TEST_S3_ENDPOINT_URL=http://127.0.0.1:5005

Each test gets a bucket of its own, emptied and removed afterwards.
"""

import os
import urllib.error
import urllib.request
import uuid

import pytest

from fabrique.env import s3_options

# moto accepts any keys; a real server would be given its own.
KEY, SECRET, REGION = "fabrique-test", "fabrique-test-secret", "eu-west-3"


def s3_endpoint() -> str:
    """The test server's address; skips (fails in CI) when it is not configured or does not answer."""
    url = os.environ.get("TEST_S3_ENDPOINT_URL", "")
    problem = "" if url else "TEST_S3_ENDPOINT_URL is not set"
    if url:
        try:
            urllib.request.urlopen(url, timeout=5).close()  # noqa: S310 - the test server's own address
        except urllib.error.HTTPError:
            pass  # it answers: an error status is still an answer
        except OSError as error:
            problem = f"the S3 test server at {url} does not answer ({error})"
    if problem:
        if os.environ.get("FABRIQUE_REQUIRE_SERVICES"):
            pytest.fail(f"{problem} but FABRIQUE_REQUIRE_SERVICES is: the S3 server is required")
        pytest.skip(problem)
    return url


def client(endpoint):
    import boto3

    return boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id=KEY, aws_secret_access_key=SECRET, region_name=REGION
    )


def create_bucket(endpoint) -> str:
    bucket = f"fabrique-test-{uuid.uuid4().hex[:12]}"
    client(endpoint).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    return bucket


def remove_bucket(endpoint, bucket) -> None:
    s3 = client(endpoint)
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for entry in page.get("Contents", ()):
            s3.delete_object(Bucket=bucket, Key=entry["Key"])
    s3.delete_bucket(Bucket=bucket)


def storage_url(endpoint, bucket) -> str:
    """The STORAGE_URL a process started by a test is given."""
    return f"s3+http://{KEY}:{SECRET}@{endpoint.split('://', 1)[1]}/{bucket}?region={REGION}"


def keys(endpoint, bucket) -> set[str]:
    found = set()
    for page in client(endpoint).get_paginator("list_objects_v2").paginate(Bucket=bucket):
        found.update(entry["Key"] for entry in page.get("Contents", ()))
    return found


class Bucket:
    def __init__(self, endpoint, name):
        self.endpoint, self.name = endpoint, name
        self.client = client(endpoint)
        self.url = storage_url(endpoint, name)

    def names(self) -> set[str]:
        return keys(self.endpoint, self.name)

    def read(self, key) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def s3_bucket():
    endpoint = s3_endpoint()
    bucket = create_bucket(endpoint)
    yield Bucket(endpoint, bucket)
    remove_bucket(endpoint, bucket)


@pytest.fixture
def s3_storage(s3_bucket, settings):
    """The default storage is the test bucket, as production configures it (fabrique.env.s3_options)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_options(
                bucket=s3_bucket.name, endpoint=s3_bucket.endpoint, key=KEY, secret=SECRET, region=REGION
            ),
        },
    }
    return s3_bucket
