"""The settings of the web nodes that tests/ops/test_two_nodes.py starts: the platform's own (production:
DEBUG off, every value from the environment), with the two changes the test suite itself runs with: static
files named as they are, without collectstatic's manifest, and the test users' fast password hasher."""

from fabrique.settings import *  # noqa: F403
from fabrique.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
