"""Celery's side of the observation: each task's duration and outcome in the metrics, its name and id (and
the id of the request that asked for it) in its log lines, and the worker's own metrics endpoint."""

import logging
import os
import threading
import time
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from celery import signals

from . import metrics
from .logging import CONTEXT

logger = logging.getLogger(__name__)

# The header a task message carries the asking request's id in.
REQUEST_HEADER = "fabrique_request_id"

_started: dict[str, tuple[float, object]] = {}


def _carry_request_id(headers=None, **kwargs):
    context = CONTEXT.get() or {}
    if headers is not None and context.get("request_id"):
        headers[REQUEST_HEADER] = context["request_id"]


def _task_started(task_id=None, task=None, **kwargs):
    # The asking request's id: from the message, or, for a task run in process, the request running it.
    request_id = (
        getattr(task.request, REQUEST_HEADER, None)
        or (task.request.headers or {}).get(REQUEST_HEADER)
        or (CONTEXT.get() or {}).get("request_id", "")
    )
    token = CONTEXT.set({"task": task.name, "task_id": task_id, "request_id": request_id or ""})
    _started[task_id] = (time.perf_counter(), token)


def _task_finished(task_id=None, task=None, state=None, **kwargs):
    started = _started.pop(task_id, None)
    if started is None:
        return
    began, token = started
    metrics.TASKS.labels(task.name, (state or "unknown").lower()).observe(time.perf_counter() - began)
    try:
        CONTEXT.reset(token)
    except ValueError:  # set in another context (eager tasks nested in a request): just clear it
        CONTEXT.set(None)


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


def serve_worker_metrics(port: int, address: str):
    """The worker node's metrics on http://address:port/metrics, for the holder of METRICS_TOKEN (a worker
    has no web server of its own). Returns the server, served by a daemon thread."""
    from .views import _authorised

    class Request:  # the little of Django's request that _authorised reads
        def __init__(self, environ):
            self.headers = {"Authorization": environ.get("HTTP_AUTHORIZATION", "")}

    def application(environ, start_response):
        if environ.get("PATH_INFO") != "/metrics" or not _authorised(Request(environ)):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b""]
        body, content_type = metrics.exposition()
        start_response("200 OK", [("Content-Type", content_type), ("Cache-Control", "no-store")])
        return [body]

    server = make_server(address, port, application, server_class=_Server, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()
    logger.info("worker metrics on %s:%s/metrics", address, port)
    return server


def _worker_started(sender=None, **kwargs):
    from django.conf import settings

    if settings.WORKER_METRICS_PORT:
        if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            logger.warning(
                "PROMETHEUS_MULTIPROC_DIR is not set: tasks run by prefork child processes are not counted"
            )
        serve_worker_metrics(settings.WORKER_METRICS_PORT, settings.WORKER_METRICS_ADDRESS)


def connect():
    signals.before_task_publish.connect(_carry_request_id, dispatch_uid="ops-request-id")
    signals.task_prerun.connect(_task_started, dispatch_uid="ops-task-started")
    signals.task_postrun.connect(_task_finished, dispatch_uid="ops-task-finished")
    signals.worker_ready.connect(_worker_started, dispatch_uid="ops-worker-metrics")
