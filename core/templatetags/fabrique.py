from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from core.text import render_markdown, render_user_text

register = template.Library()


@register.filter
def user_text(value):
    return render_user_text(value)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (pagination keeping the filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def markdown(value):
    return render_markdown(value)


@register.simple_tag(takes_context=True)
def nav_current(context, url_name):
    """` aria-current="page"` on the navigation link of the page shown, `="true"` on the link of its section
    (a page under that link's path), so that where one is reads the same with the eyes and a screen reader."""
    request = context.get("request")
    if request is None:
        return ""
    target = reverse(url_name)
    if request.path == target:
        return mark_safe(' aria-current="page"')
    if target != "/" and request.path.startswith(target):
        return mark_safe(' aria-current="true"')
    return ""
