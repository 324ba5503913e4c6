"""Checks on the files attached to a group's posts: size, extension, and the file's own bytes.

Only document and image formats are accepted, and the bytes must be those of the format the extension
claims: a renamed program (an .exe called .pdf) is refused, so nothing executable is ever stored.
"""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# Extension -> the content type it is served with.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
FORMATS_MESSAGE = gettext_lazy(
    "Formats acceptés : PDF, documents bureautiques (odt, ods, odp, docx, xlsx, pptx), images (png, jpg), "
    "texte (txt, csv)."
)
# The part of an office document's archive that names what it is.
OOXML_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"#!")


def max_bytes() -> int:
    return getattr(settings, "COOPERATION_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _head(file, size=8192) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        # A multi-byte character may be cut at the end of the sample.
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return True


def _zip_names(file) -> list[str] | None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            mimetype = archive.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError):
        return None
    finally:
        file.seek(0)
    return [*names, f"mimetype:{mimetype}"]


def _content_matches(file, extension: str, head: bytes) -> bool:
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension in ("txt", "csv"):
        return _is_text(head)
    if not head.startswith(b"PK\x03\x04"):
        return False
    names = _zip_names(file)
    if names is None:
        return False
    if extension in OOXML_PARTS:
        return "[Content_Types].xml" in names and any(n.startswith(OOXML_PARTS[extension]) for n in names)
    return f"mimetype:{CONTENT_TYPES[extension]}" in names


def validate_attachment(file) -> None:
    limit = max_bytes()
    if file.size > limit:
        raise ValidationError(
            _("« %(name)s » pèse %(size)s ; la limite est de %(max)s par fichier.")
            % {"name": file.name, "size": filesizeformat(file.size), "max": filesizeformat(limit)}
        )
    if file.size == 0:
        raise ValidationError(_("« %(name)s » est vide.") % {"name": file.name})
    extension = extension_of(file.name)
    if extension not in CONTENT_TYPES:
        raise ValidationError(
            _("« %(name)s » n'est pas d'un format accepté. %(formats)s")
            % {"name": file.name, "formats": FORMATS_MESSAGE}
        )
    head = _head(file)
    if head.startswith(EXECUTABLE_SIGNATURES):
        raise ValidationError(
            _("« %(name)s » est un programme exécutable déguisé : il est refusé.") % {"name": file.name}
        )
    if not _content_matches(file, extension, head):
        raise ValidationError(
            _("Le contenu de « %(name)s » ne correspond pas à un fichier %(extension)s.")
            % {"name": file.name, "extension": extension.upper()}
        )
