"""Managed lists and texts stored in the database with an English text beside the French one: the reader
gets the text of their language, the French one when no translation was written."""

from django.conf import settings
from django.utils import translation


def localized(obj, field: str) -> str:
    """`obj.<field>` in the active language: `<field>_en` for an English reader when it is filled."""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    if language != settings.LANGUAGE_CODE[:2]:
        value = getattr(obj, f"{field}_{language}", "")
        if value:
            return value
    return getattr(obj, field)
