"""The attachments of resources (documents and images, checked by core.uploads) and their download name."""

import re
import unicodedata

from django.utils.translation import gettext_lazy

from core import uploads

from .models import ATTACHMENT_TYPES

FORMATS_MESSAGE = gettext_lazy(
    "Formats acceptés : PDF, documents OpenDocument (odt, ods, odp) ou Office (docx, xlsx, pptx), images "
    "PNG, JPEG ou WebP."
)


def validate_attachment(file):
    uploads.validate_attachment(file, formats=ATTACHMENT_TYPES, formats_message=FORMATS_MESSAGE)


def download_name(name: str) -> str:
    """A name safe in a Content-Disposition header: ASCII letters, digits, dots, dashes and underscores."""
    stem, _dot, extension = name.rpartition(".")
    ascii_stem = unicodedata.normalize("NFKD", stem or extension).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_stem).strip("-")[:100] or "piece-jointe"
    return f"{cleaned}.{extension.lower()}" if stem else cleaned
