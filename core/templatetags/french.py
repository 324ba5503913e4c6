"""Filters that write dates, ages, sizes and the little words around names as a French reader expects them
(see core.dates and core.french). Loaded in every template (TEMPLATES' `builtins`)."""

from django import template

from core import dates, french

register = template.Library()

register.filter("long_date", dates.long_date)
register.filter("short_date", dates.short_date)
register.filter("long_datetime", dates.long_datetime)
register.filter("short_datetime", dates.short_datetime)
register.filter("duration", dates.duration)
register.filter("ago", dates.ago)
register.filter("filesize", dates.filesize)


@register.filter
def of(value, en="of"):
    """« du Pôle territorial », « d'Élise » ; "of Pôle territorial" in English (or `en`: "from")."""
    return french.of(value, en)


@register.filter
def to(value, en="to"):
    """« au Pôle territorial », « à l'Espace des agents » ; "to …" in English (or `en`: "in", "for")."""
    return french.to(value, en)


@register.filter
def the(value, en=""):
    """« le Pôle territorial », « l'Espace des agents » ; the bare name in English (or with `en`: "the")."""
    return french.the_name(value, en)
