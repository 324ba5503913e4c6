"""Dates, ages and sizes written as a French reader expects them (« 1er décembre 2026 », « 5 déc. 2026 »,
« il y a 3 jours », « à l'instant », « 23,9 Ko »), and as an English reader does once English is chosen.

Django's own filters get these wrong in French: `date:"j F"` writes « 1 décembre », `date:"j M"` « 5 Déc »,
`timesince` « 0 minute », `filesizeformat` « 23,9 Kio ». Templates use the filters of
`core.templatetags.french` (loaded everywhere) instead; a test keeps the old formats out of the templates.
"""

import datetime

from django.utils import formats, timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

# The abbreviations of the Imprimerie nationale's rules (Django's « jan. », « fév. » are not them).
_MONTHS_SHORT_FR = {
    1: "janv.",
    2: "févr.",
    3: "mars",
    4: "avr.",
    5: "mai",
    6: "juin",
    7: "juil.",
    8: "août",
    9: "sept.",
    10: "oct.",
    11: "nov.",
    12: "déc.",
}


def _is_french() -> bool:
    return (get_language() or "fr").split("-")[0] == "fr"


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _day(value) -> str:
    """« 1er » for the first of the month in French (« le 1er décembre »), the number otherwise."""
    return "1er" if value.day == 1 and _is_french() else str(value.day)


def long_date(value, options: str = "") -> str:
    """« 1er décembre 2026 », « 5 décembre 2026 »; "1 December 2026". With "l" in `options`, the day of the
    week first: « mardi 1er décembre 2026 »."""
    if not value:
        return ""
    value = _local(value)
    text = f"{_day(value)} {formats.date_format(value, 'F Y')}"
    if "l" in options:
        text = f"{formats.date_format(value, 'l')} {text}"
    return text


def short_date(value) -> str:
    """« 1er déc. 2026 », « 5 mars 2026 »; "5 Dec. 2026"."""
    if not value:
        return ""
    value = _local(value)
    month = _MONTHS_SHORT_FR[value.month] if _is_french() else formats.date_format(value, "N")
    return f"{_day(value)} {month} {value.year}"


def _time(value) -> str:
    return formats.time_format(value, "H:i")


def long_datetime(value, options: str = "") -> str:
    """« 1er décembre 2026 à 14:05 »; "1 December 2026 at 14:05". With "s" in `options`, the seconds too
    (« à 14:05:09 »); with "l", the day of the week first (« mardi 1er décembre 2026 à 14:05 »)."""
    if not value:
        return ""
    value = _local(value)
    time = formats.time_format(value, "H:i:s") if "s" in options else _time(value)
    return _("%(date)s à %(time)s") % {"date": long_date(value, options), "time": time}


def short_datetime(value) -> str:
    """« 5 déc. 2026, 14:05 »."""
    if not value:
        return ""
    value = _local(value)
    return f"{short_date(value)}, {_time(value)}"


def duration(since, now=None) -> str:
    """How long since `since`, in its largest unit: « moins d'une minute », « 5 minutes », « 3 heures »,
    « 2 jours », « 3 semaines », « 4 mois », « 2 ans »."""
    if not since:
        return ""
    now = now or timezone.now()
    if not isinstance(since, datetime.datetime):
        since = datetime.datetime.combine(since, datetime.time(), tzinfo=timezone.get_current_timezone())
    seconds = max((now - since).total_seconds(), 0)
    minutes, hours, days = int(seconds // 60), int(seconds // 3600), int(seconds // 86400)
    if minutes < 1:
        return _("moins d'une minute")
    if hours < 1:
        return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}
    if days < 1:
        return ngettext("%(n)s heure", "%(n)s heures", hours) % {"n": hours}
    if days < 14:
        return ngettext("%(n)s jour", "%(n)s jours", days) % {"n": days}
    if days < 60:
        weeks = days // 7
        return ngettext("%(n)s semaine", "%(n)s semaines", weeks) % {"n": weeks}
    if days < 365:
        months = days // 30
        return ngettext("%(n)s mois", "%(n)s mois", months) % {"n": months}
    years = days // 365
    return ngettext("%(n)s an", "%(n)s ans", years) % {"n": years}


def ago(since, now=None) -> str:
    """« à l'instant », « il y a 5 minutes », « il y a 3 jours »."""
    if not since:
        return ""
    now = now or timezone.now()
    if (now - since).total_seconds() < 60:
        return _("à l'instant")
    return _("il y a %(duration)s") % {"duration": duration(since, now)}


def filesize(size) -> str:
    """« 812 octets », « 23,9 Ko », « 4,2 Mo » (a French reader's units); "23.9 KB" in English."""
    try:
        size = float(size)
    except (TypeError, ValueError):
        size = 0
    if size < 1024:
        n = int(size)
        return ngettext("%(n)s octet", "%(n)s octets", n) % {"n": n}
    units = [_("%(size)s Ko"), _("%(size)s Mo"), _("%(size)s Go")]
    size /= 1024
    while size >= 1024 and len(units) > 1:
        size /= 1024
        units.pop(0)
    size = round(size, 1)
    # « 5 Mo », not « 5,0 Mo ».
    return units[0] % {"size": formats.number_format(size, 0 if size == int(size) else 1)}
