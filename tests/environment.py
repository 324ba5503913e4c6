"""Loaded with `-p` before Django is set up: the environment of the test suite."""

import os
import secrets

# The suite runs with production-like settings (DEBUG off) over plain HTTP on the test server.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
