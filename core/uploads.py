"""Checks on uploaded files: size, extension and content, whatever name or type the browser claims.

Images (logos, pictures) are opened with Pillow. Attachments (a library resource's documents, the files of a
group's post) go through `validate_attachment`: each app names the formats it accepts, and the file's own
bytes must be those of the format its extension claims, so a renamed program is never stored.
"""

import uuid
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from core.dates import filesize

FORMATS_MESSAGE = gettext_lazy("Formats acceptés : PNG, JPEG ou WebP.")
# What the form field says when Pillow cannot read the file (an SVG, a renamed document…).
LOGO_ERROR_MESSAGES = {
    "invalid_image": gettext_lazy(
        "Ce fichier n'est pas une image lisible : formats acceptés PNG, JPEG ou WebP."
    )
}

# Extension -> the format Pillow must recognise in the file's bytes.
IMAGE_FORMATS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "webp": "WEBP"}
MAX_IMAGE_PIXELS = 25_000_000

# Every format an attachment may have -> the content type it is served with.
ATTACHMENT_CONTENT_TYPES = {
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
    "webp": "image/webp",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
# An OpenDocument file is a zip whose entry `mimetype` names its type.
OPENDOCUMENT_FORMATS = ("odt", "ods", "odp")
# An Office Open XML file is a zip holding [Content_Types].xml and the folder of its application.
OFFICE_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
TEXT_FORMATS = ("txt", "csv")
# Windows and DOS programs, ELF binaries, Mach-O binaries (both byte orders, 32 and 64 bits), scripts.
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"#!")
HEAD_BYTES = 8192
# An office document is a zip: what it declares it unpacks to is read from its directory, never unpacked.
# A real document (text, styles, its pictures, which do not compress) unpacks to a few times its size; a zip
# bomb, to hundreds or thousands of times. Small archives may compress very well without harm.
ARCHIVE_MAX_RATIO = 100
ARCHIVE_RATIO_FROM_BYTES = 10 * 1024 * 1024
ARCHIVE_MAX_ENTRIES = 5000


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _refuse_oversized(file, max_bytes: int) -> None:
    if file.size > max_bytes:
        raise ValidationError(
            _("Le fichier pèse %(size)s ; la limite est de %(max)s.")
            % {"size": filesize(file.size), "max": filesize(max_bytes)}
        )


def _check_image_content(file, extension: str) -> None:
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            detected = image.format
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("L'image est trop grande (25 mégapixels au plus)."))
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("Ce fichier n'est pas une image lisible.")) from exc
    finally:
        file.seek(position)
    if detected != IMAGE_FORMATS[extension]:
        raise ValidationError(_("Le contenu du fichier ne correspond pas à son extension."))


def validate_image(file, *, max_bytes: int):
    _refuse_oversized(file, max_bytes)
    extension = extension_of(file.name)
    if extension not in IMAGE_FORMATS:
        raise ValidationError(FORMATS_MESSAGE)
    _check_image_content(file, extension)


def validate_logo(file):
    validate_image(file, max_bytes=settings.LOGO_MAX_BYTES)


def logo_upload_to(instance, filename):
    # Generated names: nothing of the uploader's file name reaches the disk or a URL.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"logos/{uuid.uuid4().hex}.{extension}"


def attachment_max_bytes() -> int:
    return settings.ATTACHMENT_MAX_BYTES


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character may be cut at the end of the sample; otherwise it may be Windows text.
        if error.start < len(head) - 3:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return True


def _zip_matches(file, extension: str) -> bool:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if extension in OPENDOCUMENT_FORMATS:
                if "mimetype" not in names:
                    return False
                with archive.open("mimetype") as member:
                    declared = member.read(200).strip()
                return declared == ATTACHMENT_CONTENT_TYPES[extension].encode("ascii")
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError, RuntimeError, NotImplementedError):
        return False
    folder = OFFICE_FOLDERS[extension]
    return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)


def _refuse_unreasonable_archive(file) -> None:
    """Refuse a zip whose directory declares more entries, more unpacked bytes (ATTACHMENT_MAX_UNPACKED_BYTES)
    or a higher compression ratio than a document has: a zip bomb dressed as .docx or .odt. Nothing is
    unpacked; an archive that cannot be read is left to the content check, which refuses it."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        return
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    too_big = unpacked > settings.ATTACHMENT_MAX_UNPACKED_BYTES
    too_packed = unpacked > ARCHIVE_RATIO_FROM_BYTES and unpacked > ARCHIVE_MAX_RATIO * max(packed, 1)
    if len(entries) > ARCHIVE_MAX_ENTRIES or too_big or too_packed:
        raise ValidationError(
            _(
                "Ce document se décompresse en %(size)s, bien plus qu'un document réel : il est refusé. "
                "Enregistrez-le de nouveau depuis votre traitement de texte ou envoyez-le en PDF."
            )
            % {"size": filesize(unpacked)}
        )


def _document_matches(file, extension: str, head: bytes) -> bool:
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in TEXT_FORMATS:
        return _is_text(head)
    return head.startswith(b"PK\x03\x04") and _zip_matches(file, extension)


def validate_attachment(file, *, formats, formats_message) -> None:
    """Refuse `file` unless it is of one of `formats` (extensions known to ATTACHMENT_CONTENT_TYPES), its
    bytes are those of that format, and it weighs at most the ATTACHMENT_MAX_BYTES setting; an office
    document does not declare that it unpacks to more than a document would (`_refuse_unreasonable_archive`).

    `formats_message` lists the accepted formats for the person uploading."""
    _refuse_oversized(file, attachment_max_bytes())
    if file.size == 0:
        raise ValidationError(_("Le fichier est vide."))
    extension = extension_of(file.name)
    if extension not in formats:
        raise ValidationError(
            _("Ce fichier n'est pas d'un format accepté. %(formats)s") % {"formats": formats_message}
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(HEAD_BYTES)
        if head.startswith(EXECUTABLE_SIGNATURES):
            raise ValidationError(_("Ce fichier est un programme exécutable déguisé : il est refusé."))
        if extension in IMAGE_FORMATS:
            _check_image_content(file, extension)
        else:
            if head.startswith(b"PK\x03\x04"):
                _refuse_unreasonable_archive(file)
            if not _document_matches(file, extension, head):
                raise ValidationError(_("Le contenu du fichier ne correspond pas à son extension."))
    finally:
        file.seek(position)
