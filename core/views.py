from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

from alliance.selectors import current_charter, directory_counts
from pages import selectors as public
from pages.models import BlockKey
from pages.services import content_blocks


def home(request):
    blocks = content_blocks()
    return render(
        request,
        "core/home.html",
        {
            "charter": current_charter(),
            "counts": directory_counts(),
            "alliance": blocks[BlockKey.ALLIANCE],
            "commitments": blocks[BlockKey.COMMITMENTS],
            "fundamentals": blocks[BlockKey.FUNDAMENTALS],
            "fantastiques": blocks[BlockKey.FANTASTIQUES],
            "next_event": public.upcoming_events().first(),
            "resources": list(public.latest_resources()),
            "pilots": list(public.pilot_stories()),
        },
    )


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # Rendered without the request context: whatever failed must not fail again here.
    return render(request, "500.html", status=500, using=None)
