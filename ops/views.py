import hmac

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound

from . import metrics as recorded


def _authorised(request) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def metrics(request):
    """The node's Prometheus metrics, for whoever holds METRICS_TOKEN (`Authorization: Bearer …`); to anyone
    else, and to everyone while no token is set, the path does not exist."""
    if not _authorised(request):
        # A bare 404: this view may be answered before the middlewares a full error page needs.
        return HttpResponseNotFound()
    body, content_type = recorded.exposition()
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response
