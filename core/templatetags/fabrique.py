from django import template

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
