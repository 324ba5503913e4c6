from django import template
from django.utils.translation import gettext as _

from pages import rgaa

register = template.Library()

MENTIONS = {
    rgaa.TOTAL: lambda: _("totalement conforme"),
    rgaa.PARTIAL: lambda: _("partiellement conforme"),
    rgaa.NONE: lambda: _("non conforme"),
}


def mention_label(mention):
    return MENTIONS[mention]()


@register.simple_tag
def accessibility_mention():
    """The RGAA mention of the footer (« Accessibilité : partiellement conforme »), from the audit file."""
    return mention_label(rgaa.current_mention())
