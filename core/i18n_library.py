"""Django's `i18n` template library, with the text of a `{% translate "…" %}` of a constant message kept once
translated (settings TEMPLATES: the `i18n` label names this module, so `{% load i18n %}` loads it in every
template, the admin's and allauth's included).

Each `{% translate %}` looked up its message in the catalogue, through a lazy string, then escaped it, on
every rendering: 56 of them on a project's page, 13 in the base template, about a tenth of a page's CPU. The
text of a constant message depends only on the language (the catalogues are loaded once per process): it is
kept per node for each language (and escaping mode, though a template's literal text is never escaped). A
message given by a variable, with a context, or with a filter, is translated on each rendering as before.
`makemessages` reads the templates' text and sees the same tags.
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import Variable
from django.templatetags import i18n
from django.utils.translation import get_language

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)

# Counts the changes of the language settings (tests): a text kept before one is not read after it.
_generation = [0]


@receiver(setting_changed)
def _forget(setting, **kwargs):
    # As Django forgets its loaded catalogues (django.test.signals.language_changed).
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _generation[0] += 1


class RememberedTranslateNode(i18n.TranslateNode):
    def __init__(self, filter_expression, noop, asvar=None, message_context=None):
        super().__init__(filter_expression, noop, asvar, message_context)
        expression = self.filter_expression
        self.constant = (
            message_context is None
            and not expression.filters
            and isinstance(expression.var, Variable)
            and expression.var.literal is not None
        )
        # On the node, so that it goes with its template: (generation, language, autoescape) -> text.
        self.texts = {}

    def render(self, context):
        if not self.constant:
            return super().render(context)
        key = (_generation[0], get_language(), context.autoescape)
        value = self.texts.get(key)
        if value is None:
            value = super().render(context)
            if self.asvar:
                value = context[self.asvar]
            self.texts[key] = value
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = i18n.do_translate(parser, token)
    return RememberedTranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)
