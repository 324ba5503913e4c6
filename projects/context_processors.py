from . import access


def navigation(request):
    """What the header's menu and the site map offer from this app, by the same rules as its views."""
    return {"can_open_review_queue": access.can_open_review_queue(request.user)}
