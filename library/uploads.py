"""Checks on the attachments of resources: size, extension, and bytes that match the extension."""

import re
import unicodedata
import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.uploads import IMAGE_FORMATS, validate_image

from .models import ATTACHMENT_TYPES

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
FORMATS_MESSAGE = gettext_lazy(
    "Formats acceptés : PDF, documents OpenDocument (odt, ods, odp) ou Office (docx, xlsx, pptx), images "
    "PNG, JPEG ou WebP."
)
# An OpenDocument file is a zip whose first entry, `mimetype`, names its type.
OPENDOCUMENT = {ext: ATTACHMENT_TYPES[ext] for ext in ("odt", "ods", "odp")}
# An Office Open XML file is a zip holding [Content_Types].xml and the folder of its application.
OFFICE_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


def _zip_names(file) -> list[str] | None:
    try:
        with zipfile.ZipFile(file) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _zip_member(file, name) -> bytes:
    with zipfile.ZipFile(file) as archive, archive.open(name) as member:
        return member.read(200)


def _content_matches(file, extension) -> bool:
    file.seek(0)
    if extension == "pdf":
        return file.read(5) == b"%PDF-"
    names = _zip_names(file)
    if names is None:
        return False
    if extension in OPENDOCUMENT:
        file.seek(0)
        return "mimetype" in names and _zip_member(file, "mimetype").strip() == OPENDOCUMENT[
            extension
        ].encode("ascii")
    folder = OFFICE_FOLDERS[extension]
    return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)


def validate_attachment(file):
    if file.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("Le fichier pèse %(size)s ; la limite est de %(max)s.")
            % {"size": filesizeformat(file.size), "max": filesizeformat(ATTACHMENT_MAX_BYTES)}
        )
    extension = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    if extension not in ATTACHMENT_TYPES:
        raise ValidationError(FORMATS_MESSAGE)
    if extension in IMAGE_FORMATS:
        validate_image(file, max_bytes=ATTACHMENT_MAX_BYTES)
        return
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        matches = _content_matches(file, extension)
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError):
        matches = False
    finally:
        file.seek(position)
    if not matches:
        raise ValidationError(_("Le contenu du fichier ne correspond pas à son extension."))


def download_name(name: str) -> str:
    """A name safe in a Content-Disposition header: ASCII letters, digits, dots, dashes and underscores."""
    stem, _dot, extension = name.rpartition(".")
    ascii_stem = unicodedata.normalize("NFKD", stem or extension).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_stem).strip("-")[:100] or "piece-jointe"
    return f"{cleaned}.{extension.lower()}" if stem else cleaned
