"""Logs as one JSON line per event in production (LOG_FORMAT=json), plain text in development.

Each line carries what identifies its event: the request's id (taken from the proxy's X-Request-ID or made
here), the signed-in person's id and the view's name for a request; the task's name and id, and the id of the
request that asked for it, for a Celery task. Nothing here imports Django's models: gunicorn's own
configuration uses the formatter too.
"""

import logging
from contextvars import ContextVar
from datetime import UTC, datetime

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

# What the current request or task is; set by ops.middleware and ops.tasks, read by ContextFilter.
CONTEXT: ContextVar[dict | None] = ContextVar("fabrique_log_context", default=None)
FIELDS = ("request_id", "user_id", "view", "task", "task_id")


class ContextFilter(logging.Filter):
    """Adds the current request's or task's identifiers to every record (empty outside of both)."""

    def filter(self, record):
        context = CONTEXT.get() or {}
        if not context and hasattr(record, "request"):
            # Django logs a 4xx or 5xx answer once every middleware is done: the request still knows its id.
            context = {"request_id": getattr(record.request, "request_id", "")}
        for name in FIELDS:
            if not hasattr(record, name):
                setattr(record, name, context.get(name, ""))
        return True


class JsonFormatter(_JsonFormatter):
    """python-json-logger's formatter with the platform's field names; extra fields are added as they come,
    and empty context fields are left out."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", False)
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s", *args, **kwargs)

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's name
        return datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")

    def add_fields(self, log_record, record, message_dict):
        super().add_fields(log_record, record, message_dict)
        for name in FIELDS:
            if log_record.get(name) in ("", None):
                log_record.pop(name, None)


PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s %(request_id)s%(task_id)s %(message)s"


def logging_config(*, log_format: str, level: str) -> dict:
    """Django's LOGGING for the given format ("json" or "plain")."""
    if log_format not in ("json", "plain"):
        raise ValueError(f"LOG_FORMAT must be json or plain, not {log_format!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "ops.logging.ContextFilter"}},
        "formatters": {
            "json": {"()": "ops.logging.JsonFormatter"},
            "plain": {"format": PLAIN_FORMAT},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": log_format, "filters": ["context"]}
        },
        "root": {"handlers": ["console"], "level": level},
        # runserver's own request lines: the platform logs each request itself (ops.middleware).
        "loggers": {"django.server": {"handlers": [], "propagate": False, "level": "WARNING"}},
    }
