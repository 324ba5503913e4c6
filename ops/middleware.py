import logging
import re
import time
import uuid

from django.conf import settings
from django.db import connection
from django.utils.functional import empty

from . import metrics
from .logging import CONTEXT

logger = logging.getLogger("fabrique.request")

# An id from the reverse proxy is kept when it looks like one (nginx's $request_id is 32 hex digits).
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")


def _user_id(request):
    """The signed-in person's id, if the request already read who it is (never a query for the log's sake)."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty or wrapped is None:
        return ""
    return wrapped.pk or ""


def _view(request, response):
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match._func_path
    if request.path_info.startswith(settings.STATIC_URL):
        return "static"
    return "unresolved" if response.status_code == 404 else "other"


class ObservationMiddleware:
    """The outermost middleware: gives each request its id (X-Request-ID, in the logs and the response),
    counts its database statements, records its metrics and writes one log line when it is answered.

    It also answers the metrics path itself, before the host and HTTPS checks of the middlewares below, so
    that Prometheus can scrape each node by its internal address (the token is still required: ops.views)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == settings.METRICS_PATH:
            from .views import metrics as metrics_view

            return metrics_view(request)
        # From META: request.headers would build a dict of every header (~7 µs) for this one.
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id
        context = {"request_id": request_id}
        token = CONTEXT.set(context)
        queries = [0]

        def count(execute, sql, params, many, execution_context):
            queries[0] += 1
            return execute(sql, params, many, execution_context)

        started = time.perf_counter()
        try:
            with connection.execute_wrapper(count):
                response = self.get_response(request)
            duration = time.perf_counter() - started
            view = _view(request, response)
            context.update(view=view, user_id=_user_id(request))
            metrics.REQUESTS.labels(view, request.method, str(response.status_code)).inc()
            metrics.LATENCY.labels(view, request.method).observe(duration)
            metrics.QUERIES.labels(view).observe(queries[0])
            response["X-Request-ID"] = request_id
            match = getattr(request, "resolver_match", None)
            logger.info(
                "%s %s %s",
                request.method,
                # The route, not the path: a path may carry a secret (an invitation's or a reset's key).
                match.route if match is not None else request.path_info[:200],
                response.status_code,
                extra={
                    "method": request.method,
                    "route": match.route if match is not None else "",
                    "status": response.status_code,
                    "duration_ms": round(duration * 1000, 1),
                    "queries": queries[0],
                },
            )
            return response
        finally:
            CONTEXT.reset(token)
