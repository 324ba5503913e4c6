"""The settings of the nodes bench/load.py starts: the platform's own (production: DEBUG off, every value from
the environment), static files named as they are, without collectstatic's manifest (the run asks for none)."""

from fabrique.settings import *  # noqa: F403
from fabrique.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
