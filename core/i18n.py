"""Managed lists and texts stored in the database with an English text beside the French one: the reader
gets the text of their language, the French one when no translation was written."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext


def localized(obj, field: str) -> str:
    """`obj.<field>` in the active language: `<field>_en` for an English reader when it is filled."""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    if language != settings.LANGUAGE_CODE[:2]:
        value = getattr(obj, f"{field}_{language}", "")
        if value:
            return value
    return getattr(obj, field)


# French puts a space before « : » and « ; », English does not: a sentence assembled in code takes its
# punctuation from the catalogue, never from a literal « : ».


def colon() -> str:
    """Between a label and its value: « : » in French, ": " in English."""
    return pgettext("separator", " : ")


def labelled(label, value) -> str:
    """« Libellé : valeur » in French, "Label: value" in English."""
    return f"{label}{colon()}{value}"


def semicolon() -> str:
    """The separator of a list's items or of a sentence's clauses: « ; » in French, "; " in English."""
    return pgettext("separator", " ; ")
