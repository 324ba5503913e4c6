"""Django's `static` template library, with the address of a constant `{% static "…" %}` worked out once
(settings TEMPLATES: the `static` label names this module, so `{% load static %}` loads it everywhere).

The storage composes a file's address on each call (the manifest's hashed name in production, then the
quoting and joining with STATIC_URL): three times in the base template of every page. The address of a
given file does not change while the process runs (the manifest is read once); it is kept per node. A path
given by a variable is looked up on each rendering as before; a change of the static files' settings
(tests) is followed.
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import Variable
from django.templatetags import static

register = template.Library()
register.tags.update(static.register.tags)
register.filters.update(static.register.filters)

# Counts the changes of the static files' settings (tests): an address kept before one is not read after it.
_generation = [0]


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES", "STATICFILES_DIRS", "INSTALLED_APPS"}:
        _generation[0] += 1


class RememberedStaticNode(static.StaticNode):
    def __init__(self, varname=None, path=None):
        super().__init__(varname, path)
        # A quoted path is parsed to its text; a Variable only when given by a name.
        self.constant = not path.filters and (
            isinstance(path.var, str) or (isinstance(path.var, Variable) and path.var.literal is not None)
        )
        self.urls = {}

    def url(self, context):
        if not self.constant:
            return super().url(context)
        generation = _generation[0]
        url = self.urls.get(generation)
        if url is None:
            url = self.urls[generation] = super().url(context)
        return url


@register.tag("static")
def do_static(parser, token):
    return RememberedStaticNode.handle_token(parser, token)
