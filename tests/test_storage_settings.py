"""STORAGE_URL and the S3_* settings choose where files live (fabrique.env.storage_from_env)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from fabrique.env import storage_from_env

NAMES = (
    "STORAGE_URL",
    "S3_BUCKET",
    "S3_PREFIX",
    "S3_ENDPOINT_URL",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_REGION",
)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)


def test_without_object_storage_files_stay_in_the_local_folder():
    assert storage_from_env("/srv/media") == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": "/srv/media"},
    }


def test_a_storage_url_names_the_server_the_bucket_the_prefix_the_keys_and_the_region(monkeypatch):
    monkeypatch.setenv("STORAGE_URL", "s3+http://clef:se%2Fcret@minio:9000/fabrique/prod?region=fr-par")

    storage = storage_from_env("/srv/media")

    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["endpoint_url"] == "http://minio:9000"
    assert options["bucket_name"] == "fabrique"
    assert options["location"] == "prod"
    assert (options["access_key"], options["secret_key"]) == ("clef", "se/cret")
    assert options["region_name"] == "fr-par"
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["file_overwrite"] is False


def test_s3_url_defaults_to_https_and_each_s3_variable_overrides_its_part(monkeypatch):
    monkeypatch.setenv("STORAGE_URL", "s3://clef:secret@s3.fr-par.scw.cloud/fabrique")
    monkeypatch.setenv("S3_BUCKET", "autre")
    monkeypatch.setenv("S3_SECRET_ACCESS_KEY", "nouveau")

    options = storage_from_env("/srv/media")["OPTIONS"]

    assert options["endpoint_url"] == "https://s3.fr-par.scw.cloud"
    assert options["bucket_name"] == "autre"
    assert options["secret_key"] == "nouveau"


def test_a_bucket_alone_uses_aws_and_its_usual_credentials(monkeypatch):
    monkeypatch.setenv("S3_BUCKET", "fabrique")

    options = storage_from_env("/srv/media")["OPTIONS"]

    assert options["endpoint_url"] is None and options["access_key"] is None
    assert options["addressing_style"] is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("STORAGE_URL", "ftp://clef:secret@hote/seau"),
        ("STORAGE_URL", "s3://clef:secret@hote"),
        ("S3_ENDPOINT_URL", "http://minio:9000"),
    ],
)
def test_a_storage_setting_that_cannot_work_stops_the_start(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured):
        storage_from_env("/srv/media")
